import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { openTestInvolvement } from '../../test/casework.ts'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(async () => ctx.close())

test('opening an involvement records the Lead Professional, the team, the family, the due dates and the chronology', async () => {
  const lead = await ctx.newAccount('southend', 'practitioner')
  const { id, reference } = await openTestInvolvement(ctx, lead, { level: 3, now: new Date('2026-11-24T10:00:00Z') })
  assert.match(reference, /^SOU-EH-2026-\d{5}$/)
  const row = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.lead_account_id, lead.id)
  assert.equal(row.review_cadence_id, 'ehfs-plan-review')
  assert.equal(row.next_review_on, '2027-01-05')
  assert.equal(row.assessment_due_on, '2026-12-15')
  const team = await ctx.db.system.selectFrom('team_members').selectAll().where('involvement_id', '=', id).execute()
  assert.equal(team.length, 4)
  assert.equal(team.filter((m) => m.kind === 'family').length, 3)
  const leads = await ctx.db.system.selectFrom('lead_professionals').selectAll().where('involvement_id', '=', id).execute()
  assert.equal(leads.length, 1)
  const chronology = await ctx.db.system.selectFrom('chronology_entries').selectAll().where('involvement_id', '=', id).execute()
  assert.equal(chronology.length, 1)
  const audit = await ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', id).where('action', '=', 'involvement-opened').execute()
  assert.equal(audit.length, 1)
})

test('an agreed plan version can never be changed, even by the table owner', async () => {
  const lead = await ctx.newAccount('essex', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead, { level: 2 })
  const version = await ctx.db.system
    .insertInto('plan_versions')
    .values({ tenant_id: 'essex', involvement_id: id, number: 1, kind: 'initial', status: 'agreed', agreed_at: new Date(), consent_given: true, created_by: lead.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  await assert.rejects(ctx.db.system.updateTable('plan_versions').set({ family_score: 9 }).where('id', '=', version.id).execute(), /never changed/)
  await assert.rejects(ctx.db.system.deleteFrom('plan_versions').where('id', '=', version.id).execute(), /never changed/)
})
