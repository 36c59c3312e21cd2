import { randomUUID } from 'node:crypto'
import { openBreakGlass } from '../../features/break-glass/service.ts'
import { addService } from '../../features/directory/find/test-data.ts'
import { createPanelItem } from '../../features/panels/test-support.ts'
import { startNewVersion } from '../../features/plans/service.ts'
import { startRequest } from '../../features/requests/service.ts'
import type { Actor } from '../../platform/audit/audit.ts'
import type { Role } from '../../platform/db/schema.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import type { Agent, TestAccount, TestContext } from '../../test/context.ts'
import type { CaseFixture, Fixtures } from './matrix.ts'

/** Who makes each request: one account per role and scenario, so denials can be counted per account. */
export interface Person {
  account: TestAccount
  agent: Agent
}

export const actorOf = (account: TestAccount): Actor => ({ accountId: account.id, tenantId: account.tenantId, role: account.role, ip: null, requestId: null })

/** An open involvement led by `lead`, with a draft plan, an action, a meeting, a team member and a signpost. */
export async function caseFixture(ctx: TestContext, lead: TestAccount, member: TestAccount, serviceId: string): Promise<CaseFixture & { leadAccountId: string }> {
  const { id, reference } = await openTestInvolvement(ctx, lead)
  const now = new Date()
  const tenant_id = lead.tenantId
  // Version 1 agreed at the first meeting (inserted as agreeing would leave it), with its action;
  // version 2 a draft, started through the service as the Lead Professional would.
  const agreed = await ctx.db.system
    .insertInto('plan_versions')
    .values({ tenant_id, involvement_id: id, number: 1, kind: 'initial', status: 'agreed', content: '{}', consent_given: true, created_by: lead.id, agreed_at: now, agreed_by: lead.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const actionId = randomUUID()
  await ctx.db.system
    .insertInto('plan_actions')
    .values({ id: actionId, tenant_id, involvement_id: id, plan_version_id: agreed.id, what: 'Attend the parenting course', who: 'Dana', due_on: '2030-01-31' })
    .execute()
  const { number } = await startNewVersion(ctx.db, actorOf(lead), id, 'review', now)
  const plan = await ctx.db.system.selectFrom('plan_versions').select(['id', 'version']).where('involvement_id', '=', id).where('number', '=', number).executeTakeFirstOrThrow()
  const meeting = await ctx.db.system
    .insertInto('meetings')
    .values({ tenant_id, involvement_id: id, kind: 'review', scheduled_at: new Date(now.getTime() + 14 * 24 * 3600_000), invitees: '[]', created_by: lead.id, coordinator_account_id: lead.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const teamMember = await ctx.db.system
    .insertInto('team_members')
    .values({ tenant_id, involvement_id: id, kind: 'practitioner', account_id: member.id, name: 'Sam School-Nurse', organisation: 'Hilltop Primary', role: 'School nurse', contact: '01632 960 123', added_by: lead.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const signpostId = await addSignpost(ctx, tenant_id, { involvementId: id, serviceId, by: lead.id })
  const child = await ctx.db.system.selectFrom('involvement_people').select('id').where('involvement_id', '=', id).where('kind', '=', 'child').orderBy('position').executeTakeFirstOrThrow()
  const adult = await ctx.db.system.selectFrom('involvement_people').select('id').where('involvement_id', '=', id).where('kind', '=', 'adult').executeTakeFirstOrThrow()
  const consent = await ctx.db.system
    .insertInto('consents')
    .values({ tenant_id, involvement_id: id, for_person_id: child.id, given_by_person_id: child.id, purpose: 'information-sharing', agencies: ['Hilltop Primary'], how: 'written', given_on: '2026-11-01', recorded_by: lead.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const protection = await ctx.db.system
    .insertInto('protected_details')
    .values({ tenant_id, involvement_id: id, person_id: child.id, kind: 'address', value: '1 Safe Street, Chelmsford', hidden_from_people: [adult.id], reason: 'Not to be shared with the father', recorded_by: lead.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  return {
    id,
    reference,
    planNumber: number,
    planVersion: plan.version,
    actionId,
    meetingId: meeting.id,
    memberId: teamMember.id,
    signpostId,
    personId: child.id,
    consentId: consent.id,
    protectionId: protection.id,
    leadAccountId: lead.id,
  }
}

export async function addSignpost(ctx: TestContext, tenantId: string, input: { involvementId?: string; requestId?: string; serviceId: string; by: string }): Promise<string> {
  const row = await ctx.db.system
    .insertInto('signposts')
    .values({ tenant_id: tenantId, involvement_id: input.involvementId ?? null, request_id: input.requestId ?? null, service_id: input.serviceId, signposted_by: input.by })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A request as the journey and the front door would leave it, inserted directly, with its child. */
async function insertRequest(ctx: TestContext, tenantId: string, referrer: string, status: 'submitted' | 'decided', outcome?: 'universal-signposting'): Promise<{ id: string; personId: string }> {
  const request = await ctx.db.system
    .insertInto('requests')
    .values({
      tenant_id: tenantId,
      reference: `${tenantId.slice(0, 3).toUpperCase()}-M${randomUUID().slice(0, 8)}`,
      status,
      route: 'practitioner',
      referrer_account_id: referrer,
      answers: JSON.stringify({}),
      suggested_level: 1,
      suggestion: JSON.stringify({ level: 1, reasons: ['A test'] }),
      submitted_at: new Date(Date.now() - 24 * 3600_000),
      ...(status === 'decided' ? { decided_at: new Date(), outcome, decided_level: 1, decision_reason: 'A test' } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const person = await ctx.db.system
    .insertInto('request_people')
    .values({ tenant_id: tenantId, request_id: request.id, kind: 'child', given_name: 'Maisie', family_name: 'Testfamily', date_of_birth: '2017-03-02', details: '{}', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: request.id, personId: person.id }
}

/**
 * Everything one authority's addresses name. `people` are the authority's own accounts: the
 * practitioners whose relationships the scenarios need.
 */
export async function buildFixtures(
  ctx: TestContext,
  tenantId: string,
  people: { lead: TestAccount; closedLead: TestAccount; member: TestAccount; breakGlass: TestAccount; referrer: TestAccount; manager: TestAccount },
): Promise<{ open: Fixtures; closed: Fixtures }> {
  const provider = await ctx.newOrganisation(tenantId, { name: `Matrix provider ${randomUUID()}`, kind: 'voluntary' })
  const serviceId = await addService(ctx.db, tenantId, { name: `Matrix service ${tenantId}`, organization: { name: 'Matrix provider', organisationId: provider } })
  const open = await caseFixture(ctx, people.lead, people.member, serviceId)
  const closed = await caseFixture(ctx, people.closedLead, people.member, serviceId)
  await ctx.db.system.updateTable('involvements').set({ status: 'closed', closed_at: new Date(), closed_by: people.manager.id, closure: JSON.stringify({ reason: 'needs-met', details: 'Closed for the matrix' }) }).where('id', '=', closed.id).execute()

  const draftId = await startRequest(ctx.db, actorOf(people.referrer), null)
  const draftPerson = await ctx.db.system
    .insertInto('request_people')
    .values({ tenant_id: tenantId, request_id: draftId, kind: 'child', given_name: 'Maisie', family_name: 'Testfamily', date_of_birth: '2017-03-02', details: '{}', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()

  // An earlier request for the same child, so the submitted one has a match to decide.
  const panelOn = '2030-06-05'
  const earlier = await createPanelItem(ctx, tenantId, { panelOn, people: [{ kind: 'child', givenName: 'Maisie', familyName: 'Testfamily', dateOfBirth: '2017-03-02' }] })
  const earlierPerson = await ctx.db.system.selectFrom('request_people').select('id').where('request_id', '=', earlier.requestId).executeTakeFirstOrThrow()
  const submitted = await insertRequest(ctx, tenantId, people.referrer.id, 'submitted')
  const requestSignpost = await addSignpost(ctx, tenantId, { requestId: submitted.id, serviceId, by: people.manager.id })
  const universal = await insertRequest(ctx, tenantId, people.referrer.id, 'decided', 'universal-signposting')
  const call = await ctx.db.system
    .insertInto('keep_in_touch_calls')
    .values({ tenant_id: tenantId, request_id: universal.id, due_on: '2026-01-01', created_by: people.manager.id })
    .returning('id')
    .executeTakeFirstOrThrow()

  const opened = await openBreakGlass(ctx.db, actorOf(people.breakGlass), { reference: open.reference, reason: 'The school called about a safeguarding worry out of hours' })
  if (!opened.ok) throw new Error(`break-glass failed: ${JSON.stringify(opened.errors)}`)
  const grant = await ctx.db.system.selectFrom('break_glass_grants').select('id').where('account_id', '=', people.breakGlass.id).executeTakeFirstOrThrow()

  const hold = await ctx.db.system
    .insertInto('legal_holds')
    .values({ tenant_id: tenantId, record_type: 'involvement', record_id: open.id, reference: open.reference, reason: 'A court case', placed_by: people.manager.id })
    .returning('id')
    .executeTakeFirstOrThrow()

  const targetOrganisation = await ctx.newOrganisation(tenantId, { name: `Matrix target ${randomUUID()}` })
  const target = await ctx.newAccount(tenantId, 'practitioner', { organisationId: targetOrganisation })
  const common = {
    tenant: tenantId,
    draft: { id: draftId, personId: draftPerson.id },
    submitted: { ...submitted, matchedId: earlierPerson.id, signpostId: requestSignpost },
    universal: { id: universal.id, callId: call.id },
    accountId: target.id,
    organisationId: targetOrganisation,
    serviceId,
    grantId: grant.id,
    legalHoldId: hold.id,
    panel: { date: panelOn, itemId: earlier.itemId },
  }
  return { open: { ...common, case: open }, closed: { ...common, case: closed } }
}

export const ACCOUNT_ROLES: readonly Role[] = [
  'practitioner',
  'front_door_officer',
  'duty_manager',
  'early_help_advisor',
  'team_manager',
  'performance_analyst',
  'administrator',
  'service_provider',
]
