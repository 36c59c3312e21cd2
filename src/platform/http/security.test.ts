import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { ORGANISATION_KINDS, ROLES } from '../db/schema.ts'
import { createTestContext, TEST_PASSWORD, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { CSRF_COOKIE, SESSION_COOKIE } from './cookies.ts'
import { inputValue } from '../../test/html.ts'

const FORM_EXPIRED = 'This form could not be sent'

let ctx: TestContext
let admin: TestAccount
let adminAgent: Agent
let essexOrganisation: string
let southendOrganisation: string

before(async () => {
  ctx = await createTestContext()
  essexOrganisation = await ctx.newOrganisation('essex', { name: `Security Essex ${randomUUID()}` })
  southendOrganisation = await ctx.newOrganisation('southend')
  admin = await ctx.newAccount('essex', 'administrator', { organisationId: essexOrganisation })
  adminAgent = await ctx.signIn(admin)
})
after(() => ctx.close())

/** A stack trace, in any form it might leak: plain, escaped in HTML or inside JSON. */
function hasStackTrace(body: string): boolean {
  return /\bat [^\n<"]*\.[cm]?[jt]s:\d+/.test(body) || /(?:\n|\\n)\s*at \S+ \(/.test(body) || body.includes('node_modules/')
}

/** What an HTML attribute's text means, so a value shown escaped can be compared with what was typed. */
function decodeAttribute(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) =>
    code.startsWith('#x') || code.startsWith('#X')
      ? String.fromCodePoint(parseInt(code.slice(2), 16))
      : code.startsWith('#')
        ? String.fromCodePoint(Number(code.slice(1)))
        : (named[code] ?? entity),
  )
}

function csp(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '')
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name ?? '', values]),
  )
}

function nonceOf(response: LightMyRequestResponse): string {
  const sources = csp(response).get('script-src') ?? []
  const nonces = sources.filter((s) => s.startsWith("'nonce-")).map((s) => s.slice("'nonce-".length, -1))
  assert.equal(nonces.length, 1, 'one nonce in script-src')
  return nonces[0] ?? ''
}

async function organisationNamed(name: string) {
  return ctx.db.system.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirst()
}

async function clearThrottle() {
  await ctx.db.system.deleteFrom('sign_in_throttle').execute()
}

// ---------------------------------------------------------------------------------------------
// Form tokens

test('a form sent without its token, or with a wrong one, is refused and changes nothing', async () => {
  const cases: [string, Record<string, string>][] = [
    ['no token', {}],
    ['an empty token', { _csrf: '' }],
    ['a made-up token', { _csrf: 'made-up' }],
    ['a token one character off', { _csrf: `${adminAgent.csrfToken().slice(0, -1)}x` }],
  ]
  for (const [label, token] of cases) {
    const name = `Forged ${randomUUID()}`
    const response = await adminAgent.request('POST', '/admin/organisations/new', { name, kind: 'school', ...token })
    assert.equal(response.statusCode, 403, label)
    assert.match(response.body, new RegExp(`<h1 class="govuk-heading-l">${FORM_EXPIRED}</h1>`), label)
    assert.match(response.body, /<title>This form could not be sent/, label)
    assert.ok(!hasStackTrace(response.body))
    assert.equal(await organisationNamed(name), undefined, `${label}: no organisation is created`)
  }
})

test('another person\'s valid token does not work in my browser', async () => {
  const other = await ctx.signIn(await ctx.newAccount('essex', 'administrator'))
  const name = `Cross token ${randomUUID()}`
  const response = await adminAgent.request('POST', '/admin/organisations/new', { name, kind: 'school', _csrf: other.csrfToken() })
  assert.equal(response.statusCode, 403)
  assert.equal(await organisationNamed(name), undefined)
})

test('a form without its token cannot deactivate an account or sign anyone in or out', async () => {
  const target = await ctx.newAccount('essex', 'practitioner')
  const targetAgent = await ctx.signIn(target)

  const deactivate = await adminAgent.request('POST', `/admin/accounts/${target.id}/deactivate`, {})
  assert.equal(deactivate.statusCode, 403)
  const row = await ctx.db.system.selectFrom('accounts').select('active').where('id', '=', target.id).executeTakeFirstOrThrow()
  assert.equal(row.active, true)

  const signOut = await targetAgent.request('POST', '/sign-out', { _csrf: 'wrong' })
  assert.equal(signOut.statusCode, 403)
  assert.equal((await targetAgent.get('/home')).statusCode, 200, 'still signed in')

  const visitor = ctx.visitor()
  await visitor.get('/sign-in')
  const signIn = await visitor.request('POST', '/sign-in', { email: target.email, password: TEST_PASSWORD })
  assert.equal(signIn.statusCode, 403)
  assert.equal(visitor.sessionToken, undefined)
})

test('a form opened before signing in cannot be sent after it (the token changes at sign-in and sign-out)', async () => {
  const account = await ctx.newAccount('essex', 'administrator')
  const agent = ctx.visitor()
  await agent.get('/sign-in')
  const tokenBefore = agent.csrfToken()
  assert.equal((await agent.post('/sign-in', { email: account.email, password: TEST_PASSWORD })).statusCode, 303)
  const name = `Stale token ${randomUUID()}`
  const stale = await agent.request('POST', '/admin/organisations/new', { name, kind: 'school', _csrf: tokenBefore })
  assert.equal(stale.statusCode, 403)
  const fresh = await agent.post('/admin/organisations/new', { name, kind: 'school' })
  assert.equal(fresh.statusCode, 303)
  assert.ok(await organisationNamed(name))

  const tokenSignedIn = agent.csrfToken()
  assert.equal((await agent.post('/sign-out')).statusCode, 303)
  assert.notEqual(agent.csrfToken(), tokenSignedIn)
})

test('the form token cookie is Secure, HttpOnly and host-only', async () => {
  const response = await ctx.visitor().get('/sign-in')
  const cookie = (response.cookies as { name: string; [k: string]: unknown }[]).find((c) => c.name === CSRF_COOKIE)
  assert.ok(cookie)
  assert.equal(cookie.secure, true)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.path, '/')
  assert.equal(cookie.domain, undefined)
})

// ---------------------------------------------------------------------------------------------
// Headers

test('pages carry a strict Content-Security-Policy whose fresh nonce is on the inline script', async () => {
  const first = await ctx.visitor().get('/sign-in')
  const second = await ctx.visitor().get('/sign-in')
  for (const response of [first, second]) {
    assert.equal(response.statusCode, 200)
    const policy = csp(response)
    const nonce = nonceOf(response)
    assert.match(nonce, /^[A-Za-z0-9+/]{16,}={0,2}$/)
    assert.deepEqual(policy.get('default-src'), ["'self'"])
    assert.deepEqual(policy.get('object-src'), ["'none'"])
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"])
    assert.deepEqual(policy.get('base-uri'), ["'none'"])
    const header = String(response.headers['content-security-policy'])
    assert.ok(!header.includes("'unsafe-inline'"), 'no unsafe-inline')
    assert.ok(!header.includes("'unsafe-eval'"), 'no unsafe-eval')
    assert.ok(!/(^|\s)\*(\s|;|$)/.test(header), 'no wildcard source')

    const scripts = [...response.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '')
    const inline = scripts.filter((attributes) => !/\bsrc=/.test(attributes))
    assert.ok(inline.length >= 1, 'the page has its inline script')
    for (const attributes of inline) assert.equal(/\bnonce="([^"]*)"/.exec(attributes)?.[1], nonce)
    for (const attributes of scripts.filter((a) => /\bsrc=/.test(a))) assert.match(attributes, /src="\/assets\//)
  }
  assert.notEqual(nonceOf(first), nonceOf(second), 'a new nonce for every response')
})

test('pages forbid framing, sniffing, referrers and caching', async () => {
  const pages = [
    await ctx.visitor().get('/sign-in'),
    await ctx.visitor().get('/'),
    await adminAgent.get('/admin/accounts'),
    await adminAgent.get('/home'),
    await adminAgent.get('/no-such-page'),
    await adminAgent.request('POST', '/admin/organisations/new', { name: 'x', kind: 'school' }),
  ]
  for (const response of pages) {
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
    assert.equal(response.headers['x-frame-options'], 'DENY')
    assert.ok(['no-referrer', 'same-origin', 'strict-origin'].includes(String(response.headers['referrer-policy'])))
    assert.match(String(response.headers['cache-control']), /no-store/)
    assert.ok(response.headers['content-security-policy'])
    assert.equal(response.headers['x-powered-by'], undefined, 'no framework or version is given away')
    assert.equal(response.headers.server, undefined)
    if (response.statusCode === 200) {
      const nonce = nonceOf(response)
      assert.ok(response.body.includes(`nonce="${nonce}"`))
    }
  }
})

test('static assets may be cached, and still are not sniffed', async () => {
  const response = await ctx.visitor().get('/assets/stylesheets/application.css')
  assert.equal(response.statusCode, 200)
  assert.match(String(response.headers['content-type']), /^text\/css/)
  assert.equal(response.headers['x-content-type-options'], 'nosniff')
  assert.doesNotMatch(String(response.headers['cache-control'] ?? ''), /no-store/)
})

// ---------------------------------------------------------------------------------------------
// Error pages

test('an unknown address gives the GOV.UK "Page not found" page, signed in or not', async () => {
  for (const agent of [ctx.visitor(), adminAgent]) {
    for (const url of ['/no-such-page', '/admin/nothing-here', '/admin/accounts/new/extra/bits', '/assets/missing.css']) {
      const response = await agent.get(url)
      assert.equal(response.statusCode, 404, url)
      assert.match(String(response.headers['content-type']), /^text\/html/, url)
      assert.match(response.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/, url)
      assert.match(response.body, /<title>Page not found/, url)
      assert.ok(!hasStackTrace(response.body))
    }
  }
  const signedIn = await adminAgent.get('/no-such-page')
  assert.match(signedIn.body, /Sign out/, 'a signed-in person keeps the navigation')
})

test('a mangled web address gets a GOV.UK page, not a raw error', async () => {
  const failures: string[] = []
  for (const url of ['/%', '/admin/accounts/%E0%A4%A', '/admin/%zz', `/admin/accounts/${'a'.repeat(150)}`]) {
    const response = await adminAgent.get(url)
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`)
    assert.ok(!hasStackTrace(response.body))
    if (!/^text\/html/.test(String(response.headers['content-type'])) || !/govuk-template/.test(response.body)) {
      failures.push(`${url.slice(0, 40)} answers ${response.statusCode} ${response.headers['content-type']}: ${response.body.slice(0, 120)}`)
    }
  }
  assert.deepEqual(failures, [])
})

test('bodies that cannot be read are refused with a GOV.UK page and no stack trace', async () => {
  const cookie = [...adminAgent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const requests = [
    { 'content-type': 'application/json', payload: '{"name": ' },
    { 'content-type': 'text/plain', payload: 'name=x' },
    { 'content-type': 'application/x-www-form-urlencoded', payload: `name=${'x'.repeat(1024 * 1024 + 10)}` },
  ]
  for (const { payload, ...headers } of requests) {
    const response = await ctx.app.inject({ method: 'POST', url: '/admin/organisations/new', headers: { ...headers, cookie }, payload })
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${headers['content-type']}: ${response.statusCode}`)
    assert.ok(!hasStackTrace(response.body))
    assert.match(response.body, /govuk-template/)
  }
})

// ---------------------------------------------------------------------------------------------
// Properties: nothing a browser can send leads to a server error, a stack trace or unescaped input

const INJECTIONS = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '</textarea><b>bold</b>', '{{ 7*7 }}', '{% raw %}']
const UNESCAPED = ['<script>alert(', '<img src=x', '<svg onload', '<b>bold</b>']

/** Characters that trip up parsers, databases and templates. */
const awkward = fc.constantFrom('\u0000', '\u0001', '\t', '\n', '\r', '\u007f', '\u00a0', '\u2028', '\u{1F600}', '\uFFFD', '<', '>', '"', "'", '&', '%', '\\', '/', 'a', ' ', '\u0130')
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: awkward, minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(...INJECTIONS, '', ' ', '\u0000', 'Nul\u0000in the middle', '\uFEFF', '\u202E', 'ß'.repeat(300)) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 300_000 }).map((n) => 'x'.repeat(n)) },
)
const anyValue = fc.oneof({ weight: 4, arbitrary: anyText }, { weight: 1, arbitrary: fc.array(anyText, { maxLength: 4 }) })

/** A submission that would succeed, with one to three of its fields replaced by anything at all, or left out. */
function mutated(valid: fc.Arbitrary<Record<string, string>>) {
  const change = fc.tuple(fc.nat(), fc.option(anyValue, { nil: undefined, freq: 8 }))
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), anyValue, { maxKeys: 2 })
  return fc.tuple(valid, fc.array(change, { minLength: 1, maxLength: 3 }), extra).map(([form, changes, extras]) => {
    const keys = Object.keys(form)
    const values: Record<string, string | string[]> = { ...extras, ...form }
    for (const [index, value] of changes) {
      const key = keys[index % keys.length] ?? 'name'
      if (value === undefined) delete values[key]
      else values[key] = value
    }
    return values
  })
}

const organisationFormValues = mutated(fc.record({ name: fc.uuid().map((id) => `Fuzz organisation ${id}`), kind: fc.constantFrom(...ORGANISATION_KINDS) }))
const accountFormValues = (organisationId: fc.Arbitrary<string>) =>
  mutated(
    fc.record({
      name: fc.constant('Fuzz Person'),
      email: fc.uuid().map((id) => `fuzz-${id}@essex.test`),
      phone: fc.constantFrom('', '01632 960 001', '+44 7700 900982'),
      role: fc.constantFrom(...ROLES),
      organisationId,
      password: fc.constant('a perfectly long password'),
    }),
  )
const signInFormValues = mutated(fc.record({ email: fc.emailAddress(), password: fc.string({ minLength: 1, maxLength: 30 }), returnTo: fc.constantFrom('/home', '/admin/accounts') }))

function assertSafe(response: LightMyRequestResponse, what: string): void {
  assert.ok(response.statusCode < 500, `${what}: status ${response.statusCode}`)
  assert.ok(!hasStackTrace(response.body), `${what}: a stack trace in the response`)
  for (const raw of UNESCAPED) assert.ok(!response.body.includes(raw), `${what}: "${raw}" came back unescaped`)
}

test('no form submission, however strange, causes a server error or a stack trace', async () => {
  const visitor = ctx.visitor()
  await visitor.get('/sign-in')
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          organisationFormValues.map((form) => ['/admin/organisations/new', form] as const),
          accountFormValues(fc.oneof({ weight: 4, arbitrary: fc.constant(essexOrganisation) }, { weight: 1, arbitrary: fc.constant(southendOrganisation) })).map((form) => ['/admin/accounts/new', form] as const),
          signInFormValues.map((form) => ['/sign-in', form] as const),
        ),
        async ([url, form]) => {
          const agent = url === '/sign-in' ? visitor : adminAgent
          const response = await agent.post(url, form)
          assertSafe(response, `POST ${url} ${JSON.stringify(form).slice(0, 300)}`)
        },
      ),
      { numRuns: 300 },
    )
  } finally {
    await clearThrottle()
  }
})

test('whatever is typed into a form is put back into its field escaped', async () => {
  const typed = fc
    .tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom(...INJECTIONS), fc.string({ unit: 'grapheme', maxLength: 20 }))
    .map(([a, b, c]) => `${a}${b}${c}`)
  const visitor = ctx.visitor()
  await visitor.get('/sign-in')
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('organisation', 'account', 'sign-in'), typed, async (form, value) => {
        let response: LightMyRequestResponse
        let field: string
        if (form === 'organisation') {
          response = await adminAgent.post('/admin/organisations/new', { name: value })
          field = 'name'
        } else if (form === 'account') {
          response = await adminAgent.post('/admin/accounts/new', { name: value, email: value, phone: value })
          field = 'email'
        } else {
          response = await visitor.post('/sign-in', { email: value, password: value })
          field = 'email'
        }
        assertSafe(response, `${form} with ${JSON.stringify(value)}`)
        assert.equal(response.statusCode, 400)
        const shown = inputValue(response.body, field) ?? ''
        assert.equal(decodeAttribute(shown), value, `${form}: the typed value is put back as typed`)
        assert.doesNotMatch(shown, /[<>"]/, `${form}: the typed value is escaped`)
        if (form === 'account') assert.equal(decodeAttribute(inputValue(response.body, 'name') ?? ''), value)
        if (form === 'sign-in') assert.equal(inputValue(response.body, 'password'), '', 'the password is not put back')
      }),
      { numRuns: 80 },
    )
  } finally {
    await clearThrottle()
  }
})

test('any address on the service answers with a page, never a server error or a stack trace', async () => {
  const segment = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
    fc.uuid(),
    fc.constantFrom('new', 'deactivate', 'reactivate', '..', '%2e%2e', '%00', '%ZZ', 'admin', 'accounts', 'organisations', 'audit', admin.id, essexOrganisation),
  )
  const path = fc.oneof(
    fc.webPath(),
    fc.tuple(fc.constantFrom('', '/admin', '/admin/accounts', '/admin/organisations', '/admin/audit', '/assets'), fc.array(segment, { minLength: 1, maxLength: 4 })).map(
      ([prefix, parts]) => `${prefix}/${parts.join('/')}`,
    ),
  )
    .map((url) => (url.startsWith('/') ? url : `/${url}`))
    .filter((url) => !/^\/+sign-out/i.test(url)) // signing out would end the session the other tests use
  await fc.assert(
    fc.asyncProperty(path, fc.constantFrom('GET', 'POST'), async (url, method) => {
      const response = method === 'GET' ? await adminAgent.get(url) : await adminAgent.post(url, {})
      assert.ok(response.statusCode < 500, `${method} ${url}: status ${response.statusCode}`)
      assert.ok(!hasStackTrace(response.body), `${method} ${url}: a stack trace`)
    }),
    { numRuns: 150 },
  )
})

test('any query string on the pages answers with a page, never a server error, and echoes nothing unescaped', async () => {
  const junk = fc.oneof(
    fc.string({ unit: awkward, maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom(...INJECTIONS, '', '0', '-1', '99999999999', '1e9'),
  )
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  // Dates as a date field sends them, and cursors as the "Older events" link writes them, at and beyond their limits.
  const dateLike = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
  const timeLike = fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 }))
    .map(([h, m, s, ms]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`)
  const cursorLike = fc.tuple(dateLike, timeLike, fc.bigInt({ min: 0n, max: 10n ** 25n })).map(([d, t, id]) => `${d}T${t}Z_${id}`)
  const params: Record<string, fc.Arbitrary<string>> = {
    q: junk,
    recordId: junk,
    role: fc.oneof(fc.constantFrom(...ROLES), junk),
    status: fc.oneof(fc.constantFrom('active', 'inactive', 'all'), junk),
    page: fc.oneof(fc.integer({ min: -5, max: 200_000 }).map(String), junk),
    action: fc.oneof(fc.constantFrom('sign-in', 'access-denied', 'audit-viewed'), junk),
    actor: fc.oneof(fc.constant(admin.id), fc.uuid(), junk),
    from: fc.oneof(dateLike, junk),
    to: fc.oneof(dateLike, junk),
    before: fc.oneof(cursorLike, junk),
    created: fc.constantFrom('1', '0', ''),
    changed: fc.oneof(fc.constantFrom('deactivate', 'reactivate'), junk),
    signedOut: fc.constantFrom('1', 'x'),
    [`x${randomUUID().slice(0, 4)}`]: junk,
  }
  const param = fc.oneof(...Object.entries(params).map(([key, value]) => value.map((v) => [key, v] as const)))
  const page = fc.constantFrom('/home', '/admin/accounts', '/admin/organisations', '/admin/audit', '/admin/accounts/new', '/admin/organisations/new', `/admin/accounts/${admin.id}`, '/', '/cookies', '/accessibility')
  await fc.assert(
    fc.asyncProperty(page, fc.array(param, { maxLength: 5 }), async (path, pairs) => {
      const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
      const url = query ? `${path}?${query}` : path
      const response = await adminAgent.get(url)
      assertSafe(response, `GET ${url}`)
    }),
    { numRuns: 300 },
  )
})

test('the session token never appears in a page', async () => {
  const home = await adminAgent.get('/home')
  const token = adminAgent.cookies.get(SESSION_COOKIE)
  assert.ok(token)
  assert.ok(!home.body.includes(token))
})
