import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import type { TestContext } from '../../test/context.ts'
import { QUEUES, startJobs, type Jobs } from '../jobs/jobs.ts'
import { queueNotification } from './outbox.ts'
import { demonstrationSender } from './sender.ts'
import { createOutboxTestContext } from './test-support.ts'

let ctx: TestContext
let jobs: Jobs
before(async () => {
  ctx = await createOutboxTestContext()
  jobs = await startJobs(ctx.db, { info: () => undefined, error: () => undefined }, ctx.config.databaseUrl, { sender: demonstrationSender })
})
after(async () => {
  await jobs.stop()
  await ctx.close()
})

const PERSONAL = { recipient: 'sam.jones@example.com', personalisation: { name: 'Sam Jones', reference: 'SOU-2026-00043' } }

/** The wake-up jobs pg-boss holds for a notification, whatever their state. */
async function jobsFor(notificationId: string) {
  const { rows } = await sql<{ data: unknown }>`
    select data from pgboss.job where name = ${QUEUES.sendNotifications} and data->>'notificationId' = ${notificationId}`.execute(ctx.db.system)
  return rows
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}

test('queueing inside a service transaction writes the message and its job together; the worker sends it in demonstration mode', async () => {
  const eventKey = `request:${randomUUID()}:acknowledged:referrer`
  const { id } = await ctx.db.asTenant('essex', async (trx) => {
    await sql`select 1`.execute(trx) // the event's own change would be here
    return queueNotification(trx, { tenantId: 'essex', eventKey, template: 'request-acknowledged', ...PERSONAL })
  })
  const queued = await jobsFor(id)
  assert.equal(queued.length, 1)
  // The job carries the id and nothing personal.
  assert.deepEqual(queued[0]?.data, { notificationId: id })

  const row = await waitFor(
    () => ctx.db.system.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    (r) => r.status === 'sent-demonstration',
  )
  assert.equal(row.status, 'sent-demonstration')
  assert.equal(row.attempts, 1)

  // Queued again by a retried event: no second message, no second job.
  const again = await ctx.db.asTenant('essex', (trx) => queueNotification(trx, { tenantId: 'essex', eventKey, template: 'request-acknowledged', ...PERSONAL }))
  assert.deepEqual(again, { id, created: false })
  assert.equal((await jobsFor(id)).length, 1)
})

test('a rolled-back transaction leaves neither the message nor its job', async () => {
  const eventKey = `request:${randomUUID()}:acknowledged:referrer`
  let id = ''
  await assert.rejects(
    ctx.db.asTenant('essex', async (trx) => {
      ;({ id } = await queueNotification(trx, { tenantId: 'essex', eventKey, template: 'request-acknowledged', ...PERSONAL }))
      // The job is there inside the transaction (read as the owner: the application role may only add jobs).
      await sql`reset role`.execute(trx)
      const inside = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where data->>'notificationId' = ${id}`.execute(trx)
      assert.equal(inside.rows[0]?.n, 1)
      throw new Error('the event failed')
    }),
    /the event failed/,
  )
  assert.ok(id)
  assert.equal((await ctx.db.system.selectFrom('notifications').select('id').where('event_key', '=', eventKey).execute()).length, 0)
  assert.equal((await jobsFor(id)).length, 0)
})

test('a message queued with no job (before the worker ran) is found by the sweep', async () => {
  const id = randomUUID()
  await ctx.db.system
    .insertInto('notifications')
    .values({ id, tenant_id: 'southend', event_key: `test:${id}`, channel: 'email', template: 'request-decided', recipient: PERSONAL.recipient, personalisation: '{}', reference: id, next_attempt_at: new Date() })
    .execute()
  await jobs.boss.send(QUEUES.sendNotifications, {})
  const row = await waitFor(
    () => ctx.db.system.selectFrom('notifications').select('status').where('id', '=', id).executeTakeFirstOrThrow(),
    (r) => r.status === 'sent-demonstration',
  )
  assert.equal(row.status, 'sent-demonstration')
})
