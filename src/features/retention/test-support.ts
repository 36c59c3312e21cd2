import { randomUUID } from 'node:crypto'
import type { TestAccount, TestContext } from '../../test/context.ts'
import { openTestInvolvement } from '../../test/casework.ts'

/** Records for retention tests, written straight to the database at fixed dates. */

let counter = 0
const nextReference = (tenantId: string, kind: string) => `${tenantId.slice(0, 3).toUpperCase()}-${kind}-${Date.now() % 100000}-${++counter}`

/** A request decided (without early help unless one is opened from it) on `decidedAt`, with one child. */
export async function decidedRequest(ctx: TestContext, referrer: TestAccount, decidedAt: string, familyName = 'Requestfamily') {
  const at = new Date(decidedAt)
  const reference = nextReference(referrer.tenantId, 'R')
  const row = await ctx.db.system
    .insertInto('requests')
    .values({
      tenant_id: referrer.tenantId,
      reference,
      status: 'decided',
      route: 'practitioner',
      referrer_account_id: referrer.id,
      answers: JSON.stringify({ worries: `Worried about the ${familyName} children` }),
      submitted_at: at,
      decided_at: at,
      decided_by: referrer.id,
      outcome: 'universal-signposting',
      decided_level: 1,
      decision_reason: `Signposted the ${familyName} family`,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db.system
    .insertInto('request_people')
    .values({ tenant_id: referrer.tenantId, request_id: row.id, kind: 'child', given_name: 'Kit', family_name: familyName, date_of_birth: '2015-01-01' })
    .execute()
  return { id: row.id, reference }
}

export async function draftRequest(ctx: TestContext, referrer: TestAccount, createdAt: string) {
  const row = await ctx.db.system
    .insertInto('requests')
    .values({ tenant_id: referrer.tenantId, status: 'draft', route: 'practitioner', referrer_account_id: referrer.id, created_at: new Date(createdAt), updated_at: new Date(createdAt) })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db.system
    .insertInto('request_people')
    .values({ tenant_id: referrer.tenantId, request_id: row.id, kind: 'adult', given_name: 'Draft', family_name: 'Person' })
    .execute()
  return { id: row.id }
}

export async function consultation(ctx: TestContext, recorder: TestAccount, recordedAt: string) {
  const row = await ctx.db.system
    .insertInto('consultations')
    .values({
      tenant_id: recorder.tenantId,
      recorded_by: recorder.id,
      caller_name: 'A caller',
      family_named: false,
      concern: 'A concern',
      advice: 'Some advice',
      request_advised: false,
      recorded_at: new Date(recordedAt),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id }
}

/**
 * A family's early help opened on `openedAt` and closed on `closedAt` (or left open), with these
 * children, an adult, an agreed plan version, a chronology note and a disclosure.
 */
export async function closedFamily(
  ctx: TestContext,
  lead: TestAccount,
  options: { children: (string | null)[]; closedAt: string | null; openedAt?: string; level?: number; familyName?: string },
) {
  const familyName = options.familyName ?? `Fam${randomUUID().slice(0, 6)}`
  const openedAt = new Date(options.openedAt ?? '2019-01-07T10:00:00Z')
  const involvement = await openTestInvolvement(ctx, lead, {
    level: options.level ?? 2,
    now: openedAt,
    familyName,
    people: [
      ...options.children.map((dateOfBirth, i) => ({ kind: 'child' as const, givenName: `Child${i}`, familyName, dateOfBirth, relationship: 'Child' })),
      { kind: 'adult' as const, givenName: 'Parent', familyName, dateOfBirth: '1980-01-01', relationship: 'Mother' },
    ],
  })
  await ctx.db.system
    .insertInto('plan_versions')
    .values({
      tenant_id: lead.tenantId,
      involvement_id: involvement.id,
      number: 1,
      kind: 'initial',
      status: 'agreed',
      content: JSON.stringify({ needs: [{ what: `${familyName} needs help with school` }] }),
      consent_given: true,
      assessor_name: 'Assessor Name',
      family_signatory_name: `Parent ${familyName}`,
      created_by: lead.id,
      agreed_at: openedAt,
      agreed_by: lead.id,
    })
    .execute()
  const person = await ctx.db.system.selectFrom('involvement_people').select('id').where('involvement_id', '=', involvement.id).where('kind', '=', 'adult').executeTakeFirstOrThrow()
  await ctx.db.system
    .insertInto('disclosures')
    .values({ tenant_id: lead.tenantId, involvement_id: involvement.id, shared_on: '2019-02-01', what: `${familyName} plan`, recipient: 'School', reason: 'Sharing the plan', basis: 'consent', source: 'recorded-by-hand', recorded_by: lead.id })
    .execute()
  await ctx.db.system
    .insertInto('protected_details')
    .values({ tenant_id: lead.tenantId, involvement_id: involvement.id, person_id: person.id, kind: 'address', value: '1 Secret Street', hidden_from_organisations: [randomUUID()], reason: 'Domestic abuse', recorded_by: lead.id })
    .execute()
  if (options.closedAt) {
    const closedAt = new Date(options.closedAt)
    await ctx.db.system
      .updateTable('involvements')
      .set({
        status: 'closed',
        closed_at: closedAt,
        closed_by: lead.id,
        closure: JSON.stringify({ reason: 'needs-met', details: null, outcomesAchieved: ['school'], finalScores: { family: 8, team: 7 }, summary: `${familyName} did well`, requestedBy: lead.id, requestedAt: closedAt.toISOString() }),
      })
      .where('id', '=', involvement.id)
      .execute()
  }
  return { ...involvement, familyName }
}

/**
 * A message in the outbox, in the state given: final ones with the times they were queued and
 * (when sent) sent, queued and sending ones with the next attempt due.
 */
export async function outboxMessage(
  ctx: TestContext,
  tenantId: string,
  options: { eventKey?: string; status: 'queued' | 'sending' | 'sent' | 'sent-demonstration' | 'failed'; createdAt: string; sentAt?: string },
) {
  const id = randomUUID()
  const final = !['queued', 'sending'].includes(options.status)
  await ctx.db.system
    .insertInto('notifications')
    .values({
      id,
      tenant_id: tenantId,
      event_key: options.eventKey ?? `test:${id}:message`,
      channel: 'email',
      template: 'request-acknowledged',
      recipient: `someone-${id.slice(0, 8)}@example.org`,
      personalisation: JSON.stringify({ name: 'Pat Messagefamily', reference: 'X' }),
      reference: id,
      status: options.status,
      attempts: final ? 1 : 0,
      last_error: options.status === 'failed' ? 'GOV.UK Notify refused the address' : null,
      next_attempt_at: final ? null : new Date(options.createdAt),
      sent_at: options.sentAt ? new Date(options.sentAt) : null,
      created_at: new Date(options.createdAt),
    })
    .execute()
  return { id }
}
