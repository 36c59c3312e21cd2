import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, beforeEach, test } from 'node:test'
import { createTestContext, type Agent, type TestContext } from '../../test/context.ts'
import { isUkPhoneNumber, readSelfRequest } from './forms.ts'
import { SELF_REQUEST_LIMIT } from './service.ts'
import { inputValue, textareaValue, errorSummary } from '../../test/html.ts'

let ctx: TestContext
let essexOfficer: Agent
let southendOfficer: Agent

before(async () => {
  ctx = await createTestContext()
  essexOfficer = await ctx.signIn(await ctx.newAccount('essex', 'front_door_officer'))
  southendOfficer = await ctx.signIn(await ctx.newAccount('southend', 'front_door_officer'))
})
after(() => ctx.close())
// Every test here posts from the same address (inject's 127.0.0.1): each starts with a fresh count.
beforeEach(() => ctx.db.system.deleteFrom('sign_in_throttle').where('key', 'like', 'self-request:%').execute())

/** A visitor who has opened the form, so their browser holds the form token's cookie. */
async function family(authority = 'essex'): Promise<Agent> {
  const visitor = ctx.visitor()
  const page = await visitor.get(`/help/${authority}`)
  assert.equal(page.statusCode, 200)
  return visitor
}

const answers = (overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  contactName: 'Jo Smith',
  phone: '07700 900 982',
  email: 'jo.smith@example.com',
  'child1-givenName': `Alex${randomUUID().slice(0, 6)}`,
  'child1-familyName': 'Smith',
  'child1-dob-day': '4',
  'child1-dob-month': '9',
  'child1-dob-year': '2015',
  postcode: 'cm1 1qh',
  worries: 'Alex will not go to school and we argue every morning.',
  goingWell: 'Alex loves football.',
  agree: 'yes',
  ...overrides,
})

async function requestsWithReference(reference: string) {
  return ctx.db.system.selectFrom('requests').selectAll().where('reference', '=', reference).execute()
}

async function countRequests(): Promise<number> {
  const row = await ctx.db.system.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

test('the start page lists each authority, and the form carries the 999 warning, the front door lines and the form token', async () => {
  const visitor = ctx.visitor()
  const start = await visitor.get('/help')
  assert.equal(start.statusCode, 200)
  assert.match(start.body, /href="\/help\/essex">Essex County Council</)
  assert.match(start.body, /href="\/help\/southend">Southend-on-Sea City Council</)
  assert.match(start.body, /call the police on 999/)

  const form = await visitor.get('/help/essex')
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /If a child is in danger right now, call the police on 999/)
  assert.match(form.body, /Priority Line/)
  assert.match(form.body, /0345 6037627/)
  assert.match(form.body, /<input type="hidden" name="_csrf" value="[^"]+">/)
  assert.match(form.body, /I agree to the council’s early help front door using this information to contact us and decide how to help/)
  assert.match(form.body, /<title>Ask Essex County Council for early help – Essex Effective Support<\/title>/)
  const southend = await visitor.get('/help/southend')
  assert.match(southend.body, /First Contact/)
})

test('an unknown authority does not exist', async () => {
  const visitor = await family()
  for (const path of ['/help/narnia', '/help/ESSEX', '/help/essex%00', '/help/constructor', `/help/${'a'.repeat(300)}`, '/help/narnia/sent?reference=NAR-2026-00001']) {
    assert.equal((await visitor.get(path)).statusCode, 404, path)
  }
  const posted = await visitor.post('/help/narnia', answers())
  assert.equal(posted.statusCode, 404)
})

test('a family’s request arrives in its authority’s queue marked as a self-request, with its children', async () => {
  const before = await countRequests()
  const visitor = await family()
  const form = answers({
    'child2-givenName': 'Sam',
    'child2-familyName': 'Smith-Jones',
    'child2-dob-day': '29',
    'child2-dob-month': 'Feb',
    'child2-dob-year': '2020',
  })
  const sent = await visitor.post('/help/essex', form)
  assert.equal(sent.statusCode, 303)
  const location = new URL(String(sent.headers.location), 'https://early-help.example')
  assert.equal(location.pathname, '/help/essex/sent')
  const reference = location.searchParams.get('reference') ?? ''
  assert.match(reference, /^ESS-\d{4}-\d{5}$/)
  assert.equal(await countRequests(), before + 1)

  const confirmation = await visitor.get(String(sent.headers.location))
  assert.equal(confirmation.statusCode, 200)
  assert.match(confirmation.body, /govuk-panel--confirmation/)
  assert.match(confirmation.body, new RegExp(`Your reference<br><strong>${reference}</strong>`))
  assert.match(confirmation.body, /contact you within 2 working days/)

  const [request] = await requestsWithReference(reference)
  assert.ok(request)
  assert.equal(request.tenant_id, 'essex')
  assert.equal(request.route, 'self')
  assert.equal(request.status, 'submitted')
  assert.equal(request.priority, false)
  assert.equal(request.referrer_account_id, null)
  assert.equal(request.referrer_phone, '07700 900 982')
  assert.equal(request.postcode, 'CM1 1QH', 'the postcode is normalised')
  assert.deepEqual(request.answers, {
    help: {
      contactName: 'Jo Smith',
      phone: '07700 900 982',
      email: 'jo.smith@example.com',
      worries: 'Alex will not go to school and we argue every morning.',
      goingWell: 'Alex loves football.',
      agreed: true,
    },
  })
  assert.ok(request.submitted_at && request.acknowledge_due_at && request.decision_due_at)
  assert.ok(request.acknowledge_due_at > request.submitted_at)
  assert.ok(request.decision_due_at >= request.acknowledge_due_at)
  assert.equal(typeof request.suggested_level, 'number')

  const people = await ctx.db.system.selectFrom('request_people').selectAll().where('request_id', '=', request.id).orderBy('position').execute()
  assert.deepEqual(
    people.map((p) => [p.tenant_id, p.kind, p.given_name, p.family_name, p.date_of_birth, p.position]),
    [
      ['essex', 'child', form['child1-givenName'], 'Smith', '2015-09-04', 0],
      ['essex', 'child', 'Sam', 'Smith-Jones', '2020-02-29', 1],
    ],
  )

  const events = await ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', request.id).execute()
  assert.deepEqual(
    events.map((e) => [e.action, e.tenant_id, e.actor_account_id, e.actor_role, e.record_type, e.outcome, e.detail]),
    [['request-submitted', 'essex', null, null, 'request', 'success', { route: 'self' }]],
  )
  assert.equal(events[0]?.ip, '127.0.0.1')

  const queue = await essexOfficer.get('/front-door')
  assert.equal(queue.statusCode, 200)
  const row = (queue.body.match(/<tr class="govuk-table__row">[^]*?<\/tr>/g) ?? []).find((r) => r.includes(reference))
  assert.ok(row, 'the request is in the queue')
  assert.match(row, /The family \(self-request\)/)
  assert.ok(row.includes(`${form['child1-givenName']} Smith, Sam Smith-Jones`))

  const opened = await essexOfficer.get(`/front-door/requests/${request.id}`)
  assert.equal(opened.statusCode, 200)
  assert.match(opened.body, /Alex will not go to school and we argue every morning./)
  assert.match(opened.body, /Jo Smith, 07700 900 982, jo.smith@example.com/)
})

test('Southend’s self-requests never appear in Essex’s queue, and Essex’s never in Southend’s', async () => {
  const southendFamily = await family('southend')
  const southendSent = await southendFamily.post('/help/southend', answers({ postcode: 'SS1 1AA' }))
  assert.equal(southendSent.statusCode, 303)
  const southendReference = new URL(String(southendSent.headers.location), 'https://x.example').searchParams.get('reference') ?? ''
  assert.match(southendReference, /^SOU-\d{4}-\d{5}$/)
  const essexFamily = await family('essex')
  const essexSent = await essexFamily.post('/help/essex', answers())
  const essexReference = new URL(String(essexSent.headers.location), 'https://x.example').searchParams.get('reference') ?? ''

  const [row] = await requestsWithReference(southendReference)
  assert.equal(row?.tenant_id, 'southend')
  const people = await ctx.db.system.selectFrom('request_people').select('tenant_id').where('request_id', '=', row?.id ?? '').execute()
  assert.deepEqual(people, [{ tenant_id: 'southend' }])

  const essexQueue = await essexOfficer.get('/front-door')
  assert.ok(!essexQueue.body.includes(southendReference))
  assert.ok(essexQueue.body.includes(essexReference))
  const southendQueue = await southendOfficer.get('/front-door')
  assert.ok(southendQueue.body.includes(southendReference))
  assert.ok(!southendQueue.body.includes(essexReference))
  assert.equal((await essexOfficer.get(`/front-door/requests/${row?.id}`)).statusCode, 404)

  // A reference from the other authority is not confirmed on this one's page.
  const crossed = await essexFamily.get(`/help/essex/sent?reference=${southendReference}`)
  assert.equal(crossed.statusCode, 303)
  assert.equal(crossed.headers.location, '/help/essex')
})

test('missing answers are each explained, in the order of the page, linked to their fields', async () => {
  const before = await countRequests()
  const visitor = await family()
  const empty = await visitor.post('/help/essex', {})
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /<title>Error: Ask Essex County Council for early help/)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#contactName', text: 'Enter your name' },
    { href: '#phone', text: 'Enter a telephone number or an email address, so the front door can contact you' },
    { href: '#child1-givenName', text: 'Enter the child’s first name' },
    { href: '#child1-familyName', text: 'Enter the child’s last name' },
    { href: '#child1-dob-day', text: 'Enter the child’s date of birth' },
    { href: '#postcode', text: 'Enter your postcode' },
    { href: '#worries', text: 'Enter what you need help with' },
    { href: '#agree', text: 'Select to confirm you agree to the front door using this information' },
  ])
  // Every link leads to a field on the page.
  for (const { href } of errorSummary(empty.body)) assert.match(empty.body, new RegExp(`id="${href.slice(1)}"`), href)
  assert.match(empty.body, /id="child1-dob-error"[^]*Enter the child’s date of birth/)
  assert.equal(await countRequests(), before)
})

test('a bad email, telephone number, postcode or date is explained and everything typed is kept', async () => {
  const before = await countRequests()
  const visitor = await family()
  const typed = answers({
    phone: '12345',
    email: 'jo.smith at example',
    postcode: 'XY1 1ZZ',
    'child1-dob-day': '31',
    'child1-dob-month': '2',
    'child1-dob-year': '2016',
    'child2-givenName': 'Sam',
    'child2-dob-day': '1',
    'child2-dob-month': '1',
    'child2-dob-year': String(new Date().getUTCFullYear() + 1),
    goingWell: 'Grandma helps <a lot>',
  })
  const response = await visitor.post('/help/essex', typed)
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body), [
    { href: '#phone', text: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192' },
    { href: '#email', text: 'Enter an email address in the correct format, like name@example.com' },
    { href: '#child1-dob-day', text: 'The first child’s date of birth must be a real date' },
    { href: '#child2-familyName', text: 'Enter the second child’s last name' },
    { href: '#child2-dob-day', text: 'The second child’s date of birth must be today or in the past' },
    { href: '#postcode', text: 'Enter a real postcode, like SS1 1AA' },
  ])
  for (const name of ['contactName', 'phone', 'email', 'postcode', 'child1-givenName', 'child1-familyName', 'child1-dob-day', 'child1-dob-month', 'child1-dob-year', 'child2-givenName', 'child2-dob-year']) {
    assert.equal(inputValue(response.body, name), typed[name], name)
  }
  assert.equal(textareaValue(response.body, 'worries'), typed.worries)
  assert.equal(textareaValue(response.body, 'goingWell'), 'Grandma helps <a lot>')
  assert.ok(response.body.includes('Grandma helps &lt;a lot&gt;'), 'typed markup is kept as text, escaped')
  assert.match(response.body, /name="agree" type="checkbox" value="yes" checked/)
  assert.match(response.body, /<details class="govuk-details" open>/, 'the further children stay open when something was typed in them')
  assert.match(response.body, />\s*First child\s*</, 'with several children, the first is called the first')
  assert.match(response.body, /class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" id="child1-dob-day"/)
  assert.doesNotMatch(response.body, /govuk-input--error" id="child1-dob-month"/, 'only the wrong part of the date is marked')

  // A date of birth too long ago for early help is refused; an older child (a young person) is not.
  const old = await visitor.post('/help/essex', answers({ 'child1-dob-year': '1990' }))
  assert.equal(old.statusCode, 400)
  assert.match(errorSummary(old.body)[0]?.text ?? '', /^The child’s date of birth must be after \d{1,2} \w+ \d{4}$/)
  assert.equal(await countRequests(), before)
})

test('the agreement is required: a self-request is the family’s own consent', async () => {
  const before = await countRequests()
  const visitor = await family()
  const { agree: _agree, ...withoutAgreement } = answers()
  const response = await visitor.post('/help/essex', withoutAgreement)
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body), [{ href: '#agree', text: 'Select to confirm you agree to the front door using this information' }])
  const wrong = await visitor.post('/help/essex', answers({ agree: 'no' }))
  assert.equal(wrong.statusCode, 400)
  assert.equal(await countRequests(), before)
})

test('one way to contact the family is enough', async () => {
  const visitor = await family()
  assert.equal((await visitor.post('/help/essex', answers({ email: '' }))).statusCode, 303)
  assert.equal((await visitor.post('/help/essex', answers({ phone: '' }))).statusCode, 303)
  assert.equal((await visitor.post('/help/essex', answers({ phone: '+44 (0)1632 960001', email: '' }))).statusCode, 303)
})

test('odd input never breaks the form', async () => {
  const before = await countRequests()
  const visitor = await family()
  const cases: Record<string, string | string[]>[] = [
    answers({ contactName: ['Jo', 'Smith'], agree: ['yes', 'yes'] }),
    answers({ worries: 'x'.repeat(5001), 'child1-givenName': 'y'.repeat(101) }),
    answers({ postcode: 'S'.repeat(500), phone: '0'.repeat(500), email: `${'e'.repeat(300)}@example.com` }),
    answers({ 'child1-dob-day': '1e1', 'child1-dob-month': 'Smarch', 'child1-dob-year': '-2015' }),
    answers({ contactName: 'Jo\u0000Smith', 'child1-dob-year': '99999999999999999999' }),
  ]
  for (const form of cases) {
    const response = await visitor.post('/help/essex', form)
    assert.equal(response.statusCode, 400, JSON.stringify(form).slice(0, 200))
    assert.ok(errorSummary(response.body).length > 0)
  }
  assert.equal(await countRequests(), before)

  // A form without its token is refused, as any form is.
  const stranger = ctx.visitor()
  const forged = await stranger.post('/help/essex', { ...answers(), _csrf: '' })
  assert.equal(forged.statusCode, 403)
  assert.equal(await countRequests(), before)
})

test('the confirmation page only shows a reference of the authority’s own shape', async () => {
  const visitor = ctx.visitor()
  for (const query of ['', '?reference=', '?reference=%3Cscript%3E', '?reference=ESS-2026', '?reference=SOU-2026-00001']) {
    const response = await visitor.get(`/help/essex/sent${query}`)
    assert.equal(response.statusCode, 303, query)
    assert.equal(response.headers.location, '/help/essex')
  }
})

test(`one address may send ${SELF_REQUEST_LIMIT} requests an hour; the next is refused with a clear message and what was typed is kept`, async () => {
  const before = await countRequests()
  const visitor = await family('southend')
  // Forms with mistakes are not counted.
  assert.equal((await visitor.post('/help/southend', answers({ agree: '' }))).statusCode, 400)
  for (let i = 0; i < SELF_REQUEST_LIMIT; i++) {
    const sent = await visitor.post('/help/southend', answers({ postcode: 'SS1 1AA' }))
    assert.equal(sent.statusCode, 303, `request ${i + 1}`)
  }
  assert.equal(await countRequests(), before + SELF_REQUEST_LIMIT)

  const typed = answers({ postcode: 'SS1 1AA', worries: 'We need help with money.' })
  const refused = await visitor.post('/help/southend', typed)
  assert.equal(refused.statusCode, 429)
  assert.ok(Number(refused.headers['retry-after']) > 0)
  assert.match(refused.body, /<title>Error: /)
  assert.deepEqual(errorSummary(refused.body), [{ href: '#limited', text: `You cannot send more than ${SELF_REQUEST_LIMIT} requests for help in an hour from this internet connection` }])
  assert.match(refused.body, /Your request has not been sent/)
  assert.match(refused.body, /You can send this request after \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)/)
  assert.match(refused.body, /Duty Manager/, 'the way to telephone instead')
  assert.equal(textareaValue(refused.body, 'worries'), 'We need help with money.')
  assert.equal(inputValue(refused.body, 'contactName'), 'Jo Smith')
  // The limit covers the address, whichever authority it asks.
  assert.equal((await (await family('essex')).post('/help/essex', answers())).statusCode, 429)
  assert.equal(await countRequests(), before + SELF_REQUEST_LIMIT)

  // Another address is not affected.
  const other = await ctx.app.inject({
    method: 'POST',
    url: '/help/southend',
    remoteAddress: '203.0.113.7',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    payload: new URLSearchParams({ _csrf: visitor.csrfToken(), ...(answers({ postcode: 'SS1 1AA' }) as Record<string, string>) }).toString(),
  })
  assert.equal(other.statusCode, 303)

  // An hour later the address may send again.
  await ctx.db.system
    .updateTable('sign_in_throttle')
    .set({ window_started_at: new Date(Date.now() - 61 * 60 * 1000) })
    .where('key', '=', 'self-request:ip:127.0.0.1')
    .execute()
  assert.equal((await visitor.post('/help/southend', answers({ postcode: 'SS1 1AA' }))).statusCode, 303)
  const row = await ctx.db.system.selectFrom('sign_in_throttle').selectAll().where('key', '=', 'self-request:ip:127.0.0.1').executeTakeFirstOrThrow()
  assert.equal(row.failures, 1, 'a new window starts')
})

test('requests sent at the same moment from one address are all counted', async () => {
  const visitor = await family('essex')
  const before = await countRequests()
  const results = await Promise.all(Array.from({ length: SELF_REQUEST_LIMIT + 3 }, () => visitor.post('/help/essex', answers())))
  const codes = results.map((r) => r.statusCode)
  assert.equal(codes.filter((c) => c === 303).length, SELF_REQUEST_LIMIT, codes.join(','))
  assert.equal(codes.filter((c) => c === 429).length, 3)
  assert.equal(await countRequests(), before + SELF_REQUEST_LIMIT)
})

test('telephone numbers are read as UK numbers however they are written', () => {
  for (const ok of ['01632 960 001', '07700 900 982', '+44 808 157 0192', '+44 (0)7700 900982', '0044 20 7946 0958', '(01632) 960001', '020-7946-0958', '0800 123 4567', '016977 3456']) {
    assert.ok(isUkPhoneNumber(ok), ok)
  }
  for (const bad of ['12345', '0770090098', '0207946095', '077009009821', '+1 202 555 0143', '00 44', 'phone me', '+44', '01632 960 00x']) {
    assert.ok(!isUkPhoneNumber(bad), bad)
  }
})

test('the form reader takes the UK date for “today”, not the server’s', () => {
  // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): a child born on 1 July is born "today".
  const now = new Date('2026-06-30T23:30:00Z')
  const form = readSelfRequest(answers({ 'child1-dob-day': '1', 'child1-dob-month': '7', 'child1-dob-year': '2026' }), now)
  assert.ok(form.ok, JSON.stringify(!form.ok && form.errors))
  assert.equal(form.value.children[0]?.dateOfBirth, '2026-07-01')
  assert.equal(form.value.postcode, 'CM1 1QH')
})
