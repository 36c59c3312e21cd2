import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { relationOf } from '../involvements/access.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text, textareaValue } from '../../test/html.ts'
import { sharingStopsAccess } from './rules.ts'

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent
let managerAgent: Agent

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  leadAgent = await ctx.signIn(lead)
  managerAgent = await ctx.signIn(await ctx.newAccount('southend', 'team_manager'))
})
after(async () => ctx.close())

const REASON = 'A Section 47 enquiry has started and the team must keep working together'
const events = (id: string, action: string) => ctx.db.system.selectFrom('audit_events').select('detail').where('record_id', '=', id).where('action', '=', action as never).execute()
const person = (id: string, given: string) => ctx.db.system.selectFrom('involvement_people').select('id').where('involvement_id', '=', id).where('given_name', '=', given).executeTakeFirstOrThrow()
const date = { 'date-day': '3', 'date-month': '11', 'date-year': '2026' }

async function consentFor(id: string, purpose: 'early-help' | 'information-sharing', agent = leadAgent) {
  const dana = await person(id, 'Dana')
  const maisie = await person(id, 'Maisie')
  const response = await agent.post(`/involvements/${id}/consent/new`, { forPerson: maisie.id, givenBy: dana.id, purpose, agencies: 'Riverside Primary School\nNHS Health Visiting', how: 'written', ...date })
  assert.equal(response.statusCode, 303, text(response.body).slice(0, 300))
  return ctx.db.system.selectFrom('consents').selectAll().where('involvement_id', '=', id).where('purpose', '=', purpose).orderBy('recorded_at', 'desc').executeTakeFirstOrThrow()
}

async function withMemberAndReferrer(id: string) {
  const member = await ctx.newAccount('southend', 'practitioner')
  await leadAgent.post(`/involvements/${id}/team`, { email: member.email, role: 'School nurse' })
  const referrer = await ctx.newAccount('southend', 'practitioner')
  const request = await ctx.db.system.insertInto('requests').values({ tenant_id: 'southend', route: 'practitioner', referrer_account_id: referrer.id }).returning('id').executeTakeFirstOrThrow()
  await ctx.db.system.updateTable('involvements').set({ request_id: request.id }).where('id', '=', id).execute()
  return { member: await ctx.signIn(member), referrer: await ctx.signIn(referrer) }
}

test('sharingStopsAccess: only the team’s partner practitioners and the referrer lose access when sharing stops', () => {
  const stopped = new Date()
  assert.equal(sharingStopsAccess('member', stopped), true)
  assert.equal(sharingStopsAccess('referrer', stopped), true)
  for (const relation of ['lead', 'manager', 'advisor', 'front-door', 'break-glass'] as const) assert.equal(sharingStopsAccess(relation, stopped), false, relation)
  assert.equal(sharingStopsAccess('member', null), false)
  assert.equal(relationOf({ accountId: 'a', role: 'practitioner' }, 'b', { onTeam: true }), 'member')
})

test('consent is recorded per person and purpose, shown with dates, and audited once; errors keep what was typed', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const empty = await leadAgent.post(`/involvements/${id}/consent/new`, { purpose: 'information-sharing', agencies: '  ', 'date-day': '40' })
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(errorSummary(empty.body).map((e) => e.href), ['#forPerson', '#givenBy', '#agencies', '#how', '#date-day'])
  const maisie = await person(id, 'Maisie')
  const leo = await person(id, 'Leo')
  const childForOther = await leadAgent.post(`/involvements/${id}/consent/new`, { forPerson: leo.id, givenBy: maisie.id, purpose: 'early-help', how: 'verbal', agencies: '<b>School</b>', ...date })
  assert.equal(childForOther.statusCode, 400)
  assert.match(errorSummary(childForOther.body)[0]?.text ?? '', /A child can give consent only for themselves/)
  assert.equal(textareaValue(childForOther.body, 'agencies'), '<b>School</b>')
  assert.ok(!childForOther.body.includes('<b>School</b>'))

  const own = await leadAgent.post(`/involvements/${id}/consent/new`, { forPerson: maisie.id, givenBy: maisie.id, purpose: 'early-help', how: 'verbal', ...date })
  assert.equal(own.statusCode, 303, 'a young person gives their own')
  const sharing = await consentFor(id, 'information-sharing')
  assert.deepEqual(sharing.agencies, ['Riverside Primary School', 'NHS Health Visiting'])
  assert.equal(sharing.given_on, '2026-11-03')
  assert.equal((await events(id, 'consent-recorded')).length, 2)

  const page = await leadAgent.get(`/involvements/${id}/consent`)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Taking part in early help/)
  assert.match(shown, /Riverside Primary School, NHS Health Visiting/)
  assert.match(shown, /3 November 2026/)
  assert.equal((await events(id, 'consent-viewed')).length, 1)
})

test('withdrawing consent to share, stop sharing: the member and the referrer get 404 at once, and no one can be added to the team', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const { member, referrer } = await withMemberAndReferrer(id)
  assert.equal((await member.get(`/involvements/${id}`)).statusCode, 200)
  assert.equal((await referrer.get(`/involvements/${id}`)).statusCode, 200)
  const consent = await consentFor(id, 'information-sharing')

  const noChoice = await leadAgent.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '1', note: 'Mum <phoned>', ...date })
  assert.equal(noChoice.statusCode, 400)
  assert.deepEqual(errorSummary(noChoice.body).map((e) => e.href), ['#effect'])
  assert.equal(textareaValue(noChoice.body, 'note'), 'Mum <phoned>')

  const done = await leadAgent.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '1', effect: 'stop-sharing', note: 'Mum phoned', ...date })
  assert.equal(done.statusCode, 303)
  assert.equal((await member.get(`/involvements/${id}`)).statusCode, 404)
  assert.equal((await referrer.get(`/involvements/${id}`)).statusCode, 404)
  assert.equal((await member.get(`/involvements/${id}/plans`)).statusCode, 404)
  assert.ok(!text((await member.get('/involvements')).body).includes('Testfamily'), 'gone from their list too')
  assert.equal((await leadAgent.get(`/involvements/${id}`)).statusCode, 200, 'the Lead Professional keeps access')
  assert.equal((await managerAgent.get(`/involvements/${id}`)).statusCode, 200)
  assert.equal((await events(id, 'consent-withdrawn')).length, 1)

  const newcomer = await ctx.newAccount('southend', 'practitioner')
  const refused = await leadAgent.post(`/involvements/${id}/team`, { email: newcomer.email, role: 'Youth worker' })
  assert.equal(refused.statusCode, 400)
  assert.match(errorSummary(refused.body)[0]?.text ?? '', /withdrew consent to share/)

  const family = text((await leadAgent.get(`/involvements/${id}`)).body)
  assert.match(family, /Consent withdrawn on 3 November 2026/)
  assert.match(text((await managerAgent.get('/involvements')).body), /Consent withdrawn 3 November 2026/)

  // A manager later records a lawful basis: sharing restarts, and the sharing log says so.
  const short = await managerAgent.post(`/involvements/${id}/consent/${consent.id}/override`, { basis: 'section-47', reason: 'Too short' })
  assert.equal(short.statusCode, 400)
  assert.deepEqual(errorSummary(short.body).map((e) => e.href), ['#reason'])
  assert.equal((await managerAgent.post(`/involvements/${id}/consent/${consent.id}/override`, { basis: 'section-47', reason: REASON })).statusCode, 303)
  assert.equal((await member.get(`/involvements/${id}`)).statusCode, 200)
  assert.equal((await events(id, 'consent-override-recorded')).length, 1)
  const disclosure = await ctx.db.system.selectFrom('disclosures').selectAll().where('involvement_id', '=', id).where('basis', '=', 'section-47').executeTakeFirstOrThrow()
  assert.equal(disclosure.consent_id, consent.id)
  assert.match(text((await leadAgent.get(`/involvements/${id}/sharing`)).body), /Section 47 enquiry/)
})

test('withdrawing consent to share, continue under a lawful basis: access stays, the override and a disclosure are recorded', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const { member } = await withMemberAndReferrer(id)
  const consent = await consentFor(id, 'information-sharing')
  const missing = await leadAgent.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '1', effect: 'override', ...date })
  assert.deepEqual(errorSummary(missing.body).map((e) => e.href), ['#basis', '#reason'])
  const ok = await leadAgent.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '1', effect: 'override', basis: 'safeguarding-dpa-sch1-para18', reason: REASON, ...date })
  assert.equal(ok.statusCode, 303)
  assert.equal((await member.get(`/involvements/${id}`)).statusCode, 200)
  const overrides = await ctx.db.system.selectFrom('consent_overrides').selectAll().where('consent_id', '=', consent.id).execute()
  assert.equal(overrides.length, 1)
  assert.equal(overrides[0]?.decided_by, lead.id)
  const log = await ctx.db.system.selectFrom('disclosures').selectAll().where('involvement_id', '=', id).orderBy('recorded_at').execute()
  assert.equal(log.at(-1)?.basis, 'safeguarding-dpa-sch1-para18')
  // Adding to the team is allowed, on the override's basis.
  const another = await ctx.newAccount('southend', 'practitioner')
  assert.equal((await leadAgent.post(`/involvements/${id}/team`, { email: another.email, role: 'Youth worker' })).statusCode, 303)
  const latest = await ctx.db.system.selectFrom('disclosures').selectAll().where('involvement_id', '=', id).where('source', '=', 'team-member-added').orderBy('recorded_at', 'desc').executeTakeFirstOrThrow()
  assert.equal(latest.basis, 'safeguarding-dpa-sch1-para18')
  // A second withdrawal of the same consent is refused; a stale version too.
  const again = await leadAgent.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '2', effect: 'stop-sharing', ...date })
  assert.equal(again.statusCode, 400)
  assert.equal((await events(id, 'consent-withdrawn')).length, 1)
})

test('withdrawing consent to early help: the Lead Professional’s closure at level 3 waits for sign-off; at level 2 it closes; a manager’s closes', async () => {
  const three = await openTestInvolvement(ctx, lead, { level: 3 })
  const c3 = await consentFor(three.id, 'early-help')
  const wrongEffect = await leadAgent.post(`/involvements/${three.id}/consent/${c3.id}/withdraw`, { version: '1', effect: 'stop-sharing', ...date })
  assert.equal(wrongEffect.statusCode, 400)
  const closing = await leadAgent.post(`/involvements/${three.id}/consent/${c3.id}/withdraw`, { version: '1', effect: 'close', ...date })
  assert.equal(closing.headers.location, `/involvements/${three.id}?done=closure-requested`)
  const i3 = await ctx.db.system.selectFrom('involvements').select(['status', 'closure']).where('id', '=', three.id).executeTakeFirstOrThrow()
  assert.equal(i3.status, 'closing')
  assert.equal((i3.closure as { reason: string; details: string }).reason, 'consent-withdrawn')
  assert.equal((i3.closure as { reason: string; details: string }).details, 'The family withdrew consent')

  const two = await openTestInvolvement(ctx, lead, { level: 2 })
  const c2 = await consentFor(two.id, 'early-help')
  assert.equal((await leadAgent.post(`/involvements/${two.id}/consent/${c2.id}/withdraw`, { version: '1', effect: 'close', ...date })).headers.location, `/involvements/${two.id}?done=closed`)
  assert.equal((await ctx.db.system.selectFrom('involvements').select('status').where('id', '=', two.id).executeTakeFirstOrThrow()).status, 'closed')

  const managed = await openTestInvolvement(ctx, lead, { level: 3 })
  const cm = await consentFor(managed.id, 'early-help')
  assert.equal((await managerAgent.post(`/involvements/${managed.id}/consent/${cm.id}/withdraw`, { version: '1', effect: 'close', ...date })).statusCode, 303)
  assert.equal((await ctx.db.system.selectFrom('involvements').select('status').where('id', '=', managed.id).executeTakeFirstOrThrow()).status, 'closed')
  assert.equal((await leadAgent.get(`/involvements/${managed.id}/consent`)).statusCode, 200, 'still readable when closed')
  assert.equal((await leadAgent.get(`/involvements/${managed.id}/consent/new`)).statusCode, 409, 'but not changed')

  const continued = await openTestInvolvement(ctx, lead, { level: 2 })
  const cc = await consentFor(continued.id, 'early-help')
  assert.equal((await leadAgent.post(`/involvements/${continued.id}/consent/${cc.id}/withdraw`, { version: '1', effect: 'override', basis: 'section-17', reason: REASON, ...date })).statusCode, 303)
  assert.equal((await ctx.db.system.selectFrom('involvements').select('status').where('id', '=', continued.id).executeTakeFirstOrThrow()).status, 'open')
})

test('who may do what: members record but do not withdraw; strangers, other roles and another authority get 404', async () => {
  const { id } = await openTestInvolvement(ctx, lead)
  const { member } = await withMemberAndReferrer(id)
  const consent = await consentFor(id, 'information-sharing', member)
  assert.equal((await member.get(`/involvements/${id}/consent/${consent.id}/withdraw`)).statusCode, 404)
  assert.equal((await member.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '1', effect: 'stop-sharing', ...date })).statusCode, 404)
  const advisor = await ctx.signIn(await ctx.newAccount('southend', 'early_help_advisor'))
  assert.equal((await advisor.get(`/involvements/${id}/consent`)).statusCode, 200)
  assert.equal((await advisor.get(`/involvements/${id}/consent/new`)).statusCode, 404)
  const stranger = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  assert.equal((await stranger.get(`/involvements/${id}/consent`)).statusCode, 404)
  const admin = await ctx.signIn(await ctx.newAccount('southend', 'administrator'))
  assert.equal((await admin.get(`/involvements/${id}/consent`)).statusCode, 404)
  for (const role of ['practitioner', 'team_manager'] as const) {
    const essex = await ctx.signIn(await ctx.newAccount('essex', role))
    assert.equal((await essex.get(`/involvements/${id}/consent`)).statusCode, 404)
    assert.equal((await essex.post(`/involvements/${id}/consent/${consent.id}/withdraw`, { version: '1', effect: 'stop-sharing', ...date })).statusCode, 404)
    assert.equal((await essex.post(`/involvements/${id}/consent/${consent.id}/override`, { basis: 'section-47', reason: REASON })).statusCode, 404)
  }
  assert.equal((await ctx.db.system.selectFrom('consents').select('withdrawn_on').where('id', '=', consent.id).executeTakeFirstOrThrow()).withdrawn_on, null)
})
