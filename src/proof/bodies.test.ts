import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../test/context.ts'
import { text } from '../test/html.ts'

// What arrives in a form body: more than the limit (1 MB) is refused with a page, not read; fields
// no form asks for are ignored, whatever their names.

const heading = (html: string) => text(/<h1[^>]*>([^]*?)<\/h1>/.exec(html)?.[1] ?? '')

let ctx: TestContext
let officer: TestAccount
let agent: Agent

before(async () => {
  ctx = await createTestContext()
  officer = await ctx.newAccount('essex', 'front_door_officer')
  agent = await ctx.signIn(officer)
})
after(() => ctx.close())

const call = (callerName: string) => ({
  callerName,
  callerOrganisation: 'Body Test School',
  familyNamed: 'no',
  concern: 'A concern',
  advice: 'Some advice',
  requestAdvised: 'no',
})

test('a form body over 1 MB gets 413 and a GOV.UK page, and nothing is saved', async () => {
  const before = await ctx.db.system.selectFrom('consultations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  for (const size of [1024 * 1024, 5 * 1024 * 1024]) {
    const response = await agent.post('/front-door/consultations/new', { ...call('Too large'), concern: 'x'.repeat(size) })
    assert.equal(response.statusCode, 413)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.match(response.body, /class="govuk-template__body/)
    assert.equal(heading(response.body), 'The form was too large', 'a page for this, not the generic problem page')
    assert.match(response.body, /<title>The form was too large – Early help for children and families<\/title>/)
    assert.match(text(response.body), /none of it has been saved/)
    assert.match(text(response.body), /shorten any very long text/)
    assert.doesNotMatch(text(response.body), /Sorry, there is a problem with the service/)
    assert.doesNotMatch(response.body, /FST_ERR|Request body is too large|at [\w.]+ \(/, 'no framework message or stack trace')
  }
  // Signed out, too: the limit applies before anything else reads the body.
  const visitor = ctx.visitor()
  await visitor.get('/sign-in')
  const signIn = await visitor.post('/sign-in', { email: 'someone@example.org', password: 'x'.repeat(1024 * 1024) })
  assert.equal(signIn.statusCode, 413)
  assert.match(signIn.body, /class="govuk-template__body/)
  assert.equal(heading(signIn.body), 'The form was too large')
  const afterwards = await ctx.db.system.selectFrom('consultations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  assert.equal(afterwards.n, before.n)
  // Just under the limit is read as usual (and refused for its length by the form, with the error summary).
  const under = await agent.post('/front-door/consultations/new', { ...call('Just under'), concern: 'x'.repeat(1000 * 1000) })
  assert.equal(under.statusCode, 400)
  assert.match(text(under.body), /Must be 5000 characters or fewer/)
})

test('fields no form asks for are ignored: they change nothing and break nothing', async () => {
  const name = `Unknown fields ${Date.now()}`
  const response = await agent.post('/front-door/consultations/new', {
    ...call(name),
    tenant_id: 'southend',
    tenantId: 'southend',
    recorded_by: '00000000-0000-0000-0000-000000000000',
    recordedBy: '00000000-0000-0000-0000-000000000000',
    id: '00000000-0000-0000-0000-000000000001',
    role: 'administrator',
    __proto__: 'polluted',
    'constructor[prototype][admin]': 'true',
    '__proto__[admin]': 'true',
    'something else': 'x'.repeat(10_000),
  })
  assert.equal(response.statusCode, 303)
  const saved = await ctx.db.system.selectFrom('consultations').selectAll().where('caller_name', '=', name).executeTakeFirstOrThrow()
  assert.equal(saved.tenant_id, 'essex')
  assert.equal(saved.recorded_by, officer.id)
  assert.notEqual(saved.id, '00000000-0000-0000-0000-000000000001')
  assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype pollution')
  const account = await ctx.db.system.selectFrom('accounts').select('role').where('id', '=', officer.id).executeTakeFirstOrThrow()
  assert.equal(account.role, 'front_door_officer')
  // Unknown fields on a form that fails validation are not echoed back either.
  const invalid = await agent.post('/front-door/consultations/new', { ...call(''), injected: '<script>alert(1)</script>' })
  assert.equal(invalid.statusCode, 400)
  assert.doesNotMatch(invalid.body, /<script>alert\(1\)<\/script>/)
})
