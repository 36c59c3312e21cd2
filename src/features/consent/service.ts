import { sql } from 'kysely'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import type { InvolvementTable } from '../../platform/db/schema.ts'
import type { Selectable } from 'kysely'
import { ReadOnlyError } from '../../platform/http/errors.ts'
import { recordChronology } from '../chronology/record.ts'
import { allows, CASEWORK_ROLES, withInvolvement } from '../involvements/access.ts'
import { closureNeedsSignOff, type Closure } from '../transitions/rules.ts'
import { DISCLOSURE_BASES, recordDisclosure, type OverrideBasis } from '../sharing/record.ts'
import { agencyList, type ConsentForm, type OverrideForm, type WithdrawForm } from './forms.ts'
import { CONSENT_CLOSURE_DETAIL, CONSENT_PURPOSES } from './rules.ts'

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

const STALE = 'Someone else changed this consent while you were working. Check it again.'

function requireCasework(actor: Actor): void {
  if (!CASEWORK_ROLES.includes(actor.role)) throw new NotFoundError()
}

function people(trx: Trx, involvementId: string) {
  return trx.selectFrom('involvement_people').select(['id', 'kind', 'given_name', 'family_name', 'date_of_birth', 'relationship']).where('involvement_id', '=', involvementId).orderBy('kind', 'desc').orderBy('position').execute()
}

function consentRows(trx: Trx, involvementId: string) {
  return trx
    .selectFrom('consents as c')
    .innerJoin('accounts as r', 'r.id', 'c.recorded_by')
    .leftJoin('accounts as w', 'w.id', 'c.withdrawal_recorded_by')
    .selectAll('c')
    .select(['r.name as recorded_by_name', 'w.name as withdrawal_recorded_by_name'])
    .where('c.involvement_id', '=', involvementId)
    .orderBy('c.given_on', 'desc')
    .orderBy('c.recorded_at', 'desc')
    .execute()
}

/** The family's consent: per person and purpose, current and withdrawn, with any lawful basis recorded to go on. */
export async function consentPage(db: Database, actor: Actor, involvementId: string) {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'view', async (trx, { involvement, relation }) => {
    const [family, consents, overrides] = await Promise.all([
      people(trx, involvementId),
      consentRows(trx, involvementId),
      trx
        .selectFrom('consent_overrides as o')
        .innerJoin('accounts as a', 'a.id', 'o.decided_by')
        .select(['o.id', 'o.consent_id', 'o.basis', 'o.reason', 'o.decided_at', 'a.name as decided_by_name'])
        .where('o.involvement_id', '=', involvementId)
        .orderBy('o.decided_at')
        .execute(),
    ])
    await recordAudit(trx, auditBy(actor, { action: 'consent-viewed', recordType: 'involvement', recordId: involvementId }))
    return { involvement, relation, people: family, consents, overrides, can: { contribute: allows(relation, 'contribute'), manage: allows(relation, 'manage') } }
  })
}

/** The form to record consent: the family's people, with the contribute need checked. */
export async function consentFormContext(db: Database, actor: Actor, involvementId: string) {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'contribute', async (trx, { involvement }) => {
    const family = await people(trx, involvementId)
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { form: 'consent' } }))
    return { involvement, people: family }
  })
}

/**
 * Records one person's consent. A young person may give their own; otherwise an adult of the
 * family gives it for them (a child never gives consent for someone else). New consent to share
 * information restores sharing that had stopped.
 */
export async function recordConsent(db: Database, actor: Actor, involvementId: string, form: ConsentForm, givenOn: string, now: Date): Promise<Result<string>> {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'contribute', async (trx, { involvement }) => {
    const family = await people(trx, involvementId)
    const forPerson = family.find((p) => p.id === form.forPerson)
    const givenBy = family.find((p) => p.id === form.givenBy)
    const errors: Record<string, string> = {}
    if (!forPerson) errors.forPerson = 'Select whose consent this is'
    if (!givenBy) errors.givenBy = 'Select who gave consent'
    else if (givenBy.kind === 'child' && givenBy.id !== form.forPerson) errors.givenBy = 'A child can give consent only for themselves. Select the parent or carer who gave it.'
    if (!forPerson || !givenBy || errors.givenBy) return { ok: false, errors }
    const row = await trx
      .insertInto('consents')
      .values({
        tenant_id: actor.tenantId,
        involvement_id: involvementId,
        for_person_id: forPerson.id,
        given_by_person_id: givenBy.id,
        purpose: form.purpose,
        agencies: form.purpose === 'information-sharing' ? agencyList(form.agencies) : [],
        how: form.how,
        given_on: givenOn,
        recorded_by: actor.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (form.purpose === 'information-sharing' && involvement.sharing_stopped_at) {
      await trx.updateTable('involvements').set({ sharing_stopped_at: null, updated_at: now }).where('id', '=', involvementId).execute()
    }
    await recordChronology(trx, actor, involvementId, {
      kind: 'decision',
      summary: `${givenBy.given_name} ${givenBy.family_name} gave consent${givenBy.id === forPerson.id ? '' : ` for ${forPerson.given_name} ${forPerson.family_name}`}: ${CONSENT_PURPOSES[form.purpose].toLowerCase()}.`,
      occurredAt: now,
    })
    await recordAudit(trx, auditBy(actor, { action: 'consent-recorded', recordType: 'involvement', recordId: involvementId, detail: { consent: row.id, purpose: form.purpose } }))
    return { ok: true, value: row.id }
  })
}

async function consentOf(trx: Trx, involvementId: string, consentId: string) {
  const consent = await trx
    .selectFrom('consents as c')
    .innerJoin('involvement_people as f', 'f.id', 'c.for_person_id')
    .innerJoin('involvement_people as g', 'g.id', 'c.given_by_person_id')
    .selectAll('c')
    .select(['f.given_name as for_given_name', 'f.family_name as for_family_name', 'g.given_name as by_given_name', 'g.family_name as by_family_name'])
    .where('c.id', '=', consentId)
    .where('c.involvement_id', '=', involvementId)
    .executeTakeFirst()
  if (!consent) throw new NotFoundError()
  return consent
}

/** The withdrawal form: the consent, with the manage need checked. */
export async function withdrawContext(db: Database, actor: Actor, involvementId: string, consentId: string) {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const consent = await consentOf(trx, involvementId, consentId)
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { form: 'consent-withdrawal', consent: consentId } }))
    return { involvement, consent }
  })
}

/** Those the family's record is shared with through the team: practitioners with accounts other than the Lead Professional. */
async function sharedWith(trx: Trx, involvement: Selectable<InvolvementTable>): Promise<string> {
  const members = await trx
    .selectFrom('team_members')
    .select(['name', 'organisation'])
    .where('involvement_id', '=', involvement.id)
    .where('left_at', 'is', null)
    .where('account_id', 'is not', null)
    .where('account_id', '<>', involvement.lead_account_id)
    .orderBy('joined_at')
    .execute()
  const names = members.map((m) => [m.name, m.organisation].filter(Boolean).join(' (') + (m.organisation ? ')' : ''))
  return names.length ? `The Team Around the Family: ${names.join(', ')}`.slice(0, 500) : 'The Team Around the Family'
}

async function recordOverride(trx: Trx, actor: Actor, involvement: Selectable<InvolvementTable>, consent: { id: string; purpose: string }, basis: OverrideBasis, reason: string) {
  const row = await trx
    .insertInto('consent_overrides')
    .values({ tenant_id: actor.tenantId, involvement_id: involvement.id, consent_id: consent.id, basis, reason, decided_by: actor.accountId })
    .returning('id')
    .executeTakeFirstOrThrow()
  await recordDisclosure(trx, actor, {
    involvementId: involvement.id,
    what: consent.purpose === 'information-sharing' ? 'The family’s record, shared without consent after it was withdrawn' : 'The family’s record, kept open without consent to early help',
    recipient: await sharedWith(trx, involvement),
    reason,
    basis,
    consentId: consent.id,
    source: 'recorded-by-hand',
  })
  return row.id
}

/**
 * Withdraws consent and does what the withdrawal means, in one transaction:
 * - information sharing, `stop-sharing`: partner practitioners and the referrer lose access now,
 *   and no one can be added to the team;
 * - early help, `close`: the involvement closes ("The family withdrew their consent"); at level 3
 *   and above a Lead Professional's closure waits for a manager's sign-off, as any closure does,
 *   and a team manager's closes at once (their decision is the sign-off);
 * - `override`: a lawful basis and reason are recorded, and the sharing log shows the sharing that
 *   goes on without consent.
 */
export async function withdrawConsent(db: Database, actor: Actor, involvementId: string, consentId: string, form: WithdrawForm, withdrawnOn: string, now: Date): Promise<Result<'stop-sharing' | 'closed' | 'closing' | 'override'>> {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }): Promise<Result<'stop-sharing' | 'closed' | 'closing' | 'override'>> => {
    const consent = await consentOf(trx, involvementId, consentId)
    if (consent.withdrawn_on) return { ok: false, errors: { effect: `This consent was already withdrawn on ${consent.withdrawn_on}.` } }
    if (consent.version !== form.version) return { ok: false, errors: { effect: STALE } }
    const errors: Record<string, string> = {}
    if (withdrawnOn < consent.given_on) errors.date = 'The date consent was withdrawn must be on or after the day it was given'
    if (consent.purpose === 'information-sharing' && form.effect === 'close') errors.effect = 'Select whether to stop sharing or continue under a lawful basis'
    if (consent.purpose === 'early-help' && form.effect === 'stop-sharing') errors.effect = 'Select whether to close the family’s early help or continue under a lawful basis'
    if (form.effect === 'close' && involvement.status !== 'open') errors.effect = 'The family’s early help is already waiting for a manager to sign off its closure'
    if (Object.keys(errors).length) return { ok: false, errors }

    const updated = await trx
      .updateTable('consents')
      .set({ withdrawn_on: withdrawnOn, withdrawal_recorded_by: actor.accountId, withdrawal_recorded_at: now, withdrawal_note: form.note ?? null, withdrawal_effect: form.effect, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', consentId)
      .where('version', '=', form.version)
      .where('withdrawn_on', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { effect: STALE } }
    const whose = `${consent.by_given_name} ${consent.by_family_name} withdrew consent${consent.given_by_person_id === consent.for_person_id ? '' : ` for ${consent.for_given_name} ${consent.for_family_name}`}`
    const what = CONSENT_PURPOSES[consent.purpose].toLowerCase()
    let outcome: 'stop-sharing' | 'closed' | 'closing' | 'override' = 'override'
    let overrideId: string | undefined
    let summary: string
    await trx
      .updateTable('involvements')
      .set({ consent_withdrawn_on: sql<string>`greatest(consent_withdrawn_on, ${withdrawnOn}::date)`, updated_at: now })
      .where('id', '=', involvementId)
      .execute()
    if (form.effect === 'stop-sharing') {
      outcome = 'stop-sharing'
      await trx.updateTable('involvements').set({ sharing_stopped_at: now }).where('id', '=', involvementId).where('sharing_stopped_at', 'is', null).execute()
      summary = `${whose}: ${what}. Sharing stopped: partner practitioners and the referrer no longer see the family.`
    } else if (form.effect === 'close') {
      const signOff = closureNeedsSignOff(involvement.level) && actor.role !== 'team_manager'
      outcome = signOff ? 'closing' : 'closed'
      const latest = await trx
        .selectFrom('plan_versions')
        .select(['family_score', 'team_score'])
        .where('involvement_id', '=', involvementId)
        .where('status', '=', 'agreed')
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst()
      const closure = {
        reason: 'consent-withdrawn',
        details: CONSENT_CLOSURE_DETAIL,
        outcomesAchieved: [],
        finalScores: { family: latest?.family_score ?? null, team: latest?.team_score ?? null },
        summary: form.note ?? `${whose}: ${what}.`,
        requestedBy: actor.accountId,
        requestedAt: now.toISOString(),
      } as unknown as Closure
      const closed = await trx
        .updateTable('involvements')
        .set(
          signOff
            ? { status: 'closing', closure: JSON.stringify(closure), version: (eb) => eb('version', '+', 1), updated_at: now }
            : { status: 'closed', closure: JSON.stringify(closure), closed_at: now, closed_by: actor.accountId, version: (eb) => eb('version', '+', 1), updated_at: now },
        )
        .where('id', '=', involvementId)
        .where('version', '=', involvement.version)
        .where('status', '=', 'open')
        .returning('id')
        .executeTakeFirst()
      // Rolls the withdrawal back with the closure: a 409 page with the way back to the consent page.
      if (!closed) throw new ReadOnlyError(`/involvements/${involvementId}/consent`, 'Someone else changed this family’s early help while you were working. Nothing was saved: check the consent and try again.')
      summary = signOff ? `${whose}: ${what}. Closure asked for, waiting for a manager’s sign-off.` : `${whose}: ${what}. Early help closed.`
    } else {
      overrideId = await recordOverride(trx, actor, involvement, consent, form.basis as OverrideBasis, form.reason as string)
      summary = `${whose}: ${what}. Continued under a lawful basis: ${DISCLOSURE_BASES[form.basis as OverrideBasis]}.`
    }
    await recordChronology(trx, actor, involvementId, { kind: form.effect === 'close' ? 'closure' : 'decision', summary, detail: form.effect === 'override' ? (form.reason ?? null) : (form.note ?? null), significant: true, occurredAt: now })
    await recordAudit(
      trx,
      auditBy(actor, { action: 'consent-withdrawn', recordType: 'involvement', recordId: involvementId, detail: { consent: consentId, purpose: consent.purpose, effect: form.effect, outcome, ...(overrideId ? { override: overrideId, basis: form.basis } : {}) } }),
    )
    return { ok: true, value: outcome }
  })
}

/** The override form: a withdrawn information-sharing consent whose sharing stopped. */
/** Only a withdrawn consent to share, with sharing stopped, can be overridden: anything else is a 409 page saying so. */
function nothingToOverride(involvementId: string): ReadOnlyError {
  return new ReadOnlyError(`/involvements/${involvementId}/consent`, 'There is nothing to override: this consent to share has not been withdrawn, or sharing has already restarted')
}

export async function overrideContext(db: Database, actor: Actor, involvementId: string, consentId: string) {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const consent = await consentOf(trx, involvementId, consentId)
    if (consent.purpose !== 'information-sharing' || !consent.withdrawn_on || !involvement.sharing_stopped_at) throw nothingToOverride(involvementId)
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { form: 'consent-override', consent: consentId } }))
    return { involvement, consent }
  })
}

/** After sharing stopped, records a lawful basis to continue: the team and the referrer see the family again. */
export async function overrideWithdrawal(db: Database, actor: Actor, involvementId: string, consentId: string, form: OverrideForm, now: Date): Promise<Result<string>> {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const consent = await consentOf(trx, involvementId, consentId)
    if (consent.purpose !== 'information-sharing' || !consent.withdrawn_on) throw nothingToOverride(involvementId)
    if (!involvement.sharing_stopped_at) return { ok: false, errors: { basis: 'Sharing has already restarted for this family.' } }
    const id = await recordOverride(trx, actor, involvement, consent, form.basis as OverrideBasis, form.reason as string)
    await trx.updateTable('involvements').set({ sharing_stopped_at: null, updated_at: now }).where('id', '=', involvementId).execute()
    await recordChronology(trx, actor, involvementId, {
      kind: 'decision',
      summary: `Sharing restarted without consent, under a lawful basis: ${DISCLOSURE_BASES[form.basis as OverrideBasis]}.`,
      detail: form.reason ?? null,
      significant: true,
      occurredAt: now,
    })
    await recordAudit(trx, auditBy(actor, { action: 'consent-override-recorded', recordType: 'involvement', recordId: involvementId, detail: { consent: consentId, override: id, basis: form.basis } }))
    return { ok: true, value: id }
  })
}
