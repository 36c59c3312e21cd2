import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { hashToken } from '../auth/sessions.ts'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { QUEUES, startJobs, type Jobs } from './jobs.ts'

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

test('the job worker sweeps away sessions nobody can use any more, and keeps live ones', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const hour = 60 * 60 * 1000
  await ctx.db.system
    .insertInto('sessions')
    .values([
      { id_hash: hashToken('idle'), account_id: account.id, tenant_id: 'essex', last_seen_at: new Date(Date.now() - hour) },
      { id_hash: hashToken('old'), account_id: account.id, tenant_id: 'essex', created_at: new Date(Date.now() - 13 * hour) },
      { id_hash: hashToken('live'), account_id: account.id, tenant_id: 'essex' },
    ])
    .execute()

  await jobs.boss.send(QUEUES.sweepSessions, {})
  const deadline = Date.now() + 30_000
  let left: string[] = []
  while (Date.now() < deadline) {
    left = (await ctx.db.system.selectFrom('sessions').select('id_hash').where('account_id', '=', account.id).execute()).map((r) => r.id_hash)
    if (left.length === 1) break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  assert.deepEqual(left, [hashToken('live')])
})
