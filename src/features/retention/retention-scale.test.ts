import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql, type KyselyPlugin } from 'kysely'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { RETENTION_RECORD_TYPES } from '../../frameworks/schema.ts'
import { retentionSettings, writeReport } from './sweep.ts'

/**
 * The report reads each type of record in one query and writes its items ten thousand to a
 * statement: the number of statements does not grow with the number of records checked, emails
 * in the outbox included.
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
  // An email about each request: half sent on 1 January 2027 (due by June), half on 20 May (not yet), one in ten still queued (never due).
  await sql`
    insert into notifications (id, tenant_id, event_key, template, recipient, personalisation, reference, status, attempts, next_attempt_at, sent_at, created_at)
    select s.id, 'essex', 'request:' || s.request_id || ':acknowledged:referrer', 'request-acknowledged', 'someone@example.org', '{"name":"Pat"}', s.id::text,
           case when s.n % 10 = 0 then 'queued' else 'sent' end, 1,
           case when s.n % 10 = 0 then s.at end, case when s.n % 10 = 0 then null else s.at end, s.at
      from (select gen_random_uuid() as id, r.id as request_id, row_number() over (order by r.reference) as n,
                   case when r.reference ~ '[13579]$' then timestamptz '2027-01-01 12:00Z' else timestamptz '2027-05-20 12:00Z' end as at
              from requests r where r.reference like 'ESS-SCALE-%') s`.execute(ctx.db.system)
})
after(() => ctx.close())

test(`a report over ${REQUESTS.toLocaleString('en-GB')} requests and an email about each takes a bounded number of statements`, async () => {
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
  const dueMessages = await sql<{ n: string }>`
    select count(*) as n from notifications where tenant_id = 'essex' and status = 'sent' and sent_at < '2027-03-01'`.execute(ctx.db.system)
  assert.ok(Number(dueMessages.rows[0]!.n) > 10_000)
  assert.equal(report.counts.notification, Number(dueMessages.rows[0]!.n))
  // One run, one read for each type of record, one insert per ten thousand items, one update.
  const items = report.counts.total
  assert.ok(statements <= 2 + RETENTION_RECORD_TYPES.length + Math.ceil(items / 10_000), `${statements} statements for ${items} items`)
  assert.ok(ms < 45_000, `the report took ${Math.round(ms)} ms`)
})
