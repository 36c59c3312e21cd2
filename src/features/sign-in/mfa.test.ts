import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { generate } from 'otplib'
import { decryptSecret } from '../../platform/auth/mfa.ts'
import { PENDING_COOKIE } from '../../platform/auth/pending.ts'
import { createSession } from '../../platform/auth/sessions.ts'
import { SESSION_COOKIE } from '../../platform/http/cookies.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary } from '../../test/html.ts'

// MFA_REQUIRED on, as in production.
let ctx: TestContext
before(async () => {
  ctx = await createTestContext({ config: { mfaRequired: true } })
})
after(() => ctx.close())

async function lastAuditId(): Promise<string> {
  const row = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
  return String(row?.id ?? 0)
}

async function actionsSince(mark: string): Promise<string[]> {
  const rows = await ctx.db.system.selectFrom('audit_events').select('action').where('id', '>', mark).orderBy('id').execute()
  return rows.map((r) => r.action)
}

function secretOn(html: string): string {
  const match = /id="secret">([A-Z2-7 ]+)</.exec(html)
  assert.ok(match, 'the page shows the secret')
  return (match[1] ?? '').replaceAll(' ', '')
}

/** A code for a moment `offsetSteps` periods from now, so two sign-ins in one test use different codes. */
function codeFor(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 })
}

/** Sets MFA up for a signed-in person through the security codes page; returns the secret and recovery codes. */
async function setUpWhileSignedIn(agent: Agent): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = await agent.get('/account/security-codes')
  assert.equal(page.statusCode, 200)
  const secret = secretOn(page.body)
  assert.match(page.body, /otpauth:\/\/totp\//)
  const done = await agent.post('/account/security-codes', { code: await codeFor(secret, -1) })
  assert.equal(done.statusCode, 200)
  const recoveryCodes = [...done.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '')
  assert.equal(recoveryCodes.length, 10)
  return { secret, recoveryCodes }
}

/** A practitioner (MFA optional) with MFA set up, signed out again. */
async function practitionerWithMfa(): Promise<TestAccount & { secret: string; recoveryCodes: string[] }> {
  const account = await ctx.newAccount('essex', 'practitioner')
  const agent = await ctx.signIn(account)
  assert.ok(agent.sessionToken, 'an optional role signs in with the password alone')
  const setUp = await setUpWhileSignedIn(agent)
  await agent.post('/sign-out')
  return { ...account, ...setUp }
}

async function halfSignedIn(account: TestAccount): Promise<Agent> {
  const agent = ctx.visitor()
  await agent.get('/sign-in')
  const response = await agent.post('/sign-in', { email: account.email, password: account.password })
  assert.equal(response.statusCode, 303)
  assert.equal(agent.sessionToken, undefined, 'no session before the second factor')
  assert.ok(agent.cookies.get(PENDING_COOKIE))
  return agent
}

test('the secret is stored encrypted and the recovery codes only as hashes', async () => {
  const account = await practitionerWithMfa()
  const row = await ctx.db.system.selectFrom('account_mfa').selectAll().where('account_id', '=', account.id).executeTakeFirstOrThrow()
  assert.equal(row.enabled, true)
  assert.ok(!row.secret_encrypted.includes(account.secret))
  assert.equal(decryptSecret(ctx.config.mfaKey, row.secret_encrypted), account.secret)
  const codes = await ctx.db.system.selectFrom('mfa_recovery_codes').select('code_hash').where('account_id', '=', account.id).execute()
  assert.equal(codes.length, 10)
  for (const code of account.recoveryCodes) assert.ok(!codes.some((c) => c.code_hash.includes(code.replaceAll('-', ''))))
})

test('with MFA on, the password leads to the code page, and a correct code signs in once', async () => {
  const account = await practitionerWithMfa()
  const agent = await halfSignedIn(account)
  const page = await agent.get('/sign-in/code')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Enter your security code/)

  const mark = await lastAuditId()
  const code = await codeFor(account.secret)
  const response = await agent.post('/sign-in/code', { code })
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/home')
  assert.ok(agent.sessionToken)
  assert.equal(agent.cookies.get(PENDING_COOKIE), undefined)
  assert.deepEqual(await actionsSince(mark), ['mfa-challenge-passed', 'sign-in'])
  assert.equal((await agent.get('/home')).statusCode, 200)
  const signInEvent = await ctx.db.system.selectFrom('audit_events').select('detail').where('id', '>', mark).where('action', '=', 'sign-in').executeTakeFirstOrThrow()
  assert.deepEqual(signInEvent.detail, { method: 'password', mfa: 'totp' })

  // The same code cannot be used again.
  await agent.post('/sign-out')
  const again = await halfSignedIn(account)
  const replay = await again.post('/sign-in/code', { code })
  assert.equal(replay.statusCode, 400)
  assert.equal(again.sessionToken, undefined)
})

test('a wrong code is refused and audited; five wrong codes lock the second factor', async () => {
  const account = await practitionerWithMfa()
  const agent = await halfSignedIn(account)
  const mark = await lastAuditId()
  const wrong = await agent.post('/sign-in/code', { code: '000000' === (await codeFor(account.secret)) ? '111111' : '000000' })
  assert.equal(wrong.statusCode, 400)
  assert.match(errorSummary(wrong.body)[0]?.text ?? '', /The code is not right/)
  assert.equal(agent.sessionToken, undefined)
  assert.deepEqual(await actionsSince(mark), ['mfa-challenge-failed'])

  for (let i = 0; i < 4; i++) assert.equal((await agent.post('/sign-in/code', { code: 'zzzz-zzzz-zz' })).statusCode, 400)
  const locked = await agent.post('/sign-in/code', { code: await codeFor(account.secret) })
  assert.equal(locked.statusCode, 429)
  assert.match(errorSummary(locked.body)[0]?.text ?? '', /too many times/)
  assert.equal(agent.sessionToken, undefined)
  assert.equal((await actionsSince(mark)).at(-1), 'sign-in-throttled')
})

test('a recovery code signs in once, and only once', async () => {
  const account = await practitionerWithMfa()
  const recovery = account.recoveryCodes[3] ?? ''
  const agent = await halfSignedIn(account)
  const mark = await lastAuditId()
  const response = await agent.post('/sign-in/code', { code: recovery.toUpperCase() })
  assert.equal(response.statusCode, 303)
  assert.ok(agent.sessionToken)
  assert.deepEqual(await actionsSince(mark), ['recovery-code-used', 'sign-in'])
  await agent.post('/sign-out')

  const again = await halfSignedIn(account)
  const reused = await again.post('/sign-in/code', { code: recovery })
  assert.equal(reused.statusCode, 400)
  assert.equal(again.sessionToken, undefined)
})

test('half signed in, no page but the code page works', async () => {
  const account = await practitionerWithMfa()
  const agent = await halfSignedIn(account)
  for (const url of ['/home', '/account/security-codes', '/admin/accounts', '/requests']) {
    const response = await agent.get(url)
    assert.equal(response.statusCode, 303, url)
    assert.match(response.headers.location ?? '', /^\/sign-in\?returnTo=/, url)
  }
  // The pending token is not a session token, whichever cookie it is put in.
  const pending = agent.cookies.get(PENDING_COOKIE) ?? ''
  const forged = ctx.visitor()
  forged.cookies.set(SESSION_COOKIE, pending)
  assert.equal((await forged.get('/home')).statusCode, 303)
  // The set-up page sends someone who owes a code to the code page.
  assert.equal((await agent.get('/sign-in/set-up-mfa')).headers.location, '/sign-in/code')
  // Without a pending sign-in the code page is the sign-in page.
  const visitor = ctx.visitor()
  assert.equal((await visitor.get('/sign-in/code')).headers.location, '/sign-in')
})

test('with MFA_REQUIRED, a duty manager without MFA must set it up before going further', async () => {
  const account = await ctx.newAccount('essex', 'duty_manager')
  const agent = ctx.visitor()
  await agent.get('/sign-in')
  const response = await agent.post('/sign-in', { email: account.email, password: account.password, returnTo: '/admin/accounts' })
  assert.equal(response.statusCode, 303)
  assert.equal(response.headers.location, '/sign-in/set-up-mfa')
  assert.equal(agent.sessionToken, undefined)
  assert.equal((await agent.get('/home')).statusCode, 303)
  assert.equal((await agent.get('/sign-in/code')).headers.location, '/sign-in/set-up-mfa')

  const page = await agent.get('/sign-in/set-up-mfa')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Your role needs a second check/)
  const secret = secretOn(page.body)
  // Reloading keeps the same secret.
  assert.equal(secretOn((await agent.get('/sign-in/set-up-mfa')).body), secret)

  const wrong = await agent.post('/sign-in/set-up-mfa', { code: '12345' })
  assert.equal(wrong.statusCode, 400)
  const mark = await lastAuditId()
  const done = await agent.post('/sign-in/set-up-mfa', { code: await codeFor(secret) })
  assert.equal(done.statusCode, 200)
  assert.match(done.body, /Your recovery codes/)
  assert.match(done.body, /href="\/admin\/accounts"/, 'then on to where they were going')
  assert.ok(agent.sessionToken)
  assert.deepEqual(await actionsSince(mark), ['mfa-set-up', 'sign-in'])
  assert.equal((await agent.get('/home')).statusCode, 200)

  // Next time, the code is asked for.
  await agent.post('/sign-out')
  const next = await halfSignedIn(account)
  assert.equal((await next.get('/sign-in/code')).statusCode, 200)
})

test('administrators and team managers are required too; practitioners are not', async () => {
  for (const role of ['administrator', 'team_manager'] as const) {
    const account = await ctx.newAccount('essex', role)
    const agent = await halfSignedIn(account)
    assert.equal((await agent.get('/sign-in/code')).headers.location, '/sign-in/set-up-mfa', role)
  }
  const practitioner = await ctx.newAccount('essex', 'practitioner')
  assert.ok((await ctx.signIn(practitioner)).sessionToken)
})

test('an administrator resets someone’s MFA: audited, and they set it up again', async () => {
  const admin = await ctx.newAccount('essex', 'administrator')
  const adminAgent = await halfSignedIn(admin)
  const page = await adminAgent.get('/sign-in/set-up-mfa')
  assert.equal((await adminAgent.post('/sign-in/set-up-mfa', { code: await codeFor(secretOn(page.body)) })).statusCode, 200)

  const person = await practitionerWithMfa()
  // A session on the lost phone: resetting the second factor ends it (ASVS 3.3.3).
  await createSession(ctx.db.system, { accountId: person.id, tenantId: 'essex', ip: null, userAgent: 'lost phone' })
  const mark = await lastAuditId()
  const reset = await adminAgent.post(`/admin/accounts/${person.id}/reset-mfa`)
  assert.equal(reset.statusCode, 303)
  assert.deepEqual(await actionsSince(mark), ['mfa-reset'])
  const left = await ctx.db.system.selectFrom('sessions').select('id_hash').where('account_id', '=', person.id).execute()
  assert.equal(left.length, 0, 'every session of the account has ended')
  const told = await ctx.db.system.selectFrom('notifications').select('template').where('recipient', '=', person.email).execute()
  assert.deepEqual(told, [{ template: 'security-codes-reset' }], 'the account holder is told by email')
  assert.ok((await ctx.signIn(person)).sessionToken, 'a practitioner without MFA signs in with the password again')

  // Nobody but an administrator can reset it: for anyone else the address does not exist.
  const other = await ctx.newAccount('essex', 'practitioner')
  const otherAgent = await ctx.signIn(other)
  assert.equal((await otherAgent.post(`/admin/accounts/${person.id}/reset-mfa`)).statusCode, 404)
})
