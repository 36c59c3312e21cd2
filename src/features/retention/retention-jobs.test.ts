import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { QUEUES, RETENTION_SCHEDULE, startJobs, type Jobs } from '../../platform/jobs/jobs.ts'
import { createTestContext, type TestContext } from '../../test/context.ts'

/** The retention sweep is a pg-boss queue, scheduled each night, whose worker writes a report for each authority. */

let ctx: TestContext
let jobs: Jobs
before(async () => {
  ctx = await createTestContext()
  jobs = await startJobs(ctx.db, { info: () => undefined, error: () => undefined }, ctx.config.databaseUrl)
})
after(async () => {
  await jobs.stop()
  await ctx.close()
})

test('the retention sweep is scheduled every night at 02:30 UK time', async () => {
  const schedules = await jobs.boss.getSchedules(QUEUES.retentionSweep)
  assert.equal(schedules.length, 1)
  assert.equal(schedules[0]?.cron, RETENTION_SCHEDULE)
  assert.equal(RETENTION_SCHEDULE, '30 2 * * *')
  assert.equal(schedules[0]?.timezone, 'Europe/London')
})

test('a retention job writes a report for each authority', async () => {
  await jobs.boss.send(QUEUES.retentionSweep, {})
  const deadline = Date.now() + 30_000
  let tenants: string[] = []
  while (Date.now() < deadline) {
    const runs = await ctx.db.system.selectFrom('retention_runs').select(['tenant_id', 'mode']).where('mode', '=', 'report').where('finished_at', 'is not', null).execute()
    tenants = [...new Set(runs.map((r) => r.tenant_id))].sort()
    if (tenants.length === 2) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  assert.deepEqual(tenants, ['essex', 'southend'])
  const audit = await ctx.db.system.selectFrom('audit_events').select(['tenant_id', 'actor_account_id']).where('action', '=', 'retention-report-run').execute()
  assert.equal(audit.length, 2)
  assert.ok(audit.every((a) => a.actor_account_id === null))
})
