import { dueState } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { recordChronology } from '../chronology/record.ts'
import { signpostsForInvolvement } from '../signposting/service.ts'
import { protectionsForViewer } from '../protected-details/service.ts'
import { recordDisclosure, teamSharingBasis } from '../sharing/record.ts'
import { SHARING_STOPPED } from '../consent/rules.ts'
import { CASEWORK_ROLES, withInvolvement, allows, permits } from './access.ts'
import type { DirectStartForm, FamilyMemberForm, HandoverForm, TeamMemberForm } from './forms.ts'
import { handOverLead } from './lead.ts'
import { activePractitioner, addFamilyToTeam, openInvolvement } from './open.ts'
import { involvementRepository as repo, type ListFilter } from './repository.ts'

function requireCasework(actor: Actor): void {
  if (!CASEWORK_ROLES.includes(actor.role)) throw new NotFoundError()
}

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

/**
 * The families someone works with, paginated, with what is due next: a practitioner's are those
 * they lead or are on the team of; a manager, Early Help Advisor or the front door sees every open
 * involvement of the authority, and can narrow to overdue reviews and actions.
 */
export async function listInvolvements(db: Database, actor: Actor, filter: ListFilter, page: number, now: Date) {
  requireCasework(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const today = localDateOf(now)
    const scope = actor.role === 'practitioner' ? { accountId: actor.accountId } : {}
    const result = await repo.list(trx, scope, filter, today, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: filter.overdue ? 'oversight-viewed' : 'involvement-list-viewed', recordType: 'involvement', detail: { page, shown: result.rows.length, ...filter } }))
    return {
      total: result.total,
      rows: result.rows.map((row) => ({
        ...row,
        reviewState: dueState(row.next_review_on, today),
        assessmentState: row.assessment_status === 'completed' ? ('not-due' as const) : dueState(row.assessment_due_on, today),
        isLead: row.lead_account_id === actor.accountId,
      })),
    }
  })
}

/** How many closures wait for a manager's sign-off: a number, not a list, so no audit event. */
export async function closuresAwaitingSignOff(db: Database, actor: Actor): Promise<number> {
  if (actor.role !== 'team_manager') throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx) => {
    const row = await trx.selectFrom('involvements').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'closing').executeTakeFirstOrThrow()
    return Number(row.n)
  })
}

/** A practitioner starts a level 2 Early Help Plan with a family without a request, and leads it; it is registered with the authority. */
export async function startDirect(db: Database, actor: Actor, form: DirectStartForm, dates: { child: string; adult: string | null }, now: Date) {
  if (actor.role !== 'practitioner') throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx) => {
    const people = [
      { kind: 'child' as const, givenName: form.childGivenName, familyName: form.childFamilyName, dateOfBirth: dates.child, relationship: 'Child' },
      ...(form.adultGivenName && form.adultFamilyName
        ? [{ kind: 'adult' as const, givenName: form.adultGivenName, familyName: form.adultFamilyName, dateOfBirth: dates.adult, relationship: form.adultRelationship ?? 'Parent or carer' }]
        : []),
    ]
    return openInvolvement(
      trx,
      actor,
      { familyName: form.familyName, level: 2, route: 'direct', leadAccountId: actor.accountId, summary: 'Early Help Plan started by the Lead Professional without a request for support, and registered with the authority', people },
      now,
    )
  })
}

/** Everything the family's page shows, in a handful of queries, and one audit event. */
export async function overview(db: Database, actor: Actor, id: string, now: Date) {
  requireCasework(actor)
  return withInvolvement(db, actor, id, 'view', async (trx, { involvement, relation, breakGlassUntil }) => {
    const today = localDateOf(now)
    const [people, team, leads, assessment, versions, actions, meetings, chronology, levels, request, signposts, allocatedTeam, protections] = await Promise.all([
      repo.people(trx, id),
      repo.team(trx, id),
      repo.leads(trx, id),
      trx.selectFrom('assessments').select(['status', 'due_on', 'completed_at']).where('involvement_id', '=', id).executeTakeFirst(),
      repo.planVersions(trx, id),
      repo.openActions(trx, id),
      repo.upcomingMeetings(trx, id),
      repo.recentChronology(trx, id, 5),
      repo.levelChanges(trx, id),
      involvement.request_id ? trx.selectFrom('requests').select(['id', 'reference']).where('id', '=', involvement.request_id).executeTakeFirst() : undefined,
      signpostsForInvolvement(trx, id),
      involvement.allocated_team_id ? trx.selectFrom('organisations').select('name').where('id', '=', involvement.allocated_team_id).executeTakeFirst() : undefined,
      protectionsForViewer(trx, actor, id),
    ])
    const closure = involvement.closure as { requestedBy?: string; signedOffBy?: string } | null
    const closureIds = [closure?.requestedBy, closure?.signedOffBy].filter((v): v is string => !!v)
    const closureNames = closureIds.length ? await trx.selectFrom('accounts').select(['id', 'name']).where('id', 'in', closureIds).execute() : []
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: id }))
    const lead = leads.find((l) => !l.ended_at)
    return {
      involvement,
      relation,
      can: { manage: allows(relation, 'manage'), contribute: allows(relation, 'contribute'), signOff: allows(relation, 'sign-off'), oversee: permits(actor, relation, 'oversee') },
      breakGlassUntil,
      allocatedTeam: allocatedTeam?.name ?? null,
      open: involvement.status !== 'closed',
      people,
      team: team.filter((m) => !m.left_at),
      formerTeam: team.filter((m) => m.left_at),
      lead,
      leads,
      assessment: assessment ? { ...assessment, state: assessment.status === 'completed' ? ('not-due' as const) : dueState(assessment.due_on, today) } : undefined,
      reviewState: dueState(involvement.next_review_on, today),
      versions,
      scores: versions.filter((v) => v.status === 'agreed' && (v.family_score !== null || v.team_score !== null)),
      actions: actions.map((a) => ({ ...a, overdue: a.due_on < today })),
      meetings,
      chronology,
      levels,
      request,
      signposts,
      protectedDetails: people.flatMap((p) => protections.byPerson(p.id).map((d) => ({ ...d, personName: `${p.given_name} ${p.family_name}` }))),
      requestedByName: closureNames.find((a) => a.id === closure?.requestedBy)?.name,
      signedOffByName: closureNames.find((a) => a.id === closure?.signedOffBy)?.name,
    }
  })
}

/** Adds a practitioner (with an account: they gain access; or by name: they do not) to the Team Around the Family. */
export async function addTeamMember(db: Database, actor: Actor, id: string, form: TeamMemberForm, now: Date): Promise<Result> {
  return withInvolvement(db, actor, id, 'manage', async (trx, { involvement }) => {
    if (involvement.sharing_stopped_at) return { ok: false, errors: { email: SHARING_STOPPED } }
    let member: { account_id: string | null; name: string; organisation: string | null; contact: string | null }
    if (form.email) {
      const account = await activePractitioner(trx, { email: form.email })
      if (!account) return { ok: false, errors: { email: `There is no practitioner with the email address ${form.email} here. Check it, or add them by name below.` } }
      const already = await trx.selectFrom('team_members').select('id').where('involvement_id', '=', id).where('account_id', '=', account.id).where('left_at', 'is', null).executeTakeFirst()
      if (already) return { ok: false, errors: { email: `${account.name} is already in the Team Around the Family` } }
      member = { account_id: account.id, name: account.name, organisation: account.organisation, contact: [account.email, account.phone].filter(Boolean).join(', ') }
    } else {
      member = { account_id: null, name: form.name ?? '', organisation: form.organisation ?? null, contact: form.contact ?? null }
    }
    const row = await trx
      .insertInto('team_members')
      .values({ tenant_id: actor.tenantId, involvement_id: involvement.id, kind: 'practitioner', ...member, role: form.role, joined_at: now, added_by: actor.accountId })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordChronology(trx, actor, id, { kind: 'team', summary: `${member.name} (${form.role}) joined the Team Around the Family.`, occurredAt: now })
    if (member.account_id) {
      const sharing = await teamSharingBasis(trx, id)
      await recordDisclosure(trx, actor, {
        involvementId: id,
        what: 'Access to the family’s record',
        recipient: [member.name, member.organisation].filter(Boolean).join(', '),
        reason: `Joined the Team Around the Family as ${form.role}`,
        basis: sharing.basis,
        consentId: sharing.consentId,
        source: 'team-member-added',
        sharedOn: localDateOf(now),
      })
    }
    await recordAudit(trx, auditBy(actor, { action: 'team-member-added', recordType: 'involvement', recordId: id, detail: { member: row.id, account: member.account_id } }))
    return { ok: true, value: undefined }
  })
}

/** Someone leaves the team: from that moment a practitioner among them no longer sees the family. The Lead Professional is handed over, not removed. */
export async function removeTeamMember(db: Database, actor: Actor, id: string, memberId: string, reason: string, now: Date): Promise<Result> {
  return withInvolvement(db, actor, id, 'manage', async (trx, { involvement }) => {
    const member = await trx.selectFrom('team_members').selectAll().where('id', '=', memberId).where('involvement_id', '=', id).where('left_at', 'is', null).executeTakeFirst()
    if (!member) throw new NotFoundError()
    if (member.account_id && member.account_id === involvement.lead_account_id) {
      return { ok: false, errors: { reason: 'The Lead Professional cannot leave the team. Hand the role over to someone else first.' } }
    }
    await trx.updateTable('team_members').set({ left_at: now, removed_by: actor.accountId, left_reason: reason }).where('id', '=', memberId).execute()
    await recordChronology(trx, actor, id, { kind: 'team', summary: `${member.name} left the Team Around the Family. ${reason}`, occurredAt: now })
    await recordAudit(trx, auditBy(actor, { action: 'team-member-removed', recordType: 'involvement', recordId: id, detail: { member: memberId, account: member.account_id } }))
    return { ok: true, value: undefined }
  })
}

export async function handOver(db: Database, actor: Actor, id: string, form: HandoverForm, now: Date): Promise<Result> {
  return withInvolvement(db, actor, id, 'manage', async (trx, { involvement }) => {
    if (involvement.version !== form.version) return { ok: false, errors: { email: 'Someone else changed this family’s early help while you were working. Check the Lead Professional again.' } }
    const lead = await activePractitioner(trx, { email: form.email })
    if (!lead) return { ok: false, errors: { email: `There is no practitioner with the email address ${form.email} here. Check the address.` } }
    if (lead.id === involvement.lead_account_id) return { ok: false, errors: { email: `${lead.name} is already the Lead Professional` } }
    await handOverLead(trx, actor, involvement, lead.id, form.reason, now)
    return { ok: true, value: undefined }
  })
}

export async function addFamilyMember(db: Database, actor: Actor, id: string, form: FamilyMemberForm, dateOfBirth: string | null, now: Date): Promise<void> {
  await withInvolvement(db, actor, id, 'manage', async (trx, { involvement }) => {
    const position = (await repo.people(trx, id)).length
    const person = { kind: form.kind, givenName: form.givenName, familyName: form.familyName, dateOfBirth, relationship: form.relationship, ethnicity: form.ethnicity ?? null }
    const row = await trx
      .insertInto('involvement_people')
      .values({
        tenant_id: actor.tenantId,
        involvement_id: involvement.id,
        kind: person.kind,
        given_name: person.givenName,
        family_name: person.familyName,
        date_of_birth: dateOfBirth,
        relationship: person.relationship,
        ethnicity: person.ethnicity,
        position,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await addFamilyToTeam(trx, actor, id, row.id, person, now)
    await recordChronology(trx, actor, id, { kind: 'team', summary: `${person.givenName} ${person.familyName} (${person.relationship}) added to the family.`, occurredAt: now })
    await recordAudit(trx, auditBy(actor, { action: 'family-member-added', recordType: 'involvement', recordId: id, detail: { person: row.id } }))
  })
}

/** The page of a form on an involvement: the involvement (checked for the need) and its team. */
export async function formContext(db: Database, actor: Actor, id: string) {
  return withInvolvement(db, actor, id, 'manage', async (trx, { involvement }) => {
    const team = (await repo.team(trx, id)).filter((m) => !m.left_at)
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: id, detail: { form: true } }))
    return { involvement, team }
  })
}
