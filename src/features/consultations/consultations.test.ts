import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { CONSULTATION_PAGE_SIZE } from './service.ts'
import { inputValue, textareaValue, errorSummary } from '../../test/html.ts'

let ctx: TestContext
let officer: TestAccount
let officerAgent: Agent
let manager: TestAccount
let managerAgent: Agent

before(async () => {
  ctx = await createTestContext()
  officer = await ctx.newAccount('essex', 'front_door_officer')
  officerAgent = await ctx.signIn(officer)
  manager = await ctx.newAccount('essex', 'duty_manager')
  managerAgent = await ctx.signIn(manager)
})
after(() => ctx.close())

/** The caller names on the list page, in the order shown (each card's title ends with the caller). */
function callersShown(html: string): string[] {
  return [...html.matchAll(/<h2 class="govuk-summary-card__title">([^]*?)<\/h2>/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ' ').trim())
}

const call = (overrides: Record<string, string> = {}) => ({
  callerName: `Sam Caller ${randomUUID().slice(0, 8)}`,
  callerOrganisation: 'Greenfield Primary School',
  familyNamed: 'yes',
  familyDescription: 'The Smith family, Jo and Alex',
  concern: 'Alex has been coming to school hungry.\nJo seems low.',
  advice: 'Talk to the family about the food bank; ask for support if it continues.',
  requestAdvised: 'yes',
  ...overrides,
})

test('a front door officer records a call, and it is saved, audited and shown newest first', async () => {
  const form = await officerAgent.get('/front-door/consultations/new')
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /Did the caller name the family\?/)
  assert.match(form.body, /name="_csrf" value="[^"]+"/)

  const first = call()
  const saved = await officerAgent.post('/front-door/consultations/new', first)
  assert.equal(saved.statusCode, 303)
  assert.equal(saved.headers.location, '/front-door/consultations?recorded=1')

  const row = await ctx.db.system.selectFrom('consultations').selectAll().where('caller_name', '=', first.callerName).executeTakeFirstOrThrow()
  assert.equal(row.tenant_id, 'essex')
  assert.equal(row.recorded_by, officer.id)
  assert.equal(row.caller_organisation, 'Greenfield Primary School')
  assert.equal(row.family_named, true)
  assert.equal(row.family_description, 'The Smith family, Jo and Alex')
  assert.equal(row.concern, first.concern)
  assert.equal(row.request_advised, true)
  const events = await ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', row.id).execute()
  assert.deepEqual(
    events.map((e) => [e.action, e.tenant_id, e.actor_account_id, e.record_type, e.detail]),
    [['consultation-recorded', 'essex', officer.id, 'consultation', { familyNamed: true, requestAdvised: true }]],
  )

  // No family named, no organisation: a description typed before choosing "No" is not kept.
  const second = call({ familyNamed: 'no', familyDescription: 'typed then changed their mind', callerOrganisation: '  ', requestAdvised: 'no' })
  assert.equal((await managerAgent.post('/front-door/consultations/new', second)).statusCode, 303)
  const other = await ctx.db.system.selectFrom('consultations').selectAll().where('caller_name', '=', second.callerName).executeTakeFirstOrThrow()
  assert.equal(other.family_named, false)
  assert.equal(other.family_description, null)
  assert.equal(other.caller_organisation, null)
  assert.equal(other.request_advised, false)
  assert.equal(other.recorded_by, manager.id)

  const list = await officerAgent.get('/front-door/consultations?recorded=1')
  assert.equal(list.statusCode, 200)
  assert.match(list.body, /Consultation call saved/)
  const callers = callersShown(list.body)
  const firstAt = callers.findIndex((c) => c.includes(first.callerName))
  const secondAt = callers.findIndex((c) => c.includes(second.callerName))
  assert.ok(secondAt >= 0 && firstAt > secondAt, 'the newer call comes first')
  assert.ok(callers[firstAt]?.endsWith(`${first.callerName}, Greenfield Primary School`))
  assert.match(list.body, /Alex has been coming to school hungry.<br \/>\s*Jo seems low./, 'line breaks are kept, the text escaped')
  assert.match(list.body, /Not named/)
  assert.match(list.body, /Test duty_manager/)

  const viewed = await ctx.db.system
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'consultation-list-viewed')
    .where('actor_account_id', '=', officer.id)
    .execute()
  assert.equal(viewed.length, 1)
  assert.equal(viewed[0]?.tenant_id, 'essex')
})

test('what is typed in the log is shown as text, never as markup', async () => {
  const sneaky = call({ concern: '<script>alert(1)</script>', familyDescription: '<b>bold</b>' })
  assert.equal((await officerAgent.post('/front-door/consultations/new', sneaky)).statusCode, 303)
  const list = await officerAgent.get('/front-door/consultations')
  assert.ok(!list.body.includes('<script>alert(1)</script>'))
  assert.match(list.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  assert.match(list.body, /&lt;b&gt;bold&lt;\/b&gt;/)
})

test('the form says what is missing, in the order of the page, and keeps what was typed', async () => {
  const empty = await officerAgent.post('/front-door/consultations/new', {})
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /<title>Error: Record a consultation call/)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#callerName', text: 'Enter the caller’s name' },
    { href: '#familyNamed', text: 'Select yes if the caller named a family' },
    { href: '#concern', text: 'Enter the concern the caller raised' },
    { href: '#advice', text: 'Enter the advice you gave' },
    { href: '#requestAdvised', text: 'Select yes if you advised the caller to make a request for support' },
  ])

  // A family was named but not described: that is asked for alongside everything else missing.
  const named = await officerAgent.post('/front-door/consultations/new', { callerName: 'Pat Caller', familyNamed: 'yes', familyDescription: '  ', concern: 'Worried', requestAdvised: 'no' })
  assert.equal(named.statusCode, 400)
  assert.deepEqual(errorSummary(named.body), [
    { href: '#familyDescription', text: 'Enter who the family is' },
    { href: '#advice', text: 'Enter the advice you gave' },
  ])
  assert.equal(inputValue(named.body, 'callerName'), 'Pat Caller')
  assert.equal(textareaValue(named.body, 'concern'), 'Worried')
  assert.match(named.body, /name="familyNamed" type="radio" value="yes" checked/)
  assert.match(named.body, /name="requestAdvised" type="radio" value="no" checked/)
  assert.match(named.body, /id="familyDescription-error"[^]*Enter who the family is/)

  const odd = await officerAgent.post('/front-door/consultations/new', { ...call(), familyNamed: 'perhaps', requestAdvised: ['yes', 'no'], callerName: 'x'.repeat(201) })
  assert.equal(odd.statusCode, 400)
  assert.deepEqual(
    errorSummary(odd.body).map((e) => e.href),
    ['#callerName', '#familyNamed', '#requestAdvised'],
  )
  const count = await ctx.db.system.selectFrom('consultations').select((eb) => eb.fn.countAll<string>().as('n')).where('caller_name', '=', 'Pat Caller').executeTakeFirstOrThrow()
  assert.equal(Number(count.n), 0, 'nothing was saved')
})

test('other roles are told the log does not exist, and the denial is audited', async () => {
  for (const role of ['practitioner', 'early_help_advisor', 'team_manager', 'administrator', 'performance_analyst'] as const) {
    const account = await ctx.newAccount('essex', role)
    const agent = await ctx.signIn(account)
    assert.equal((await agent.get('/front-door/consultations')).statusCode, 404, role)
    assert.equal((await agent.get('/front-door/consultations/new')).statusCode, 404, role)
    assert.equal((await agent.post('/front-door/consultations/new', call({ callerName: `Denied ${role}` }))).statusCode, 404, role)
    const denied = await ctx.db.system.selectFrom('audit_events').select('action').where('actor_account_id', '=', account.id).where('action', '=', 'access-denied').execute()
    assert.equal(denied.length, 3, role)
  }
  const saved = await ctx.db.system.selectFrom('consultations').select('id').where('caller_name', 'like', 'Denied %').execute()
  assert.deepEqual(saved, [])

  // A visitor is asked to sign in.
  const visitor = ctx.visitor()
  const response = await visitor.get('/front-door/consultations')
  assert.equal(response.statusCode, 303)
  assert.match(String(response.headers.location), /^\/sign-in\?returnTo=/)
})

test('each authority sees only its own calls', async () => {
  const southendOfficer = await ctx.signIn(await ctx.newAccount('southend', 'front_door_officer'))
  const southendCall = call({ callerName: `Southend caller ${randomUUID().slice(0, 8)}` })
  assert.equal((await southendOfficer.post('/front-door/consultations/new', southendCall)).statusCode, 303)
  const essexCall = call({ callerName: `Essex caller ${randomUUID().slice(0, 8)}` })
  assert.equal((await officerAgent.post('/front-door/consultations/new', essexCall)).statusCode, 303)

  const essexList = await officerAgent.get('/front-door/consultations')
  assert.ok(essexList.body.includes(essexCall.callerName))
  assert.ok(!essexList.body.includes(southendCall.callerName))
  const southendList = await southendOfficer.get('/front-door/consultations')
  assert.ok(southendList.body.includes(southendCall.callerName))
  assert.ok(!southendList.body.includes(essexCall.callerName))
  assert.match(southendList.body, /Duty Manager/, 'Southend’s name for its line')

  // A Southend call's id as Essex's cursor finds nothing rather than leaking its place.
  const row = await ctx.db.system.selectFrom('consultations').select('id').where('caller_name', '=', southendCall.callerName).executeTakeFirstOrThrow()
  const probe = await officerAgent.get(`/front-door/consultations?before=${row.id}`)
  assert.equal(probe.statusCode, 200)
  assert.deepEqual(callersShown(probe.body), [])
})

test('the log pages by keyset: every call once, newest first, even when recorded in the same instant', async () => {
  const tenant = 'southend'
  const account = await ctx.newAccount(tenant, 'duty_manager')
  const agent = await ctx.signIn(account)
  // A page and a half of calls, in pairs sharing a timestamp.
  const total = CONSULTATION_PAGE_SIZE + 7
  const base = Date.now() - 60_000
  const names: string[] = []
  for (let i = 0; i < total; i++) {
    const name = `Paged caller ${String(i).padStart(3, '0')}`
    names.push(name)
    await ctx.db.system
      .insertInto('consultations')
      .values({
        tenant_id: tenant,
        recorded_by: account.id,
        caller_name: name,
        family_named: false,
        concern: 'c',
        advice: 'a',
        request_advised: false,
        recorded_at: new Date(base + Math.floor(i / 2) * 1000),
      })
      .execute()
  }
  const seen: string[] = []
  let url: string | null = '/front-door/consultations'
  let pages = 0
  while (url) {
    const page = await agent.get(url)
    assert.equal(page.statusCode, 200)
    seen.push(...callersShown(page.body).filter((c) => c.includes('Paged caller')).map((c) => c.replace(/^.*: /, '')))
    const older = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(page.body)?.[1]
    url = older ? older.replaceAll('&amp;', '&') : null
    if (pages > 0) assert.match(page.body, /Newest calls/)
    pages++
    assert.ok(pages < 10, 'the pages end')
  }
  assert.equal(pages, 2)
  assert.equal(seen.length, total, 'each call once')
  assert.equal(new Set(seen).size, total)
  // Newest first: later timestamps first; within one timestamp, by id (either order, but each once).
  const order = seen.map((name) => Math.floor(Number(name.slice(-3)) / 2))
  assert.deepEqual(order, [...order].sort((a, b) => b - a))

  // A cursor that is not an id is ignored: the first page.
  const junk = await agent.get('/front-door/consultations?before=not-an-id')
  assert.equal(junk.statusCode, 200)
  assert.equal(callersShown(junk.body).length, CONSULTATION_PAGE_SIZE)
})
