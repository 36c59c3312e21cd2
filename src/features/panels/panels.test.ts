import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../../test/html.ts'
import { nextPanelOn } from './rules.ts'
import { createPanelItem, type PanelFamilyPerson } from './test-support.ts'

/**
 * The Children and Family Panel over HTTP: the coming panels, an agenda, appointing a Lead
 * Professional (which opens early help for the family), other decisions, and who may see it.
 */

let ctx: TestContext
let dutyManager: TestAccount
let dutyAgent: Agent
let teamAgent: Agent
let practitionerAgent: Agent
let officerAgent: Agent
let essexDutyAgent: Agent
let practitioner: TestAccount
let referrer: TestAccount
let essexPractitioner: TestAccount

const today = localDateOf(new Date())
const family = (name: string): PanelFamilyPerson[] => [
  { kind: 'child', givenName: 'Ruby', familyName: name, dateOfBirth: addDays(today, -(7 * 365 + 30)) },
  { kind: 'child', givenName: 'Alfie', familyName: name, dateOfBirth: addDays(today, -(3 * 365 + 30)) },
  { kind: 'adult', givenName: 'Kerry', familyName: name, dateOfBirth: '1988-01-15', relationship: 'Mother' },
]

before(async () => {
  ctx = await createTestContext()
  dutyManager = await ctx.newAccount('southend', 'duty_manager')
  const teamManager = await ctx.newAccount('southend', 'team_manager')
  practitioner = await ctx.newAccount('southend', 'practitioner', { email: 'lead.professional@southend.test' })
  referrer = await ctx.newAccount('southend', 'practitioner')
  const officer = await ctx.newAccount('southend', 'front_door_officer')
  const essexDuty = await ctx.newAccount('essex', 'duty_manager')
  essexPractitioner = await ctx.newAccount('essex', 'practitioner', { email: 'essex.lead@essex.test' })
  await ctx.db.system.updateTable('accounts').set({ name: 'Jo Referrer' }).where('id', '=', referrer.id).execute()
  await ctx.db.system.updateTable('accounts').set({ name: 'Lee Lead' }).where('id', '=', practitioner.id).execute()
  ;[dutyAgent, teamAgent, practitionerAgent, officerAgent, essexDutyAgent] = await Promise.all([
    ctx.signIn(dutyManager),
    ctx.signIn(teamManager),
    ctx.signIn(practitioner),
    ctx.signIn(officer),
    ctx.signIn(essexDuty),
  ])
})
after(() => ctx.close())

test('the coming panels: dates with families waiting, and the next weekly panel even when empty', async () => {
  const empty = await teamAgent.get('/panels')
  assert.equal(empty.statusCode, 200)
  assert.match(text(empty.body), /Next panel 0 0/)
  assert.match(empty.body, new RegExp(`href="/panels/${nextPanelOn(today)}"`))

  const panelOn = addDays(nextPanelOn(today), 7)
  const overdue = addDays(today, -14)
  await createPanelItem(ctx, 'southend', { panelOn, people: family('Panelone'), referrerAccountId: referrer.id })
  await createPanelItem(ctx, 'southend', { panelOn, people: family('Paneltwo'), referrerAccountId: null })
  await createPanelItem(ctx, 'southend', { panelOn: overdue, people: family('Panelthree') })
  const list = await dutyAgent.get('/panels')
  assert.equal(list.statusCode, 200)
  const rows = [...list.body.matchAll(/href="\/panels\/(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1])
  assert.ok(rows.includes(panelOn) && rows.includes(overdue))
  assert.deepEqual(rows, [...rows].sort(), 'in date order')
  const audit = await ctx.db.system.selectFrom('audit_events').selectAll().where('action', '=', 'panel-viewed').where('actor_account_id', '=', dutyManager.id).execute()
  assert.equal(audit.length, 1)
})

test('the agenda, and the panel appointing a Lead Professional, which opens early help with the family’s people', async () => {
  const panelOn = addDays(today, 3)
  const { itemId, requestId, reference } = await createPanelItem(ctx, 'southend', { panelOn, people: family('Appointfamily'), referrerAccountId: referrer.id })
  const url = `/panels/${panelOn}`
  const agenda = await dutyAgent.get(url)
  assert.equal(agenda.statusCode, 200)
  const section = text(new RegExp(`id="family-${itemId}"[^]*?</section>`).exec(agenda.body)?.[0] ?? '')
  assert.match(section, /Ruby Appointfamily, Alfie Appointfamily Waiting/)
  assert.match(section, new RegExp(`Request ${reference}`))
  assert.match(section, /Ruby Appointfamily, 7 years old Alfie Appointfamily, 3 years old/)
  assert.match(section, /Suggested 2; decided at the front door 2/)
  assert.match(section, /Emerging needs; several agencies involved.*Two indicators at level 2/)
  assert.match(section, /Asked for by Jo Referrer/)

  // No choice; then an email address nobody has: clear errors, what was typed kept.
  const none = await dutyAgent.post(`${url}/items/${itemId}`, {})
  assert.equal(none.statusCode, 400)
  assert.deepEqual(errorSummary(none.body), [{ href: `#decision-${itemId}`, text: 'Select the panel’s decision' }])
  const unknown = await dutyAgent.post(`${url}/items/${itemId}`, { decision: 'lead-professional', leadEmail: 'nobody@southend.test', reason: 'School nurse knows them' })
  assert.equal(unknown.statusCode, 400)
  assert.deepEqual(errorSummary(unknown.body), [{ href: `#leadEmail-${itemId}`, text: 'There is no active practitioner with that email address in this authority' }])
  assert.equal(inputValue(unknown.body, 'leadEmail'), 'nobody@southend.test')
  assert.equal(textareaValue(unknown.body, 'reason'), 'School nurse knows them')
  // Another authority's practitioner is nobody here.
  const essex = await dutyAgent.post(`${url}/items/${itemId}`, { decision: 'lead-professional', leadEmail: essexPractitioner.email, reason: '' })
  assert.equal(essex.statusCode, 400)

  const decided = await dutyAgent.post(`${url}/items/${itemId}`, { decision: 'lead-professional', leadEmail: 'Lead.Professional@southend.test', reason: '' })
  assert.equal(decided.statusCode, 303)
  assert.equal(decided.headers.location, `${url}#family-${itemId}`)

  const item = await ctx.db.system.selectFrom('panel_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow()
  assert.equal(item.status, 'decided')
  assert.equal(item.decided_by, dutyManager.id)
  assert.match(item.decision ?? '', /^Lead Professional appointed: Lee Lead/)
  assert.ok(item.involvement_id)
  const involvement = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', item.involvement_id).executeTakeFirstOrThrow()
  assert.equal(involvement.level, 2)
  assert.equal(involvement.route, 'panel')
  assert.equal(involvement.request_id, requestId)
  assert.equal(involvement.lead_account_id, practitioner.id)
  assert.equal(involvement.family_name, 'Appointfamily')
  const people = await ctx.db.system.selectFrom('involvement_people').selectAll().where('involvement_id', '=', involvement.id).orderBy('position').execute()
  assert.deepEqual(
    people.map((p) => [p.given_name, p.relationship]),
    [
      ['Ruby', 'Child'],
      ['Alfie', 'Child'],
      ['Kerry', 'Mother'],
    ],
  )
  const audit = await ctx.db.system.selectFrom('audit_events').selectAll().where('action', '=', 'panel-decided').where('record_id', '=', itemId).execute()
  assert.equal(audit.length, 1)

  const after = await teamAgent.get(url)
  const decidedSection = text(new RegExp(`id="family-${itemId}"[^]*?</section>`).exec(after.body)?.[0] ?? '')
  assert.match(decidedSection, /Decided.*Lead Professional appointed: Lee Lead/)
  assert.match(after.body, new RegExp(`href="/involvements/${involvement.id}"`))
  assert.doesNotMatch(after.body, new RegExp(`action="/panels/${panelOn}/items/${itemId}"`))
  // The Lead Professional can now open the family.
  assert.equal((await ctx.db.system.selectFrom('team_members').select('id').where('involvement_id', '=', involvement.id).where('account_id', '=', practitioner.id).execute()).length, 1)

  // Deciding again is refused.
  const again = await dutyAgent.post(`${url}/items/${itemId}`, { decision: 'no-further-action', reason: 'x' })
  assert.equal(again.statusCode, 400)
  assert.equal((await ctx.db.system.selectFrom('involvements').select('id').where('request_id', '=', requestId).execute()).length, 1)
})

test('another decision needs its reason and opens nothing', async () => {
  const panelOn = addDays(today, 4)
  const { itemId, requestId } = await createPanelItem(ctx, 'southend', { panelOn, people: family('Signpostfamily') })
  const url = `/panels/${panelOn}/items/${itemId}`
  const noReason = await teamAgent.post(url, { decision: 'universal-services', reason: '' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(errorSummary(noReason.body), [{ href: `#reason-${itemId}`, text: 'Enter the reason for the decision' }])
  assert.match(noReason.body, new RegExp(`id="decision-${itemId}-2" name="decision" type="radio" value="universal-services" checked`))
  const done = await teamAgent.post(url, { decision: 'universal-services', reason: 'Children’s centre stay and play; school nurse' })
  assert.equal(done.statusCode, 303)
  const item = await ctx.db.system.selectFrom('panel_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow()
  assert.equal(item.decision, 'Signposted to universal services: Children’s centre stay and play; school nurse')
  assert.equal(item.involvement_id, null)
  assert.equal((await ctx.db.system.selectFrom('involvements').select('id').where('request_id', '=', requestId).execute()).length, 0)
})

test('only duty and team managers reach the panel; a wrong role gets 404', async () => {
  const panelOn = addDays(today, 5)
  const { itemId } = await createPanelItem(ctx, 'southend', { panelOn, people: family('Rolecheck') })
  for (const agent of [practitionerAgent, officerAgent]) {
    assert.equal((await agent.get('/panels')).statusCode, 404)
    assert.equal((await agent.get(`/panels/${panelOn}`)).statusCode, 404)
    assert.equal((await agent.post(`/panels/${panelOn}/items/${itemId}`, { decision: 'no-further-action', reason: 'x' })).statusCode, 404)
  }
  assert.equal((await ctx.visitor().get('/panels')).statusCode, 303)
  assert.equal((await dutyAgent.get('/panels/2026-02-30')).statusCode, 404)
  assert.equal((await dutyAgent.get('/panels/tomorrow')).statusCode, 404)
  assert.equal((await dutyAgent.post(`/panels/${panelOn}/items/not-an-id`, {})).statusCode, 404)
  assert.equal((await dutyAgent.post(`/panels/${addDays(panelOn, 1)}/items/${itemId}`, { decision: 'no-further-action', reason: 'x' })).statusCode, 404, 'the item is not on that date')
})

test('the other authority’s panel items are not visible', async () => {
  const panelOn = addDays(today, 6)
  const { itemId, reference } = await createPanelItem(ctx, 'southend', { panelOn, people: family('Southendonly') })
  const list = await essexDutyAgent.get('/panels')
  assert.doesNotMatch(list.body, new RegExp(`/panels/${panelOn}"`))
  const agenda = await essexDutyAgent.get(`/panels/${panelOn}`)
  assert.equal(agenda.statusCode, 200)
  assert.doesNotMatch(agenda.body, /Southendonly/)
  assert.doesNotMatch(agenda.body, new RegExp(reference))
  assert.match(text(agenda.body), /No families are on this panel’s agenda yet/)
  assert.equal((await essexDutyAgent.post(`/panels/${panelOn}/items/${itemId}`, { decision: 'no-further-action', reason: 'x' })).statusCode, 404)
  const item = await ctx.db.system.selectFrom('panel_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow()
  assert.equal(item.status, 'waiting')
})
