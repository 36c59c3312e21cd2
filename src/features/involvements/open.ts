import { assessmentDueOn, nextReviewOn, reviewCadenceFor } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import type { Framework } from '../../frameworks/schema.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Trx } from '../../platform/db/database.ts'
import type { InvolvementRoute } from '../../platform/db/schema.ts'
import { recordChronology } from '../chronology/record.ts'
import { requestRepository } from '../requests/repository.ts'

export interface FamilyMemberSeed {
  kind: 'child' | 'adult'
  givenName: string
  familyName: string
  dateOfBirth?: string | null
  relationship?: string | null
  ethnicity?: string | null
  requestPersonId?: string | null
  details?: Record<string, unknown>
}

export interface OpenInput {
  familyName: string
  level: number
  route: InvolvementRoute
  requestId?: string | null
  leadAccountId: string
  /** Why it opened, in words, for the chronology: "Decided at the front door: outcome 3". */
  summary: string
  people: FamilyMemberSeed[]
}

/** "SOU-EH-2026-00007": the authority, early help, the year and a number never handed out twice. */
async function involvementReference(trx: Trx, framework: Framework, now: Date): Promise<string> {
  const year = now.getUTCFullYear()
  const number = await requestRepository.nextNumber(trx, framework.id, `involvement-${year}`)
  return `${framework.shortName.slice(0, 3).toUpperCase()}-EH-${year}-${String(number).padStart(5, '0')}`
}

/** The account if it is an active practitioner of the actor's authority: only they can be Lead Professional or a team member with access. */
export async function activePractitioner(trx: Trx, where: { id?: string; email?: string }) {
  let query = trx
    .selectFrom('accounts')
    .innerJoin('organisations', 'organisations.id', 'accounts.organisation_id')
    .select(['accounts.id', 'accounts.name', 'accounts.email', 'accounts.phone', 'accounts.role', 'organisations.name as organisation', 'organisations.id as organisation_id', 'organisations.kind as organisation_kind'])
    .where('accounts.active', '=', true)
    .where('accounts.role', '=', 'practitioner')
  if (where.id) query = query.where('accounts.id', '=', where.id)
  else if (where.email) query = query.where('accounts.email', '=', where.email.trim().toLowerCase())
  else return undefined
  return query.executeTakeFirst()
}

/** The team a Lead Professional brings: their organisation when it is one of the council's own teams. */
export function allocatedTeamOf(lead: { organisation_id: string; organisation_kind: string }): string | null {
  return lead.organisation_kind === 'council' ? lead.organisation_id : null
}

/**
 * Opens an involvement inside the caller's transaction: the family's members, the Lead
 * Professional (also the first member of the Team Around the Family, with the family members),
 * the Family Story due date and the first review date from the authority's data, an opening
 * chronology entry and an audit event. Returns the new id and reference.
 */
export async function openInvolvement(trx: Trx, actor: Actor, input: OpenInput, now: Date): Promise<{ id: string; reference: string }> {
  const framework = frameworkById(actor.tenantId)
  if (!framework) throw new Error(`No framework for ${actor.tenantId}`)
  const lead = await activePractitioner(trx, { id: input.leadAccountId })
  if (!lead) throw new Error('The Lead Professional must be an active practitioner of the authority')
  const reference = await involvementReference(trx, framework, now)
  const today = localDateOf(now)
  const cadence = reviewCadenceFor(framework, input.level, input.route)
  const involvement = await trx
    .insertInto('involvements')
    .values({
      tenant_id: actor.tenantId,
      reference,
      family_name: input.familyName,
      level: input.level,
      route: input.route,
      request_id: input.requestId ?? null,
      lead_account_id: lead.id,
      allocated_team_id: allocatedTeamOf(lead),
      allocated_at: now,
      assessment_due_on: assessmentDueOn(framework, now) ?? null,
      next_review_on: cadence ? nextReviewOn(cadence, today) : null,
      review_cadence_id: cadence?.id ?? null,
      opened_by: actor.accountId,
      opened_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const id = involvement.id

  await trx
    .insertInto('lead_professionals')
    .values({ tenant_id: actor.tenantId, involvement_id: id, account_id: lead.id, started_at: now, reason: input.summary, recorded_by: actor.accountId })
    .execute()
  await joinTeamAsLead(trx, actor, id, lead, now)

  for (const [position, person] of input.people.entries()) {
    const row = await trx
      .insertInto('involvement_people')
      .values({
        tenant_id: actor.tenantId,
        involvement_id: id,
        kind: person.kind,
        given_name: person.givenName,
        family_name: person.familyName,
        date_of_birth: person.dateOfBirth ?? null,
        relationship: person.relationship ?? null,
        ethnicity: person.ethnicity ?? null,
        details: JSON.stringify(person.details ?? {}),
        request_person_id: person.requestPersonId ?? null,
        position,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await addFamilyToTeam(trx, actor, id, row.id, person, now)
  }

  await trx.insertInto('assessments').values({ tenant_id: actor.tenantId, involvement_id: id, due_on: assessmentDueOn(framework, now) ?? null }).execute()
  await recordChronology(trx, actor, id, { kind: 'opened', summary: `${input.summary}. Lead Professional: ${lead.name}.`, occurredAt: now, significant: true })
  await recordAudit(trx, auditBy(actor, { action: 'involvement-opened', recordType: 'involvement', recordId: id, detail: { reference, level: input.level, route: input.route } }))
  return { id, reference }
}

type Practitioner = NonNullable<Awaited<ReturnType<typeof activePractitioner>>>

/** The Lead Professional joins the Team Around the Family, with their contact details. */
export async function joinTeamAsLead(trx: Trx, actor: Actor, involvementId: string, lead: Practitioner, now: Date): Promise<void> {
  await trx
    .insertInto('team_members')
    .values({
      tenant_id: actor.tenantId,
      involvement_id: involvementId,
      kind: 'practitioner',
      account_id: lead.id,
      name: lead.name,
      organisation: lead.organisation,
      role: 'Lead Professional',
      contact: [lead.email, lead.phone].filter(Boolean).join(', '),
      joined_at: now,
      added_by: actor.accountId,
    })
    .execute()
}

/** A family member joins the Team Around the Family in their family role ("Mother", "Child"). */
export async function addFamilyToTeam(trx: Trx, actor: Actor, involvementId: string, personId: string, person: FamilyMemberSeed, now: Date): Promise<void> {
  await trx
    .insertInto('team_members')
    .values({
      tenant_id: actor.tenantId,
      involvement_id: involvementId,
      kind: 'family',
      involvement_person_id: personId,
      name: `${person.givenName} ${person.familyName}`,
      role: person.relationship || (person.kind === 'child' ? 'Child' : 'Family member'),
      joined_at: now,
      added_by: actor.accountId,
    })
    .execute()
}

/**
 * The family as a request for support describes it, ready to open an involvement: each child
 * ("Child"), each adult with their relationship to the first child, the family's name from the
 * first child, and each person linked back to their record in the request.
 */
export async function familyFromRequest(trx: Trx, requestId: string): Promise<{ familyName: string; people: FamilyMemberSeed[] }> {
  const rows = await trx.selectFrom('request_people').selectAll().where('request_id', '=', requestId).orderBy('kind', 'desc').orderBy('position').execute()
  const firstChild = rows.find((r) => r.kind === 'child')
  const people = rows.map((row): FamilyMemberSeed => {
    const details = row.details ?? {}
    const relationships = (details.relationships ?? {}) as Record<string, string>
    const relationship = row.kind === 'child' ? 'Child' : (firstChild && relationships[firstChild.id]) || 'Family member'
    return {
      kind: row.kind,
      givenName: row.given_name,
      familyName: row.family_name,
      dateOfBirth: row.date_of_birth,
      relationship,
      ethnicity: typeof details.ethnicity === 'string' ? details.ethnicity : null,
      requestPersonId: row.id,
    }
  })
  return { familyName: firstChild?.family_name || rows[0]?.family_name || 'Unnamed', people }
}
