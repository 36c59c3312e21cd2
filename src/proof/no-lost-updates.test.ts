import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestContext } from '../test/context.ts'
import { errorSummary, inputValue, textareaValue } from '../test/html.ts'

// No lost updates: twenty editors save the same directory service at once, each from the same
// version. Exactly one save wins each round; every other editor gets the conflict page with what
// they typed kept, and nothing of theirs is saved. On PostgreSQL the saves really run in parallel
// (a pool of 20 connections); on the embedded database they queue on its one connection.

const WRITERS = 20
const ROUNDS = 5
const CONFLICT = 'Someone else changed this service while you were editing it. Your changes have not been saved'

let ctx: TestContext
let editors: Agent[]

before(async () => {
  ctx = await createTestContext()
  editors = await Promise.all(Array.from({ length: WRITERS }, async () => ctx.signIn(await ctx.newAccount('essex', 'administrator'))))
})
after(() => ctx.close())

function serviceForm(organizationId: string, name: string): Record<string, string | string[]> {
  return {
    name,
    organizationId,
    newOrganisationName: '',
    description: 'An 8-week parenting course.',
    status: 'active',
    minimumAge: '5',
    maximumAge: '11',
    levels: ['1', '2'],
    localities: ['mid'],
    categories: ['parenting'],
    referralRoutes: ['self', 'professional'],
    howToRefer: 'Call us.',
    capacity: 'Places available',
    locationName: 'Chelmsford Family Hub',
    address: '12 Example Road',
    town: 'Chelmsford',
    postcode: 'CM2 0JQ',
    phone: '01632 960123',
    email: 'hello@example.org',
    website: 'https://family-matters.example.org/',
  }
}

test(`${WRITERS} editors saving one service at once: exactly one wins each round, the rest see the conflict with their input kept`, async () => {
  const organizationId = randomUUID()
  await ctx.db.asTenant('essex', (trx) =>
    trx.insertInto('directory_organizations').values({ id: organizationId, tenant_id: 'essex', name: 'Lost Updates Trust', document: JSON.stringify({ id: organizationId, name: 'Lost Updates Trust', description: '' }) }).execute(),
  )
  const name = `Family Matters ${randomUUID().slice(0, 6)}`
  const input = serviceForm(organizationId, name)
  assert.equal((await editors[0]!.post('/directory/new', input)).statusCode, 303)
  const { id } = await ctx.db.system.selectFrom('directory_services').select('id').where('name', '=', name).executeTakeFirstOrThrow()

  for (let round = 1; round <= ROUNDS; round++) {
    const before = await ctx.db.system.selectFrom('directory_services').select(['version']).where('id', '=', id).executeTakeFirstOrThrow()
    const auditsBefore = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'directory-service-updated').where('record_id', '=', id).executeTakeFirstOrThrow()
    const mine = (w: number) => `Round ${round}, editor ${w}: my description`
    const responses = await Promise.all(
      editors.map((agent, w) => agent.post(`/directory/services/${id}`, { ...input, version: String(before.version), description: mine(w) })),
    )
    const winners = responses.flatMap((response, w) => (response.statusCode === 303 ? [w] : []))
    assert.equal(winners.length, 1, `round ${round}: exactly one save wins (statuses ${responses.map((r) => r.statusCode).join(' ')})`)
    const winner = winners[0]!
    responses.forEach((response, w) => {
      if (w === winner) return
      assert.equal(response.statusCode, 409, `round ${round}, editor ${w}`)
      assert.deepEqual(errorSummary(response.body), [{ href: '#conflict', text: CONFLICT }])
      assert.equal(textareaValue(response.body, 'description'), mine(w), 'what they typed is kept')
      assert.equal(inputValue(response.body, 'version'), String(before.version + 1), 'saving again means having seen the winner’s change')
    })
    const afterRound = await ctx.db.system.selectFrom('directory_services').select(['version', 'description']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(afterRound, { version: before.version + 1, description: mine(winner) }, 'the winner’s save, and only theirs')
    const auditsAfter = await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'directory-service-updated').where('record_id', '=', id).executeTakeFirstOrThrow()
    assert.equal(Number(auditsAfter.n) - Number(auditsBefore.n), 1, 'one audit event for the one save')
  }
})
