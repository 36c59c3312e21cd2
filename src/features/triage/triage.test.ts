import assert from 'node:assert/strict'
import { randomInt } from 'node:crypto'
import { after, before, test } from 'node:test'
import { nhsCheckDigit } from '../../domain/nhs-number.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { text, inputValue, textareaValue, errorSummary } from '../../test/html.ts'

/**
 * The front door over HTTP, against the real app and database: the queue, a request's page with
 * the family's history, confirming and rejecting earlier records, and the duty manager's decision
 * as the referrer then sees it.
 */

let ctx: TestContext
let practitioner: TestAccount
let practitionerAgent: Agent
let officer: TestAccount
let officerAgent: Agent
let manager: TestAccount
let managerAgent: Agent
let essexPractitionerAgent: Agent
let essexOfficerAgent: Agent
let essexManagerAgent: Agent

const MANAGER_NAME = 'Dana Whitlock'
const SOUTHEND_OUTCOMES = Object.fromEntries(frameworkById('southend')!.triageOutcomes.map((o) => [o.id, o.name]))
const ESSEX_OUTCOMES = Object.fromEntries(frameworkById('essex')!.triageOutcomes.map((o) => [o.id, o.name]))

before(async () => {
  ctx = await createTestContext()
  practitioner = await ctx.newAccount('southend', 'practitioner')
  officer = await ctx.newAccount('southend', 'front_door_officer')
  manager = await ctx.newAccount('southend', 'duty_manager')
  await ctx.db.system.updateTable('accounts').set({ name: MANAGER_NAME }).where('id', '=', manager.id).execute()
  const essexPractitioner = await ctx.newAccount('essex', 'practitioner')
  const essexOfficer = await ctx.newAccount('essex', 'front_door_officer')
  const essexManager = await ctx.newAccount('essex', 'duty_manager')
  ;[practitionerAgent, officerAgent, managerAgent, essexPractitionerAgent, essexOfficerAgent, essexManagerAgent] = await Promise.all([
    ctx.signIn(practitioner),
    ctx.signIn(officer),
    ctx.signIn(manager),
    ctx.signIn(essexPractitioner),
    ctx.signIn(essexOfficer),
    ctx.signIn(essexManager),
  ])
})
after(() => ctx.close())

// ---------------------------------------------------------------------------------------------
// Reading pages.

/** The request ids the queue lists, in order. */
function queued(html: string): string[] {
  const body = /<tbody[^]*?<\/tbody>/.exec(html)?.[0] ?? ''
  return [...body.matchAll(/href="\/front-door\/requests\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '')
}

/** The text of the queue's row for one request. */
function queueRow(html: string, id: string): string {
  const row = [...html.matchAll(/<tr class="govuk-table__row">[^]*?<\/tr>/g)].map((m) => m[0]).find((r) => r.includes(`/front-door/requests/${id}"`))
  assert.ok(row, `request ${id} is in the queue`)
  return text(row)
}

/** The history section of a request page: from its heading to "What the referrer told us". */
function history(html: string): string {
  return text(/id="history"[^]*?What the referrer told us/.exec(html)?.[0] ?? '')
}

/** The confirm/reject forms on a request page: [personId, matchedId] of each. */
function matchForms(html: string, id: string): [string, string][] {
  return [...html.matchAll(new RegExp(`action="/front-door/requests/${id}/matches/([0-9a-f-]{36})/([0-9a-f-]{36})"`, 'g'))].map((m) => [m[1] ?? '', m[2] ?? ''])
}

// ---------------------------------------------------------------------------------------------
// Test data: every family has its own names, dates and NHS numbers, so one test's people are
// never another's earlier records unless the test means them to be.

function newNhsNumber(): string {
  for (;;) {
    const nine = String(randomInt(100_000_000, 999_999_999))
    const check = nhsCheckDigit(nine)
    if (check !== undefined) return `${nine}${check}`
  }
}

/** A made-up surname of random letters: unlike any other, by trigrams. */
function surname(): string {
  const letters = Array.from({ length: 9 }, () => String.fromCharCode(97 + randomInt(26))).join('')
  return letters.charAt(0).toUpperCase() + letters.slice(1)
}

interface Family {
  given?: string
  family?: string
  dob?: [string, string, string]
  nhsNumber?: string
  postcode?: string
  adultGiven?: string
  indicators?: string[]
  difficulties?: string[]
  levelAskedFor?: '2' | '3'
}

async function post(agent: Agent, url: string, form: Record<string, string | string[]> = {}, status = 303) {
  const response = await agent.post(url, form)
  assert.equal(response.statusCode, status, `${url}: ${errorSummary(response.body).map((e) => e.text).join('; ')}`)
  return response
}

/** A request sent through the practitioner's journey over HTTP; returns its id. */
async function sendRequest(agent: Agent, family: Family = {}): Promise<string> {
  const started = await post(agent, '/requests/new', { immediateRisk: 'no' })
  const id = /^\/requests\/([0-9a-f-]{36})$/.exec(String(started.headers.location))?.[1]
  assert.ok(id)
  const base = `/requests/${id}`
  await post(agent, `${base}/section/referrer`, { phone: '01632 960 001' })
  await post(agent, `${base}/section/address`, { line1: '1 Test Road', town: 'Southend-on-Sea', postcode: family.postcode ?? 'SS1 1AA', interpreter: 'no' })
  await post(agent, `${base}/section/worries`, { familyWords: 'We need help.', referrerWords: 'The children are struggling.' })
  await post(agent, `${base}/section/needs`, { indicators: family.indicators ?? [], difficulties: family.difficulties ?? [] })
  const level = family.levelAskedFor ?? '3'
  await post(agent, `${base}/section/support`, { levelAskedFor: level, triedAlready: level === '3' ? 'An Early Help Plan for six months.' : '' })
  await post(agent, `${base}/section/strengths`, { strengths: 'A loving home.', childViews: 'Wants things to be calmer.', parentViews: 'Want support.' })
  await post(agent, `${base}/section/consent`, { significantHarm: 'no', consentGiven: 'yes' })
  const [day, month, year] = family.dob ?? [String(randomInt(1, 29)), String(randomInt(1, 13)), String(randomInt(2010, 2022))]
  await post(agent, `${base}/people/child/new`, {
    givenName: family.given ?? 'Child',
    familyName: family.family ?? surname(),
    born: 'yes',
    'date-day': day,
    'date-month': month,
    'date-year': year,
    sex: 'male',
    ethnicity: 'Not known',
    nhsNumber: family.nhsNumber ?? '',
    send: 'none',
    youngCarer: 'no',
  })
  const adultPage = await agent.get(`${base}/people/adult/new`)
  const relationships = Object.fromEntries([...adultPage.body.matchAll(/name="(relationship-[0-9a-f-]{36})"/g)].map((m) => [m[1] ?? '', 'Father']))
  await post(agent, `${base}/people/adult/new`, { givenName: family.adultGiven ?? surname(), familyName: surname(), livesWithFamily: 'yes', ...relationships })
  await post(agent, `${base}/submit`)
  return id
}

const THREE_DOMAINS = ['health-inadequate-diet', 'emotional-family-relationships', 'behaviour-impact-on-others']

const requestRow = (id: string) => ctx.db.system.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const childOf = (id: string) => ctx.db.system.selectFrom('request_people').selectAll().where('request_id', '=', id).where('kind', '=', 'child').executeTakeFirstOrThrow()
const auditActions = async (id: string) =>
  (await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', id).orderBy('id').execute()).map((e) => e.action)

/** The decision as the page's form sends it, with the version the page was read at. */
async function decisionForm(agent: Agent, id: string, fields: Record<string, string>): Promise<Record<string, string>> {
  const page = await agent.get(`/front-door/requests/${id}`)
  assert.equal(page.statusCode, 200)
  const version = inputValue(page.body, 'version')
  assert.ok(version, 'the decision form carries the version it was read at')
  return { version, ...fields }
}

// ---------------------------------------------------------------------------------------------
// The queue.

test('the queue is for the front door: officers and duty managers see it; practitioners and administrators are told it does not exist', async () => {
  const id = await sendRequest(practitionerAgent, { indicators: THREE_DOMAINS })
  for (const agent of [officerAgent, managerAgent]) {
    const queue = await agent.get('/front-door')
    assert.equal(queue.statusCode, 200)
    assert.ok(queued(queue.body).includes(id))
    assert.equal((await agent.get(`/front-door/requests/${id}`)).statusCode, 200)
  }
  const administrator = await ctx.signIn(await ctx.newAccount('southend', 'administrator'))
  for (const agent of [practitionerAgent, administrator]) {
    assert.equal((await agent.get('/front-door')).statusCode, 404)
    assert.equal((await agent.get(`/front-door/requests/${id}`)).statusCode, 404)
    assert.equal((await agent.post(`/front-door/requests/${id}/acknowledge`)).statusCode, 404)
    assert.equal((await agent.post(`/front-door/requests/${id}/decision`, { version: '1', outcome: 'universal-signposting', level: '1', reason: 'x', signposted: 'x' })).statusCode, 404)
  }
  assert.equal((await requestRow(id)).status, 'submitted')
  const visitor = ctx.visitor()
  const anonymous = await visitor.get('/front-door')
  assert.equal(anonymous.statusCode, 303)
  assert.match(String(anonymous.headers.location), /^\/sign-in\?returnTo=%2Ffront-door/)
})

test("Essex's front door never sees Southend's requests, nor their people's history", async () => {
  const nhsNumber = newNhsNumber()
  const southendId = await sendRequest(practitionerAgent, { nhsNumber, indicators: THREE_DOMAINS })
  const essexId = await sendRequest(essexPractitionerAgent, { nhsNumber, difficulties: ['domestic-abuse'], postcode: 'CM1 1AA' })
  const reference = (await requestRow(southendId)).reference ?? '?'

  const queue = await essexOfficerAgent.get('/front-door')
  assert.ok(queued(queue.body).includes(essexId))
  assert.ok(!queued(queue.body).includes(southendId))
  assert.ok(!queue.body.includes(reference))
  for (const agent of [essexOfficerAgent, essexManagerAgent]) {
    assert.equal((await agent.get(`/front-door/requests/${southendId}`)).statusCode, 404)
    assert.equal((await agent.post(`/front-door/requests/${southendId}/acknowledge`)).statusCode, 404)
  }
  const southendChild = await childOf(southendId)
  const essexChild = await childOf(essexId)
  const decision = await essexManagerAgent.post(`/front-door/requests/${southendId}/decision`, { version: '2', outcome: 'universal-signposting', level: '1', reason: 'x', signposted: 'x' })
  assert.equal(decision.statusCode, 404)
  assert.equal((await essexManagerAgent.post(`/front-door/requests/${essexId}/matches/${essexChild.id}/${southendChild.id}`, { decision: 'confirmed' })).statusCode, 404)

  const essexPage = await essexManagerAgent.get(`/front-door/requests/${essexId}`)
  assert.ok(!essexPage.body.includes(reference), 'the same NHS number in Southend is not an Essex record')
  assert.match(history(essexPage.body), /No earlier records found/)
  const row = await requestRow(southendId)
  assert.equal(row.status, 'submitted')
  assert.equal(row.acknowledged_at, null)
  assert.equal(row.looked_at_by, null)
})

test('priority requests come first, then the least time left to decide', async () => {
  const [early, middle, late] = [await sendRequest(practitionerAgent), await sendRequest(practitionerAgent), await sendRequest(practitionerAgent)]
  const hour = 60 * 60 * 1000
  const base = Date.now() - 48 * hour
  // Sent in one order, due in another: the queue goes by the decision clock.
  for (const [id, due] of [[early, base + 3 * hour], [middle, base + 1 * hour], [late, base + 2 * hour]] as const) {
    await ctx.db.system.updateTable('requests').set({ decision_due_at: new Date(due) }).where('id', '=', id).execute()
  }
  const priority = await post(practitionerAgent, '/requests/priority', {
    childName: `Ruby ${surname()}`,
    address: '22 Pier Hill',
    postcode: 'SS1 1EE',
    happening: 'Ruby says she was hit and will not go home.',
    phone: '01632 960 003',
  })
  const priorityId = /^\/requests\/([0-9a-f-]{36})\/sent$/.exec(String(priority.headers.location))?.[1] ?? ''
  assert.equal((await requestRow(priorityId)).status, 'submitted')

  const page = await officerAgent.get('/front-door')
  assert.equal(page.statusCode, 200)
  const ids = queued(page.body)
  assert.equal(ids[0], priorityId, 'the priority request is first, though sent last and due last')
  const mine = ids.filter((id) => [early, middle, late].includes(id))
  assert.deepEqual(mine, [middle, late, early], 'then by decision due')
  assert.match(queueRow(page.body, priorityId), /Priority/)
  assert.doesNotMatch(queueRow(page.body, middle), /Priority/)

  // The whole page keeps the rule.
  const rows = await ctx.db.system.selectFrom('requests').select(['id', 'priority', 'decision_due_at']).where('id', 'in', ids).execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  const ordered = ids.map((id) => byId.get(id)!)
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!, ordered[i]!]
    assert.ok(Number(a.priority) > Number(b.priority) || (a.priority === b.priority && a.decision_due_at!.getTime() <= b.decision_due_at!.getTime()), `row ${i} is in order`)
  }
  assert.ok(rows.every((r) => r.priority === false || r.id === priorityId || ids.indexOf(r.id) < ids.indexOf(early)))

  // Its clocks are shown; one long overdue says so.
  assert.match(queueRow(page.body, middle), /overdue/i)
})

test('the queue shows who is looking at a request, and since when', async () => {
  const id = await sendRequest(practitionerAgent)
  const before = await officerAgent.get('/front-door')
  assert.match(queueRow(before.body, id), /Nobody$/)
  assert.equal((await managerAgent.get(`/front-door/requests/${id}`)).statusCode, 200)
  const row = await requestRow(id)
  assert.equal(row.looked_at_by, manager.id)
  assert.ok(row.looked_at_since)
  const queue = await officerAgent.get('/front-door')
  assert.match(queue.body, /Being looked at by/)
  assert.match(queueRow(queue.body, id), new RegExp(`${MANAGER_NAME} since \\d{1,2} \\w+ \\d{4} at \\d{1,2}:\\d{2}(am|pm)$`))
})

test('a front door officer acknowledges a request once', async () => {
  const id = await sendRequest(practitionerAgent)
  const page = await officerAgent.get(`/front-door/requests/${id}`)
  assert.match(text(page.body), /Acknowledged Not yet/)
  const version = (await requestRow(id)).version
  await post(officerAgent, `/front-door/requests/${id}/acknowledge`)
  const row = await requestRow(id)
  assert.ok(row.acknowledged_at)
  assert.equal(row.acknowledged_by, officer.id)
  assert.equal(row.version, version + 1)
  await post(officerAgent, `/front-door/requests/${id}/acknowledge`)
  assert.equal((await requestRow(id)).acknowledged_at?.getTime(), row.acknowledged_at.getTime(), 'a second acknowledgement changes nothing')
  assert.equal((await auditActions(id)).filter((a) => a === 'request-acknowledged').length, 1)
  const after = await officerAgent.get(`/front-door/requests/${id}`)
  assert.doesNotMatch(after.body, /Acknowledge this request/)
})

test('a draft is never on the front door', async () => {
  const started = await post(practitionerAgent, '/requests/new', { immediateRisk: 'no' })
  const id = /^\/requests\/([0-9a-f-]{36})$/.exec(String(started.headers.location))?.[1] ?? ''
  assert.ok(!queued((await managerAgent.get('/front-door')).body).includes(id))
  assert.equal((await managerAgent.get(`/front-door/requests/${id}`)).statusCode, 404)
  assert.equal((await officerAgent.post(`/front-door/requests/${id}/acknowledge`)).statusCode, 404)
})

// ---------------------------------------------------------------------------------------------
// The request page and the family's history.

test('Southend: the request page shows the suggested Level 3 with its reasons and the clocks', async () => {
  const id = await sendRequest(practitionerAgent, { indicators: THREE_DOMAINS })
  const page = await managerAgent.get(`/front-door/requests/${id}`)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Level 3: Complex\/Intensive/)
  assert.match(shown, /3 presenting issues/)
  for (const domain of ['Health', 'Emotional Development', 'Behavioural Development']) assert.ok(shown.includes(domain), domain)
  assert.match(shown, /Acknowledge by .* Decide by /)
  assert.match(page.body, /value="3" checked/, 'the suggested level is selected')
  for (const name of Object.values(SOUTHEND_OUTCOMES)) assert.ok(shown.includes(name), `the outcome "${name}" is offered`)
  assert.ok((await auditActions(id)).includes('request-viewed'))
})

test('Essex: two Family Solutions difficulties suggest Level 3, and the page says the family is eligible', async () => {
  const id = await sendRequest(essexPractitionerAgent, { difficulties: ['no-member-in-work', 'non-school-attendance'], postcode: 'CM2 0JA' })
  const page = await essexManagerAgent.get(`/front-door/requests/${id}`)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Level 3: Intensive/)
  assert.match(shown, /Family Solutions: eligible \(2 of the 2 or more difficulties needed\)/)
  assert.ok(shown.includes('Families with no member in work'))
  assert.ok(shown.includes('Families with significant non-school attendance (for whatever reason)'))
  for (const name of Object.values(ESSEX_OUTCOMES)) assert.ok(shown.includes(name), `the outcome "${name}" is offered`)

  const one = await sendRequest(essexPractitionerAgent, { difficulties: ['mental-health-needs'], postcode: 'CM2 0JA', levelAskedFor: '2' })
  const onePage = text((await essexManagerAgent.get(`/front-door/requests/${one}`)).body)
  assert.match(onePage, /Level 2: Additional/)
  assert.match(onePage, /Family Solutions: not eligible \(1 of the 2 or more difficulties needed\)/)
})

test('a second request for the same child shows the first; the duty manager confirms it and the re-referral is flagged', async () => {
  const nhsNumber = newNhsNumber()
  const family = surname()
  const first = await sendRequest(practitionerAgent, { given: 'Oscar', family, nhsNumber, dob: ['12', '6', '2015'] })
  const firstReference = (await requestRow(first)).reference ?? '?'
  // A different practitioner, a different spelling of the address: the same NHS number.
  const colleague = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  const second = await sendRequest(colleague, { given: 'Oskar', family, nhsNumber, dob: ['12', '6', '2015'], postcode: 'SS2 6HA' })
  const child = await childOf(second)
  const earlier = await childOf(first)

  const officerPage = await officerAgent.get(`/front-door/requests/${second}`)
  const officerHistory = history(officerPage.body)
  assert.ok(officerHistory.includes(`Possible earlier records of Oskar`), officerHistory)
  assert.ok(officerHistory.includes(firstReference))
  assert.match(officerHistory, /Same NHS number/)
  assert.match(officerHistory, /Within 12 months/)
  assert.match(officerHistory, /Not checked yet/)
  assert.deepEqual(matchForms(officerPage.body, second), [], 'an officer is not offered the decision')
  const officerTry = await officerAgent.post(`/front-door/requests/${second}/matches/${child.id}/${earlier.id}`, { decision: 'confirmed' })
  assert.equal(officerTry.statusCode, 404, 'only a duty manager confirms that two records are one person')
  assert.equal(await ctx.db.system.selectFrom('person_matches').select('id').where('request_person_id', '=', child.id).executeTakeFirst(), undefined)

  const page = await managerAgent.get(`/front-door/requests/${second}`)
  assert.deepEqual(matchForms(page.body, second), [[child.id, earlier.id]])
  assert.doesNotMatch(text(page.body), /Re-referral/, 'no warning before the match is confirmed')
  assert.equal((await managerAgent.post(`/front-door/requests/${second}/matches/${child.id}/${earlier.id}`, { decision: 'merge' })).statusCode, 404)
  const confirmed = await post(managerAgent, `/front-door/requests/${second}/matches/${child.id}/${earlier.id}`, { decision: 'confirmed' })
  assert.equal(confirmed.headers.location, `/front-door/requests/${second}#history`)

  const after = await managerAgent.get(`/front-door/requests/${second}`)
  const shown = history(after.body)
  assert.match(shown, /Confirmed/)
  assert.match(shown, /Re-referral: someone in this family was the subject of a request in the last 12 months\./)
  assert.deepEqual(matchForms(after.body, second), [], 'nothing left to decide')
  const match = await ctx.db.system.selectFrom('person_matches').selectAll().where('request_person_id', '=', child.id).executeTakeFirstOrThrow()
  assert.deepEqual([match.matched_person_id, match.decision, match.decided_by, match.tenant_id], [earlier.id, 'confirmed', manager.id, 'southend'])
  assert.ok((await auditActions(child.id)).includes('match-confirmed'))
})

test('a match the duty manager rejects is hidden, and counted', async () => {
  const nhsNumber = newNhsNumber()
  const first = await sendRequest(practitionerAgent, { given: 'Isla', nhsNumber })
  const second = await sendRequest(practitionerAgent, { given: 'Isla', nhsNumber })
  const [child, earlier] = [await childOf(second), await childOf(first)]
  const before = await managerAgent.get(`/front-door/requests/${second}`)
  assert.ok(history(before.body).includes((await requestRow(first)).reference ?? '?'))
  await post(managerAgent, `/front-door/requests/${second}/matches/${child.id}/${earlier.id}`, { decision: 'rejected' })
  const after = await managerAgent.get(`/front-door/requests/${second}`)
  const shown = history(after.body)
  assert.ok(!shown.includes((await requestRow(first)).reference ?? '?'), 'the rejected record is no longer offered')
  assert.match(shown, /No earlier records found \(1 rejected\)/)
  assert.doesNotMatch(shown, /Re-referral/)
  assert.ok((await auditActions(child.id)).includes('match-rejected'))
})

test('an earlier request more than 12 months before is history, not a re-referral', async () => {
  const nhsNumber = newNhsNumber()
  const first = await sendRequest(practitionerAgent, { given: 'Freya', nhsNumber })
  const thirteenMonthsAgo = new Date(Date.now() - 396 * 24 * 60 * 60 * 1000)
  await ctx.db.system.updateTable('requests').set({ submitted_at: thirteenMonthsAgo }).where('id', '=', first).execute()
  const second = await sendRequest(practitionerAgent, { given: 'Freya', nhsNumber })
  const [child, earlier] = [await childOf(second), await childOf(first)]
  const page = await managerAgent.get(`/front-door/requests/${second}`)
  assert.ok(history(page.body).includes((await requestRow(first)).reference ?? '?'))
  assert.doesNotMatch(history(page.body), /Within 12 months/)
  await post(managerAgent, `/front-door/requests/${second}/matches/${child.id}/${earlier.id}`, { decision: 'confirmed' })
  const after = history((await managerAgent.get(`/front-door/requests/${second}`)).body)
  assert.match(after, /Confirmed/)
  assert.doesNotMatch(after, /Re-referral/)
})

test('a similar name with the same date of birth is found; another family elsewhere, born on another day, is not', async () => {
  const family = surname()
  const first = await sendRequest(practitionerAgent, { given: 'Jayden', family, dob: ['3', '9', '2017'], postcode: 'SS0 7AB' })
  const reference = (await requestRow(first)).reference ?? '?'
  const similar = await sendRequest(practitionerAgent, { given: 'Jaden', family, dob: ['3', '9', '2017'], postcode: 'SS9 1AB' })
  const shown = history((await managerAgent.get(`/front-door/requests/${similar}`)).body)
  assert.ok(shown.includes(reference), shown)
  assert.match(shown, /Similar name, and the same date of birth or postcode/)

  const other = await sendRequest(practitionerAgent, { given: 'Priyanka', family: surname(), dob: ['21', '1', '2012'], postcode: 'SS3 9QS' })
  const otherShown = history((await managerAgent.get(`/front-door/requests/${other}`)).body)
  assert.ok(!otherShown.includes(reference))
  assert.doesNotMatch(otherShown, /Possible earlier records/)
  assert.match(otherShown, /No earlier records found\./)
})

// ---------------------------------------------------------------------------------------------
// The decision.

test('only a duty manager decides, and each outcome asks for what it needs', async () => {
  const id = await sendRequest(practitionerAgent, { indicators: THREE_DOMAINS })
  const form = await decisionForm(managerAgent, id, { outcome: 'intensive-support', level: '3', reason: 'Three presenting issues and a plan that has not worked.' })
  assert.equal((await officerAgent.post(`/front-door/requests/${id}/decision`, { ...form, team: 'Team A' })).statusCode, 404, 'an officer cannot decide')
  assert.doesNotMatch((await officerAgent.get(`/front-door/requests/${id}`)).body, /Record the decision/, 'nor is offered the form')

  const noTeam = await managerAgent.post(`/front-door/requests/${id}/decision`, form)
  assert.equal(noTeam.statusCode, 400)
  assert.match(noTeam.body, /<title>Error: /)
  assert.deepEqual(errorSummary(noTeam.body), [
    { href: '#team', text: 'Enter the team the family is allocated to' },
    { href: '#leadProfessional', text: 'Enter the email address of the Lead Professional' },
  ])
  assert.match(noTeam.body, /id="team"/)
  assert.equal(textareaValue(noTeam.body, 'reason'), form.reason, 'the reasons typed are kept')
  assert.match(noTeam.body, /value="intensive-support" checked/)

  const nothing = await managerAgent.post(`/front-door/requests/${id}/decision`, { version: form.version ?? '' })
  assert.equal(nothing.statusCode, 400)
  assert.deepEqual(errorSummary(nothing.body), [
    { href: '#outcome', text: 'Select the outcome' },
    { href: '#level', text: 'Select the level of need' },
    { href: '#reason', text: 'Enter the reasons for the decision' },
  ])
  for (const href of ['outcome', 'level', 'reason']) assert.match(nothing.body, new RegExp(`id="${href}"`))

  const checks: [Record<string, string>, { href: string; text: string }][] = [
    [{ outcome: 'emerging-needs', level: '3' }, { href: '#emergingRoute', text: 'Select a Team Around the Family or the Children and Family Panel' }],
    [{ outcome: 'emerging-needs', level: '3', emergingRoute: 'taf' }, { href: '#leadProfessional', text: 'Enter the email address of the Lead Professional' }],
    [
      { outcome: 'emerging-needs', level: '3', emergingRoute: 'taf', leadProfessional: 'nobody@example.test' },
      { href: '#leadProfessional', text: 'There is no practitioner with the email address nobody@example.test in Southend. Check the address, or ask an administrator to add them.' },
    ],
    [{ outcome: 'emerging-needs', level: '3', emergingRoute: 'panel' }, { href: '#panelDate-day', text: 'Enter the panel date' }],
    [{ outcome: 'emerging-needs', level: '3', emergingRoute: 'panel', 'panelDate-day': '1', 'panelDate-month': '1', 'panelDate-year': '2020' }, { href: '#panelDate-day', text: 'The panel date must be today or in the future' }],
  ]
  for (const [fields, error] of checks) {
    const response = await managerAgent.post(`/front-door/requests/${id}/decision`, { ...form, ...fields })
    assert.equal(response.statusCode, 400, JSON.stringify(fields))
    assert.deepEqual(errorSummary(response.body), [error])
    assert.match(response.body, new RegExp(`id="${error.href.slice(1)}"`), `${error.href} has a field to land on`)
  }
  const safeguarding = await managerAgent.post(`/front-door/requests/${id}/decision`, { ...form, outcome: 'safeguarding', level: '3' })
  assert.deepEqual(errorSummary(safeguarding.body).map((e) => e.href), ['#socialCareTo', '#socialCareWhen'])

  const lead = (await ctx.newAccount('southend', 'practitioner')).email
  const differs = await managerAgent.post(`/front-door/requests/${id}/decision`, { ...form, level: '2', team: 'Team A', leadProfessional: lead })
  assert.equal(differs.statusCode, 400)
  assert.deepEqual(errorSummary(differs.body), [{ href: '#differenceReason', text: 'Enter why the level differs from the suggested level 3' }])
  assert.match(differs.body, /id="differenceReason"/)
  assert.equal((await requestRow(id)).status, 'submitted', 'nothing refused was recorded')

  await post(managerAgent, `/front-door/requests/${id}/decision`, { ...form, level: '2', team: 'Team A', leadProfessional: lead, differenceReason: 'Two of the issues share one cause.' })
  const row = await requestRow(id)
  assert.equal(row.decided_level, 2)
  assert.equal((row.outcome_details as { differenceReason?: string }).differenceReason, 'Two of the issues share one cause.')
})

test('a decision made on a stale page is refused', async () => {
  const id = await sendRequest(practitionerAgent, { indicators: THREE_DOMAINS })
  const form = await decisionForm(managerAgent, id, { outcome: 'intensive-support', level: '3', reason: 'Multiple needs.', team: 'Intensive Support Team East', leadProfessional: (await ctx.newAccount('southend', 'practitioner')).email })
  // Meanwhile someone else acts on the request.
  await post(officerAgent, `/front-door/requests/${id}/acknowledge`)
  const stale = await managerAgent.post(`/front-door/requests/${id}/decision`, form)
  assert.equal(stale.statusCode, 409)
  assert.deepEqual(errorSummary(stale.body), [{ href: '#not-saved', text: 'Someone else changed this request while you were deciding. Check it again, then decide.' }])
  assert.match(text(stale.body), /Your decision was not saved.*Reasons Multiple needs\./, 'what was typed is shown beside the error')
  assert.equal((await requestRow(id)).status, 'submitted')
  assert.equal(inputValue(stale.body, 'team'), 'Intensive Support Team East', 'what was typed is kept')
  const fresh = inputValue(stale.body, 'version')
  assert.notEqual(fresh, form.version, 'the page now carries the new version')
  await post(managerAgent, `/front-door/requests/${id}/decision`, { ...form, version: fresh ?? '' })
  assert.equal((await requestRow(id)).status, 'decided')
})

test('the decision reaches the referrer in their list and on their request, and nobody else', async () => {
  const nhsNumber = newNhsNumber()
  const family = surname()
  const earlierId = await sendRequest(practitionerAgent, { given: 'Theo', family, nhsNumber })
  const id = await sendRequest(practitionerAgent, { given: 'Theo', family, nhsNumber, indicators: THREE_DOMAINS })
  const [child, earlier] = [await childOf(id), await childOf(earlierId)]
  await post(managerAgent, `/front-door/requests/${id}/matches/${child.id}/${earlier.id}`, { decision: 'confirmed' })
  const reason = 'Three presenting issues: diet, family relationships and behaviour; the Early Help Plan has not been enough.'
  const lead = await ctx.newAccount('southend', 'practitioner')
  const form = await decisionForm(managerAgent, id, { outcome: 'intensive-support', level: '3', reason, team: 'EHFS Intensive Support, East', leadProfessional: lead.email })
  const decided = await post(managerAgent, `/front-door/requests/${id}/decision`, form)
  assert.equal(decided.headers.location, `/front-door/requests/${id}?decided=1`)

  const row = await requestRow(id)
  assert.equal(row.status, 'decided')
  assert.equal(row.outcome, 'intensive-support')
  assert.equal(row.decided_level, 3)
  assert.equal(row.decision_reason, reason)
  assert.equal(row.decided_by, manager.id)
  assert.ok(row.decided_at && row.acknowledged_at, 'deciding also acknowledges')
  assert.equal(row.looked_at_by, null, 'nobody is looking at it any more')

  const outcomeName = SOUTHEND_OUTCOMES['intensive-support'] ?? '?'
  const managerPage = text((await managerAgent.get(`/front-door/requests/${id}?decided=1`)).body)
  assert.ok(managerPage.includes(`Decided: ${outcomeName}, level 3`), managerPage)
  assert.ok(managerPage.includes(`By ${MANAGER_NAME}`))
  assert.doesNotMatch(managerPage, /Record the decision/)
  assert.ok(!queued((await officerAgent.get('/front-door')).body).includes(id), 'a decided request leaves the queue')
  const again = await managerAgent.post(`/front-door/requests/${id}/decision`, { ...form, version: String(row.version) })
  assert.equal(again.statusCode, 409)
  assert.deepEqual(errorSummary(again.body).map((e) => e.text), ['This request has already been decided, so your decision was not saved'])

  const list = await practitionerAgent.get('/requests')
  assert.equal(list.statusCode, 200)
  const listRow = [...list.body.matchAll(/<tr class="govuk-table__row">[^]*?<\/tr>/g)].map((m) => text(m[0])).find((r) => r.includes(row.reference ?? '?'))
  assert.ok(listRow, 'the request is in the referrer’s list')
  assert.match(listRow, /Decided/)
  assert.ok(listRow.includes(`${outcomeName}, level 3`), listRow)

  const mine = await practitionerAgent.get(`/requests/${id}`)
  assert.equal(mine.statusCode, 200)
  const shown = text(mine.body)
  assert.ok(shown.includes(outcomeName))
  assert.match(shown, /Level of need Level 3/)
  assert.ok(shown.includes(reason), 'the referrer sees why')
  const leadName = (await ctx.db.system.selectFrom('accounts').select('name').where('id', '=', lead.id).executeTakeFirstOrThrow()).name
  assert.ok(shown.includes(`Allocated to EHFS Intensive Support, East, with ${leadName} as Lead Professional.`), shown)

  const involvement = await ctx.db.system.selectFrom('involvements').selectAll().where('request_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(involvement.lead_account_id, lead.id, 'the decision opened the family’s early help with its Lead Professional')
  assert.equal(involvement.level, 3)
  const members = await ctx.db.system.selectFrom('involvement_people').select(['given_name', 'request_person_id']).where('involvement_id', '=', involvement.id).execute()
  assert.ok(members.some((m) => m.given_name === 'Theo' && m.request_person_id === child.id), 'the family comes from the request')
  assert.match(text((await managerAgent.get(`/front-door/requests/${id}`)).body), new RegExp(`Early help ${involvement.reference} has started`))
  assert.ok(text((await practitionerAgent.get('/involvements')).body).includes(involvement.reference), 'the referrer can follow the family’s early help')
  assert.equal((await practitionerAgent.get(`/involvements/${involvement.id}`)).statusCode, 200)

  const colleague = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  assert.equal((await colleague.get(`/requests/${id}`)).statusCode, 404)
  assert.ok(!text((await colleague.get('/requests')).body).includes(row.reference ?? '?'))
  assert.equal((await essexPractitionerAgent.get(`/requests/${id}`)).statusCode, 404)

  const actions = await auditActions(id)
  for (const action of ['request-submitted', 'request-viewed', 'request-decided']) assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`)
  assert.ok((await auditActions(child.id)).includes('match-confirmed'))
  const decidedEvent = await ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', id).where('action', '=', 'request-decided').executeTakeFirstOrThrow()
  assert.equal(decidedEvent.actor_account_id, manager.id)
  assert.equal(decidedEvent.tenant_id, 'southend')
  assert.deepEqual(decidedEvent.detail, { outcome: 'intensive-support', level: 3 })
})

test('Essex decides in its own words: the referrer sees its outcome name', async () => {
  const id = await sendRequest(essexPractitionerAgent, { difficulties: ['domestic-abuse', 'drug-and-alcohol-misuse'], postcode: 'CM1 1AA' })
  const form = await decisionForm(essexManagerAgent, id, { outcome: 'intensive-support', level: '3', reason: 'Meets the Family Solutions criteria.', team: 'Family Solutions (Mid quadrant)', leadProfessional: (await ctx.newAccount('essex', 'practitioner')).email })
  await post(essexManagerAgent, `/front-door/requests/${id}/decision`, form)
  const outcomeName = ESSEX_OUTCOMES['intensive-support'] ?? '?'
  assert.equal(outcomeName, 'Request for support to Family Solutions (level 3 Intensive)')
  const list = text((await essexPractitionerAgent.get('/requests')).body)
  assert.ok(list.includes(`Decided ${outcomeName}, level 3`), list)
  const mine = text((await essexPractitionerAgent.get(`/requests/${id}`)).body)
  assert.ok(mine.includes('Meets the Family Solutions criteria.'))
})

test('a priority request opens with what the referrer could record, suggested Level 4, and is passed to social care', async () => {
  const childName = `Ruby ${surname()}`
  const sent = await post(practitionerAgent, '/requests/priority', {
    childName,
    address: '22 Pier Hill',
    postcode: 'SS1 1EE',
    happening: 'Ruby says she was hit and will not go home.',
    phone: '01632 960 003',
  })
  const id = /^\/requests\/([0-9a-f-]{36})\/sent$/.exec(String(sent.headers.location))?.[1] ?? ''
  const page = await managerAgent.get(`/front-door/requests/${id}`)
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Priority/)
  assert.ok(shown.includes(`Child ${childName}`), shown)
  assert.ok(shown.includes('Ruby says she was hit and will not go home.'))
  assert.match(shown, /Level 4: Statutory/)
  const form = await decisionForm(managerAgent, id, { outcome: 'safeguarding', level: '4', reason: 'Risk of significant harm.', socialCareTo: 'First Contact duty social worker', socialCareWhen: 'Today at 10:15am' })
  await post(managerAgent, `/front-door/requests/${id}/decision`, form)
  const mine = text((await practitionerAgent.get(`/requests/${id}`)).body)
  assert.ok(mine.includes(SOUTHEND_OUTCOMES.safeguarding ?? '?'))
  assert.ok(mine.includes('Passed to children’s social care (First Contact duty social worker) on Today at 10:15am.'), mine)
})

test('the name of whoever decided is shown as text, never as markup', async () => {
  const marked = await ctx.newAccount('southend', 'duty_manager')
  await ctx.db.system.updateTable('accounts').set({ name: 'Kim <b>Lee</b>' }).where('id', '=', marked.id).execute()
  const markedAgent = await ctx.signIn(marked)
  const id = await sendRequest(practitionerAgent, { indicators: THREE_DOMAINS })
  const form = await decisionForm(markedAgent, id, { outcome: 'intensive-support', level: '3', reason: 'Multiple needs.', team: 'Team B', leadProfessional: (await ctx.newAccount('southend', 'practitioner')).email })
  await post(markedAgent, `/front-door/requests/${id}/decision`, form)
  const page = await managerAgent.get(`/front-door/requests/${id}`)
  assert.ok(!page.body.includes('<b>Lee</b>'), 'the name is not markup')
  assert.ok(page.body.includes('Kim &lt;b&gt;Lee&lt;/b&gt;'), 'the name is shown as typed')
})

test('the panel route puts the family on that panel’s agenda; a stepped-up request continues the family’s early help', async () => {
  const toPanel = await sendRequest(practitionerAgent, { indicators: ['health-inadequate-diet'] })
  const form = await decisionForm(managerAgent, toPanel, { outcome: 'emerging-needs', level: '2', reason: 'Emerging needs.', emergingRoute: 'panel', 'panelDate-day': '1', 'panelDate-month': '12', 'panelDate-year': '2099' })
  await post(managerAgent, `/front-door/requests/${toPanel}/decision`, form)
  const item = await ctx.db.system.selectFrom('panel_items').selectAll().where('request_id', '=', toPanel).executeTakeFirstOrThrow()
  assert.equal(item.panel_on, '2099-12-01')
  assert.equal(item.status, 'waiting')
  assert.equal(await ctx.db.system.selectFrom('involvements').select('id').where('request_id', '=', toPanel).executeTakeFirst(), undefined, 'the panel appoints the Lead Professional, not the front door')

  // A family already in early help at level 2 is stepped up through the front door.
  const lead = await ctx.newAccount('southend', 'practitioner')
  const { id: involvementId } = await openTestInvolvement(ctx, lead, { level: 2 })
  const steppedUp = await sendRequest(practitionerAgent, { indicators: THREE_DOMAINS })
  await ctx.db.system.updateTable('requests').set({ stepped_up_from: involvementId }).where('id', '=', steppedUp).execute()
  const intensiveWorker = await ctx.newAccount('southend', 'practitioner')
  const decision = await decisionForm(managerAgent, steppedUp, { outcome: 'intensive-support', level: '3', reason: 'The plan has not been enough.', team: 'EHFS Intensive Support', leadProfessional: intensiveWorker.email })
  await post(managerAgent, `/front-door/requests/${steppedUp}/decision`, decision)
  const involvement = await ctx.db.system.selectFrom('involvements').selectAll().where('id', '=', involvementId).executeTakeFirstOrThrow()
  assert.equal(involvement.level, 3, 'the same involvement steps up')
  assert.equal(involvement.lead_account_id, intensiveWorker.id, 'to the intensive worker as Lead Professional')
  assert.equal(await ctx.db.system.selectFrom('involvements').select('id').where('request_id', '=', steppedUp).executeTakeFirst(), undefined, 'no second involvement')
  const change = await ctx.db.system.selectFrom('level_changes').selectAll().where('involvement_id', '=', involvementId).executeTakeFirstOrThrow()
  assert.deepEqual([change.from_level, change.to_level, change.direction, change.request_id], [2, 3, 'up', steppedUp])
  const leads = await ctx.db.system.selectFrom('lead_professionals').selectAll().where('involvement_id', '=', involvementId).orderBy('started_at').execute()
  assert.equal(leads.length, 2)
  assert.ok(leads[0]?.ended_at, 'the first Lead Professional’s period ended')
})
