import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../../test/html.ts'

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  leadAgent = await ctx.signIn(lead)
})
after(async () => ctx.close())

const log = (id: string) => ctx.db.system.selectFrom('disclosures').selectAll().where('involvement_id', '=', id).orderBy('recorded_at').execute()
const events = (id: string, action: string) => ctx.db.system.selectFrom('audit_events').select('id').where('record_id', '=', id).where('action', '=', action as never).execute()

test('adding a practitioner to the team and downloading a plan appear in the sharing log, each with one audit event', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const member = await ctx.newAccount('southend', 'practitioner')
  await ctx.db.system.updateTable('accounts').set({ name: 'Nadia Nurse' }).where('id', '=', member.id).execute()
  assert.equal((await leadAgent.post(`/involvements/${id}/team`, { email: member.email, role: 'School nurse' })).statusCode, 303)
  assert.equal((await leadAgent.post(`/involvements/${id}/team`, { name: 'Pat Police', organisation: 'Essex Police', role: 'PCSO' })).statusCode, 303)
  const rows = await log(id)
  assert.equal(rows.length, 1, 'only a practitioner with an account is given access')
  assert.equal(rows[0]?.source, 'team-member-added')
  assert.equal(rows[0]?.what, 'Access to the family’s record')
  assert.equal(rows[0]?.basis, 'consent')
  assert.match(rows[0]?.recipient ?? '', /Nadia Nurse/)
  assert.equal((await events(id, 'team-member-added')).length, 2)
  assert.equal((await events(id, 'disclosure-recorded')).length, 0, 'the team change is the one event')

  // A plan download.
  const started = await leadAgent.post(`/involvements/${id}/plans`, {})
  assert.ok([302, 303].includes(started.statusCode), `plan started: ${started.statusCode}`)
  const pdf = await leadAgent.get(`/involvements/${id}/plans/1/plan.pdf`)
  assert.equal(pdf.statusCode, 200)
  const after = await log(id)
  assert.equal(after.length, 2)
  assert.equal(after[1]?.source, 'plan-downloaded')
  assert.match(after[1]?.what ?? '', /Early Help Plan version 1/)

  const page = await leadAgent.get(`/involvements/${id}/sharing`)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Access to the family’s record/)
  assert.match(shown, /Early Help Plan version 1/)
  assert.ok(shown.indexOf('Early Help Plan version 1') < shown.indexOf('Access to the family’s record'), 'newest first')
  assert.equal((await events(id, 'sharing-log-viewed')).length, 1)
  assert.match((await leadAgent.get(`/involvements/${id}`)).body, new RegExp(`/involvements/${id}/sharing`), 'linked from the family’s page')
})

test('a disclosure made outside the system is recorded by hand; errors keep what was typed, escaped', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const form = await leadAgent.get(`/involvements/${id}/sharing/new`)
  assert.equal(form.statusCode, 200)
  const bad = await leadAgent.post(`/involvements/${id}/sharing/new`, { what: '<script>x</script>', recipient: '', reason: '', 'date-day': '31', 'date-month': '2', 'date-year': '2026' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(
    errorSummary(bad.body).map((e) => e.href),
    ['#recipient', '#reason', '#basis', '#date-day'],
  )
  assert.equal(textareaValue(bad.body, 'what'), '<script>x</script>')
  assert.ok(!bad.body.includes('<script>x</script>'))
  assert.equal(inputValue(bad.body, 'date-day'), '31')

  const ok = await leadAgent.post(`/involvements/${id}/sharing/new`, {
    what: 'The Early Help Plan and the date of the next meeting',
    recipient: 'Sam Jones, Riverside Primary School',
    reason: 'The school leads on attendance actions',
    basis: 'consent',
    'date-day': '2',
    'date-month': '1',
    'date-year': '2026',
  })
  assert.equal(ok.statusCode, 303)
  const rows = await log(id)
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.source, 'recorded-by-hand')
  assert.equal(rows[0]?.shared_on, '2026-01-02')
  assert.equal((await events(id, 'disclosure-recorded')).length, 1)
  const page = text((await leadAgent.get(`/involvements/${id}/sharing`)).body)
  assert.match(page, /Sam Jones, Riverside Primary School/)
  assert.match(page, /Recorded by hand/)
})

test('the sharing log: a member may read but not record; a stranger and another authority get 404', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const member = await ctx.newAccount('southend', 'practitioner')
  await leadAgent.post(`/involvements/${id}/team`, { email: member.email, role: 'School nurse' })
  const memberAgent = await ctx.signIn(member)
  assert.equal((await memberAgent.get(`/involvements/${id}/sharing`)).statusCode, 200)
  assert.equal((await memberAgent.get(`/involvements/${id}/sharing/new`)).statusCode, 200, 'members contribute')
  const referrerless = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  assert.equal((await referrerless.get(`/involvements/${id}/sharing`)).statusCode, 404)
  const advisor = await ctx.signIn(await ctx.newAccount('southend', 'early_help_advisor'))
  assert.equal((await advisor.get(`/involvements/${id}/sharing`)).statusCode, 200)
  assert.equal((await advisor.get(`/involvements/${id}/sharing/new`)).statusCode, 404, 'oversight reads only')
  for (const role of ['practitioner', 'team_manager'] as const) {
    const essex = await ctx.signIn(await ctx.newAccount('essex', role))
    assert.equal((await essex.get(`/involvements/${id}/sharing`)).statusCode, 404)
    assert.equal((await essex.post(`/involvements/${id}/sharing/new`, { what: 'x', recipient: 'y', reason: 'z', basis: 'consent', 'date-day': '1', 'date-month': '1', 'date-year': '2026' })).statusCode, 404)
  }
  const admin = await ctx.signIn(await ctx.newAccount('southend', 'administrator'))
  assert.equal((await admin.get(`/involvements/${id}/sharing`)).statusCode, 404)
  assert.equal((await log(id)).length, 1)
})
