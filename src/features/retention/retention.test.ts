import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import type { Actor } from '../../platform/audit/audit.ts'
import { createTestContext, type TestAccount, type TestContext } from '../../test/context.ts'
import { applyDue, ANONYMISED_NAME, retentionSettings, runRetentionSweep, writeReport } from './sweep.ts'
import { placeHold, liftHold, runReportNow } from './service.ts'
import { closedFamily, consultation, decidedRequest, draftRequest } from './test-support.ts'

/**
 * The retention sweep on a real database (PGlite, or PostgreSQL under scripts/test-pg.ts), at fixed
 * dates: what a report lists, the grace period, legal holds, what applying removes and the audit
 * event for each, and the triggers that refuse what must never happen.
 */

let ctx: TestContext
let lead: TestAccount
let admin: TestAccount
let adminActor: Actor

// The first daily sweep of these tests, then one a week later.
const DAY_0 = new Date('2033-06-15T01:30:00Z')
const DAY_7 = new Date('2033-06-22T01:30:00Z')

const records: Record<string, { id: string; reference?: string }> = {}

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('essex', 'practitioner')
  admin = await ctx.newAccount('essex', 'administrator')
  adminActor = { accountId: admin.id, tenantId: 'essex', role: 'administrator', ip: null, requestId: null }

  records.requestDue = await decidedRequest(ctx, lead, '2027-01-10T12:00:00Z')
  records.requestNotYet = await decidedRequest(ctx, lead, '2028-01-10T12:00:00Z')
  records.requestHeld = await decidedRequest(ctx, lead, '2026-05-01T12:00:00Z')
  records.requestOpened = await decidedRequest(ctx, lead, '2020-01-10T12:00:00Z')
  records.draftDue = await draftRequest(ctx, lead, '2032-03-01T12:00:00Z')
  records.draftNotYet = await draftRequest(ctx, lead, '2033-01-01T12:00:00Z')
  // Due only from 18 June 2033: first listed after DAY_0, so not yet removed on DAY_7.
  records.draftLate = await draftRequest(ctx, lead, '2032-06-18T12:00:00Z')
  records.consultationDue = await consultation(ctx, lead, '2027-02-01T12:00:00Z')
  records.consultationNotYet = await consultation(ctx, lead, '2030-02-01T12:00:00Z')
  records.familyDue = await closedFamily(ctx, lead, { children: ['2005-03-01', '2008-06-01'], closedAt: '2020-01-15T12:00:00Z', level: 2 })
  records.familyNotYet = await closedFamily(ctx, lead, { children: ['2009-01-01'], closedAt: '2020-01-15T12:00:00Z' })
  records.familyOpen = await closedFamily(ctx, lead, { children: ['1990-01-01'], closedAt: null })
  records.familyHeld = await closedFamily(ctx, lead, { children: ['2001-01-01'], closedAt: '2019-06-01T12:00:00Z', level: 2 })
  // No children known: 25 years after closure.
  records.familyNoChildren = await closedFamily(ctx, lead, { children: [], closedAt: '2008-06-01T12:00:00Z' })
  records.familyUnknownChild = await closedFamily(ctx, lead, { children: [null], closedAt: '2010-06-01T12:00:00Z' })
  // The request a family came from goes with the family, not on its own.
  await ctx.db.system.updateTable('involvements').set({ request_id: records.requestOpened.id }).where('id', '=', records.familyNotYet.id).execute()

  for (const key of ['requestHeld', 'familyHeld'] as const) {
    const held = await placeHold(ctx.db, adminActor, { reference: records[key]!.reference!, reason: 'A complaint to the Ombudsman' })
    assert.ok(held.ok)
  }
})
after(() => ctx.close())

async function itemsOf(runId: string) {
  return ctx.db.system.selectFrom('retention_run_items').selectAll().where('run_id', '=', runId).execute()
}

test('a report lists every record due, with its action and date, held ones marked, and nothing else', async () => {
  const report = await runReportNow(ctx.db, adminActor, DAY_0)
  const items = await itemsOf(report.runId)
  const byId = new Map(items.map((i) => [i.record_id, i]))
  const listed = Object.entries(records)
    .filter(([, r]) => byId.has(r.id))
    .map(([key]) => key)
    .sort()
  assert.deepEqual(listed, ['consultationDue', 'draftDue', 'familyDue', 'familyHeld', 'familyNoChildren', 'requestDue', 'requestHeld'])
  assert.deepEqual(
    { ...byId.get(records.familyDue!.id), run_id: undefined, tenant_id: undefined },
    { run_id: undefined, tenant_id: undefined, record_type: 'involvement', record_id: records.familyDue!.id, reference: records.familyDue!.reference, action: 'anonymise', rule: 'youngest-child-25', due_on: '2033-06-01', held: false },
  )
  assert.equal(byId.get(records.requestDue!.id)?.action, 'delete')
  assert.equal(byId.get(records.requestDue!.id)?.due_on, '2033-01-10')
  assert.equal(byId.get(records.requestDue!.id)?.record_type, 'request-not-progressed')
  assert.equal(byId.get(records.draftDue!.id)?.record_type, 'draft-request')
  assert.equal(byId.get(records.familyNoChildren!.id)?.due_on, '2033-06-01')
  assert.equal(byId.get(records.requestHeld!.id)?.held, true)
  assert.equal(byId.get(records.familyHeld!.id)?.held, true)
  assert.deepEqual(report.counts, { total: 7, held: 2, 'request-not-progressed': 2, 'draft-request': 1, consultation: 1, involvement: 3 })

  const audit = await ctx.db.system.selectFrom('audit_events').select(['action', 'actor_account_id']).where('record_id', '=', report.runId).execute()
  assert.deepEqual(audit, [{ action: 'retention-report-run', actor_account_id: admin.id }])
  // Another authority's records never appear in this one's report.
  const southend = await ctx.db.asTenant('southend', (trx) => writeReport(trx, 'southend', retentionSettings('southend'), DAY_0, 'manual', null))
  assert.equal(southend.counts.total, 0)
})

test('nothing is removed until a report listed it a grace period before; then exactly what is due and not held goes, one audit event each', async () => {
  const first = await runRetentionSweep(ctx.db, DAY_0)
  const essex = first.find((r) => r.tenantId === 'essex')!
  assert.equal(essex.applied.counts.total, 0, 'the grace period: nothing had been listed 7 days before')
  assert.ok(await ctx.db.system.selectFrom('requests').select('id').where('id', '=', records.requestDue!.id).executeTakeFirst())

  // Six days on, still nothing.
  const sixDays = await runRetentionSweep(ctx.db, new Date('2033-06-21T01:30:00Z'))
  assert.equal(sixDays.find((r) => r.tenantId === 'essex')!.applied.counts.total, 0)

  const auditBefore = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', 'in', ['retention-deleted', 'retention-anonymised']).executeTakeFirstOrThrow()
  assert.equal(Number(auditBefore.n), 0)

  const week = await runRetentionSweep(ctx.db, DAY_7)
  const applied = week.find((r) => r.tenantId === 'essex')!.applied
  assert.ok(applied.runId)
  const removed = new Set((await itemsOf(applied.runId)).map((i) => i.record_id))
  const removedKeys = Object.entries(records)
    .filter(([, r]) => removed.has(r.id))
    .map(([key]) => key)
    .sort()
  assert.deepEqual(removedKeys, ['consultationDue', 'draftDue', 'familyDue', 'familyNoChildren', 'requestDue'])

  // Deleted, with what hung from them.
  const { system } = ctx.db
  assert.equal(await system.selectFrom('requests').select('id').where('id', 'in', [records.requestDue!.id, records.draftDue!.id]).executeTakeFirst(), undefined)
  assert.equal(await system.selectFrom('request_people').select('id').where('request_id', 'in', [records.requestDue!.id, records.draftDue!.id]).executeTakeFirst(), undefined)
  assert.equal(await system.selectFrom('consultations').select('id').where('id', '=', records.consultationDue!.id).executeTakeFirst(), undefined)
  // Held, not due, or listed too recently: still here.
  for (const key of ['requestHeld', 'requestNotYet', 'requestOpened', 'draftNotYet', 'draftLate', 'consultationNotYet']) {
    const table = key.startsWith('consultation') ? 'consultations' : 'requests'
    assert.ok(await system.selectFrom(table).select('id').where('id', '=', records[key]!.id).executeTakeFirst(), `${key} kept`)
  }

  // Exactly one audit event for each record removed, with no personal data.
  const events = await system.selectFrom('audit_events').select(['action', 'record_type', 'record_id', 'detail', 'actor_account_id']).where('action', 'in', ['retention-deleted', 'retention-anonymised']).execute()
  assert.equal(events.length, 5)
  assert.deepEqual(events.map((e) => e.record_id).sort(), [...removed].sort())
  const family = events.find((e) => e.record_id === records.familyDue!.id)!
  assert.deepEqual([family.action, family.record_type, family.actor_account_id], ['retention-anonymised', 'involvement', null])
  assert.deepEqual(family.detail, { retentionType: 'involvement', reference: records.familyDue!.reference, rule: 'youngest-child-25', dueOn: '2033-06-01', run: applied.runId })
  assert.equal(events.find((e) => e.record_id === records.requestDue!.id)!.record_type, 'request')
  assert.equal(events.find((e) => e.record_id === records.consultationDue!.id)!.action, 'retention-deleted')
  const familyName = (records.familyDue as { familyName?: string }).familyName!
  assert.ok(!JSON.stringify(events).includes(familyName), 'no names in the audit events')

  // Sweeping again the same day removes nothing twice.
  const again = await applyDue(ctx.db, 'essex', retentionSettings('essex'), DAY_7)
  assert.equal(again.counts.total, 0)
})

test('an anonymised family keeps what is counted and loses names, dates of birth and free text, agreed plan included', async () => {
  const { system } = ctx.db
  const id = records.familyDue!.id
  const familyName = (records.familyDue as { familyName?: string }).familyName!
  const involvement = await system.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(involvement.family_name, ANONYMISED_NAME)
  assert.equal(involvement.reference, records.familyDue!.reference)
  assert.equal(involvement.level, 2)
  assert.equal(involvement.status, 'closed')
  assert.ok(involvement.anonymised_at)
  assert.equal(new Date(involvement.closed_at!).toISOString(), '2020-01-15T12:00:00.000Z')
  assert.deepEqual(involvement.closure, { reason: 'needs-met', outcomesAchieved: ['school'], finalScores: { family: 8, team: 7 }, requestedAt: '2020-01-15T12:00:00.000Z' })

  const people = await system.selectFrom('involvement_people').selectAll().where('involvement_id', '=', id).execute()
  assert.equal(people.length, 3, 'the people are still counted')
  assert.ok(people.every((p) => p.given_name === ANONYMISED_NAME && p.family_name === '' && p.date_of_birth === null && p.relationship === null))
  assert.deepEqual(people.map((p) => p.kind).sort(), ['adult', 'child', 'child'])

  const plan = await system.selectFrom('plan_versions').selectAll().where('involvement_id', '=', id).executeTakeFirstOrThrow()
  assert.deepEqual([plan.status, plan.content, plan.assessor_name, plan.family_signatory_name], ['agreed', {}, null, null])
  assert.equal(await system.selectFrom('protected_details').select('id').where('involvement_id', '=', id).executeTakeFirst(), undefined)
  const disclosure = await system.selectFrom('disclosures').selectAll().where('involvement_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(disclosure.basis, 'consent')
  assert.ok(!disclosure.what.includes(familyName))
  const chronology = await system.selectFrom('chronology_entries').select(['summary', 'detail', 'kind']).where('involvement_id', '=', id).execute()
  assert.ok(chronology.length > 0 && chronology.every((c) => c.summary === '' && c.detail === null))
  const everything = JSON.stringify(
    await Promise.all(
      ['involvements', 'involvement_people', 'plan_versions', 'chronology_entries', 'team_members', 'disclosures', 'lead_professionals'].map((table) =>
        sql`select * from ${sql.table(table)} where ${sql.ref(table === 'involvements' ? 'id' : 'involvement_id')} = ${id}`.execute(system).then((r) => r.rows),
      ),
    ),
  )
  assert.ok(!everything.includes(familyName), 'the family’s name is nowhere in its records')

  // Still counted: closed level 2 families, anonymised or not.
  const counted = await system
    .selectFrom('involvements')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', 'essex')
    .where('status', '=', 'closed')
    .where('level', '=', 2)
    .where('id', 'in', [records.familyDue!.id, records.familyHeld!.id])
    .executeTakeFirstOrThrow()
  assert.equal(Number(counted.n), 2)
  // And never listed again.
  const later = await runReportNow(ctx.db, adminActor, new Date('2033-06-23T12:00:00Z'))
  assert.equal((await itemsOf(later.runId)).some((i) => i.record_id === id), false)
})

test('a held family and request stay whole; once lifted they go after a new grace period', async () => {
  const { system } = ctx.db
  const held = await system.selectFrom('involvements').select(['family_name', 'anonymised_at']).where('id', '=', records.familyHeld!.id).executeTakeFirstOrThrow()
  assert.notEqual(held.family_name, ANONYMISED_NAME)
  assert.equal(held.anonymised_at, null)

  const holds = await system.selectFrom('legal_holds').select(['id', 'record_id']).where('lifted_at', 'is', null).execute()
  for (const hold of holds) assert.ok(await liftHold(ctx.db, adminActor, hold.id, { liftReason: 'The complaint is closed' }, new Date('2033-07-01T09:00:00Z')))
  // Listed as held before, so the grace period starts again from the first report after lifting.
  await runRetentionSweep(ctx.db, new Date('2033-07-02T01:30:00Z'))
  assert.ok(await system.selectFrom('requests').select('id').where('id', '=', records.requestHeld!.id).executeTakeFirst())
  await runRetentionSweep(ctx.db, new Date('2033-07-09T01:30:00Z'))
  assert.equal(await system.selectFrom('requests').select('id').where('id', '=', records.requestHeld!.id).executeTakeFirst(), undefined)
  const anonymised = await system.selectFrom('involvements').select('family_name').where('id', '=', records.familyHeld!.id).executeTakeFirstOrThrow()
  assert.equal(anonymised.family_name, ANONYMISED_NAME)
})

test('the database refuses to delete a held request or family, or to anonymise a held family, whoever asks', async () => {
  const request = await decidedRequest(ctx, lead, '2020-01-01T12:00:00Z')
  const family = await closedFamily(ctx, lead, { children: ['2000-01-01'], closedAt: '2019-01-01T12:00:00Z' })
  for (const reference of [request.reference, family.reference]) assert.ok((await placeHold(ctx.db, adminActor, { reference, reason: 'Court case' })).ok)

  await assert.rejects(sql`delete from requests where id = ${request.id}`.execute(ctx.db.system), /under a legal hold/)
  await assert.rejects(sql`delete from involvements where id = ${family.id}`.execute(ctx.db.system), /under a legal hold/)
  await assert.rejects(
    ctx.db.system.transaction().execute(async (trx) => {
      await sql`select set_config('app.retention_sweep', 'on', true)`.execute(trx)
      await sql`update involvements set anonymised_at = now() where id = ${family.id}`.execute(trx)
    }),
    /under a legal hold and cannot be anonymised/,
  )
  // A hold is lifted, never deleted.
  await assert.rejects(sql`delete from legal_holds where record_id = ${request.id}`.execute(ctx.db.system), /never deleted/)
  // The audit log is append-only, the sweep included.
  await assert.rejects(
    ctx.db.system.transaction().execute(async (trx) => {
      await sql`select set_config('app.retention_sweep', 'on', true)`.execute(trx)
      await sql`delete from audit_events where tenant_id = 'essex'`.execute(trx)
    }),
    /append-only/,
  )
})

test('an agreed plan version changes only inside the sweep: not on the owner’s connection without it, nor as the application role with it', async () => {
  const family = await closedFamily(ctx, lead, { children: ['2015-01-01'], closedAt: '2024-01-01T12:00:00Z' })
  const update = sql`update plan_versions set content = '{}' where involvement_id = ${family.id}`
  await assert.rejects(update.execute(ctx.db.system), /agreed plan version is never changed/)
  await assert.rejects(
    ctx.db.asTenant('essex', async (trx) => {
      await sql`select set_config('app.retention_sweep', 'on', true)`.execute(trx)
      await update.execute(trx)
    }),
    /agreed plan version is never changed/,
  )
  await assert.rejects(
    ctx.db.system.transaction().execute(async (trx) => {
      await sql`select set_config('app.retention_sweep', 'on', false)`.execute(trx).catch(() => undefined)
      await sql`reset app.retention_sweep`.execute(trx)
      await sql`delete from plan_versions where involvement_id = ${family.id}`.execute(trx)
    }),
    /agreed plan version is never changed/,
  )
  // Inside the sweep's setting on the owner's connection it passes (rolled back here).
  const rolledBack = new Error('roll back')
  await assert.rejects(
    ctx.db.system.transaction().execute(async (trx) => {
      await sql`select set_config('app.retention_sweep', 'on', true)`.execute(trx)
      const result = await update.execute(trx)
      assert.equal(Number(result.numAffectedRows), 1)
      throw rolledBack
    }),
    (error) => error === rolledBack,
  )
  const plan = await ctx.db.system.selectFrom('plan_versions').select('content').where('involvement_id', '=', family.id).executeTakeFirstOrThrow()
  assert.notDeepEqual(plan.content, {})
})

test('every table that refers to a family, a person or a request is handled by the sweep', async () => {
  // When a new table points at these, the sweep must delete or anonymise its rows too: add it to
  // applyDue and to this list.
  const handled = new Set([
    'involvements', 'involvement_people', 'lead_professionals', 'team_members', 'assessments', 'meetings', 'plan_versions', 'plan_actions',
    'chronology_entries', 'level_changes', 'panel_items', 'signposts', 'keep_in_touch_calls', 'consents', 'consent_overrides', 'disclosures',
    'protected_details', 'break_glass_grants', 'requests', 'request_people', 'person_matches',
  ])
  const result = await sql<{ table_name: string; referenced: string }>`
    select distinct c.conrelid::regclass::text as table_name, c.confrelid::regclass::text as referenced
      from pg_constraint c
     where c.contype = 'f' and c.confrelid::regclass::text in ('involvements', 'involvement_people', 'requests', 'request_people')`.execute(ctx.db.system)
  const missing = result.rows.filter((r) => !handled.has(r.table_name)).map((r) => `${r.table_name} -> ${r.referenced}`)
  assert.deepEqual(missing, [])
})
