import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text } from '../../test/html.ts'

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  leadAgent = await ctx.signIn(lead)
})
after(async () => ctx.close())

async function nameOf(account: TestAccount): Promise<string> {
  return (await ctx.db.system.selectFrom('accounts').select('name').where('id', '=', account.id).executeTakeFirstOrThrow()).name
}

async function auditCount(recordId: string, action: string): Promise<number> {
  const rows = await ctx.db.system.selectFrom('audit_events').select('id').where('record_id', '=', recordId).where('action', '=', action as never).execute()
  return rows.length
}

test('the family’s page shows the family, the Lead Professional, the team and what is due, and the view is audited', async () => {
  const { id, reference } = await openTestInvolvement(ctx, lead, { level: 3 })
  const page = await leadAgent.get(`/involvements/${id}`)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.ok(shown.includes(`Early help ${reference}`))
  assert.match(shown, /The Testfamily family/)
  assert.match(shown, /Level 3: /)
  assert.ok(shown.includes(await nameOf(lead)))
  assert.match(shown, /Maisie Testfamily Daughter/)
  assert.match(shown, /EHFS Children & Family Action Plans and Family Plans: every 6 to 8 weeks/)
  assert.match(shown, /Family Story Assessment Due /)
  assert.equal(await auditCount(id, 'involvement-viewed'), 1)
})

test('only the relationship opens a family: a practitioner off the team gets 404, and the denial is audited; other authorities never see it', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const stranger = await ctx.newAccount('southend', 'practitioner')
  const strangerAgent = await ctx.signIn(stranger)
  for (const path of ['', '/team', '/lead-professional', '/people/new']) {
    assert.equal((await strangerAgent.get(`/involvements/${id}${path}`)).statusCode, 404, path)
  }
  assert.equal((await strangerAgent.post(`/involvements/${id}/team`, { email: stranger.email, role: 'Helper' })).statusCode, 404, 'cannot add themselves')
  const denials = await ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', id).where('action', '=', 'access-denied').execute()
  assert.equal(denials.length, 5)
  assert.ok(denials.every((d) => d.actor_account_id === stranger.id && d.outcome === 'denied'))
  assert.ok(!text((await strangerAgent.get('/involvements')).body).includes('Testfamily'), 'not in their list either')

  for (const role of ['team_manager', 'duty_manager', 'practitioner', 'early_help_advisor'] as const) {
    const other = await ctx.signIn(await ctx.newAccount('essex', role))
    assert.equal((await other.get(`/involvements/${id}`)).statusCode, 404, `essex ${role}`)
  }
  for (const role of ['administrator', 'performance_analyst'] as const) {
    const agent = await ctx.signIn(await ctx.newAccount('southend', role))
    assert.equal((await agent.get(`/involvements/${id}`)).statusCode, 404, `${role} sees no families`)
  }
  for (const role of ['team_manager', 'early_help_advisor', 'duty_manager', 'front_door_officer'] as const) {
    const agent = await ctx.signIn(await ctx.newAccount('southend', role))
    assert.equal((await agent.get(`/involvements/${id}`)).statusCode, 200, `southend ${role} oversees`)
  }
})

test('joining the team opens the family to a practitioner at once, and leaving closes it at once', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const nurse = await ctx.newAccount('southend', 'practitioner')
  const nurseAgent = await ctx.signIn(nurse)
  assert.equal((await nurseAgent.get(`/involvements/${id}`)).statusCode, 404)

  const invalid = await leadAgent.post(`/involvements/${id}/team`, { email: 'not-an-email', role: '' })
  assert.equal(invalid.statusCode, 400)
  assert.deepEqual(errorSummary(invalid.body), [
    { href: '#email', text: 'Enter an email address in the correct format, like name@example.com' },
    { href: '#role', text: 'Enter their role, like health visitor or school nurse' },
  ])
  assert.equal(inputValue(invalid.body, 'email'), 'not-an-email', 'what was typed is kept')
  const unknown = await leadAgent.post(`/involvements/${id}/team`, { email: 'nobody@example.test', role: 'School nurse' })
  assert.match(errorSummary(unknown.body)[0]?.text ?? '', /There is no practitioner with the email address nobody@example.test/)

  const added = await leadAgent.post(`/involvements/${id}/team`, { email: nurse.email.toUpperCase(), role: 'School nurse' })
  assert.equal(added.statusCode, 303)
  assert.equal((await nurseAgent.get(`/involvements/${id}`)).statusCode, 200, 'on the team: sees the family')
  assert.ok(text((await nurseAgent.get('/involvements')).body).includes('The Testfamily family'), 'and it is in their list')
  assert.equal((await nurseAgent.get(`/involvements/${id}/team`)).statusCode, 404, 'a member does not manage the team')
  const again = await leadAgent.post(`/involvements/${id}/team`, { email: nurse.email, role: 'School nurse' })
  assert.match(errorSummary(again.body)[0]?.text ?? '', /already in the Team Around the Family/)

  const byName = await leadAgent.post(`/involvements/${id}/team`, { name: 'Pat Grey', organisation: 'Food bank', contact: '01632 960 111', role: 'Volunteer' })
  assert.equal(byName.statusCode, 303)
  assert.match(text((await leadAgent.get(`/involvements/${id}`)).body), /Pat Grey Food bank Volunteer 01632 960 111 No account: cannot see this record/)

  const member = await ctx.db.system.selectFrom('team_members').select('id').where('involvement_id', '=', id).where('account_id', '=', nurse.id).executeTakeFirstOrThrow()
  const noReason = await leadAgent.post(`/involvements/${id}/team/${member.id}/remove`, { reason: '' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(errorSummary(noReason.body), [{ href: `#reason-${member.id}`, text: 'Enter why they are leaving the team' }])
  await leadAgent.post(`/involvements/${id}/team/${member.id}/remove`, { reason: 'The school nurse service has finished its work.' })
  assert.equal((await nurseAgent.get(`/involvements/${id}`)).statusCode, 404, 'off the team: 404 at once')
  assert.equal(await auditCount(id, 'team-member-added'), 2)
  assert.equal(await auditCount(id, 'team-member-removed'), 1)

  const leadMember = await ctx.db.system.selectFrom('team_members').select('id').where('involvement_id', '=', id).where('account_id', '=', lead.id).executeTakeFirstOrThrow()
  const leadRemoved = await leadAgent.post(`/involvements/${id}/team/${leadMember.id}/remove`, { reason: 'Leaving' })
  assert.equal(leadRemoved.statusCode, 400, 'the Lead Professional is handed over, not removed')
})

test('handing over the Lead Professional role is dated, reasoned and audited; the old lead stays on the team', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const next = await ctx.newAccount('southend', 'practitioner')
  const page = await leadAgent.get(`/involvements/${id}/lead-professional`)
  const version = inputValue(page.body, 'version') ?? ''
  const missing = await leadAgent.post(`/involvements/${id}/lead-professional`, { version, email: '', reason: '' })
  assert.deepEqual(errorSummary(missing.body).map((e) => e.href), ['#email', '#reason'])
  const done = await leadAgent.post(`/involvements/${id}/lead-professional`, { version, email: next.email, reason: 'The school knows the family best.' })
  assert.equal(done.statusCode, 303)
  const row = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.lead_account_id, next.id)
  const leads = await ctx.db.system.selectFrom('lead_professionals').selectAll().where('involvement_id', '=', id).orderBy('started_at').execute()
  assert.equal(leads.length, 2)
  assert.ok(leads[0]?.ended_at)
  assert.equal(leads[1]?.reason, 'The school knows the family best.')
  const stale = await leadAgent.post(`/involvements/${id}/lead-professional`, { version, email: lead.email, reason: 'Back again' })
  assert.equal(stale.statusCode, 404, 'the old lead no longer manages the family')
  assert.equal((await leadAgent.get(`/involvements/${id}`)).statusCode, 200, 'but stays on the team and still sees it')
  assert.equal(await auditCount(id, 'lead-professional-changed'), 1)
})

test('a practitioner starts a level 2 Early Help Plan without a request and leads it', async () => {
  const starter = await ctx.newAccount('essex', 'practitioner')
  const agent = await ctx.signIn(starter)
  const form = await agent.get('/involvements/new')
  assert.equal(form.statusCode, 200)
  const bad = await agent.post('/involvements/new', { familyName: 'Okoro', childGivenName: 'Ada', childFamilyName: '', 'childDate-day': '31', 'childDate-month': '2', 'childDate-year': '2018', adultGivenName: 'Ngozi' })
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(errorSummary(bad.body), [
    { href: '#childFamilyName', text: 'Enter the child’s last name' },
    { href: '#childDate-day', text: 'The child’s date of birth must be a real date' },
    { href: '#adultFamilyName', text: 'Enter the parent or carer’s last name' },
    { href: '#adultRelationship', text: 'Enter their relationship to the child, like mother or grandfather' },
    { href: '#consent', text: 'Confirm the family agree to an Early Help Plan' },
  ])
  assert.equal(inputValue(bad.body, 'childDate-day'), '31', 'the date typed is kept')
  const started = await agent.post('/involvements/new', {
    familyName: 'Okoro',
    childGivenName: 'Ada',
    childFamilyName: 'Okoro',
    'childDate-day': '3',
    'childDate-month': '2',
    'childDate-year': '2018',
    adultGivenName: 'Ngozi',
    adultFamilyName: 'Okoro',
    adultRelationship: 'Mother',
    consent: 'yes',
  })
  assert.equal(started.statusCode, 303)
  const id = /^\/involvements\/([0-9a-f-]{36})$/.exec(String(started.headers.location))?.[1] ?? ''
  const row = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  assert.deepEqual([row.level, row.route, row.lead_account_id, row.review_cadence_id], [2, 'direct', starter.id, 'early-help-plan-review'])
  assert.match(row.reference, /^ESS-EH-/)
  const shown = text((await agent.get(`/involvements/${id}`)).body)
  assert.match(shown, /Ada Okoro Child/)
  assert.match(shown, /Ngozi Okoro Mother/)
  assert.match(shown, /Shared Family Assessment/)

  const person = await agent.post(`/involvements/${id}/people/new`, { kind: 'child', givenName: 'Tobi', familyName: 'Okoro', relationship: 'Son', 'date-day': '1', 'date-month': '1', 'date-year': '2099' })
  assert.equal(person.statusCode, 400)
  assert.deepEqual(errorSummary(person.body), [{ href: '#date-day', text: 'Date of birth must be today or in the past' }])
  await agent.post(`/involvements/${id}/people/new`, { kind: 'child', givenName: 'Tobi', familyName: 'Okoro', relationship: 'Son' })
  assert.match(text((await agent.get(`/involvements/${id}`)).body), /Tobi Okoro Son Not known/)

  const officer = await ctx.signIn(await ctx.newAccount('essex', 'front_door_officer'))
  assert.equal((await officer.get('/involvements/new')).statusCode, 404, 'only practitioners start plans')
})

test('the practitioner’s home page lists their families with what is due next; the manager’s shows what is overdue', async () => {
  const worker = await ctx.newAccount('essex', 'practitioner')
  const workerAgent = await ctx.signIn(worker)
  const { id } = await openTestInvolvement(ctx, worker, { level: 3, familyName: 'Homepage', now: new Date('2026-01-05T10:00:00Z') })
  await ctx.db.system
    .insertInto('plan_versions')
    .values({ id: '00000000-0000-4000-8000-000000000001', tenant_id: 'essex', involvement_id: id, number: 1, kind: 'initial', status: 'agreed', agreed_at: new Date(), consent_given: true, created_by: worker.id })
    .execute()
  await ctx.db.system
    .insertInto('plan_actions')
    .values({ id: '00000000-0000-4000-8000-000000000002', tenant_id: 'essex', involvement_id: id, plan_version_id: '00000000-0000-4000-8000-000000000001', what: 'Book the parenting course', who: 'Mum', due_on: '2026-02-01' })
    .execute()
  const home = text((await workerAgent.get('/home')).body)
  assert.match(home, /Your families/)
  assert.match(home, /The Homepage family Level 3/)
  assert.match(home, /1 action overdue/)
  assert.match(home, /Review .* Overdue/)

  const manager = await ctx.signIn(await ctx.newAccount('essex', 'team_manager'))
  const managerHome = text((await manager.get('/home')).body)
  assert.match(managerHome, /Overdue reviews and actions/)
  assert.match(managerHome, /The Homepage family/)
  const overdue = text((await manager.get('/involvements?overdue=yes')).body)
  assert.match(overdue, /The Homepage family/)
})
