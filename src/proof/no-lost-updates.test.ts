import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { openTestInvolvement } from '../test/casework.ts'
import { createTestContext, type Agent, type TestContext } from '../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../test/html.ts'

// No lost updates: twenty people save the same record at once, each from the same version: a
// directory service, a section of a draft Early Help Plan, a section of a draft request for
// support, and the front door's decision. Exactly one save wins each round; everyone else gets the
// conflict page with what they typed kept, and nothing of theirs is saved. On PostgreSQL the saves
// really run in parallel (a pool of 20 connections); on the embedded database they queue on its one
// connection.

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

/** The one winner of a round: exactly one 303, and its index. */
function winnerOf(round: number, responses: LightMyRequestResponse[]): number {
  const winners = responses.flatMap((response, w) => (response.statusCode === 303 ? [w] : []))
  assert.equal(winners.length, 1, `round ${round}: exactly one save wins (statuses ${responses.map((r) => r.statusCode).join(' ')})`)
  return winners[0]!
}

async function auditCount(action: string, recordId: string): Promise<number> {
  const row = await ctx.db.system
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', action)
    .where('record_id', '=', recordId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const PLAN_CONFLICT = 'Someone else changed this plan while you were editing it. Your changes have not been saved: check what is below, then save again.'

test(`${WRITERS} people saving one section of a draft Early Help Plan at once: exactly one wins each round, the rest see the conflict with their input kept`, async () => {
  // The Lead Professional and team managers: everyone who may change the plan.
  const lead = await ctx.newAccount('essex', 'practitioner')
  const { id } = await openTestInvolvement(ctx, lead)
  const writers = [await ctx.signIn(lead), ...(await Promise.all(Array.from({ length: WRITERS - 1 }, async () => ctx.signIn(await ctx.newAccount('essex', 'team_manager')))))]
  const started = await writers[0]!.post(`/involvements/${id}/plans`, { kind: 'initial' })
  assert.equal(started.statusCode, 303)
  assert.equal(started.headers.location, `/involvements/${id}/plans/1`)
  const url = `/involvements/${id}/plans/1/going-well`
  const stored = () => ctx.db.system.selectFrom('plan_versions').select(['version', 'content']).where('involvement_id', '=', id).where('number', '=', 1).executeTakeFirstOrThrow()

  for (let round = 1; round <= ROUNDS; round++) {
    const before = await stored()
    // The form as each of them read it carries the version.
    assert.equal(inputValue((await writers[round % WRITERS]!.get(url)).body, 'version'), String(before.version))
    const [savedBefore, viewedBefore] = [await auditCount('plan-saved', id), await auditCount('plan-viewed', id)]
    const mine = (w: number) => `Round ${round}, writer ${w}: the children are going to school every day`
    const responses = await Promise.all(writers.map((agent, w) => agent.post(url, { version: String(before.version), goingWell: mine(w) })))
    const winner = winnerOf(round, responses)
    assert.equal(responses[winner]!.headers.location, `/involvements/${id}/plans/1#sections`)
    responses.forEach((response, w) => {
      if (w === winner) return
      assert.equal(response.statusCode, 409, `round ${round}, writer ${w}`)
      assert.deepEqual(errorSummary(response.body), [{ href: '#plan-form', text: PLAN_CONFLICT }])
      assert.equal(textareaValue(response.body, 'goingWell'), mine(w), 'what they typed is kept')
      assert.equal(inputValue(response.body, 'version'), String(before.version + 1), 'saving again means having seen the winner’s change')
    })
    const after = await stored()
    assert.equal(after.version, before.version + 1)
    assert.equal((after.content as { goingWell?: string }).goingWell, mine(winner), 'the winner’s save, and only theirs')
    assert.equal((await auditCount('plan-saved', id)) - savedBefore, 1, 'one change event for the one save')
    // Each refused save showed the plan as it is now: one view event each, whichever way it lost.
    assert.equal((await auditCount('plan-viewed', id)) - viewedBefore, WRITERS - 1, 'one view event for each conflict page')
  }
})

const REQUEST_CONFLICT =
  'This request was saved in another tab or window while you were editing it, so your changes have not been saved. What you typed is below: save again to keep it, or go back to the request to see what was saved.'

test(`${WRITERS} tabs saving one section of a draft request for support at once: exactly one wins each round, the rest see the conflict with their input kept`, async () => {
  // A draft is its referrer's alone: the writers are one practitioner signed in twenty times.
  const referrer = await ctx.newAccount('essex', 'practitioner')
  const writers = await Promise.all(Array.from({ length: WRITERS }, () => ctx.signIn(referrer)))
  const started = await writers[0]!.post('/requests/new', { immediateRisk: 'no' })
  assert.equal(started.statusCode, 303)
  const id = String(started.headers.location).split('/').pop()!
  const url = `/requests/${id}/section/worries`
  const stored = () => ctx.db.system.selectFrom('requests').select(['version', 'answers']).where('id', '=', id).executeTakeFirstOrThrow()

  for (let round = 1; round <= ROUNDS; round++) {
    const before = await stored()
    assert.equal(inputValue((await writers[round % WRITERS]!.get(url)).body, 'version'), String(before.version), 'the form carries the version it was read at')
    const updatedBefore = await auditCount('request-updated', id)
    const mine = (w: number) => `Round ${round}, tab ${w}: we are worried about money`
    const responses = await Promise.all(writers.map((agent, w) => agent.post(url, { version: String(before.version), familyWords: mine(w), referrerWords: 'Attendance has dropped.' })))
    const winner = winnerOf(round, responses)
    assert.equal(responses[winner]!.headers.location, `/requests/${id}`)
    responses.forEach((response, w) => {
      if (w === winner) return
      assert.equal(response.statusCode, 409, `round ${round}, tab ${w}`)
      assert.deepEqual(errorSummary(response.body), [{ href: '#section-form', text: REQUEST_CONFLICT }])
      assert.match(response.body, /<form [^>]*id="section-form"/)
      assert.equal(textareaValue(response.body, 'familyWords'), mine(w), 'what they typed is kept')
      assert.equal(inputValue(response.body, 'version'), String(before.version + 1), 'saving again means having seen the winner’s change')
    })
    const after = await stored()
    assert.equal(after.version, before.version + 1)
    assert.deepEqual((after.answers as { worries?: unknown }).worries, { familyWords: mine(winner), referrerWords: 'Attendance has dropped.' }, 'the winner’s save, and only theirs')
    assert.equal((await auditCount('request-updated', id)) - updatedBefore, 1, 'one change event for the one save')
  }
})

// The decision page answers a conflict with the request page as a 409: the decision that was
// recorded, and what this duty manager typed, shown beside the error so nothing is lost.
const DECISION_CONFLICT_STATUS = 409
const DECISION_CONFLICT = 'Someone else changed this request while you were deciding. Check it again, then decide.'

test(`${WRITERS} duty managers deciding one request at once: exactly one decision is recorded, the rest see the conflict with their reasons kept`, async () => {
  const referrer = await ctx.signIn(await ctx.newAccount('essex', 'practitioner'))
  const managers = await Promise.all(Array.from({ length: WRITERS }, async () => ctx.signIn(await ctx.newAccount('essex', 'duty_manager'))))
  // A decision is made once: each round is a new request, sent through the Priority Line form.
  for (let round = 1; round <= ROUNDS; round++) {
    const sent = await referrer.post('/requests/priority', { childName: `Round${round} Decided`, postcode: 'CM1 1AA', address: '1 Example Street', happening: 'A test.', phone: '01632 960000' })
    assert.equal(sent.statusCode, 303)
    const id = String(sent.headers.location).split('/').at(-2)!
    const page = await managers[0]!.get(`/front-door/requests/${id}`)
    const version = inputValue(page.body, 'version')
    const row = await ctx.db.system.selectFrom('requests').select('version').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(version, String(row.version), 'the decision form carries the version it was read at')
    const mine = (w: number) => `Round ${round}, duty manager ${w}: universal services can meet these needs`
    const responses = await Promise.all(
      managers.map((agent, w) => agent.post(`/front-door/requests/${id}/decision`, { version: version!, outcome: 'universal-signposting', level: '1', reason: mine(w), differenceReason: 'The Priority Line found no risk.', signposted: 'Family hub' })),
    )
    const winner = winnerOf(round, responses)
    responses.forEach((response, w) => {
      if (w === winner) return
      assert.equal(response.statusCode, DECISION_CONFLICT_STATUS, `round ${round}, duty manager ${w}`)
      // Refused on a stale version, or (reading after the winner committed) as already decided.
      const summary = errorSummary(response.body)
      assert.equal(summary.length, 1)
      assert.ok([DECISION_CONFLICT, 'This request has already been decided, so your decision was not saved'].includes(summary[0]!.text), summary[0]!.text)
      assert.equal(summary[0]!.href, '#not-saved')
      assert.match(text(response.body), /Decided: .*, level 1/, 'the page shows the decision that was recorded')
      assert.ok(text(response.body).includes(mine(w)), 'and the reasons this duty manager typed')
    })
    const decided = await ctx.db.system.selectFrom('requests').select(['status', 'decision_reason', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(decided, { status: 'decided', decision_reason: mine(winner), version: row.version + 1 }, 'the winner’s decision, and only theirs')
    assert.equal(await auditCount('request-decided', id), 1, 'one change event for the one decision')
  }
})
