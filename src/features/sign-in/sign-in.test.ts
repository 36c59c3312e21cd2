import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { hashToken } from '../../platform/auth/sessions.ts'
import { CSRF_COOKIE, SESSION_COOKIE } from '../../platform/http/cookies.ts'
import { createTestContext, TEST_PASSWORD, type Agent, type TestContext } from '../../test/context.ts'
import { safeReturnTo } from './forms.ts'
import { inputValue, errorSummary } from '../../test/html.ts'

const ORIGIN = 'https://early-help.example'
const GENERIC_ERROR = 'Enter a correct email address and password'
const THROTTLED = 'You have tried to sign in too many times'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

/** A visitor who has opened the sign-in page, so their form carries a token. */
async function visitorAtSignIn(url = '/sign-in'): Promise<Agent> {
  const agent = ctx.visitor()
  const page = await agent.get(url)
  assert.equal(page.statusCode, 200)
  return agent
}

async function lastAuditId(): Promise<string> {
  const row = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
  return String(row?.id ?? 0)
}

async function auditSince(mark: string) {
  return ctx.db.system.selectFrom('audit_events').selectAll().where('id', '>', mark).orderBy('id').execute()
}

async function sessionExists(token: string | undefined): Promise<boolean> {
  assert.ok(token, 'expected a session token')
  const row = await ctx.db.system.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashToken(token)).executeTakeFirst()
  return row !== undefined
}

function sameOrigin(location: string): boolean {
  return new URL(location, `${ORIGIN}/sign-in`).origin === ORIGIN
}

test('signing in sets a Secure, HttpOnly, host-only session cookie and goes to the home page', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const agent = await visitorAtSignIn()
  const formSecret = agent.cookies.get(CSRF_COOKIE)
  const response = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })

  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/home')
  const cookie = (response.cookies as { name: string; value: string; [k: string]: unknown }[]).find((c) => c.name === SESSION_COOKIE)
  assert.ok(cookie, 'a session cookie is set')
  assert.equal(cookie.name, '__Host-eh-session')
  assert.equal(cookie.secure, true)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.path, '/')
  assert.equal(cookie.sameSite, 'Lax')
  assert.equal(cookie.domain, undefined)
  assert.ok(await sessionExists(cookie.value))
  // The form secret is replaced too, so a token seen before sign-in is worthless after it.
  assert.notEqual(agent.cookies.get(CSRF_COOKIE), formSecret)

  const home = await agent.get('/home')
  assert.equal(home.statusCode, 200)
  assert.match(home.body, /Sign out/)
})

test('signing in again issues a new session id and the old one stops existing', async () => {
  const account = await ctx.newAccount('essex', 'duty_manager')
  const agent = await ctx.signIn(account)
  const first = agent.sessionToken
  assert.ok(await sessionExists(first))

  const again = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })
  assert.equal(again.statusCode, 303)
  const second = agent.sessionToken
  assert.ok(second)
  assert.notEqual(second, first)
  assert.equal(await sessionExists(first), false, 'the session from before sign-in is gone')
  assert.ok(await sessionExists(second))

  // Someone holding the old cookie is not signed in.
  const stale = ctx.visitor()
  stale.cookies.set(SESSION_COOKIE, first ?? '')
  const home = await stale.get('/home')
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/sign-in?returnTo=%2Fhome')
})

test('a wrong password and an unknown email get the same answer, keep the email typed and never show the password', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const wrongPassword = `Wrong-${randomUUID()}`
  const agent = await visitorAtSignIn()

  const wrong = await agent.post('/sign-in', { email: account.email, password: wrongPassword })
  const unknownEmail = `nobody-${randomUUID().slice(0, 8)}@essex.test`
  const unknown = await agent.post('/sign-in', { email: unknownEmail, password: wrongPassword })

  for (const [response, email] of [
    [wrong, account.email],
    [unknown, unknownEmail],
  ] as const) {
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummary(response.body), [{ href: '#email', text: GENERIC_ERROR }])
    assert.equal(inputValue(response.body, 'email'), email)
    assert.equal(inputValue(response.body, 'password'), '', 'the password field is empty')
    assert.ok(!response.body.includes(wrongPassword), 'the password is never echoed')
    assert.match(response.body, /<title>Error: Sign in/)
    assert.equal(agent.sessionToken, undefined)
  }
  // Apart from the email put back in its field, the two pages say exactly the same thing.
  const withoutEmail = (html: string, email: string) =>
    html.replaceAll(email, '').replace(/nonce="[^"]*"/g, '').replace(/name="_csrf" value="[^"]*"/g, '')
  assert.equal(withoutEmail(wrong.body, account.email), withoutEmail(unknown.body, unknownEmail))
})

test('an empty form is refused with a message for each field, linked to it', async () => {
  const agent = await visitorAtSignIn()
  const response = await agent.post('/sign-in', { email: '', password: '' })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body), [
    { href: '#email', text: 'Enter your email address' },
    { href: '#password', text: 'Enter your password' },
  ])
})

test('sign-ins, failures and their reasons are audited against the right authority', async () => {
  const essex = await ctx.newAccount('essex', 'team_manager')
  const southend = await ctx.newAccount('southend', 'front_door_officer')
  const agent = await visitorAtSignIn()

  let mark = await lastAuditId()
  await agent.post('/sign-in', { email: essex.email, password: 'not the password' })
  let events = await auditSince(mark)
  assert.equal(events.length, 1)
  assert.equal(events[0]?.action, 'sign-in-failed')
  assert.equal(events[0]?.tenant_id, 'essex')
  assert.equal(events[0]?.outcome, 'failure')
  assert.equal(events[0]?.actor_account_id, essex.id)
  assert.equal(events[0]?.record_id, essex.id)
  assert.deepEqual(events[0]?.detail, { reason: 'wrong password' })

  mark = await lastAuditId()
  await agent.post('/sign-in', { email: 'no-such-person@southend.test', password: 'anything at all' })
  events = await auditSince(mark)
  assert.equal(events.length, 1)
  assert.equal(events[0]?.action, 'sign-in-failed')
  assert.equal(events[0]?.tenant_id, null)
  assert.equal(events[0]?.actor_account_id, null)
  assert.equal(events[0]?.outcome, 'failure')
  assert.deepEqual(events[0]?.detail, { reason: 'unknown email' })

  mark = await lastAuditId()
  const signedIn = await agent.post('/sign-in', { email: southend.email.toUpperCase(), password: TEST_PASSWORD })
  assert.equal(signedIn.statusCode, 303, 'email addresses are not case sensitive')
  events = await auditSince(mark)
  assert.equal(events.length, 1)
  assert.equal(events[0]?.action, 'sign-in')
  assert.equal(events[0]?.tenant_id, 'southend')
  assert.equal(events[0]?.outcome, 'success')
  assert.equal(events[0]?.actor_account_id, southend.id)
  assert.equal(events[0]?.actor_role, 'front_door_officer')
  assert.equal(events[0]?.ip, '127.0.0.1')
  const row = await ctx.db.system.selectFrom('accounts').select('last_signed_in_at').where('id', '=', southend.id).executeTakeFirstOrThrow()
  assert.ok(row.last_signed_in_at && Date.now() - row.last_signed_in_at.getTime() < 60_000)
})

test('a deactivated person cannot sign in, and is told only that the details are not right', async () => {
  const account = await ctx.newAccount('southend', 'practitioner')
  await ctx.db.system.updateTable('accounts').set({ active: false, deactivated_at: new Date() }).where('id', '=', account.id).execute()
  const agent = await visitorAtSignIn()
  const mark = await lastAuditId()
  const response = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body), [{ href: '#email', text: GENERIC_ERROR }])
  assert.equal(agent.sessionToken, undefined)
  const events = await auditSince(mark)
  assert.deepEqual(
    events.map((e) => [e.action, e.tenant_id, e.outcome, e.detail]),
    [['sign-in-failed', 'southend', 'failure', { reason: 'account deactivated' }]],
  )
})

test('after five failures for an email the sixth attempt is refused, even with the right password', async () => {
  const account = await ctx.newAccount('essex', 'early_help_advisor')
  const agent = await visitorAtSignIn()
  // The count is per person, however they type their address.
  const spellings = [account.email, account.email.toUpperCase(), ` ${account.email} `, account.email, account.email]
  for (const email of spellings) {
    const response = await agent.post('/sign-in', { email, password: 'a wrong password' })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummary(response.body), [{ href: '#email', text: GENERIC_ERROR }])
  }

  const mark = await lastAuditId()
  const refused = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })
  assert.equal(refused.statusCode, 429)
  assert.equal(errorSummary(refused.body)[0]?.text.startsWith(THROTTLED), true)
  assert.match(refused.body, /Wait 15 minutes/)
  assert.equal(inputValue(refused.body, 'email'), account.email)
  assert.equal(agent.sessionToken, undefined, 'no session is created')
  const events = await auditSince(mark)
  assert.deepEqual(
    events.map((e) => [e.action, e.tenant_id, e.outcome, e.actor_account_id]),
    [['sign-in-throttled', 'essex', 'denied', account.id]],
  )
  const sessions = await ctx.db.system.selectFrom('sessions').select('id_hash').where('account_id', '=', account.id).execute()
  assert.equal(sessions.length, 0)

  // Another person is not affected by the lock on this one.
  const other = await ctx.newAccount('essex', 'early_help_advisor')
  const otherAgent = await visitorAtSignIn()
  assert.equal((await otherAgent.post('/sign-in', { email: other.email, password: TEST_PASSWORD })).statusCode, 303)

  // Fifteen minutes later the right password works again.
  await ctx.db.system
    .updateTable('sign_in_throttle')
    .set({ locked_until: new Date(Date.now() - 1000), window_started_at: new Date(Date.now() - 16 * 60 * 1000) })
    .where('key', '=', `email:${account.email.toLowerCase()}`)
    .execute()
  const later = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })
  assert.equal(later.statusCode, 303)
  assert.equal(later.headers.location, '/home')
})

test('signing in successfully clears the count of earlier failures', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const agent = await visitorAtSignIn()
  for (let i = 0; i < 4; i++) assert.equal((await agent.post('/sign-in', { email: account.email, password: 'wrong' })).statusCode, 400)
  assert.equal((await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })).statusCode, 303)
  const fresh = await visitorAtSignIn()
  for (let i = 0; i < 4; i++) assert.equal((await fresh.post('/sign-in', { email: account.email, password: 'wrong' })).statusCode, 400)
  assert.equal((await fresh.post('/sign-in', { email: account.email, password: TEST_PASSWORD })).statusCode, 303)
})

test('signing out ends the session, is audited, and the home page then asks to sign in', async () => {
  const account = await ctx.newAccount('southend', 'team_manager')
  const agent = await ctx.signIn(account)
  const token = agent.sessionToken
  assert.ok(await sessionExists(token))

  const mark = await lastAuditId()
  const response = await agent.post('/sign-out')
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/sign-in?signedOut=1')
  assert.equal(agent.sessionToken, undefined, 'the cookie is cleared')
  assert.equal(await sessionExists(token), false)
  const events = await auditSince(mark)
  assert.deepEqual(
    events.map((e) => [e.action, e.tenant_id, e.actor_account_id, e.outcome]),
    [['sign-out', 'southend', account.id, 'success']],
  )

  const page = await agent.get('/sign-in?signedOut=1')
  assert.match(page.body, /You have signed out\./)
  const home = await agent.get('/home')
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/sign-in?returnTo=%2Fhome')

  // A copy of the cookie taken before signing out does not work either.
  const copy = ctx.visitor()
  copy.cookies.set(SESSION_COOKIE, token ?? '')
  assert.equal((await copy.get('/home')).statusCode, 303)
})

test('signing out needs the form token', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const agent = await ctx.signIn(account)
  const response = await agent.request('POST', '/sign-out', {})
  assert.equal(response.statusCode, 403)
  assert.ok(await sessionExists(agent.sessionToken))
  assert.equal((await agent.get('/home')).statusCode, 200)
})

test('after signing in, a person goes back to the page they asked for', async () => {
  const account = await ctx.newAccount('essex', 'administrator')
  const agent = ctx.visitor()
  const asked = await agent.get('/admin/accounts?role=practitioner&status=all')
  assert.equal(asked.statusCode, 303)
  const signInUrl = asked.headers.location as string
  assert.equal(signInUrl, `/sign-in?returnTo=${encodeURIComponent('/admin/accounts?role=practitioner&status=all')}`)
  const page = await agent.get(signInUrl)
  assert.equal(inputValue(page.body, 'returnTo'), '/admin/accounts?role=practitioner&amp;status=all')

  const response = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD, returnTo: '/admin/accounts?role=practitioner&status=all' })
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/admin/accounts?role=practitioner&status=all')
  assert.equal((await agent.get(response.headers.location)).statusCode, 200)

  // Already signed in, the sign-in page sends them straight on.
  const again = await agent.get(`/sign-in?returnTo=${encodeURIComponent('/admin/audit')}`)
  assert.equal(again.statusCode, 303)
  assert.equal(again.headers.location, '/admin/audit')
})

test('a return address that leads off the service is ignored', async () => {
  const account = await ctx.newAccount('southend', 'practitioner')
  for (const returnTo of ['//evil.example', 'https://evil.example', '/\\evil', '/\\/evil.example', 'javascript:alert(1)', '/sign-in?returnTo=//evil.example']) {
    const agent = await visitorAtSignIn(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`)
    const response = await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD, returnTo })
    assert.equal(response.statusCode, 303, returnTo)
    assert.equal(response.headers.location, '/home', returnTo)
  }
})

test('a return address hiding a tab or line break cannot lead off the service either', async () => {
  // Browsers drop tabs and line breaks from a Location before reading it, so "/\t/evil.example" is "//evil.example".
  const account = await ctx.newAccount('southend', 'duty_manager')
  const agent = await ctx.signIn(account)
  for (const returnTo of ['/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '\t//evil.example']) {
    const response = await agent.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`)
    assert.equal(response.statusCode, 303, JSON.stringify(returnTo))
    const location = String(response.headers.location)
    assert.ok(sameOrigin(location), `${JSON.stringify(returnTo)} sent the browser to ${JSON.stringify(location)}`)
  }
})

test('whatever return address a link carries, a signed-in person is sent somewhere on this service, never to an error', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const agent = await ctx.signIn(account)
  const returnTo = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.webUrl(),
    fc.constantFrom('/\t/evil.example', '/home\r\nSet-Cookie: x=y', '/caf\u00e9', '/\u2713', '/\u0000'),
  )
  await fc.assert(
    fc.asyncProperty(returnTo, async (value) => {
      const response = await agent.get(`/sign-in?returnTo=${encodeURIComponent(value)}`)
      assert.ok(response.statusCode < 500, `status ${response.statusCode} for ${JSON.stringify(value)}`)
      assert.equal(response.statusCode, 303)
      assert.ok(sameOrigin(String(response.headers.location)), `sent to ${JSON.stringify(response.headers.location)}`)
    }),
    { numRuns: 150 },
  )
})

test('safeReturnTo only ever gives a path on this service that can go in a Location header', () => {
  assert.equal(safeReturnTo('/admin/accounts?q=a'), '/admin/accounts?q=a')
  for (const bad of [undefined, 42, ['/home'], '', 'home', '//evil.example', '/\\evil', 'https://evil.example', '/sign-in', `/${'a'.repeat(600)}`]) {
    assert.equal(safeReturnTo(bad), '/home', JSON.stringify(bad))
  }
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }).map((s) => `/${s}`), fc.webPath(), fc.webUrl()), (value) => {
      const result = safeReturnTo(value)
      assert.ok(sameOrigin(result), `${JSON.stringify(value)} gives ${JSON.stringify(result)}`)
      assert.match(result, /^\/[\x20-\x7e]*$/, `${JSON.stringify(result)} is not a printable path`)
    }),
  )
})
