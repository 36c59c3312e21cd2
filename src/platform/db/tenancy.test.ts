import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../../test/context.ts'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

test('row-level security confines a query without a tenant filter to the current authority', async () => {
  const essexAccount = await ctx.newAccount('essex', 'practitioner')
  const southendAccount = await ctx.newAccount('southend', 'practitioner')

  // No WHERE tenant_id anywhere: the database alone keeps Southend's rows from Essex.
  const seenByEssex = await ctx.db.asTenant('essex', (trx) => trx.selectFrom('accounts').select(['id', 'tenant_id']).execute())
  assert.ok(seenByEssex.some((row) => row.id === essexAccount.id))
  assert.ok(!seenByEssex.some((row) => row.id === southendAccount.id))
  assert.ok(seenByEssex.every((row) => row.tenant_id === 'essex'))

  const organisationsSeenBySouthend = await ctx.db.asTenant('southend', (trx) =>
    trx.selectFrom('organisations').select('tenant_id').execute(),
  )
  assert.ok(organisationsSeenBySouthend.length > 0)
  assert.ok(organisationsSeenBySouthend.every((row) => row.tenant_id === 'southend'))
})

test('an authority cannot write rows into another authority', async () => {
  await assert.rejects(
    ctx.db.asTenant('essex', (trx) =>
      trx.insertInto('organisations').values({ tenant_id: 'southend', name: 'Planted by Essex', kind: 'other' }).execute(),
    ),
    /row-level security/,
  )
  const essexAccount = await ctx.newAccount('essex', 'administrator')
  const updated = await ctx.db.asTenant('southend', (trx) =>
    trx.updateTable('accounts').set({ name: 'Renamed by Southend' }).where('id', '=', essexAccount.id).executeTakeFirst(),
  )
  assert.equal(Number(updated.numUpdatedRows), 0)
})

test('with no tenant set, the application role sees no tenant-owned rows at all', async () => {
  await ctx.newAccount('essex', 'practitioner')
  const rows = await ctx.db.system.transaction().execute(async (trx) => {
    await sql`set local role eh_app`.execute(trx)
    return trx.selectFrom('accounts').select('id').execute()
  })
  assert.equal(rows.length, 0)
})

test('the application role cannot read the sign-in throttle or change the schema', async () => {
  await assert.rejects(ctx.db.asTenant('essex', (trx) => trx.selectFrom('sign_in_throttle').selectAll().execute()), /permission denied/)
  await assert.rejects(ctx.db.asTenant('essex', (trx) => sql`drop table accounts`.execute(trx)), /must be owner|permission denied/)
})
