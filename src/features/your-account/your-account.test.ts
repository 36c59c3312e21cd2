import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { errorSummary, text } from '../../test/html.ts'

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

async function actionsFor(accountId: string, since: string): Promise<string[]> {
  const rows = await ctx.db.system.selectFrom('audit_events').select('action').where('actor_account_id', '=', accountId).where('id', '>', since).orderBy('id').execute()
  return rows.map((r) => r.action)
}

async function lastAuditId(): Promise<string> {
  const row = await ctx.db.system.selectFrom('audit_events').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst()
  return row?.id ?? '0'
}

test('your account lists where you are signed in, marks this browser, and signs out everywhere else', async () => {
  const account = await ctx.newAccount('essex', 'practitioner')
  const here = await ctx.signIn(account)
  const laptop = await ctx.signIn(account)
  const phone = await ctx.signIn(account)
  const mark = await lastAuditId()

  const page = await here.get('/account')
  assert.equal(page.statusCode, 200)
  assert.equal((page.body.match(/<tr class="govuk-table__row">/g) ?? []).length - 1, 3, 'three sessions listed')
  assert.equal((page.body.match(/This browser/g) ?? []).length, 1)
  assert.match(text(page.body), new RegExp(account.email))

  const ended = await here.post('/account/sessions/end-others')
  assert.equal(ended.statusCode, 303)
  assert.equal(ended.headers.location, '/account?done=sessions-ended')
  assert.deepEqual(await actionsFor(account.id, mark), ['own-account-viewed', 'other-sessions-ended'])
  assert.equal((await laptop.get('/home')).statusCode, 303, 'the laptop is signed out')
  assert.equal((await phone.get('/home')).statusCode, 303, 'the phone is signed out')
  assert.equal((await here.get('/home')).statusCode, 200, 'this browser stays signed in')
})

test('changing your password needs the current one, signs you out elsewhere, and the new one works', async () => {
  const account = await ctx.newAccount('essex', 'duty_manager')
  const here = await ctx.signIn(account)
  const elsewhere = await ctx.signIn(account)
  const mark = await lastAuditId()

  const wrong = await here.post('/account/password', { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' })
  assert.equal(wrong.statusCode, 400)
  assert.deepEqual(errorSummary(wrong.body), [{ href: '#currentPassword', text: 'Your current password is not right' }])
  assert.ok(!wrong.body.includes('a brand new passphrase'), 'passwords are never put back into the page')

  const changed = await here.post('/account/password', { currentPassword: account.password, newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' })
  assert.equal(changed.statusCode, 303)
  assert.equal(changed.headers.location, '/account?done=password-changed')
  assert.deepEqual(await actionsFor(account.id, mark), ['password-change-failed', 'password-changed'])
  const told = await ctx.db.system.selectFrom('notifications').select(['template', 'recipient']).where('recipient', '=', account.email).execute()
  assert.deepEqual(told, [{ template: 'password-changed', recipient: account.email }], 'the account holder is told by email')
  assert.equal((await elsewhere.get('/home')).statusCode, 303, 'the other browser is signed out')
  assert.equal((await here.get('/home')).statusCode, 200)

  const oldPassword = ctx.visitor()
  await oldPassword.get('/sign-in')
  assert.equal((await oldPassword.post('/sign-in', { email: account.email, password: account.password })).statusCode, 400)
  const newPassword = ctx.visitor()
  await newPassword.get('/sign-in')
  assert.equal((await newPassword.post('/sign-in', { email: account.email, password: 'a brand new passphrase' })).statusCode, 303)
})

test('the form explains each problem, and five wrong current passwords lock it like sign-in', async () => {
  const account = await ctx.newAccount('southend', 'practitioner')
  const agent = await ctx.signIn(account)
  const empty = await agent.post('/account/password', {})
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#currentPassword', text: 'Enter your current password' },
    { href: '#newPassword', text: 'Enter a new password' },
    { href: '#confirmPassword', text: 'Enter the new password again' },
  ])
  const mismatch = await agent.post('/account/password', { currentPassword: account.password, newPassword: 'short', confirmPassword: 'other' })
  assert.deepEqual(errorSummary(mismatch.body), [
    { href: '#newPassword', text: 'New password must be 12 characters or more' },
    { href: '#confirmPassword', text: 'The passwords do not match: enter the same new password twice' },
  ])
  const same = await agent.post('/account/password', { currentPassword: account.password, newPassword: account.password, confirmPassword: account.password })
  assert.deepEqual(errorSummary(same.body), [{ href: '#newPassword', text: 'Choose a new password that is different from your current one' }])

  for (let i = 0; i < 5; i++) {
    await agent.post('/account/password', { currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' })
  }
  const locked = await agent.post('/account/password', { currentPassword: account.password, newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' })
  assert.equal(locked.statusCode, 400)
  assert.match(errorSummary(locked.body)[0]?.text ?? '', /too many wrong passwords/)
})

test('a visitor is sent to sign in', async () => {
  for (const url of ['/account', '/account/password']) {
    const response = await ctx.visitor().get(url)
    assert.equal(response.statusCode, 303)
    assert.match(String(response.headers.location), /^\/sign-in/)
  }
})
