import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { recordAudit } from './audit.ts'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

test('the database refuses to update, delete or truncate audit events, even for the owner', async () => {
  await recordAudit(ctx.db.system, { action: 'sign-in', tenantId: 'essex' })
  await assert.rejects(ctx.db.system.updateTable('audit_events').set({ action: 'sign-out' }).execute(), /append-only/)
  await assert.rejects(ctx.db.system.deleteFrom('audit_events').execute(), /append-only/)
  await assert.rejects(sql`truncate audit_events`.execute(ctx.db.system), /append-only/)
  const count = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  assert.ok(Number(count.n) >= 1)
})

test('an audit event written in a transaction that fails is rolled back with it', async () => {
  const before = await countEvents()
  await assert.rejects(
    ctx.db.asTenant('essex', async (trx) => {
      await recordAudit(trx, { action: 'organisation-created', tenantId: 'essex', recordType: 'organisation', recordId: 'x' })
      throw new Error('the change failed')
    }),
  )
  assert.equal(await countEvents(), before)
})

test('an authority cannot read or write another authority\'s audit events', async () => {
  await recordAudit(ctx.db.system, { action: 'sign-in', tenantId: 'southend', recordId: 'southend-only' })
  const seen = await ctx.db.asTenant('essex', (trx) => trx.selectFrom('audit_events').select('record_id').execute())
  assert.ok(!seen.some((row) => row.record_id === 'southend-only'))
  await assert.rejects(ctx.db.asTenant('essex', (trx) => recordAudit(trx, { action: 'sign-in', tenantId: 'southend' })), /row-level security/)
})

async function countEvents(): Promise<number> {
  const row = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
