import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { relationOf } from '../involvements/access.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text, textareaValue, inputValue } from '../../test/html.ts'

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent
let admin: TestAccount
let adminAgent: Agent

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  leadAgent = await ctx.signIn(lead)
  admin = await ctx.newAccount('southend', 'administrator')
  adminAgent = await ctx.signIn(admin)
})
after(async () => ctx.close())

const REASON = 'The child arrived at A&E tonight and I need the Lead Professional’s details'

async function events(recordId: string, action: string) {
  return ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', recordId).where('action', '=', action as never).execute()
}

test('relationOf: the closest tie wins, and only practitioners use referrer and break-glass ties', () => {
  const p = { accountId: 'a', role: 'practitioner' as const }
  assert.equal(relationOf(p, 'a', {}), 'lead')
  assert.equal(relationOf(p, 'b', { onTeam: true, allocatedTeam: true, referrer: true, breakGlass: true }), 'member')
  assert.equal(relationOf(p, 'b', { allocatedTeam: true, referrer: true, breakGlass: true }), 'allocated-team')
  assert.equal(relationOf(p, 'b', { referrer: true, breakGlass: true }), 'referrer')
  assert.equal(relationOf(p, 'b', { breakGlass: true }), 'break-glass')
  assert.equal(relationOf(p, 'b', {}), null)
  assert.equal(relationOf(p, 'b', true), 'member', 'the old boolean form still works')
  assert.equal(relationOf({ accountId: 'a', role: 'administrator' }, 'b', { breakGlass: true }), null)
})

test('the referrer who sent the request sees the family it became, but cannot change it', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const referrer = await ctx.newAccount('southend', 'practitioner')
  const request = await ctx.db.system.insertInto('requests').values({ tenant_id: 'southend', route: 'practitioner', referrer_account_id: referrer.id }).returning('id').executeTakeFirstOrThrow()
  const agent = await ctx.signIn(referrer)
  assert.equal((await agent.get(`/involvements/${id}`)).statusCode, 404, 'not before the involvement is tied to their request')
  await ctx.db.system.updateTable('involvements').set({ request_id: request.id }).where('id', '=', id).execute()

  const page = await agent.get(`/involvements/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /The Testfamily family/)
  assert.ok(!page.body.includes(`/involvements/${id}/audit`), 'no audit link for a referrer')
  assert.equal((await agent.get(`/involvements/${id}/chronology`)).statusCode, 200)
  assert.equal((await agent.get(`/involvements/${id}/team`)).statusCode, 404, 'cannot manage the team')
  assert.equal((await agent.get(`/involvements/${id}/chronology/new`)).statusCode, 404, 'cannot add to the chronology')
  assert.equal((await agent.post(`/involvements/${id}/team`, { email: referrer.email, role: 'Referrer' })).statusCode, 404)
  assert.equal((await agent.get(`/involvements/${id}/audit`)).statusCode, 404, 'cannot read who has seen it')
})

test('break-glass needs a reference and a real reason, and never lists families', async () => {
  const stranger = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  const form = await stranger.get('/break-glass')
  assert.equal(form.statusCode, 200)
  assert.ok(!form.body.includes('Testfamily'))

  const empty = await stranger.post('/break-glass', { reference: '', reason: '' })
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#reference', text: 'Enter the family’s early help reference' },
    { href: '#reason', text: 'Enter why you need to see this family’s record' },
  ])
  const short = await stranger.post('/break-glass', { reference: 'SOU-EH-2026-99999', reason: 'Just looking <b>' })
  assert.equal(short.statusCode, 400)
  assert.deepEqual(errorSummary(short.body), [{ href: '#reason', text: 'Your reason must be at least 20 characters, so a reviewer can understand it' }])
  assert.equal(inputValue(short.body, 'reference'), 'SOU-EH-2026-99999')
  assert.equal(textareaValue(short.body, 'reason'), 'Just looking <b>', 'kept as typed, and escaped')
  assert.ok(!short.body.includes('Just looking <b>'))

  const unknown = await stranger.post('/break-glass', { reference: 'SOU-EH-2026-99999', reason: REASON })
  assert.equal(unknown.statusCode, 400)
  assert.match(errorSummary(unknown.body)[0]?.text ?? '', /There is no family’s early help with the reference SOU-EH-2026-99999/)
  assert.equal((await ctx.db.system.selectFrom('break_glass_grants').select('id').execute()).length, 0)
})

test('break-glass opens a family to read for one hour, is audited, and goes on the review list for a finding', async () => {
  const { id, reference } = await openTestInvolvement(ctx, lead)
  const account = await ctx.newAccount('southend', 'practitioner')
  const agent = await ctx.signIn(account)
  assert.equal((await agent.get(`/involvements/${id}`)).statusCode, 404)

  const opened = await agent.post('/break-glass', { reference: reference.toLowerCase(), reason: REASON })
  assert.equal(opened.statusCode, 303)
  assert.equal(opened.headers.location, `/involvements/${id}`)
  const grants = await ctx.db.system.selectFrom('break_glass_grants').selectAll().where('involvement_id', '=', id).execute()
  assert.equal(grants.length, 1)
  const grant = grants[0]!
  assert.equal(grant.account_id, account.id)
  assert.equal(grant.reason, REASON)
  const minutes = (new Date(grant.expires_at).getTime() - new Date(grant.granted_at).getTime()) / 60_000
  assert.equal(minutes, 60)
  const audit = await events(id, 'break-glass-opened')
  assert.equal(audit.length, 1)
  assert.equal(audit[0]?.actor_account_id, account.id)
  assert.deepEqual((audit[0]?.detail as { grant: string }).grant, grant.id)

  // View only.
  const page = await agent.get(`/involvements/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /The Testfamily family/)
  assert.equal((await agent.get(`/involvements/${id}/plans`)).statusCode, 200)
  assert.equal((await agent.get(`/involvements/${id}/team`)).statusCode, 404)
  assert.equal((await agent.get(`/involvements/${id}/chronology/new`)).statusCode, 404)
  assert.equal((await events(id, 'involvement-viewed')).filter((e) => e.actor_account_id === account.id).length, 1)

  // Someone with a relationship is sent straight to the family, without a grant.
  assert.equal((await leadAgent.post('/break-glass', { reference, reason: REASON })).headers.location, `/involvements/${id}`)
  assert.equal((await ctx.db.system.selectFrom('break_glass_grants').select('id').where('involvement_id', '=', id).execute()).length, 1)

  // After an hour, 404 again.
  await ctx.db.system.updateTable('break_glass_grants').set({ expires_at: sql<Date>`clock_timestamp() - interval '1 millisecond'` }).where('id', '=', grant.id).execute()
  assert.equal((await agent.get(`/involvements/${id}`)).statusCode, 404)

  // The review list.
  const list = await adminAgent.get('/privacy/break-glass')
  assert.equal(list.statusCode, 200)
  const listed = text(list.body)
  assert.ok(listed.includes(reference))
  assert.ok(listed.includes(REASON))
  assert.match(listed, /Not reviewed/)
  assert.equal((await ctx.db.system.selectFrom('audit_events').select('id').where('action', '=', 'break-glass-list-viewed').execute()).length, 1)

  const review = await adminAgent.get(`/privacy/break-glass/${grant.id}`)
  assert.equal(review.statusCode, 200)
  assert.match(text(review.body), /Viewed a family’s early help/, 'shows what they looked at')
  const invalid = await adminAgent.post(`/privacy/break-glass/${grant.id}`, { note: '' })
  assert.equal(invalid.statusCode, 400)
  assert.deepEqual(errorSummary(invalid.body), [{ href: '#finding', text: 'Select whether the access was appropriate' }])
  const noNote = await adminAgent.post(`/privacy/break-glass/${grant.id}`, { finding: 'follow-up', note: '  ' })
  assert.deepEqual(errorSummary(noNote.body), [{ href: '#note', text: 'Enter a note saying what was wrong or what needs to happen next' }])

  const done = await adminAgent.post(`/privacy/break-glass/${grant.id}`, { finding: 'follow-up', note: 'Ask the hospital social worker to confirm the A&E visit' })
  assert.equal(done.statusCode, 303)
  const reviewed = await ctx.db.system.selectFrom('break_glass_grants').selectAll().where('id', '=', grant.id).executeTakeFirstOrThrow()
  assert.equal(reviewed.finding, 'follow-up')
  assert.equal(reviewed.reviewed_by, admin.id)
  assert.equal((await events(grant.id, 'break-glass-reviewed')).length, 1)
  const shown = text((await adminAgent.get(`/privacy/break-glass/${grant.id}`)).body)
  assert.match(shown, /Needs follow-up/)
  assert.match(shown, /Ask the hospital social worker/)
  assert.match(text((await adminAgent.get('/privacy/break-glass')).body), /Needs follow-up/)

  // A finding stands: a second review changes nothing, and the database refuses it too.
  assert.equal((await adminAgent.post(`/privacy/break-glass/${grant.id}`, { finding: 'appropriate' })).headers.location, `/privacy/break-glass/${grant.id}?done=already`)
  assert.equal((await ctx.db.system.selectFrom('break_glass_grants').select('finding').where('id', '=', grant.id).executeTakeFirstOrThrow()).finding, 'follow-up')
  await assert.rejects(ctx.db.asTenant('southend', (trx) => trx.updateTable('break_glass_grants').set({ finding: 'appropriate' }).where('id', '=', grant.id).execute()))
  await assert.rejects(
    ctx.db.asTenant('southend', (trx) => trx.updateTable('break_glass_grants').set({ expires_at: new Date(Date.now() + 86_400_000) }).where('id', '=', grant.id).execute()),
    'the app may not extend a grant',
  )
})

test('the wrong role gets 404 on /break-glass and /privacy, and another authority never sees anything', async () => {
  const { id, reference } = await openTestInvolvement(ctx, lead)
  const grant = await ctx.db.system
    .insertInto('break_glass_grants')
    .values({ tenant_id: 'southend', account_id: lead.id, involvement_id: id, reason: REASON, expires_at: sql<Date>`now() + interval '1 hour'` })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const role of ['team_manager', 'duty_manager', 'administrator', 'performance_analyst', 'service_provider'] as const) {
    const agent = await ctx.signIn(await ctx.newAccount('southend', role))
    assert.equal((await agent.get('/break-glass')).statusCode, 404, `${role} GET /break-glass`)
    assert.equal((await agent.post('/break-glass', { reference, reason: REASON })).statusCode, 404, `${role} POST /break-glass`)
  }
  for (const role of ['practitioner', 'team_manager', 'duty_manager', 'performance_analyst'] as const) {
    const agent = await ctx.signIn(await ctx.newAccount('southend', role))
    assert.equal((await agent.get('/privacy/break-glass')).statusCode, 404, `${role} list`)
    assert.equal((await agent.get(`/privacy/break-glass/${grant.id}`)).statusCode, 404, `${role} review`)
    assert.equal((await agent.post(`/privacy/break-glass/${grant.id}`, { finding: 'appropriate' })).statusCode, 404, `${role} finding`)
  }

  const essexPractitioner = await ctx.signIn(await ctx.newAccount('essex', 'practitioner'))
  const refused = await essexPractitioner.post('/break-glass', { reference, reason: REASON })
  assert.equal(refused.statusCode, 400, 'another authority’s reference does not exist here')
  assert.equal((await essexPractitioner.get(`/involvements/${id}`)).statusCode, 404)
  const essexAdmin = await ctx.signIn(await ctx.newAccount('essex', 'administrator'))
  assert.ok(!text((await essexAdmin.get('/privacy/break-glass')).body).includes(reference))
  assert.equal((await essexAdmin.get(`/privacy/break-glass/${grant.id}`)).statusCode, 404)
  assert.equal((await essexAdmin.post(`/privacy/break-glass/${grant.id}`, { finding: 'appropriate' })).statusCode, 404)
  for (const role of ['team_manager', 'duty_manager'] as const) {
    const agent = await ctx.signIn(await ctx.newAccount('essex', role))
    assert.equal((await agent.get(`/involvements/${id}/audit`)).statusCode, 404, `essex ${role}`)
  }
  assert.equal((await ctx.db.system.selectFrom('break_glass_grants').select('finding').where('id', '=', grant.id).executeTakeFirstOrThrow()).finding, null)
})

test('who has seen this family: its managers read every view, break-glass marked; the team and the front door officer get 404', async () => {
  const { id, reference } = await openTestInvolvement(ctx, lead)
  const member = await ctx.newAccount('southend', 'practitioner')
  await leadAgent.post(`/involvements/${id}/team`, { email: member.email, role: 'School nurse' })
  const memberAgent = await ctx.signIn(member)
  assert.equal((await memberAgent.get(`/involvements/${id}`)).statusCode, 200)
  const glass = await ctx.newAccount('southend', 'practitioner')
  const glassAgent = await ctx.signIn(glass)
  await glassAgent.post('/break-glass', { reference, reason: REASON })
  assert.equal((await glassAgent.get(`/involvements/${id}`)).statusCode, 200)
  await ctx.db.system.updateTable('accounts').set({ name: 'Nadia Nurse' }).where('id', '=', member.id).execute()
  await ctx.db.system.updateTable('accounts').set({ name: 'Gary Glass' }).where('id', '=', glass.id).execute()

  for (const role of ['team_manager', 'duty_manager'] as const) {
    const manager = await ctx.signIn(await ctx.newAccount('southend', role))
    const family = await manager.get(`/involvements/${id}`)
    assert.equal(family.statusCode, 200)
    const page = await manager.get(`/involvements/${id}/audit`)
    assert.equal(page.statusCode, 200, role)
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => text(m[1] ?? '')).slice(1)
    assert.ok(rows.some((r) => r.includes('Nadia Nurse') && r.includes('Viewed a family’s early help') && !r.includes('Break-glass')), 'the member’s view')
    assert.ok(rows.some((r) => r.includes('Gary Glass') && r.includes('Viewed a family’s early help') && r.includes('Break-glass')), 'the break-glass view, marked')
    assert.ok(rows.some((r) => r.includes('Gary Glass') && r.includes('Opened a family’s record without a relationship')), 'the opening itself')
    assert.ok(rows.some((r) => r.includes('Added someone to a Team Around the Family')))
  }
  assert.equal((await events(id, 'family-audit-viewed')).length, 2)

  for (const agent of [memberAgent, leadAgent, glassAgent, await ctx.signIn(await ctx.newAccount('southend', 'front_door_officer')), await ctx.signIn(await ctx.newAccount('southend', 'early_help_advisor'))]) {
    assert.equal((await agent.get(`/involvements/${id}/audit`)).statusCode, 404)
  }
  assert.equal((await events(id, 'family-audit-viewed')).length, 2)
})

test('who has seen this family pages by keyset, newest first, without repeats', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  for (let i = 0; i < 55; i++) await leadAgent.get(`/involvements/${id}`)
  const manager = await ctx.signIn(await ctx.newAccount('southend', 'team_manager'))
  const first = await manager.get(`/involvements/${id}/audit`)
  const ids = (body: string) => [...body.matchAll(/<td class="govuk-table__cell">/g)].length
  assert.equal(ids(first.body) / 3, 50)
  const older = /href="(\/involvements\/[^"]+\/audit\?before=\d+)"/.exec(first.body)?.[1]
  assert.ok(older)
  const second = await manager.get(older)
  assert.equal(second.statusCode, 200)
  // The two pages hold every event on the family before the manager first looked: the opening and the 55 views.
  const total = (await ctx.db.system.selectFrom('audit_events').select('id').where('record_id', '=', id).where('record_type', '=', 'involvement').where('id', '<', sql<string>`(select min(id) from audit_events where action = 'family-audit-viewed' and record_id = ${id})`).execute()).length
  assert.equal(total, 56)
  assert.equal(ids(first.body) / 3 + ids(second.body) / 3, total)
  assert.match(second.body, /Newest events/)
})
