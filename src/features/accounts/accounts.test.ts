import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { text, inputValue, errorSummary } from '../../test/html.ts'

let ctx: TestContext
let admin: TestAccount
let agent: Agent
let essexOrganisation: string

const FIRST_PASSWORD = 'a first password for Jo'

before(async () => {
  ctx = await createTestContext()
  essexOrganisation = await ctx.newOrganisation('essex', { name: `Accounts Test Hub ${randomUUID().slice(0, 8)}`, kind: 'council' })
  admin = await ctx.newAccount('essex', 'administrator', { organisationId: essexOrganisation })
  agent = await ctx.signIn(admin)
})
after(() => ctx.close())

/** The account ids linked from a list page, in order. */
function listedIds(html: string): string[] {
  const body = /<tbody[^]*?<\/tbody>/.exec(html)?.[0] ?? ''
  return [...body.matchAll(/href="\/admin\/accounts\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '')
}

async function accountByEmail(email: string) {
  return ctx.db.system.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst()
}

async function auditFor(recordId: string) {
  return ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', recordId).orderBy('id').execute()
}

async function sessionsOf(accountId: string) {
  return ctx.db.system.selectFrom('sessions').select('id_hash').where('account_id', '=', accountId).execute()
}

const validForm = (overrides: Record<string, string> = {}) => ({
  name: 'Jo Bloggs',
  email: `jo.bloggs-${randomUUID().slice(0, 8)}@essex.test`,
  phone: '01632 960 001',
  role: 'duty_manager',
  organisationId: essexOrganisation,
  password: FIRST_PASSWORD,
  ...overrides,
})

test('an administrator adds an account, and the new person signs in with their first password', async () => {
  const southendOrganisation = await ctx.newOrganisation('southend', { name: `Southend Hub ${randomUUID()}` })
  const form = await agent.get('/admin/accounts/new')
  assert.equal(form.statusCode, 200)
  assert.ok(form.body.includes(`<option value="${essexOrganisation}"`), 'the authority\'s organisations are offered')
  assert.ok(!form.body.includes(southendOrganisation), 'another authority\'s are not')

  const values = validForm({ email: `Jo.Bloggs-${randomUUID().slice(0, 8)}@Essex.test` })
  const created = await agent.post('/admin/accounts/new', values)
  assert.equal(created.statusCode, 303)
  const location = String(created.headers.location)
  const id = /^\/admin\/accounts\/([0-9a-f-]{36})\?created=1$/.exec(location)?.[1]
  assert.ok(id, location)

  const row = await accountByEmail(values.email.toLowerCase())
  assert.ok(row, 'stored with the email in lower case')
  assert.equal(row.id, id)
  assert.equal(row.tenant_id, 'essex')
  assert.equal(row.role, 'duty_manager')
  assert.equal(row.organisation_id, essexOrganisation)
  assert.equal(row.phone, '01632 960 001')
  assert.ok(!row.password_hash.includes(FIRST_PASSWORD))
  assert.deepEqual(
    (await auditFor(id)).map((e) => [e.action, e.tenant_id, e.actor_account_id, e.detail]),
    [['account-created', 'essex', admin.id, { role: 'duty_manager' }]],
  )

  const page = await agent.get(location)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Account added\. Give them their email address and first password\./)
  assert.match(shown, /Jo Bloggs/)
  assert.match(shown, /Duty manager/)
  assert.ok(shown.includes(values.email.toLowerCase()))
  assert.match(shown, /Last signed in Never/)

  const newPerson = await ctx.signIn({ email: values.email, password: FIRST_PASSWORD })
  const home = await newPerson.get('/home')
  assert.equal(home.statusCode, 200)
  assert.match(home.body, /<h1 class="govuk-heading-l">Jo Bloggs<\/h1>/)
  assert.match(text(home.body), /Duty manager, Accounts Test Hub/)
})

test('the form says what is wrong with each field, links to it and keeps what was typed except the password', async () => {
  const typed = { name: '', email: 'not an email', phone: '12', role: '', organisationId: '', password: 'short' }
  const response = await agent.post('/admin/accounts/new', typed)
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /<title>Error: Add an account/)
  assert.deepEqual(errorSummary(response.body), [
    { href: '#name', text: 'Enter their full name' },
    { href: '#email', text: 'Enter an email address in the correct format, like name@example.org' },
    { href: '#phone', text: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' },
    { href: '#role', text: 'Select their role' },
    { href: '#organisationId', text: 'Select their organisation' },
    { href: '#password', text: 'Password must be 12 characters or more' },
  ])
  for (const id of ['name', 'email', 'phone', 'role', 'organisationId', 'password']) {
    assert.match(response.body, new RegExp(`id="${id}"`), `the summary's link to #${id} has a field to land on`)
  }
  assert.equal(inputValue(response.body, 'email'), 'not an email')
  assert.equal(inputValue(response.body, 'phone'), '12')
  assert.equal(inputValue(response.body, 'password'), '')
  assert.ok(!response.body.includes('value="short"'))

  // A choice that was right is kept while the rest is corrected.
  const partly = await agent.post('/admin/accounts/new', validForm({ name: 'Sam Smith', password: '' }))
  assert.equal(partly.statusCode, 400)
  assert.deepEqual(errorSummary(partly.body), [{ href: '#password', text: 'Enter a first password' }])
  assert.equal(inputValue(partly.body, 'name'), 'Sam Smith')
  assert.match(partly.body, /value="duty_manager" checked/)
  assert.match(partly.body, new RegExp(`<option value="${essexOrganisation}" selected>`))
})

test('a first password may be up to 128 characters, spaces and any letters allowed; longer is refused (ASVS 2.1.2)', async () => {
  const longest = 'ä '.repeat(64)
  const accepted = await agent.post('/admin/accounts/new', validForm({ password: longest }))
  assert.equal(accepted.statusCode, 303)
  const refused = await agent.post('/admin/accounts/new', validForm({ password: `${longest}x` }))
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(errorSummary(refused.body), [{ href: '#password', text: 'Password must be 128 characters or fewer' }])
})

test('an organisation from another authority, or one that has closed, cannot be chosen', async () => {
  const southendOrganisation = await ctx.newOrganisation('southend')
  const closed = await ctx.newOrganisation('essex', { name: `Closed ${randomUUID()}` })
  await ctx.db.system.updateTable('organisations').set({ active: false }).where('id', '=', closed).execute()
  for (const organisationId of [southendOrganisation, closed, randomUUID()]) {
    const values = validForm({ organisationId })
    const response = await agent.post('/admin/accounts/new', values)
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummary(response.body), [{ href: '#organisationId', text: 'Select their organisation' }])
    assert.equal(await accountByEmail(values.email), undefined, 'no account was made')
  }
})

test('an email address already in use, in this authority or another, is refused', async () => {
  const existing = await ctx.newAccount('southend', 'practitioner')
  for (const email of [existing.email, existing.email.toUpperCase(), admin.email]) {
    const response = await agent.post('/admin/accounts/new', validForm({ email }))
    assert.equal(response.statusCode, 400, email)
    assert.deepEqual(errorSummary(response.body), [{ href: '#email', text: 'An account with this email address already exists' }])
    assert.equal(inputValue(response.body, 'email'), email)
  }
  const rows = await ctx.db.system
    .selectFrom('accounts')
    .select('tenant_id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', existing.email.toLowerCase()))
    .execute()
  assert.deepEqual(rows, [{ tenant_id: 'southend' }], 'the Southend account is untouched and no copy was made')
})

test('the list filters by role, status and name or email, and keeps the filters on the page', async () => {
  const marker = `filter${randomUUID().slice(0, 6)}`
  const make = (role: 'practitioner' | 'duty_manager', n: number) =>
    ctx.newAccount('essex', role, { email: `${marker}-${role}-${n}@essex.test`, organisationId: essexOrganisation })
  const [p1, p2, dm, gone] = await Promise.all([make('practitioner', 1), make('practitioner', 2), make('duty_manager', 1), make('practitioner', 3)])
  await agent.post(`/admin/accounts/${gone.id}/deactivate`)

  const ids = async (query: string) => {
    const response = await agent.get(`/admin/accounts?${query}`)
    assert.equal(response.statusCode, 200, query)
    return listedIds(response.body).sort()
  }
  const sorted = (...accounts: TestAccount[]) => accounts.map((a) => a.id).sort()
  assert.deepEqual(await ids(`q=${marker}`), sorted(p1, p2, dm), 'active accounts by default')
  assert.deepEqual(await ids(`q=${marker}&role=practitioner`), sorted(p1, p2))
  assert.deepEqual(await ids(`q=${marker}&status=inactive`), sorted(gone))
  assert.deepEqual(await ids(`q=${marker}&status=all`), sorted(p1, p2, dm, gone))
  assert.deepEqual(await ids(`q=${marker.toUpperCase()}-DUTY`), sorted(dm), 'the search ignores case')
  assert.deepEqual(await ids(`q=${encodeURIComponent(`  ${marker}-practitioner-2  `)}`), sorted(p2))
  // Wildcards are searched for as characters, not as patterns.
  assert.deepEqual(await ids('q=%25&status=all'), [])
  assert.deepEqual(await ids(`q=${marker}%25practitioner`), [])
  // Unknown filter values are ignored rather than refused.
  assert.deepEqual(await ids(`q=${marker}&role=wizard&status=sometimes`), sorted(p1, p2, dm))

  const page = await agent.get(`/admin/accounts?q=${marker}&role=practitioner&status=all`)
  assert.equal(inputValue(page.body, 'q'), marker)
  assert.match(page.body, /<option value="practitioner" selected>/)
  assert.match(page.body, /<option value="all" selected>/)
  assert.match(text(page.body), /Showing 1 to 3 of 3 accounts/)
  const none = await agent.get(`/admin/accounts?q=${marker}-nobody`)
  assert.match(text(none.body), /No accounts/)
})

test('the list pages through 60 accounts, 50 at a time, without losing or repeating anyone', async () => {
  const marker = `pager${randomUUID().slice(0, 6)}`
  const created: string[] = []
  for (let i = 0; i < 60; i++) {
    const account = await ctx.newAccount('essex', 'practitioner', { email: `${marker}-${String(i).padStart(2, '0')}@essex.test`, organisationId: essexOrganisation })
    created.push(account.id)
  }
  const first = await agent.get(`/admin/accounts?q=${marker}`)
  assert.match(text(first.body), /Showing 1 to 50 of 60 accounts/)
  const page1 = listedIds(first.body)
  assert.equal(page1.length, 50)
  const next = /<a[^>]*href="([^"]*)"[^>]*rel="next"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&')
  assert.equal(next, `/admin/accounts?q=${marker}&page=2`, 'the link to the next page keeps the search')

  const second = await agent.get(next)
  assert.equal(second.statusCode, 200)
  assert.match(text(second.body), /Showing 51 to 60 of 60 accounts/)
  const page2 = listedIds(second.body)
  assert.equal(page2.length, 10)
  assert.deepEqual(
    page1.filter((id) => page2.includes(id)),
    [],
    'nobody is on both pages',
  )
  assert.deepEqual([...page1, ...page2].sort(), [...created].sort(), 'everybody is on one of them')
  assert.match(second.body, /rel="prev"/)
  assert.doesNotMatch(second.body, /rel="next"/)
})

test('viewing the list and an account is audited, with the filter used', async () => {
  const person = await ctx.newAccount('essex', 'team_manager', { organisationId: essexOrganisation })
  const list = await agent.get('/admin/accounts?role=team_manager&q=team&page=1')
  assert.equal(list.statusCode, 200)
  const listEvent = await ctx.db.system
    .selectFrom('audit_events')
    .selectAll()
    .where('actor_account_id', '=', admin.id)
    .where('action', '=', 'account-list-viewed')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.equal(listEvent.tenant_id, 'essex')
  assert.equal(listEvent.detail.role, 'team_manager')
  assert.equal(listEvent.detail.q, 'team')
  assert.equal(listEvent.detail.page, 1)

  const view = await agent.get(`/admin/accounts/${person.id}`)
  assert.equal(view.statusCode, 200)
  assert.deepEqual(
    (await auditFor(person.id)).map((e) => [e.action, e.actor_account_id, e.tenant_id]),
    [['account-viewed', admin.id, 'essex']],
  )
})

test('deactivating an account signs the person out at once and stops them signing in; reactivating lets them back', async () => {
  const person = await ctx.newAccount('essex', 'front_door_officer', { organisationId: essexOrganisation })
  const personAgent = await ctx.signIn(person)
  const secondDevice = await ctx.signIn(person)
  assert.equal((await personAgent.get('/home')).statusCode, 200)

  const page = await agent.get(`/admin/accounts/${person.id}`)
  assert.match(page.body, new RegExp(`<form method="post" action="/admin/accounts/${person.id}/deactivate"`))

  const deactivated = await agent.post(`/admin/accounts/${person.id}/deactivate`)
  assert.equal(deactivated.statusCode, 303)
  assert.equal(deactivated.headers.location, `/admin/accounts/${person.id}?changed=deactivate`)
  const confirmation = await agent.get(String(deactivated.headers.location))
  assert.match(text(confirmation.body), /Account deactivated\. They have been signed out and cannot sign in\./)
  assert.match(confirmation.body, /Reactivate account/)

  assert.deepEqual(await sessionsOf(person.id), [], 'every session they had is ended')
  for (const device of [personAgent, secondDevice]) {
    const home = await device.get('/home')
    assert.equal(home.statusCode, 303)
    assert.equal(home.headers.location, '/sign-in?returnTo=%2Fhome')
  }
  await assert.rejects(ctx.signIn(person), /sign-in failed/)

  // Deactivating again changes nothing and records nothing more.
  const row = await ctx.db.system.selectFrom('accounts').select('deactivated_at').where('id', '=', person.id).executeTakeFirstOrThrow()
  assert.equal((await agent.post(`/admin/accounts/${person.id}/deactivate`)).statusCode, 303)
  const again = await ctx.db.system.selectFrom('accounts').select('deactivated_at').where('id', '=', person.id).executeTakeFirstOrThrow()
  assert.equal(again.deactivated_at?.getTime(), row.deactivated_at?.getTime())

  const reactivated = await agent.post(`/admin/accounts/${person.id}/reactivate`)
  assert.equal(reactivated.statusCode, 303)
  assert.match(text((await agent.get(String(reactivated.headers.location))).body), /Account reactivated\. They can sign in again\./)
  assert.equal((await (await ctx.signIn(person)).get('/home')).statusCode, 200)
  assert.deepEqual(
    (await auditFor(person.id)).filter((e) => e.action === 'account-deactivated' || e.action === 'account-reactivated').map((e) => [e.action, e.actor_account_id]),
    [
      ['account-deactivated', admin.id],
      ['account-reactivated', admin.id],
    ],
  )
})

test('an administrator cannot deactivate their own account', async () => {
  const own = await agent.get(`/admin/accounts/${admin.id}`)
  assert.equal(own.statusCode, 200)
  assert.doesNotMatch(own.body, /Deactivate account/, 'no button to do it')

  const response = await agent.post(`/admin/accounts/${admin.id}/deactivate`)
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body), [{ href: '#status', text: 'You cannot deactivate your own account' }])
  const row = await ctx.db.system.selectFrom('accounts').select('active').where('id', '=', admin.id).executeTakeFirstOrThrow()
  assert.equal(row.active, true)
  assert.equal((await agent.get('/home')).statusCode, 200, 'still signed in')
  const events = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', admin.id).where('action', '=', 'account-deactivated').execute()
  assert.deepEqual(events, [])
})

test('an administrator cannot deactivate their own account by writing its id in capitals either', async () => {
  const self = await ctx.newAccount('essex', 'administrator', { organisationId: essexOrganisation })
  const selfAgent = await ctx.signIn(self)
  const upper = self.id.toUpperCase()
  // One record, one address: the capitalised id is not an address the service answers to.
  const page = await selfAgent.get(`/admin/accounts/${upper}`)
  assert.equal(page.statusCode, 404)
  const ownPage = await selfAgent.get(`/admin/accounts/${self.id}`)
  const buttonShown = /Deactivate account/.test(ownPage.body)

  const response = await selfAgent.post(`/admin/accounts/${upper}/deactivate`)
  const row = await ctx.db.system.selectFrom('accounts').select('active').where('id', '=', self.id).executeTakeFirstOrThrow()
  assert.equal(row.active, true, `the administrator deactivated their own account (answer: ${response.statusCode} ${response.headers.location ?? ''})`)
  assert.equal(response.statusCode, 404)
  const own = await selfAgent.post(`/admin/accounts/${self.id}/deactivate`)
  assert.equal(own.statusCode, 400)
  assert.deepEqual(errorSummary(own.body), [{ href: '#status', text: 'You cannot deactivate your own account' }])
  assert.equal((await selfAgent.get('/home')).statusCode, 200, 'still signed in')
  assert.equal(buttonShown, false, 'their own page offered a button to deactivate themself')
})

test('text the database cannot store, typed into the form or the search, gets a page, not a server error', async () => {
  const answers = {
    'adding an account named "Jo\\u0000Bloggs"': await agent.post('/admin/accounts/new', validForm({ name: 'Jo\u0000Bloggs' })),
    'searching for "\\u0000"': await agent.get('/admin/accounts?q=%00'),
  }
  const failures = Object.entries(answers)
    .filter(([, response]) => response.statusCode >= 500 || /Sorry, there is a problem with the service/.test(response.body))
    .map(([what, response]) => `${what}: ${response.statusCode}`)
  assert.deepEqual(failures, [])
})
