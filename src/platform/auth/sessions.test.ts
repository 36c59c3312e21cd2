import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, TEST_PASSWORD, type Agent, type TestContext } from '../../test/context.ts'
import { SESSION_COOKIE } from '../http/cookies.ts'
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from './session-rules.ts'
import { hashToken, sweepExpiredSessions } from './sessions.ts'

const MINUTE = 60 * 1000
const IDLE_MESSAGE = 'You were signed out because you had not used the service for 30 minutes'
const ABSOLUTE_MESSAGE = 'You were signed out because you had been signed in for 12 hours'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

function idHash(agent: Agent): string {
  const token = agent.sessionToken
  assert.ok(token, 'the agent is signed in')
  return hashToken(token)
}

async function backdate(agent: Agent, change: { created_at?: Date; last_seen_at?: Date }) {
  const result = await ctx.db.system.updateTable('sessions').set(change).where('id_hash', '=', idHash(agent)).executeTakeFirst()
  assert.equal(Number(result.numUpdatedRows), 1)
}

async function session(hash: string) {
  return ctx.db.system.selectFrom('sessions').selectAll().where('id_hash', '=', hash).executeTakeFirst()
}

async function expiryEvents(accountId: string) {
  return ctx.db.system
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'session-expired')
    .where('actor_account_id', '=', accountId)
    .execute()
}

test('after 30 minutes without using the service, the next page signs the person out and says why', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const agent = await ctx.signIn(account)
  const hash = idHash(agent)
  await backdate(agent, { last_seen_at: new Date(Date.now() - IDLE_TIMEOUT_MS - MINUTE) })

  const home = await agent.get('/home')
  assert.equal(home.statusCode, 303)
  const to = new URL(String(home.headers.location), 'https://early-help.example')
  assert.equal(to.pathname, '/sign-in')
  assert.equal(to.searchParams.get('returnTo'), '/home', 'they come back to where they were after signing in')
  assert.equal(agent.sessionToken, undefined, 'the session cookie is cleared')
  assert.equal(await session(hash), undefined, 'the session is deleted')
  const events = await expiryEvents(account.id)
  assert.equal(events.length, 1)
  assert.equal(events[0]?.tenant_id, 'essex')
  assert.equal(events[0]?.record_id, account.id)
  assert.deepEqual(events[0]?.detail, { reason: 'idle' })

  // The browser follows the redirect: the sign-in page must tell them why they are there.
  const signIn = await agent.get(String(home.headers.location))
  assert.equal(signIn.statusCode, 200)
  assert.ok(signIn.body.includes(IDLE_MESSAGE), 'the sign-in page explains the 30 minute sign-out')
})

test('a person whose idle session ends on the sign-in page itself sees the 30 minutes message', async () => {
  const account = await ctx.newAccount('southend', 'duty_manager')
  const agent = await ctx.signIn(account)
  await backdate(agent, { last_seen_at: new Date(Date.now() - IDLE_TIMEOUT_MS - MINUTE) })
  const page = await agent.get('/sign-in')
  assert.equal(page.statusCode, 200)
  assert.ok(page.body.includes(IDLE_MESSAGE))
  assert.equal(agent.sessionToken, undefined)
  assert.equal((await expiryEvents(account.id)).length, 1)
})

test('after 12 hours signed in, however busy, the person is signed out with the 12 hours message', async () => {
  const account = await ctx.newAccount('essex', 'team_manager')
  const agent = await ctx.signIn(account)
  const hash = idHash(agent)
  await backdate(agent, { created_at: new Date(Date.now() - ABSOLUTE_TIMEOUT_MS - MINUTE), last_seen_at: new Date(Date.now() - MINUTE) })

  const home = await agent.get('/home')
  assert.equal(home.statusCode, 303)
  assert.equal(await session(hash), undefined)
  const events = await expiryEvents(account.id)
  assert.deepEqual(
    events.map((e) => e.detail),
    [{ reason: 'absolute' }],
  )
  const signIn = await agent.get(String(home.headers.location))
  assert.ok(signIn.body.includes(ABSOLUTE_MESSAGE), 'the sign-in page explains the 12 hour sign-out')
  assert.ok(!signIn.body.includes(IDLE_MESSAGE))
})

test('the sign-in page explains a 12 hour sign-out when that is where it happens', async () => {
  const account = await ctx.newAccount('essex', 'team_manager')
  const agent = await ctx.signIn(account)
  await backdate(agent, { created_at: new Date(Date.now() - ABSOLUTE_TIMEOUT_MS - MINUTE) })
  const page = await agent.get('/sign-in')
  assert.ok(page.body.includes(ABSOLUTE_MESSAGE))
})

test('someone using the service keeps their session: each visit moves the idle clock on', async () => {
  const account = await ctx.newAccount('southend', 'early_help_advisor')
  const agent = await ctx.signIn(account)
  const hash = idHash(agent)
  for (let i = 0; i < 3; i++) {
    await backdate(agent, { last_seen_at: new Date(Date.now() - IDLE_TIMEOUT_MS + 2 * MINUTE) })
    const home = await agent.get('/home')
    assert.equal(home.statusCode, 200, `visit ${i + 1}`)
    const row = await session(hash)
    assert.ok(row && Date.now() - row.last_seen_at.getTime() < 10_000, 'last seen is now')
  }
  assert.equal((await expiryEvents(account.id)).length, 0)
})

test('a deactivated account\'s session stops working at once', async () => {
  const account = await ctx.newAccount('essex', 'front_door_officer')
  const agent = await ctx.signIn(account)
  const hash = idHash(agent)
  assert.equal((await agent.get('/home')).statusCode, 200)

  await ctx.db.system.updateTable('accounts').set({ active: false, deactivated_at: new Date() }).where('id', '=', account.id).execute()
  const home = await agent.get('/home')
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/sign-in?returnTo=%2Fhome')
  assert.equal(await session(hash), undefined, 'the session is deleted')
  // Reactivating the account does not bring the old session back.
  await ctx.db.system.updateTable('accounts').set({ active: true, deactivated_at: null }).where('id', '=', account.id).execute()
  assert.equal((await agent.get('/home')).statusCode, 303)
})

test('a made-up, over-long or empty session cookie is just a visitor', async () => {
  for (const token of ['made-up', 'x'.repeat(5000), '', '%00', '"quoted"']) {
    const agent = ctx.visitor()
    agent.cookies.set(SESSION_COOKIE, token)
    const home = await agent.get('/home')
    assert.equal(home.statusCode, 303, JSON.stringify(token.slice(0, 20)))
    assert.equal(home.headers.location, '/sign-in?returnTo=%2Fhome')
    assert.equal((await agent.get('/sign-in')).statusCode, 200)
  }
})

test('the sweep removes idle and over-age sessions and keeps live ones', async () => {
  const [live, idle, old] = await Promise.all([
    ctx.newAccount('essex', 'practitioner'),
    ctx.newAccount('essex', 'practitioner'),
    ctx.newAccount('southend', 'practitioner'),
  ])
  const agents = { live: await ctx.signIn(live), idle: await ctx.signIn(idle), old: await ctx.signIn(old) }
  await backdate(agents.idle, { last_seen_at: new Date(Date.now() - IDLE_TIMEOUT_MS - MINUTE) })
  await backdate(agents.old, { created_at: new Date(Date.now() - ABSOLUTE_TIMEOUT_MS - MINUTE) })

  const removed = await sweepExpiredSessions(ctx.db.system, new Date(), IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS)
  assert.ok(removed >= 2)
  assert.ok(await session(idHash(agents.live)))
  assert.equal(await session(idHash(agents.idle)), undefined)
  assert.equal(await session(idHash(agents.old)), undefined)
  assert.equal((await agents.live.get('/home')).statusCode, 200)
  assert.equal((await agents.idle.get('/home')).statusCode, 303)
  // The person whose session was swept can sign straight back in.
  assert.equal((await agents.idle.post('/sign-in', { email: idle.email, password: TEST_PASSWORD })).statusCode, 303)
})
