import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import Provider from 'oidc-provider'
import { hashToken } from '../../platform/auth/sessions.ts'
import { createTestContext, type Agent, type TestContext } from '../../test/context.ts'

/**
 * Single sign-on end to end over HTTP against a real OpenID Connect provider (oidc-provider),
 * started here on an ephemeral port with its development login pages, which accept any login name:
 * the name typed becomes the subject, and its email claim, verified unless it starts "unverified".
 */
const REDIRECT_URI = 'https://early-help.example/sign-in/oidc/callback'
const CLIENT_ID = 'early-help'
const CLIENT_SECRET = 'a client secret long enough for the provider to accept it'

let ctx: TestContext
let server: Server
let issuer: string

before(async () => {
  server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id.replace(/^unverified-/, ''), email_verified: !id.startsWith('unverified-'), name: 'From the provider' }),
    }),
    cookies: { keys: ['oidc test cookie key'] },
    features: { devInteractions: { enabled: true } },
  })
  server.on('request', provider.callback())
  ctx = await createTestContext({
    config: {
      oidc: { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, tenantId: 'essex', label: 'Essex County Council' },
    },
  })
})
after(async () => {
  await ctx.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** A browser at the provider: follows redirects by hand, keeps the provider's cookies, fills in the dev login and consent forms. */
async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>()
  let url = authorizationUrl
  let body: URLSearchParams | undefined
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body: body.toString() } : {}),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const [name = '', value = ''] = pair.split('=')
      if (value) jar.set(name, value)
      else jar.delete(name)
    }
    body = undefined
    const location = response.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.href.startsWith(REDIRECT_URI)) return next
      url = next.href
      continue
    }
    const html = await response.text()
    assert.equal(response.status, 200, `provider page ${url}: ${html.slice(0, 300)}`)
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    assert.ok(prompt && action, `a login or consent form at ${url}`)
    url = new URL(action, url).href
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt })
  }
  throw new Error('too many redirects at the provider')
}

/** Starts single sign-on from our sign-in page and returns the provider's answer, ready for our callback. */
async function startAndLogin(login: string, returnTo?: string): Promise<{ agent: Agent; callback: URL }> {
  const agent = ctx.visitor()
  const page = await agent.get('/sign-in')
  assert.match(page.body, /Sign in with your Essex County Council account/)
  const start = await agent.get(`/sign-in/oidc${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`)
  assert.equal(start.statusCode, 303)
  const authorization = new URL(start.headers.location ?? '')
  assert.equal(authorization.origin, issuer)
  assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256')
  assert.ok(authorization.searchParams.get('state'))
  assert.ok(authorization.searchParams.get('nonce'))
  const callback = await signInAtProvider(authorization.href, login)
  assert.ok(callback.searchParams.get('code'), `the provider sent a code: ${callback.href}`)
  return { agent, callback }
}

async function lastAuditId(): Promise<string> {
  const row = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
  return String(row?.id ?? 0)
}

async function eventsSince(mark: string) {
  return ctx.db.system.selectFrom('audit_events').select(['action', 'outcome', 'actor_account_id', 'detail']).where('id', '>', mark).orderBy('id').execute()
}

test('signing in with the organisation’s provider creates a session for the account with that email', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const { agent, callback } = await startAndLogin(account.email.toUpperCase(), '/requests')
  const mark = await lastAuditId()
  const response = await agent.get(`${callback.pathname}${callback.search}`)
  assert.equal(response.statusCode, 303, response.body)
  assert.equal(response.headers.location, '/requests')
  assert.ok(agent.sessionToken, 'a session cookie is set')
  const session = await ctx.db.system.selectFrom('sessions').select('account_id').where('id_hash', '=', hashToken(agent.sessionToken ?? '')).executeTakeFirstOrThrow()
  assert.equal(session.account_id, account.id)
  const events = await eventsSince(mark)
  assert.deepEqual(events.map((e) => [e.action, e.actor_account_id, e.detail]), [['sign-in', account.id, { method: 'oidc' }]])

  const home = await agent.get('/home')
  assert.equal(home.statusCode, 200)
  assert.match(home.body, /Test practitioner/)

  // The answer cannot be used a second time (the flow cookie is gone).
  const replay = await agent.get(`${callback.pathname}${callback.search}`)
  assert.equal(replay.statusCode, 400)
})

test('an email with no account is refused with a clear page and an audit event', async () => {
  const { agent, callback } = await startAndLogin('nobody@essex.test')
  const mark = await lastAuditId()
  const response = await agent.get(`${callback.pathname}${callback.search}`)
  assert.equal(response.statusCode, 403)
  assert.match(response.body, /You could not be signed in/)
  assert.match(response.body, /there is no active Early help account with its email address/)
  assert.equal(agent.sessionToken, undefined)
  const events = await eventsSince(mark)
  assert.deepEqual(events.map((e) => [e.action, e.outcome, e.detail]), [['sign-in-failed', 'failure', { method: 'oidc', reason: 'no account' }]])
})

test('an account in another authority, or an unverified email, is refused', async () => {
  const southend = await ctx.newAccount('southend', 'practitioner')
  const other = await startAndLogin(southend.email)
  assert.equal((await other.agent.get(`${other.callback.pathname}${other.callback.search}`)).statusCode, 403)
  assert.equal(other.agent.sessionToken, undefined)

  const essex = await ctx.newAccount('essex', 'practitioner')
  const unverified = await startAndLogin(`unverified-${essex.email}`)
  const mark = await lastAuditId()
  const response = await unverified.agent.get(`${unverified.callback.pathname}${unverified.callback.search}`)
  assert.equal(response.statusCode, 403)
  assert.match(response.body, /has not been verified/)
  assert.equal(unverified.agent.sessionToken, undefined)
  assert.deepEqual((await eventsSince(mark)).map((e) => e.detail), [{ method: 'oidc', reason: 'email not verified' }])
})

test('a tampered state is refused', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const { agent, callback } = await startAndLogin(account.email)
  callback.searchParams.set('state', `${callback.searchParams.get('state')}x`)
  const mark = await lastAuditId()
  const response = await agent.get(`${callback.pathname}${callback.search}`)
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /You could not be signed in/)
  assert.equal(agent.sessionToken, undefined)
  assert.deepEqual((await eventsSince(mark)).map((e) => [e.action, e.detail]), [['sign-in-failed', { method: 'oidc', reason: 'state mismatch' }]])
})

test('the answer is refused in a browser that did not start the sign-in, or with a forged flow cookie', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const { agent, callback } = await startAndLogin(account.email)
  const stranger = ctx.visitor()
  assert.equal((await stranger.get(`${callback.pathname}${callback.search}`)).statusCode, 400)
  assert.equal(stranger.sessionToken, undefined)

  const cookie = agent.cookies.get('__Host-eh-oidc') ?? ''
  const [body = '', mac = ''] = cookie.split('.')
  const flow = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>
  flow.returnTo = '/admin/accounts'
  agent.cookies.set('__Host-eh-oidc', `${Buffer.from(JSON.stringify(flow)).toString('base64url')}.${mac}`)
  assert.equal((await agent.get(`${callback.pathname}${callback.search}`)).statusCode, 400)
  assert.equal(agent.sessionToken, undefined)
})
