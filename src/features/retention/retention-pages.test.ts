import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { routeTable } from '../../platform/http/route-table.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text, textareaValue, inputValue } from '../../test/html.ts'
import { closedFamily, decidedRequest } from './test-support.ts'

/** The retention and legal hold pages, through HTTP, as an administrator and as everyone else. */

let ctx: TestContext
let admin: TestAccount
let adminAgent: Agent
let lead: TestAccount

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.newAccount('essex', 'administrator')
  adminAgent = await ctx.signIn(admin)
  lead = await ctx.newAccount('essex', 'practitioner')
})
after(() => ctx.close())

const count = async (action: string) =>
  Number((await ctx.db.system.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n)

test('the routes are registered for administrators only; everyone else is told the page does not exist', async () => {
  const routes = routeTable(ctx.app).filter((r) => r.url.startsWith('/privacy/retention') || r.url.startsWith('/privacy/legal-holds'))
  assert.deepEqual(routes.map((r) => `${r.method} ${r.url}`).sort(), [
    'GET /privacy/legal-holds',
    'GET /privacy/legal-holds/:id',
    'GET /privacy/retention',
    'POST /privacy/legal-holds',
    'POST /privacy/legal-holds/:id',
    'POST /privacy/retention/report',
  ])
  for (const role of ['practitioner', 'duty_manager', 'team_manager', 'performance_analyst'] as const) {
    const agent = await ctx.signIn(await ctx.newAccount('essex', role))
    assert.equal((await agent.get('/privacy/retention')).statusCode, 404, role)
    assert.equal((await agent.get('/privacy/legal-holds')).statusCode, 404, role)
    assert.equal((await agent.post('/privacy/retention/report')).statusCode, 404, role)
    assert.equal((await agent.post('/privacy/legal-holds', { reference: 'X', reason: 'Y' })).statusCode, 404, role)
  }
  assert.equal((await ctx.visitor().get('/privacy/retention')).statusCode, 303)
  assert.ok((await adminAgent.get('/home')).body.includes('href="/privacy/retention"'), 'in the administrator’s navigation')
})

test('an administrator reads the rules in words, runs the report, and sees what would go, when and why', async () => {
  const request = await decidedRequest(ctx, lead, '2015-01-10T12:00:00Z')
  const family = await closedFamily(ctx, lead, { children: ['1995-03-01'], closedAt: '2012-01-15T12:00:00Z' })

  const empty = await adminAgent.get('/privacy/retention')
  assert.equal(empty.statusCode, 200)
  const before = text(empty.body)
  assert.match(before, /Kept for 6 years after the decision, then deleted/)
  assert.match(before, /youngest child’s 25th birthday, then anonymised/)
  assert.match(before, /No report has been run yet/)
  assert.match(before, /The audit log is never deleted/)
  assert.match(before, /listed at least 7 days before/)
  assert.equal(await count('retention-report-viewed'), 1)

  const run = await adminAgent.post('/privacy/retention/report')
  assert.equal(run.statusCode, 303)
  assert.equal(run.headers.location, '/privacy/retention?done=report')
  assert.equal(await count('retention-report-run'), 1)

  const page = text((await adminAgent.get('/privacy/retention?done=report')).body)
  assert.match(page, /The report has been run/)
  assert.match(page, /2 records are due/)
  assert.ok(page.includes(request.reference) && page.includes(family.reference))
  assert.match(page, /Request not progressed .* 6 years after the decision 10 January 2021 Deleted from/)
  assert.match(page, /Youngest child’s 25th birthday 1 March 2020 Anonymised from/)
  assert.doesNotMatch(page, new RegExp(family.familyName), 'no family names in the report')
  assert.match(page, /Report/)
  assert.match(page, /Test administrator/)
})

test('a legal hold is placed by reference, shown as held in the report, and lifted with a reason', async () => {
  const request = await decidedRequest(ctx, lead, '2016-01-10T12:00:00Z')

  const list = await adminAgent.get('/privacy/legal-holds')
  assert.equal(list.statusCode, 200)
  assert.match(text(list.body), /No legal holds/)
  assert.equal(await count('legal-holds-viewed'), 1)

  const blank = await adminAgent.post('/privacy/legal-holds', { reference: ' ', reason: '' })
  assert.equal(blank.statusCode, 400)
  assert.deepEqual(errorSummary(blank.body), [
    { href: '#reference', text: 'Enter the reference of the family’s early help or the request for support' },
    { href: '#reason', text: 'Enter why the record must be kept' },
  ])
  const unknown = await adminAgent.post('/privacy/legal-holds', { reference: 'ESS-NOPE-1', reason: 'Ombudsman <complaint>' })
  assert.equal(unknown.statusCode, 400)
  assert.match(errorSummary(unknown.body)[0]!.text, /There is no family’s early help or request for support with the reference ESS-NOPE-1/)
  assert.equal(inputValue(unknown.body, 'reference'), 'ESS-NOPE-1')
  assert.equal(textareaValue(unknown.body, 'reason'), 'Ombudsman <complaint>')
  assert.ok(unknown.body.includes('Ombudsman &lt;complaint&gt;'))

  const placed = await adminAgent.post('/privacy/legal-holds', { reference: request.reference.toLowerCase(), reason: 'Ombudsman complaint 2026/114' })
  assert.equal(placed.statusCode, 303)
  assert.equal(await count('legal-hold-placed'), 1)
  const twice = await adminAgent.post('/privacy/legal-holds', { reference: request.reference, reason: 'Again' })
  assert.equal(twice.statusCode, 400)
  assert.match(errorSummary(twice.body)[0]!.text, /already under a legal hold/)

  const listed = text((await adminAgent.get('/privacy/legal-holds?done=placed')).body)
  assert.match(listed, /The legal hold has been placed/)
  assert.ok(listed.includes(request.reference) && listed.includes('Ombudsman complaint 2026/114') && listed.includes('In place'))

  await adminAgent.post('/privacy/retention/report')
  const report = text((await adminAgent.get('/privacy/retention')).body)
  assert.match(report, new RegExp(`${request.reference} 6 years after the decision 10 January 2022 Legal hold Kept while the hold lasts`))

  const hold = await ctx.db.system.selectFrom('legal_holds').select('id').where('record_id', '=', request.id).executeTakeFirstOrThrow()
  const shown = await adminAgent.get(`/privacy/legal-holds/${hold.id}`)
  assert.equal(shown.statusCode, 200)
  assert.match(text(shown.body), /Lift the hold/)
  assert.equal((await adminAgent.get('/privacy/legal-holds/not-an-id')).statusCode, 404)
  assert.equal((await adminAgent.get('/privacy/legal-holds/00000000-0000-4000-8000-000000000000')).statusCode, 404)

  const noReason = await adminAgent.post(`/privacy/legal-holds/${hold.id}`, { liftReason: '   ' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(errorSummary(noReason.body), [{ href: '#liftReason', text: 'Enter why the hold is no longer needed' }])
  const lifted = await adminAgent.post(`/privacy/legal-holds/${hold.id}`, { liftReason: 'The complaint was closed' })
  assert.equal(lifted.headers.location, `/privacy/legal-holds/${hold.id}?done=lifted`)
  assert.equal(await count('legal-hold-lifted'), 1)
  const after = text((await adminAgent.get(`/privacy/legal-holds/${hold.id}?done=lifted`)).body)
  assert.match(after, /The legal hold has been lifted/)
  assert.match(after, /The complaint was closed/)
  const again = await adminAgent.post(`/privacy/legal-holds/${hold.id}`, { liftReason: 'Again' })
  assert.equal(again.headers.location, `/privacy/legal-holds/${hold.id}?done=already`)
  assert.equal(await count('legal-hold-lifted'), 1)

  // Another authority's administrator cannot see or lift it.
  const southend = await ctx.signIn(await ctx.newAccount('southend', 'administrator'))
  assert.equal((await southend.get(`/privacy/legal-holds/${hold.id}`)).statusCode, 404)
  assert.equal((await southend.post('/privacy/legal-holds', { reference: request.reference, reason: 'Not ours' })).statusCode, 400)
})
