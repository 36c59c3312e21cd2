import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { addMonths } from '../../domain/casework-timescales.ts'
import { datePartsOf } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import type { Actor } from '../../platform/audit/audit.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text, textareaValue } from '../../test/html.ts'
import { dueCallsCount, monthlyDueDates, signpostsForInvolvement, signpostsForRequest } from './service.ts'

/**
 * Signposting over HTTP against the real app and database: from a request decided as outcome 1
 * (with its monthly keep-in-touch calls, which become tasks when due) and from a family's plan.
 */

let ctx: TestContext
let officer: TestAccount
let manager: TestAccount
let lead: TestAccount
let officerAgent: Agent
let managerAgent: Agent
let practitionerAgent: Agent
let leadAgent: Agent
let strangerAgent: Agent
let essexOfficerAgent: Agent

const today = localDateOf(new Date())
const services: Record<string, string> = {}

before(async () => {
  ctx = await createTestContext()
  officer = await ctx.newAccount('southend', 'front_door_officer')
  manager = await ctx.newAccount('southend', 'duty_manager')
  lead = await ctx.newAccount('southend', 'practitioner')
  const practitioner = await ctx.newAccount('southend', 'practitioner')
  const stranger = await ctx.newAccount('southend', 'practitioner')
  const essexOfficer = await ctx.newAccount('essex', 'front_door_officer')
  ;[officerAgent, managerAgent, practitionerAgent, leadAgent, strangerAgent, essexOfficerAgent] = await Promise.all([
    ctx.signIn(officer),
    ctx.signIn(manager),
    ctx.signIn(practitioner),
    ctx.signIn(lead),
    ctx.signIn(stranger),
    ctx.signIn(essexOfficer),
  ])

  // A small directory in each authority.
  const southendOrg = await insertOrganisation('southend', 'Southend Family Partnership (test)')
  services.parenting = await insertService('southend', southendOrg, {
    name: 'Parenting Together Southend',
    description: 'Weekly parenting groups for parents of children aged 5 to 11.',
    email: 'parenting@example.org',
    phone: '01632 960101',
    address: { address_1: '12 Test Avenue', city: 'Southend-on-Sea', postal_code: 'SS1 2AB' },
  })
  services.toddlers = await insertService('southend', southendOrg, {
    name: 'Toddler Talk',
    description: 'Speech and language play sessions, with parenting tips for families of toddlers.',
    email: 'toddlers@example.org',
    phone: '01632 960102',
  })
  services.closed = await insertService('southend', southendOrg, { name: 'Old Parenting Course', description: 'Parenting course, no longer running.', status: 'inactive' })
  const essexOrg = await insertOrganisation('essex', 'Essex Families (test)')
  services.essex = await insertService('essex', essexOrg, { name: 'Essex Parenting Hub', description: 'Parenting support across Essex.' })
})
after(() => ctx.close())

async function insertOrganisation(tenantId: string, name: string): Promise<string> {
  const id = randomUUID()
  await ctx.db.system.insertInto('directory_organizations').values({ id, tenant_id: tenantId, name, document: JSON.stringify({ id, name, description: name }) }).execute()
  return id
}

async function insertService(
  tenantId: string,
  organizationId: string,
  input: { name: string; description: string; email?: string; phone?: string; status?: 'active' | 'inactive'; address?: Record<string, string> },
): Promise<string> {
  const id = randomUUID()
  const document = { id, name: input.name, description: input.description, status: input.status ?? 'active', ...(input.email ? { email: input.email } : {}), ...(input.phone ? { phones: [{ number: input.phone }] } : {}) }
  await ctx.db.system
    .insertInto('directory_services')
    .values({
      id,
      tenant_id: tenantId,
      organization_id: organizationId,
      name: input.name,
      description: input.description,
      status: input.status ?? 'active',
      document: JSON.stringify(document),
      how_to_refer: 'Families can refer themselves by telephone.',
    })
    .execute()
  if (input.address) {
    const locationId = randomUUID()
    await ctx.db.system
      .insertInto('directory_locations')
      .values({ id: locationId, tenant_id: tenantId, name: 'Test Family Centre', postcode: input.address.postal_code ?? null, document: JSON.stringify({ id: locationId, addresses: [{ ...input.address, address_type: 'physical' }] }) })
      .execute()
    await ctx.db.system.insertInto('directory_service_at_locations').values({ id: randomUUID(), tenant_id: tenantId, service_id: id, location_id: locationId }).execute()
  }
  return id
}

/** A request sent in by a practitioner, with two children; decided as `outcome` unless left undecided. */
async function insertRequest(outcome: 'universal-signposting' | 'emerging-needs' | null, tenantId = 'southend'): Promise<{ id: string; reference: string }> {
  const reference = `T-${randomUUID().slice(0, 8).toUpperCase()}`
  const decided = outcome !== null
  const row = await ctx.db.system
    .insertInto('requests')
    .values({
      tenant_id: tenantId,
      reference,
      status: decided ? 'decided' : 'submitted',
      route: 'practitioner',
      answers: JSON.stringify({ address: { line1: '1 Test Road', town: 'Southend-on-Sea', postcode: 'SS1 1AA' } }),
      submitted_at: new Date(),
      outcome,
      decided_level: decided ? 1 : null,
      decided_at: decided ? new Date() : null,
      decided_by: decided ? manager.id : null,
      decision_reason: decided ? 'Universal services can meet the need.' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db.system
    .insertInto('request_people')
    .values([
      { tenant_id: tenantId, request_id: row.id, kind: 'child', given_name: 'Maisie', family_name: 'Signpost', position: 0 },
      { tenant_id: tenantId, request_id: row.id, kind: 'child', given_name: 'Leo', family_name: 'Signpost', position: 1 },
      { tenant_id: tenantId, request_id: row.id, kind: 'adult', given_name: 'Dana', family_name: 'Signpost', position: 2 },
    ])
    .execute()
  return { id: row.id, reference }
}

async function post(agent: Agent, url: string, form: Record<string, string> = {}, status = 303) {
  const response = await agent.post(url, form)
  assert.equal(response.statusCode, status, `${url}: ${response.statusCode} ${errorSummary(response.body).map((e) => e.text).join('; ')}`)
  return response
}

async function page(agent: Agent, url: string, status = 200): Promise<string> {
  const response = await agent.get(url)
  assert.equal(response.statusCode, status, `${url}: ${response.statusCode}`)
  return response.body
}

async function auditActions(recordId: string): Promise<string[]> {
  const rows = await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', recordId).orderBy('at').execute()
  return rows.map((r) => r.action)
}

const actorOf = (account: TestAccount): Actor => ({ accountId: account.id, tenantId: account.tenantId, role: account.role, ip: null, requestId: null })

test('monthly due dates start on the first call and keep to the month’s end', () => {
  assert.deepEqual(monthlyDueDates('2027-01-31', 3), ['2027-01-31', '2027-02-28', '2027-03-31'])
  assert.deepEqual(monthlyDueDates('2027-05-10', 1), ['2027-05-10'])
})

test('the front door searches the directory and signposts a family decided at outcome 1 to two services', async () => {
  const request = await insertRequest('universal-signposting')
  const base = `/front-door/requests/${request.id}/signposting`

  const empty = text(await page(officerAgent, base))
  assert.match(empty, /Signposting and keeping in touch/)
  assert.match(empty, /Maisie Signpost, Leo Signpost/)
  assert.match(empty, /has not been signposted to any services yet/)

  // Only the authority's own active services match.
  const found = await page(officerAgent, `${base}?q=parenting`)
  assert.match(text(found), /Showing 1 to 2 of 2 services found/)
  assert.match(found, /Parenting Together Southend/)
  assert.match(found, /Toddler Talk/)
  assert.doesNotMatch(found, /Old Parenting Course/)
  assert.doesNotMatch(found, /Essex Parenting Hub/)
  assert.match(text(found), /01632 960101/)
  assert.match(text(found), /Test Family Centre, 12 Test Avenue, Southend-on-Sea, SS1 2AB/)
  assert.match(found, /mailto:parenting@example.org/)
  // By name as typed, too.
  assert.match(await page(officerAgent, `${base}?q=Toddler%20Ta`), /Toddler Talk/)

  // Even when the search on the page would not list the service (the keyword was changed), the note comes back beside it.
  const elsewhere = await post(officerAgent, base, { serviceId: services.toddlers ?? '', note: `Ring Tuesday ${'x'.repeat(1000)}`, q: 'nothing matches this' }, 400)
  assert.equal(textareaValue(elsewhere.body, 'note'), `Ring Tuesday ${'x'.repeat(1000)}`)
  const added = await post(officerAgent, base, { serviceId: services.parenting ?? '', note: 'Mum will ring on Monday.', q: 'parenting', page: '1' })
  assert.equal(added.headers.location, `${base}?q=parenting&done=added#signposted`)
  await post(managerAgent, base, { serviceId: services.toddlers ?? '', note: '' })
  // Signposting to the same service again records it once.
  await post(officerAgent, base, { serviceId: services.parenting ?? '' })

  const html = await page(officerAgent, `${base}?q=parenting`)
  const listed = text(/id="signposted"[^]*?id="search"/.exec(html)?.[0] ?? '')
  assert.match(listed, /Parenting Together Southend/)
  assert.match(listed, /Toddler Talk/)
  assert.match(listed, /Mum will ring on Monday\./)
  assert.match(listed, /01632 960102/)
  assert.match(listed, /by Test front_door_officer/)
  assert.match(text(html), /Already signposted/)

  const signposts = await ctx.db.asTenant('southend', (trx) => signpostsForRequest(trx, request.id))
  assert.deepEqual(signposts.map((s) => s.serviceName), ['Parenting Together Southend', 'Toddler Talk'])
  assert.equal(signposts[0]?.contact.email, 'parenting@example.org')
  assert.equal(signposts[0]?.signpostedBy, 'Test front_door_officer')

  // An inactive service, or another authority's, cannot be added.
  await post(officerAgent, base, { serviceId: services.closed ?? '' }, 404)
  await post(officerAgent, base, { serviceId: services.essex ?? '' }, 404)
  // A note too long is shown back with its error.
  const long = await post(officerAgent, base, { serviceId: services.closed ?? '', note: 'x'.repeat(1001), q: 'parenting' }, 400)
  assert.deepEqual(errorSummary(long.body), [{ href: `#note-${services.closed}`, text: 'Must be 1000 characters or fewer' }])

  const actions = await auditActions(request.id)
  assert.equal(actions.filter((a) => a === 'signposted').length, 2)
  assert.ok(actions.includes('signposting-viewed'))
})

test('a service signposted by mistake can be removed', async () => {
  const request = await insertRequest('universal-signposting')
  const base = `/front-door/requests/${request.id}/signposting`
  await post(officerAgent, base, { serviceId: services.toddlers ?? '' })
  const [signpost] = await ctx.db.asTenant('southend', (trx) => signpostsForRequest(trx, request.id))
  assert.ok(signpost)
  const removed = await post(officerAgent, `${base}/${signpost.id}/remove`, { q: 'talk' })
  assert.equal(removed.headers.location, `${base}?q=talk&done=removed#signposted`)
  assert.equal((await ctx.db.asTenant('southend', (trx) => signpostsForRequest(trx, request.id))).length, 0)
  await post(officerAgent, `${base}/${signpost.id}/remove`, {}, 404)
  assert.ok((await auditActions(request.id)).includes('signpost-removed'))
})

test('monthly keep-in-touch calls become tasks when due, and recording one marks it done', async () => {
  const request = await insertRequest('universal-signposting')
  const base = `/front-door/requests/${request.id}/signposting`
  await post(officerAgent, base, { serviceId: services.parenting ?? '' })
  const start = datePartsOf(today)

  // Wrong answers are shown back.
  const wrong = await post(officerAgent, `${base}/calls`, { 'start-day': start.day, 'start-month': '', 'start-year': start.year, months: '13' }, 400)
  assert.deepEqual(
    errorSummary(wrong.body).map((e) => e.href),
    ['#start-day', '#months'],
  )
  assert.match(text(wrong.body), /The number of months must be from 1 to 12/)

  const set = await post(managerAgent, `${base}/calls`, { 'start-day': start.day, 'start-month': start.month, 'start-year': start.year, months: '3' })
  assert.equal(set.headers.location, `${base}?done=calls-3#keep-in-touch`)
  // Idempotent: the same calls again add nothing.
  const again = await post(managerAgent, `${base}/calls`, { 'start-day': start.day, 'start-month': start.month, 'start-year': start.year, months: '3' })
  assert.equal(again.headers.location, `${base}?done=calls-0#keep-in-touch`)
  const calls = await ctx.db.system.selectFrom('keep_in_touch_calls').select(['id', 'due_on', 'status']).where('request_id', '=', request.id).orderBy('due_on').execute()
  assert.deepEqual(calls.map((c) => c.due_on), [today, addMonths(today, 1), addMonths(today, 2)])

  // Future calls are listed on the request's page.
  const requestPage = text(await page(officerAgent, base))
  assert.match(requestPage, /3 keep-in-touch calls have been set up|Keeping in touch/)
  assert.ok(requestPage.includes(new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${addMonths(today, 2)}T00:00:00Z`))))

  // Only the first is due: it is a task today, with the family, the request and the services.
  const tasks = await page(officerAgent, '/front-door/calls')
  const first = calls[0]?.id ?? ''
  const second = calls[1]?.id ?? ''
  assert.match(tasks, new RegExp(`/front-door/calls/${first}"`))
  assert.doesNotMatch(tasks, new RegExp(`/front-door/calls/${second}"`))
  const row = text([...tasks.matchAll(/<tr class="govuk-table__row">[^]*?<\/tr>/g)].map((m) => m[0]).find((r) => r.includes(first)) ?? '')
  assert.match(row, /Maisie Signpost, Leo Signpost/)
  assert.ok(row.includes(request.reference))
  assert.match(row, /Parenting Together Southend/)
  assert.ok((await dueCallsCount(ctx.db, actorOf(officer))) >= 1)
  const countBefore = await dueCallsCount(ctx.db, actorOf(officer))

  // Recording the call.
  const callPage = await page(managerAgent, `/front-door/calls/${first}`)
  assert.match(text(callPage), /Did the services meet the family’s need\?/)
  assert.match(text(callPage), /Parenting Together Southend/)
  assert.match(text(callPage), /1 Test Road, Southend-on-Sea, SS1 1AA/)
  const missing = await post(managerAgent, `/front-door/calls/${first}`, { version: '1', note: 'Left a message.' }, 400)
  assert.deepEqual(errorSummary(missing.body), [{ href: '#needMet', text: 'Select whether the service met the family’s need' }])
  assert.equal(textareaValue(missing.body, 'note'), 'Left a message.')
  const done = await post(managerAgent, `/front-door/calls/${first}`, { version: '1', needMet: 'partly', note: 'Going to the group; would like more help with sleep.' })
  assert.equal(done.headers.location, '/front-door/calls?recorded=1')
  const recorded = await ctx.db.system.selectFrom('keep_in_touch_calls').selectAll().where('id', '=', first).executeTakeFirstOrThrow()
  assert.equal(recorded.status, 'done')
  assert.equal(recorded.need_met, 'partly')
  assert.equal(recorded.recorded_by, manager.id)
  assert.equal(recorded.version, 2)
  // A second recording, or one from a stale page, is refused.
  const twice = await post(officerAgent, `/front-door/calls/${first}`, { version: '1', needMet: 'yes' }, 400)
  assert.match(text(twice.body), /already been recorded/)
  assert.equal(await dueCallsCount(ctx.db, actorOf(officer)), countBefore - 1)
  assert.doesNotMatch(await page(officerAgent, '/front-door/calls'), new RegExp(`/front-door/calls/${first}"`))
  assert.match(text(await page(officerAgent, base)), /Partly/)

  const callActions = await auditActions(first)
  assert.ok(callActions.includes('keep-in-touch-viewed'))
  assert.ok(callActions.includes('keep-in-touch-recorded'))
  assert.ok((await auditActions(request.id)).includes('keep-in-touch-set-up'))
  const listed = await ctx.db.system.selectFrom('audit_events').select('action').where('action', '=', 'keep-in-touch-list-viewed').where('actor_account_id', '=', officer.id).execute()
  assert.ok(listed.length >= 1)
})

test('signposting is the front door’s, for its own authority and for outcome 1 or undecided requests', async () => {
  const request = await insertRequest('universal-signposting')
  const base = `/front-door/requests/${request.id}/signposting`
  const start = datePartsOf(today)
  await post(officerAgent, `${base}/calls`, { 'start-day': start.day, 'start-month': start.month, 'start-year': start.year, months: '1' })
  const call = await ctx.db.system.selectFrom('keep_in_touch_calls').select('id').where('request_id', '=', request.id).executeTakeFirstOrThrow()

  // Wrong role.
  await page(practitionerAgent, base, 404)
  await page(practitionerAgent, '/front-door/calls', 404)
  await page(practitionerAgent, `/front-door/calls/${call.id}`, 404)
  await post(practitionerAgent, base, { serviceId: services.parenting ?? '' }, 404)
  // Another authority.
  await page(essexOfficerAgent, base, 404)
  await page(essexOfficerAgent, `/front-door/calls/${call.id}`, 404)
  await post(essexOfficerAgent, `/front-door/calls/${call.id}`, { version: '1', needMet: 'yes' }, 404)
  await post(essexOfficerAgent, base, { serviceId: services.essex ?? '' }, 404)
  assert.doesNotMatch(await page(essexOfficerAgent, '/front-door/calls'), new RegExp(call.id))
  // Mangled ids.
  await page(officerAgent, '/front-door/requests/not-an-id/signposting', 404)
  await page(officerAgent, '/front-door/calls/not-an-id', 404)

  // Another outcome: no signposting page.
  const other = await insertRequest('emerging-needs')
  await page(officerAgent, `/front-door/requests/${other.id}/signposting`, 404)
  // Not yet decided: signposting, but no calls yet.
  const undecided = await insertRequest(null)
  const html = text(await page(managerAgent, `/front-door/requests/${undecided.id}/signposting`))
  assert.match(html, /has not been decided yet/)
  assert.doesNotMatch(html, /Set up monthly keep-in-touch calls/)
  await post(managerAgent, `/front-door/requests/${undecided.id}/signposting`, { serviceId: services.toddlers ?? '' })
  await post(managerAgent, `/front-door/requests/${undecided.id}/signposting/calls`, { 'start-day': start.day, 'start-month': start.month, 'start-year': start.year, months: '2' }, 404)

  const denied = await ctx.db.system.selectFrom('audit_events').select('action').where('action', '=', 'access-denied').where('tenant_id', '=', 'southend').execute()
  assert.ok(denied.length >= 1)
})

test('a family’s Team Around the Family signposts from the plan; a practitioner off the team is told it does not exist', async () => {
  const involvement = await openTestInvolvement(ctx, lead)
  const base = `/involvements/${involvement.id}/signposting`

  const empty = await page(leadAgent, `${base}?q=parenting`)
  assert.match(text(empty), /Services for the Testfamily family/)
  assert.match(empty, /Parenting Together Southend/)
  await post(leadAgent, base, { serviceId: services.parenting ?? '', note: 'Starts in September.' })
  const html = text(await page(leadAgent, base))
  assert.match(html, /Parenting Together Southend/)
  assert.match(html, /Starts in September\./)

  const signposts = await ctx.db.asTenant('southend', (trx) => signpostsForInvolvement(trx, involvement.id))
  assert.deepEqual(signposts.map((s) => s.serviceName), ['Parenting Together Southend'])
  const chronology = await ctx.db.system.selectFrom('chronology_entries').select('summary').where('involvement_id', '=', involvement.id).execute()
  assert.ok(chronology.some((c) => c.summary === 'Signposted the family to Parenting Together Southend.'))

  // Off the team: 404, and the denial is audited.
  await page(strangerAgent, base, 404)
  await post(strangerAgent, base, { serviceId: services.toddlers ?? '' }, 404)
  // The front door sees the list but cannot add to it.
  const frontDoor = await page(officerAgent, `${base}?q=parenting`)
  assert.match(text(frontDoor), /Parenting Together Southend/)
  assert.doesNotMatch(frontDoor, /name="serviceId"/)
  assert.doesNotMatch(frontDoor, /\/remove"/)
  await post(officerAgent, base, { serviceId: services.toddlers ?? '' }, 404)
  // Another authority.
  await page(essexOfficerAgent, base, 404)

  const actions = await auditActions(involvement.id)
  assert.ok(actions.includes('signposted'))
  assert.ok(actions.includes('signposting-viewed'))
  assert.ok(actions.includes('access-denied'))
})
