import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import type { Actor } from '../../platform/audit/audit.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { text } from '../../test/html.ts'
import { FINAL_NOTIFICATION } from './repository.ts'
import { liftHold, placeHold, runReportNow } from './service.ts'
import { runRetentionSweep } from './sweep.ts'
import { closedFamily, decidedRequest, outboxMessage } from './test-support.ts'

/**
 * The notification outbox under the retention schedule (90 days after a message became final, in
 * both authorities' frameworks): what a report lists, what the sweep deletes after the grace
 * period and the audit event for each, messages about held records, the database's own refusal to
 * delete those, and the index the sweep reads through.
 */

let ctx: TestContext
let lead: TestAccount
let admin: TestAccount
let adminActor: Actor
let adminAgent: Agent

// Due: became final on or before 17 March 2033 (90 days before 15 June).
const DAY_0 = new Date('2033-06-15T01:30:00Z')
const DAY_7 = new Date('2033-06-22T01:30:00Z')

const messages: Record<string, { id: string }> = {}
let request: { id: string; reference: string }
let heldRequest: { id: string; reference: string }
let heldFamily: { id: string; reference: string }
let heldFamilyRequest: { id: string; reference: string }

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('essex', 'practitioner')
  admin = await ctx.newAccount('essex', 'administrator')
  adminActor = { accountId: admin.id, tenantId: 'essex', role: 'administrator', ip: null, requestId: null }
  adminAgent = await ctx.signIn(admin)

  // Records the messages are about, none of them due themselves.
  request = await decidedRequest(ctx, lead, '2033-01-10T12:00:00Z')
  heldRequest = await decidedRequest(ctx, lead, '2033-01-11T12:00:00Z')
  heldFamilyRequest = await decidedRequest(ctx, lead, '2033-01-12T12:00:00Z')
  heldFamily = await closedFamily(ctx, lead, { children: ['2020-01-01'], closedAt: null })
  await ctx.db.system.updateTable('involvements').set({ request_id: heldFamilyRequest.id }).where('id', '=', heldFamily.id).execute()
  for (const reference of [heldRequest.reference, heldFamily.reference]) assert.ok((await placeHold(ctx.db, adminActor, { reference, reason: 'A complaint to the Ombudsman' })).ok)

  const essex = (options: Parameters<typeof outboxMessage>[2]) => outboxMessage(ctx, 'essex', options)
  messages.sentDue = await essex({ eventKey: `request:${request.id}:acknowledged:referrer`, status: 'sent', createdAt: '2033-03-01T09:00:00Z', sentAt: '2033-03-01T09:01:00Z' })
  messages.demonstrationDue = await essex({ eventKey: `account:${lead.id}:password-changed:2033-01-01T10:00:00.000Z`, status: 'sent-demonstration', createdAt: '2033-01-01T10:00:00Z', sentAt: '2033-01-01T10:00:05Z' })
  // Failed, never sent: counted from when it was queued. 17 March is the last day that is due.
  messages.failedDue = await essex({ status: 'failed', createdAt: '2033-03-17T23:30:00Z' })
  // 18 March in the UK (British Summer Time does not start until 27 March: this is 00:30 GMT).
  messages.failedNotYet = await essex({ status: 'failed', createdAt: '2033-03-18T00:30:00Z' })
  messages.sentNotYet = await essex({ status: 'sent', createdAt: '2033-05-01T09:00:00Z', sentAt: '2033-05-01T09:00:00Z' })
  // Queued long ago but sent recently: counted from when it was sent.
  messages.sentLate = await essex({ status: 'sent', createdAt: '2033-01-01T09:00:00Z', sentAt: '2033-06-01T09:00:00Z' })
  messages.queuedOld = await essex({ status: 'queued', createdAt: '2020-01-01T09:00:00Z' })
  messages.sendingOld = await essex({ status: 'sending', createdAt: '2020-01-01T09:00:00Z' })
  // About held records: the request itself, the family, and the request the held family came from.
  messages.heldRequest = await essex({ eventKey: `request:${heldRequest.id}:decided:referrer`, status: 'sent', createdAt: '2033-01-01T09:00:00Z', sentAt: '2033-01-01T09:00:00Z' })
  messages.heldFamily = await essex({ eventKey: `involvement:${heldFamily.id}:team-added:someone`, status: 'sent', createdAt: '2033-01-01T09:00:00Z', sentAt: '2033-01-01T09:00:00Z' })
  messages.heldFamilyRequest = await essex({ eventKey: `request:${heldFamilyRequest.id}:acknowledged:referrer`, status: 'failed', createdAt: '2033-01-01T09:00:00Z' })
  // Another authority's: never in this one's report.
  messages.southend = await outboxMessage(ctx, 'southend', { status: 'sent', createdAt: '2033-06-10T09:00:00Z', sentAt: '2033-06-10T09:00:00Z' })
})
after(() => ctx.close())

const keysOf = (ids: Iterable<string>) => {
  const set = new Set(ids)
  return Object.entries(messages)
    .filter(([, m]) => set.has(m.id))
    .map(([key]) => key)
    .sort()
}

async function stillThere() {
  const rows = await ctx.db.system.selectFrom('notifications').select('id').execute()
  return keysOf(rows.map((r) => r.id))
}

test('a report lists final messages 90 days on, with the reference they were about, held ones marked; never a queued or sending one', async () => {
  const report = await runReportNow(ctx.db, adminActor, DAY_0)
  const items = (await ctx.db.system.selectFrom('retention_run_items').selectAll().where('run_id', '=', report.runId).execute()).filter((i) => i.record_type === 'notification')
  assert.deepEqual(keysOf(items.map((i) => i.record_id)), ['demonstrationDue', 'failedDue', 'heldFamily', 'heldFamilyRequest', 'heldRequest', 'sentDue'])
  const byId = new Map(items.map((i) => [i.record_id, i]))
  assert.deepEqual(
    { ...byId.get(messages.sentDue!.id), run_id: undefined, tenant_id: undefined },
    { run_id: undefined, tenant_id: undefined, record_type: 'notification', record_id: messages.sentDue!.id, reference: request.reference, action: 'delete', rule: 'days-after-final', due_on: '2033-05-30', held: false },
  )
  assert.equal(byId.get(messages.failedDue!.id)?.due_on, '2033-06-15')
  assert.equal(byId.get(messages.demonstrationDue!.id)?.reference, null)
  assert.deepEqual(
    keysOf(items.filter((i) => i.held).map((i) => i.record_id)),
    ['heldFamily', 'heldFamilyRequest', 'heldRequest'],
  )
  assert.equal(byId.get(messages.heldFamily!.id)?.reference, heldFamily.reference)
  assert.equal(report.counts.notification, 6)
})

test('the sweep deletes due messages only after the grace period, one audit event each, and never a held, queued or sending one', async () => {
  const first = await runRetentionSweep(ctx.db, DAY_0)
  assert.equal(first.find((r) => r.tenantId === 'essex')!.applied.counts.total, 0)
  assert.equal((await stillThere()).length, Object.keys(messages).length, 'nothing deleted on the day it was first listed')

  const week = await runRetentionSweep(ctx.db, DAY_7)
  const applied = week.find((r) => r.tenantId === 'essex')!.applied
  assert.equal(applied.counts.notification, 3)
  assert.deepEqual(await stillThere(), ['failedNotYet', 'heldFamily', 'heldFamilyRequest', 'heldRequest', 'queuedOld', 'sendingOld', 'sentLate', 'sentNotYet', 'southend'])

  const events = await ctx.db.system
    .selectFrom('audit_events')
    .select(['action', 'record_type', 'record_id', 'detail', 'actor_account_id', 'tenant_id'])
    .where('action', 'in', ['retention-deleted', 'retention-anonymised'])
    .where('record_type', '=', 'notification')
    .execute()
  assert.deepEqual(keysOf(events.map((e) => e.record_id!)), ['demonstrationDue', 'failedDue', 'sentDue'])
  assert.equal(events.length, 3, 'exactly one event for each message')
  assert.ok(events.every((e) => e.action === 'retention-deleted' && e.actor_account_id === null && e.tenant_id === 'essex'))
  const sent = events.find((e) => e.record_id === messages.sentDue!.id)!
  assert.deepEqual(sent.detail, { retentionType: 'notification', reference: request.reference, rule: 'days-after-final', dueOn: '2033-05-30', run: applied.runId })
  assert.doesNotMatch(JSON.stringify(events), /@example\.org|Messagefamily/, 'no address or personalisation in the audit events')
})

test('once the hold is lifted, its messages go after a new grace period', async () => {
  const hold = await ctx.db.system.selectFrom('legal_holds').select('id').where('record_id', '=', heldRequest.id).executeTakeFirstOrThrow()
  assert.ok(await liftHold(ctx.db, adminActor, hold.id, { liftReason: 'The complaint is closed' }, new Date('2033-06-23T09:00:00Z')))
  await runRetentionSweep(ctx.db, new Date('2033-06-24T01:30:00Z'))
  assert.ok((await stillThere()).includes('heldRequest'), 'listed as held before: the grace period starts again')
  await runRetentionSweep(ctx.db, new Date('2033-07-01T01:30:00Z'))
  const left = await stillThere()
  assert.ok(!left.includes('heldRequest'))
  assert.ok(left.includes('heldFamily') && left.includes('heldFamilyRequest') && left.includes('queuedOld') && left.includes('sendingOld'))
})

test('the database refuses to delete a message about a held record, whoever asks, and the whole statement with it', async () => {
  const { system } = ctx.db
  await assert.rejects(sql`delete from notifications where id = ${messages.heldFamily!.id}`.execute(system), /about a record under a legal hold/)
  await assert.rejects(sql`delete from notifications where id = ${messages.heldFamilyRequest!.id}`.execute(system), /about a record under a legal hold/)
  await assert.rejects(
    ctx.db.system.transaction().execute(async (trx) => {
      await sql`select set_config('app.retention_sweep', 'on', true)`.execute(trx)
      await sql`delete from notifications where id in (${messages.sentNotYet!.id}, ${messages.heldFamily!.id})`.execute(trx)
    }),
    /about a record under a legal hold/,
  )
  assert.ok((await stillThere()).includes('sentNotYet'), 'the whole statement was refused')
  // The application role cannot delete messages at all.
  await assert.rejects(ctx.db.asTenant('essex', (trx) => sql`delete from notifications where id = ${messages.sentNotYet!.id}`.execute(trx)), /permission denied/)
  // A message about nothing held can be deleted by the owner.
  const removable = await outboxMessage(ctx, 'essex', { eventKey: `request:${request.id}:decided:referrer`, status: 'sent', createdAt: '2033-01-01T09:00:00Z', sentAt: '2033-01-01T09:00:00Z' })
  const deleted = await sql`delete from notifications where id = ${removable.id}`.execute(system)
  assert.equal(Number(deleted.numAffectedRows), 1)
})

test('the sweep finds final messages through an index, not by reading the whole outbox', async () => {
  const plan = await ctx.db.system.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx)
    const result = await sql<{ 'QUERY PLAN': string }>`
      explain select n.id from notifications n
       where n.tenant_id = ${'essex'} and ${FINAL_NOTIFICATION} and coalesce(n.sent_at, n.created_at) < ${new Date('2033-03-18T00:00:00Z')}`.execute(trx)
    return result.rows.map((r) => r['QUERY PLAN']).join('\n')
  })
  assert.match(plan, /notifications_retention/)
})

test('the retention page shows emails sent with their rule in words and how many are due', async () => {
  const report = await runReportNow(ctx.db, adminActor, new Date('2033-09-01T12:00:00Z'))
  assert.ok(report.counts.notification! >= 2)
  const page = text((await adminAgent.get('/privacy/retention')).body)
  assert.match(page, /An email the service sent Kept for 90 days after it was sent, then deleted\. One that could not be delivered goes 90 days after it was queued; one still waiting to be sent is kept\./)
  assert.match(page, new RegExp(`data-minimisation choice for delivery records: .* Source: local configuration In the latest report: ${report.counts.notification} due`))
  assert.match(page, new RegExp(`Email sent ${heldFamilyRequest.reference} 90 days after it was sent or failed 1 April 2033 Legal hold Kept while the hold lasts`))
  assert.match(page, /Email sent 90 days after it was sent or failed 30 July 2033 Deleted from/)
  assert.doesNotMatch(page, /@example\.org|Messagefamily/, 'no address or personalisation on the page')
})
