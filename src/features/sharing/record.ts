import type { Actor } from '../../platform/audit/audit.ts'
import type { Trx } from '../../platform/db/database.ts'
import { localDateOf } from '../../domain/working-calendar.ts'

/**
 * The lawful basis a disclosure (or an override of withdrawn consent) rests on. One map, one word
 * for one thing: forms, pages and the sharing log all use these labels.
 */
export const DISCLOSURE_BASES = {
  consent: 'Consent',
  'section-47': 'Section 47 enquiry (Children Act 1989)',
  'section-17': 'Child in need (Section 17, Children Act 1989)',
  'safeguarding-dpa-sch1-para18': 'Safeguarding children and individuals at risk (Data Protection Act 2018, Schedule 1, paragraph 18)',
  'legal-obligation': 'Legal obligation',
  'public-task': 'Public task',
} as const
export type DisclosureBasis = keyof typeof DISCLOSURE_BASES

/** The bases that can stand without consent: what an override of withdrawn consent rests on. */
export const OVERRIDE_BASES = ['section-47', 'section-17', 'safeguarding-dpa-sch1-para18', 'legal-obligation', 'public-task'] as const satisfies readonly DisclosureBasis[]
export type OverrideBasis = (typeof OVERRIDE_BASES)[number]

/** How a disclosure came about: in the system, or recorded by hand for one made outside it. */
export const DISCLOSURE_SOURCES = {
  'team-member-added': 'Added to the Team Around the Family',
  'plan-downloaded': 'Early Help Plan downloaded',
  'subject-access-export': 'Subject access export',
  'recorded-by-hand': 'Recorded by hand',
} as const
export type DisclosureSource = keyof typeof DISCLOSURE_SOURCES

export interface Disclosure {
  involvementId: string
  what: string
  recipient: string
  reason: string
  basis: DisclosureBasis
  source: DisclosureSource
  consentId?: string | null
  /** ISO date; today (in the authority's calendar) when absent. */
  sharedOn?: string
}

/**
 * Writes one entry in the family's sharing log, in the caller's transaction: call it from the code
 * path of the disclosure itself, so the disclosure and its record commit or roll back together.
 * It writes no audit event of its own: the change that caused it (adding to the team, downloading
 * a plan, an export) already writes one, and one change is one event. The by-hand form writes
 * `disclosure-recorded`.
 */
export async function recordDisclosure(trx: Trx, actor: Actor, d: Disclosure): Promise<string> {
  const row = await trx
    .insertInto('disclosures')
    .values({
      tenant_id: actor.tenantId,
      involvement_id: d.involvementId,
      shared_on: d.sharedOn ?? localDateOf(new Date()),
      what: d.what.slice(0, 2000),
      recipient: d.recipient.slice(0, 500),
      reason: d.reason.slice(0, 2000),
      basis: d.basis,
      source: d.source,
      consent_id: d.consentId ?? null,
      recorded_by: actor.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * The basis for sharing with the team now: consent when a current information-sharing consent is
 * in place, else the latest override of a withdrawn one; null when there is neither.
 */
export async function currentSharingBasis(trx: Trx, involvementId: string): Promise<{ basis: DisclosureBasis; consentId: string | null } | null> {
  const consent = await trx
    .selectFrom('consents')
    .select('id')
    .where('involvement_id', '=', involvementId)
    .where('purpose', '=', 'information-sharing')
    .where('withdrawn_on', 'is', null)
    .orderBy('given_on', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (consent) return { basis: 'consent', consentId: consent.id }
  const override = await trx
    .selectFrom('consent_overrides as o')
    .innerJoin('consents as c', 'c.id', 'o.consent_id')
    .select(['o.basis', 'o.consent_id'])
    .where('o.involvement_id', '=', involvementId)
    .where('c.purpose', '=', 'information-sharing')
    .orderBy('o.decided_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return override ? { basis: override.basis, consentId: override.consent_id } : null
}

/**
 * The basis a disclosure from the system rests on now: as `currentSharingBasis`; when nothing is
 * recorded here, the consent the family gave when their early help began (on the request for
 * support, or confirmed when a Lead Professional started a plan); and after sharing stopped with no
 * lawful basis recorded (only the Lead Professional and the authority's own staff still see the
 * family), the authority's public task.
 */
export async function teamSharingBasis(trx: Trx, involvementId: string, sharingStoppedAt: Date | null = null): Promise<{ basis: DisclosureBasis; consentId: string | null }> {
  return (await currentSharingBasis(trx, involvementId)) ?? { basis: sharingStoppedAt ? 'public-task' : 'consent', consentId: null }
}

/**
 * A plan downloaded as a PDF leaves the system: the sharing log records it, in the download's own
 * transaction (beside its one audit event), with whom the copy is for and the basis sharing rests
 * on now.
 */
export async function recordPlanDownload(
  trx: Trx,
  actor: Actor,
  involvement: { id: string; sharing_stopped_at: Date | null },
  planNumber: number,
  copyFor: string,
  sharedOn: string,
): Promise<void> {
  const [account, sharing] = await Promise.all([
    trx.selectFrom('accounts as a').leftJoin('organisations as o', 'o.id', 'a.organisation_id').select(['a.name', 'o.name as organisation']).where('a.id', '=', actor.accountId).executeTakeFirst(),
    teamSharingBasis(trx, involvement.id, involvement.sharing_stopped_at),
  ])
  const downloadedBy = [account?.name, account?.organisation].filter(Boolean).join(', ') || 'Unknown'
  await recordDisclosure(trx, actor, {
    involvementId: involvement.id,
    what: `Early Help Plan version ${planNumber} (PDF)`,
    recipient: `${downloadedBy}, for ${copyFor}`,
    reason: 'Downloaded from the service, to give to the family or the Team Around the Family',
    basis: sharing.basis,
    consentId: sharing.consentId,
    source: 'plan-downloaded',
    sharedOn,
  })
}
