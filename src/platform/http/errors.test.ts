import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestContext } from '../../test/context.ts'

let ctx: TestContext
let agent: Agent
before(async () => {
  ctx = await createTestContext()
  agent = await ctx.signIn(await ctx.newAccount('essex', 'administrator'))
  // The database goes away under a running service.
  await ctx.db.close()
})
after(() => ctx.app.close())

test('when the database is unreachable, pages answer 500 with a reference and no stack trace', async () => {
  const response = await agent.get('/admin/accounts')
  assert.equal(response.statusCode, 500)
  assert.match(response.body, /Sorry, there is a problem with the service/)
  const reference = /data-testid="error-reference">([^<]+)</.exec(response.body)?.[1]
  assert.match(reference ?? '', /^[0-9a-f-]{36}$/, 'the page gives the request id as its reference')
  assert.doesNotMatch(response.body, /at .*\.ts:\d+|node_modules|Error:/)
})

test('the health check says the database is unreachable', async () => {
  const response = await ctx.visitor().get('/health')
  assert.equal(response.statusCode, 503)
  assert.deepEqual(response.json(), { status: 'unavailable', database: 'unreachable' })
})
