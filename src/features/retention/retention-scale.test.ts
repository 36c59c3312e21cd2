import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql, type KyselyPlugin } from 'kysely'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { retentionSettings, writeReport } from './sweep.ts'

/**
 * The report reads each type of record in one query and writes its items ten thousand to a
 * statement: the number of statements does not grow with the number of records checked.
 */

const REQUESTS = 30_000

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
  const referrer = await ctx.newAccount('essex', 'practitioner')
  // Half decided in 2020 (due by 2027), half in 2026 (not yet).
  await sql`
    insert into requests (tenant_id, reference, status, route, referrer_account_id, submitted_at, decided_at, outcome, decided_level, created_at)
    select 'essex', 'ESS-SCALE-' || n, 'decided', 'practitioner', ${referrer.id}::uuid, at, at, 'universal-signposting', 1, at
      from (select n, case when n % 2 = 0 then timestamptz '2020-03-01 12:00Z' else timestamptz '2026-03-01 12:00Z' end + make_interval(mins => n) as at
              from generate_series(1, ${REQUESTS}) n) s`.execute(ctx.db.system)
})
after(() => ctx.close())

test(`a report over ${REQUESTS.toLocaleString('en-GB')} requests takes a bounded number of statements`, async () => {
  let statements = 0
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      statements += 1
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  const started = performance.now()
  const report = await ctx.db.asTenant('essex', (trx) => writeReport(trx.withPlugin(counter), 'essex', retentionSettings('essex'), new Date('2027-06-01T01:30:00Z'), 'schedule', null))
  const ms = performance.now() - started
  assert.equal(report.counts['request-not-progressed'], REQUESTS / 2)
  // One run, four reads, one insert per ten thousand items, one update.
  assert.ok(statements <= 6 + Math.ceil(REQUESTS / 2 / 10_000), `${statements} statements`)
  assert.ok(ms < 45_000, `the report took ${Math.round(ms)} ms`)
})
