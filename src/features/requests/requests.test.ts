import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { nhsCheckDigit } from '../../domain/nhs-number.ts'
import { addTimescale, workingDayMinutes, workingTimeBetween } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { formatDateTime } from '../../platform/views/format.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { text, inputValue, textareaValue, errorSummary } from '../../test/html.ts'

/**
 * The practitioner's side of the front door over HTTP, against the real app and database: the
 * journey from "is a child at immediate risk?" to the sent page, each section's checks, the
 * priority route, and what happens to drafts and sent requests.
 */

let ctx: TestContext
let southend: TestAccount
let southendAgent: Agent
let essex: TestAccount
let essexAgent: Agent

before(async () => {
  ctx = await createTestContext()
  southend = await ctx.newAccount('southend', 'practitioner')
  essex = await ctx.newAccount('essex', 'practitioner')
  ;[southendAgent, essexAgent] = await Promise.all([ctx.signIn(southend), ctx.signIn(essex)])
})
after(() => ctx.close())

// ---------------------------------------------------------------------------------------------
// Reading pages.

/** Every error summary link must land on an element with that id. */
function assertLinksLand(html: string): void {
  for (const { href } of errorSummary(html)) {
    assert.ok(href.startsWith('#'), href)
    assert.match(html, new RegExp(`id="${href.slice(1)}"`), `the summary's link to ${href} has a field to land on`)
  }
}

// ---------------------------------------------------------------------------------------------
// Test data.

/** A valid NHS number nobody else in this file uses, spaced as people type it. */
function newNhsNumber(): string {
  for (;;) {
    const nine = String(randomInt(100_000_000, 999_999_999))
    const check = nhsCheckDigit(nine)
    if (check !== undefined) return `${nine.slice(0, 3)} ${nine.slice(3, 6)} ${nine.slice(6)}${check}`
  }
}

/** A family name of its own, so one test's people are never another test's earlier records. */
const familyName = () => `Testfamily${randomUUID().slice(0, 8)}`

const THREE_DOMAINS = ['health-inadequate-diet', 'emotional-family-relationships', 'behaviour-impact-on-others']
const ONE_DOMAIN = ['health-inadequate-diet', 'health-delayed-milestones']

interface Journey {
  child?: Record<string, string>
  adult?: Record<string, string>
  sections?: Partial<Record<'referrer' | 'address' | 'worries' | 'needs' | 'support' | 'strengths' | 'consent', Record<string, string | string[]>>>
}

const child = (overrides: Record<string, string> = {}) => ({
  givenName: 'Maya',
  familyName: familyName(),
  born: 'yes',
  'date-day': '4',
  'date-month': '3',
  'date-year': '2016',
  sex: 'female',
  ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British',
  school: 'Seaview Academy',
  nhsNumber: '',
  upn: '',
  send: 'none',
  youngCarer: 'no',
  ...overrides,
})

const SECTIONS = {
  referrer: { phone: '01632 960 001' },
  address: { line1: '12 Marine Parade', line2: '', town: 'Southend-on-Sea', postcode: 'ss1 2aa', communication: '', interpreter: 'no', language: '' },
  worries: { familyWords: 'We are not coping since Dad left.', referrerWords: 'Maya is often hungry and withdrawn at school.' },
  needs: { indicators: THREE_DOMAINS },
  support: { levelAskedFor: '3', triedAlready: 'An Early Help Plan since September: attendance improved, then fell again.' },
  strengths: { strengths: 'Mum is warm and keen to get help.', childViews: 'Maya says she misses her dad.', parentViews: 'Mum wants help with routines.' },
  consent: { significantHarm: 'no', consentGiven: 'yes' },
} as const

function idFrom(location: unknown, pattern: RegExp): string {
  const id = pattern.exec(String(location))?.[1]
  assert.ok(id, `expected a redirect matching ${pattern}, got ${String(location)}`)
  return id
}

async function startDraft(agent: Agent): Promise<string> {
  const started = await agent.post('/requests/new', { immediateRisk: 'no' })
  assert.equal(started.statusCode, 303)
  return idFrom(started.headers.location, /^\/requests\/([0-9a-f-]{36})$/)
}

async function saveSection(agent: Agent, id: string, section: string, form: Record<string, string | string[]>) {
  const saved = await agent.post(`/requests/${id}/section/${section}`, form)
  assert.equal(saved.statusCode, 303, `${section} saves: ${errorSummary(saved.body).map((e) => e.text).join('; ')}`)
  assert.equal(saved.headers.location, `/requests/${id}`)
}

async function addChild(agent: Agent, id: string, form: Record<string, string>) {
  const saved = await agent.post(`/requests/${id}/people/child/new`, form)
  assert.equal(saved.statusCode, 303, `child saves: ${errorSummary(saved.body).map((e) => e.text).join('; ')}`)
}

/** Adds an adult, giving their relationship to each child the page asks about. */
async function addAdult(agent: Agent, id: string, form: Record<string, string> = {}) {
  const page = await agent.get(`/requests/${id}/people/adult/new`)
  assert.equal(page.statusCode, 200)
  const relationships = Object.fromEntries([...page.body.matchAll(/name="(relationship-[0-9a-f-]{36})"/g)].map((m) => [m[1] ?? '', 'Mother']))
  const saved = await agent.post(`/requests/${id}/people/adult/new`, { givenName: 'Sarah', familyName: familyName(), livesWithFamily: 'yes', ...relationships, ...form })
  assert.equal(saved.statusCode, 303, `adult saves: ${errorSummary(saved.body).map((e) => e.text).join('; ')}`)
}

/** A complete draft, every section saved through its page. */
async function completeDraft(agent: Agent, journey: Journey = {}): Promise<string> {
  const id = await startDraft(agent)
  for (const [section, form] of Object.entries({ ...SECTIONS, ...journey.sections })) await saveSection(agent, id, section, form)
  await addChild(agent, id, child(journey.child))
  await addAdult(agent, id, journey.adult)
  return id
}

async function submit(agent: Agent, id: string): Promise<void> {
  const sent = await agent.post(`/requests/${id}/submit`)
  assert.equal(sent.statusCode, 303, `submits: ${errorSummary(sent.body).map((e) => e.text).join('; ')}`)
  assert.equal(sent.headers.location, `/requests/${id}/sent`)
}

const requestRow = (id: string) => ctx.db.system.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst()
const peopleOf = (id: string) => ctx.db.system.selectFrom('request_people').selectAll().where('request_id', '=', id).orderBy('kind', 'desc').orderBy('position').execute()
const auditFor = (id: string) => ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', id).orderBy('id').execute()

// ---------------------------------------------------------------------------------------------
// The journey.

test('a Southend practitioner asks for support section by section, checks the answers and sends the request', async () => {
  const agent = southendAgent
  const start = await agent.get('/requests/new')
  assert.equal(start.statusCode, 200)
  assert.match(text(start.body), /Is a child at immediate risk of significant harm\?/)
  const unanswered = await agent.post('/requests/new', {})
  assert.equal(unanswered.statusCode, 400)
  assert.deepEqual(errorSummary(unanswered.body), [{ href: '#immediateRisk', text: 'Select yes if a child is at immediate risk of significant harm' }])

  const id = await startDraft(agent)
  const draft = await requestRow(id)
  assert.equal(draft?.status, 'draft')
  assert.equal(draft?.tenant_id, 'southend')
  assert.equal(draft?.referrer_account_id, southend.id)
  assert.equal(draft?.reference, null, 'a draft has no reference yet')

  const taskList = await agent.get(`/requests/${id}`)
  assert.equal(taskList.statusCode, 200)
  assert.match(text(taskList.body), /You have completed 0 of 9 sections/)
  for (const section of ['referrer', 'address', 'worries', 'needs', 'support', 'strengths', 'consent']) {
    const page = await agent.get(`/requests/${id}/section/${section}`)
    assert.equal(page.statusCode, 200, section)
  }
  assert.equal((await agent.get(`/requests/${id}/section/secrets`)).statusCode, 404, 'an unknown section does not exist')

  for (const [section, form] of Object.entries(SECTIONS)) await saveSection(agent, id, section, form)
  const surname = familyName()
  await addChild(agent, id, child({ familyName: surname, nhsNumber: '943 476 5919' }))
  await addAdult(agent, id, { familyName: surname })

  const saved = (await requestRow(id))!
  assert.equal(saved.referrer_phone, '01632 960 001')
  assert.equal(saved.postcode, 'SS1 2AA', 'the postcode is kept in its standard form')
  assert.deepEqual(saved.answers.needs, { indicators: THREE_DOMAINS, vulnerabilities: [], difficulties: [] })
  assert.deepEqual(saved.answers.consent, { significantHarm: 'no', consentGiven: 'yes' })
  const people = await peopleOf(id)
  assert.deepEqual(
    people.map((p) => [p.kind, p.given_name, p.family_name, p.date_of_birth, p.nhs_number]),
    [
      ['child', 'Maya', surname, '2016-03-04', '9434765919'],
      ['adult', 'Sarah', surname, null, null],
    ],
  )
  const childId = people[0]?.id ?? ''
  assert.deepEqual(people[1]?.details, { livesWithFamily: 'yes', relationships: { [childId]: 'Mother' } })

  const complete = await agent.get(`/requests/${id}`)
  assert.match(text(complete.body), /You have completed 9 of 9 sections/)
  assert.match(complete.body, new RegExp(`href="/requests/${id}/check"`), 'the check page is offered once every section is done')

  const check = await agent.get(`/requests/${id}/check`)
  assert.equal(check.statusCode, 200)
  const checked = text(check.body)
  assert.match(checked, /Check your answers before sending/)
  assert.ok(checked.includes(`Maya ${surname}, born 4 March 2016`), checked)
  assert.ok(checked.includes('12 Marine Parade, Southend-on-Sea, SS1 2AA'))
  assert.ok(checked.includes('Level 3'))
  assert.ok(checked.includes('We are not coping since Dad left.'))
  for (const section of ['referrer', 'address', 'worries', 'needs', 'support', 'strengths', 'consent']) {
    assert.match(check.body, new RegExp(`href="/requests/${id}/section/${section}"`), `a Change link to ${section}`)
  }

  const before = new Date()
  await submit(agent, id)
  const after = new Date()
  const row = (await requestRow(id))!
  assert.equal(row.status, 'submitted')
  assert.match(row.reference ?? '', new RegExp(`^SOU-${before.getUTCFullYear()}-\\d{5}$`))
  assert.ok(row.submitted_at && row.submitted_at >= new Date(before.getTime() - 1) && row.submitted_at <= after)
  assert.equal(row.priority, false)
  assert.equal(row.significant_harm, false)

  // The clocks, in Southend's working calendar: acknowledge in 1 working day, decide in 2.
  const framework = frameworkById('southend')!
  const calendar = framework.workingCalendar
  assert.ok(row.acknowledge_due_at && row.decision_due_at)
  assert.equal(row.acknowledge_due_at.getTime(), addTimescale(calendar, row.submitted_at, { value: 1, unit: 'working-days' }).getTime())
  assert.equal(row.decision_due_at.getTime(), addTimescale(calendar, row.submitted_at, { value: 2, unit: 'working-days' }).getTime())
  assert.equal(Math.round(workingTimeBetween(calendar, row.submitted_at, row.acknowledge_due_at)), workingDayMinutes(calendar), 'one working day to acknowledge')
  assert.equal(Math.round(workingTimeBetween(calendar, row.submitted_at, row.decision_due_at)), 2 * workingDayMinutes(calendar), 'two working days to decide')
  assert.ok(row.decision_due_at.getTime() - row.submitted_at.getTime() >= 24 * 60 * 60 * 1000, 'two working days are never less than a day of clock time')

  const sent = await agent.get(`/requests/${id}/sent`)
  assert.equal(sent.statusCode, 200)
  const shown = text(sent.body)
  assert.match(shown, /Request for support sent/)
  assert.ok(shown.includes(`Your reference ${row.reference}`), shown)
  assert.ok(shown.includes(formatDateTime(row.decision_due_at)), `the decision is due by ${formatDateTime(row.decision_due_at)}: ${shown}`)

  const list = await agent.get('/requests')
  assert.equal(list.statusCode, 200)
  const listed = text(list.body)
  assert.ok(listed.includes(`${row.reference} Maya ${surname}`), listed)
  assert.match(listed, /Waiting for a decision/)

  const actions = (await auditFor(id)).map((e) => e.action)
  assert.ok(actions.includes('request-created'))
  assert.ok(actions.includes('request-updated'))
  assert.ok(actions.includes('request-submitted'))
})

test('each new request gets the next number in the authority’s own series', async () => {
  const year = new Date().getUTCFullYear()
  const southendIds = [await completeDraft(southendAgent), await completeDraft(southendAgent)]
  for (const id of southendIds) await submit(southendAgent, id)
  const essexId = await completeDraft(essexAgent, { sections: { needs: { difficulties: ['no-member-in-work'] } } })
  await submit(essexAgent, essexId)
  const [a, b] = await Promise.all(southendIds.map(async (id) => (await requestRow(id))!.reference ?? ''))
  const essexReference = (await requestRow(essexId))!.reference ?? ''
  const number = (reference: string) => Number(reference.split('-')[2])
  assert.match(a ?? '', new RegExp(`^SOU-${year}-\\d{5}$`))
  assert.equal(number(b ?? ''), number(a ?? '') + 1, 'Southend numbers follow on')
  assert.match(essexReference, new RegExp(`^ESS-${year}-\\d{5}$`), 'Essex has its own prefix')
})

// ---------------------------------------------------------------------------------------------
// The suggested level.

test('Southend: indicators in three domains suggest Level 3, naming three presenting issues', async () => {
  const id = await completeDraft(southendAgent, { sections: { needs: { indicators: THREE_DOMAINS } } })
  await submit(southendAgent, id)
  const row = (await requestRow(id))!
  assert.equal(row.suggested_level, 3)
  const suggestion = row.suggestion as { level: number; rule: string; reasons: string[]; presentingIssues: { count: number } }
  assert.equal(suggestion.level, 3)
  assert.equal(suggestion.rule, 'presenting-issues')
  assert.equal(suggestion.presentingIssues.count, 3)
  const reasons = suggestion.reasons.join(' ')
  assert.match(reasons, /3 presenting issues/)
  assert.match(reasons, /Health/)
  assert.match(reasons, /Emotional Development/)
  assert.match(reasons, /Behavioural Development/)
})

test('Southend: two indicators in one domain are one presenting issue and suggest Level 2', async () => {
  const id = await completeDraft(southendAgent, { sections: { needs: { indicators: ONE_DOMAIN }, support: { levelAskedFor: '2', triedAlready: '' } } })
  await submit(southendAgent, id)
  const row = (await requestRow(id))!
  assert.equal(row.suggested_level, 2)
  const suggestion = row.suggestion as { reasons: string[]; presentingIssues: { count: number } }
  assert.equal(suggestion.presentingIssues.count, 1)
  assert.match(suggestion.reasons.join(' '), /2 indicators in 1 domain make 1 presenting issue/)
})

test('Essex: two Family Solutions difficulties suggest Level 3, with the eligibility recorded', async () => {
  const needs = await essexAgent.get(`/requests/${await startDraft(essexAgent)}/section/needs`)
  assert.match(text(needs.body), /Difficulties the family has \(Family Solutions\)/)
  const id = await completeDraft(essexAgent, {
    sections: {
      needs: { difficulties: ['no-member-in-work', 'domestic-abuse'] },
      address: { ...SECTIONS.address, line1: '3 Moulsham Street', town: 'Chelmsford', postcode: 'CM2 0JA' },
    },
  })
  await submit(essexAgent, id)
  const row = (await requestRow(id))!
  assert.equal(row.suggested_level, 3)
  assert.match(row.reference ?? '', /^ESS-/)
  const suggestion = row.suggestion as { rule: string; eligibility: { familySolutions: { eligible: boolean; count: number; needed: number } } }
  assert.equal(suggestion.rule, 'family-solutions')
  assert.deepEqual({ ...suggestion.eligibility.familySolutions, difficulties: undefined }, { eligible: true, count: 2, needed: 2, difficulties: undefined })
})

// ---------------------------------------------------------------------------------------------
// Validation.

test('the contact details and address pages say what is wrong, link to each field and keep what was typed', async () => {
  const id = await startDraft(southendAgent)
  const phone = await southendAgent.post(`/requests/${id}/section/referrer`, { phone: '123' })
  assert.equal(phone.statusCode, 400)
  assert.match(phone.body, /<title>Error: /)
  assert.deepEqual(errorSummary(phone.body), [{ href: '#phone', text: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' }])
  assert.equal(inputValue(phone.body, 'phone'), '123')
  assertLinksLand(phone.body)

  const empty = await southendAgent.post(`/requests/${id}/section/address`, {})
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#line1', text: 'Enter the first line of the address' },
    { href: '#town', text: 'Enter the town or city' },
    { href: '#postcode', text: 'Enter the postcode' },
    { href: '#interpreter', text: 'Select yes if the family needs an interpreter' },
  ])
  assertLinksLand(empty.body)

  const badPostcode = await southendAgent.post(`/requests/${id}/section/address`, { ...SECTIONS.address, postcode: 'SS1 XYZ', interpreter: 'yes', language: 'Polish' })
  assert.equal(badPostcode.statusCode, 400)
  assert.deepEqual(errorSummary(badPostcode.body), [{ href: '#postcode', text: 'Enter a real postcode, like SS1 1AA' }])
  assert.equal(inputValue(badPostcode.body, 'postcode'), 'SS1 XYZ', 'the postcode typed is kept, to be corrected')
  assert.equal(inputValue(badPostcode.body, 'line1'), '12 Marine Parade')
  assert.equal(inputValue(badPostcode.body, 'language'), 'Polish')
  assert.match(badPostcode.body, /value="yes" checked/)
  assertLinksLand(badPostcode.body)

  const noLanguage = await southendAgent.post(`/requests/${id}/section/address`, { ...SECTIONS.address, interpreter: 'yes' })
  assert.equal(noLanguage.statusCode, 400)
  assert.deepEqual(errorSummary(noLanguage.body), [{ href: '#language', text: 'Enter the language the family needs' }])

  const row = (await requestRow(id))!
  assert.deepEqual(row.answers, {}, 'nothing invalid was saved')
  assert.equal(row.postcode, null)
})

test('the child page refuses an invalid NHS number, a future date of birth and a date that does not exist', async () => {
  const id = await startDraft(southendAgent)
  const nextYear = String(new Date().getUTCFullYear() + 1)
  const cases: { form: Record<string, string>; errors: { href: string; text: string }[] }[] = [
    { form: child({ nhsNumber: '943 476 5918' }), errors: [{ href: '#nhsNumber', text: 'Enter a valid NHS number, like 943 476 5919' }] },
    { form: child({ 'date-year': nextYear }), errors: [{ href: '#date-day', text: 'Date of birth must be today or in the past' }] },
    { form: child({ 'date-day': '31', 'date-month': '2', 'date-year': '2020' }), errors: [{ href: '#date-day', text: 'Date of birth must be a real date' }] },
  ]
  for (const { form, errors } of cases) {
    const response = await southendAgent.post(`/requests/${id}/people/child/new`, form)
    assert.equal(response.statusCode, 400, JSON.stringify(form))
    assert.match(response.body, /<title>Error: /)
    assert.deepEqual(errorSummary(response.body), errors)
    assertLinksLand(response.body)
    assert.equal(inputValue(response.body, 'givenName'), 'Maya')
    assert.equal(inputValue(response.body, 'nhsNumber'), form.nhsNumber)
    assert.equal(inputValue(response.body, 'date-day'), form['date-day'])
    assert.equal(inputValue(response.body, 'date-month'), form['date-month'])
    assert.equal(inputValue(response.body, 'date-year'), form['date-year'])
  }
  const empty = await southendAgent.post(`/requests/${id}/people/child/new`, { born: 'yes' })
  assert.equal(empty.statusCode, 400)
  const messages = errorSummary(empty.body).map((e) => e.text)
  for (const expected of ['Enter the child’s first name', 'Enter the child’s last name', 'Select the child’s sex', 'Select the child’s ethnic group', 'Enter date of birth']) {
    assert.ok(messages.includes(expected), `${expected} in ${messages.join('; ')}`)
  }
  assertLinksLand(empty.body)

  // An expected baby has a due date, which may be in the future.
  await addChild(southendAgent, id, child({ born: 'no', 'date-year': nextYear }))
  const people = await peopleOf(id)
  assert.equal(people.length, 1, 'only the valid child was saved')
  assert.equal(people[0]?.date_of_birth, null)
  assert.equal(people[0]?.due_date, `${nextYear}-03-04`)
})

test('an adult needs their relationship to each child', async () => {
  const id = await startDraft(southendAgent)
  await addChild(southendAgent, id, child({ givenName: 'Leo' }))
  const response = await southendAgent.post(`/requests/${id}/people/adult/new`, { givenName: 'Sam', familyName: 'Jones', livesWithFamily: 'no' })
  assert.equal(response.statusCode, 400)
  const [error] = errorSummary(response.body)
  assert.equal(error?.text, 'Enter their relationship to Leo, like mother or grandfather')
  assert.match(error?.href ?? '', /^#relationship-[0-9a-f-]{36}$/)
  assertLinksLand(response.body)
  assert.equal(inputValue(response.body, 'givenName'), 'Sam')
  assert.equal((await peopleOf(id)).length, 1)
})

test('asking for Level 3 needs what has been tried already', async () => {
  const id = await startDraft(southendAgent)
  const response = await southendAgent.post(`/requests/${id}/section/support`, { levelAskedFor: '3', triedAlready: '   ' })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body), [{ href: '#triedAlready', text: 'Enter what has been tried already: it is needed when you ask for intensive support or social care' }])
  assertLinksLand(response.body)
  assert.match(response.body, /value="3" checked/, 'the level chosen is kept')
  const nothing = await southendAgent.post(`/requests/${id}/section/support`, {})
  assert.deepEqual(errorSummary(nothing.body), [{ href: '#levelAskedFor', text: 'Select the level of support you are asking for' }])
  assertLinksLand(nothing.body)

  await saveSection(southendAgent, id, 'support', { levelAskedFor: '2' })
  assert.deepEqual((await requestRow(id))!.answers.support, { levelAskedFor: '2' }, 'Level 2 may be asked for without it')
})

test('consent: without significant harm the family must agree; with it, not seeking consent needs a reason', async () => {
  const id = await startDraft(southendAgent)
  const refused = await southendAgent.post(`/requests/${id}/section/consent`, { significantHarm: 'no', consentGiven: 'no' })
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(errorSummary(refused.body), [
    { href: '#consentGiven', text: 'You need the family’s consent to ask for early help when no child is at risk of significant harm' },
  ])
  assertLinksLand(refused.body)
  assert.match(refused.body, /name="significantHarm" type="radio" value="no" checked/, 'the answers given are kept')
  assert.equal((await requestRow(id))!.answers.consent, undefined)

  const noReason = await southendAgent.post(`/requests/${id}/section/consent`, { significantHarm: 'yes', consentGiven: 'no', consentRisk: 'yes' })
  assert.equal(noReason.statusCode, 400)
  assert.deepEqual(errorSummary(noReason.body), [{ href: '#consentRiskReason', text: 'Select why seeking consent would put the child at risk' }])
  assertLinksLand(noReason.body)

  const other = await southendAgent.post(`/requests/${id}/section/consent`, { significantHarm: 'yes', consentGiven: 'no', consentRisk: 'yes', consentRiskReason: 'other' })
  assert.deepEqual(errorSummary(other.body), [{ href: '#consentRiskDetail', text: 'Enter why seeking consent would put the child at risk' }])

  await saveSection(southendAgent, id, 'consent', { significantHarm: 'yes', consentGiven: 'no', consentRisk: 'yes', consentRiskReason: 'domestic-abuse' })
  assert.deepEqual((await requestRow(id))!.answers.consent, { significantHarm: 'yes', consentGiven: 'no', consentRisk: 'yes', consentRiskReason: 'domestic-abuse' })
})

test('the worries and strengths pages keep what was typed when something is missing', async () => {
  const id = await startDraft(southendAgent)
  const worries = await southendAgent.post(`/requests/${id}/section/worries`, { familyWords: 'Money is tight.', referrerWords: '' })
  assert.equal(worries.statusCode, 400)
  assert.deepEqual(errorSummary(worries.body), [{ href: '#referrerWords', text: 'Enter what you are worried about' }])
  assert.equal(textareaValue(worries.body, 'familyWords'), 'Money is tight.')
  assertLinksLand(worries.body)

  const strengths = await southendAgent.post(`/requests/${id}/section/strengths`, { strengths: 'A close family.', childViews: '', parentViews: '' })
  assert.equal(strengths.statusCode, 400)
  assert.deepEqual(errorSummary(strengths.body), [
    { href: '#childViews', text: "Enter the child's views, or why they could not be gained" },
    { href: '#parentViews', text: "Enter the parents' or carers' views" },
  ])
  assert.equal(textareaValue(strengths.body, 'strengths'), 'A close family.')
  assertLinksLand(strengths.body)
})

test('sending an incomplete draft is refused, listing the sections still to do', async () => {
  const id = await startDraft(southendAgent)
  await saveSection(southendAgent, id, 'referrer', SECTIONS.referrer)
  await saveSection(southendAgent, id, 'worries', SECTIONS.worries)
  const response = await southendAgent.post(`/requests/${id}/submit`)
  assert.equal(response.statusCode, 400)
  assert.match(response.body, /<title>Error: /)
  assert.deepEqual(
    errorSummary(response.body).map((e) => e.text),
    [
      'Complete “Children”',
      'Complete “Parents, carers and other adults”',
      'Complete “Address and communication”',
      'Complete “Indicators of need”',
      'Complete “Support asked for and what has been tried”',
      'Complete “Strengths and views”',
      'Complete “Consent”',
    ],
  )
  const row = (await requestRow(id))!
  assert.equal(row.status, 'draft', 'still a draft')
  assert.equal(row.reference, null)
  assert.equal(row.submitted_at, null)
})

test('unknown indicator ids and fields that are not on the form are dropped, never stored', async () => {
  const id = await startDraft(southendAgent)
  await saveSection(southendAgent, id, 'needs', {
    indicators: ['health-inadequate-diet', 'not-an-indicator', 'no-member-in-work'],
    vulnerabilities: ['wt-young-carer', '<script>'],
    difficulties: ['no-member-in-work'],
    status: 'decided',
  })
  await saveSection(southendAgent, id, 'referrer', { phone: '01632 960 001', status: 'decided', reference: 'SOU-2026-99999', referrer_account_id: randomUUID(), priority: 'true' })
  const row = (await requestRow(id))!
  assert.deepEqual(row.answers.needs, { indicators: ['health-inadequate-diet'], vulnerabilities: ['wt-young-carer'], difficulties: [] }, 'Southend has no Family Solutions difficulties')
  assert.deepEqual(row.answers.referrer, { phone: '01632 960 001' })
  assert.equal(row.status, 'draft')
  assert.equal(row.reference, null)
  assert.equal(row.priority, false)
  assert.equal(row.referrer_account_id, southend.id)

  const essexId = await startDraft(essexAgent)
  await saveSection(essexAgent, essexId, 'needs', { difficulties: ['domestic-abuse', 'health-inadequate-diet'], indicators: 'health-inadequate-diet' })
  assert.deepEqual((await requestRow(essexId))!.answers.needs, { indicators: [], vulnerabilities: [], difficulties: ['domestic-abuse'] }, "Essex knows only its own lists")
})

// ---------------------------------------------------------------------------------------------
// The priority route.

test('immediate risk goes to the Priority Line, and the short form is sent at once as a priority request', async () => {
  const answered = await essexAgent.post('/requests/new', { immediateRisk: 'yes' })
  assert.equal(answered.statusCode, 303)
  assert.equal(answered.headers.location, '/requests/priority')
  const drafts = await ctx.db.system.selectFrom('requests').select('id').where('referrer_account_id', '=', essex.id).where('status', '=', 'draft').execute()

  const page = await essexAgent.get('/requests/priority')
  assert.equal(page.statusCode, 200)
  const shown = text(page.body)
  assert.match(shown, /Telephone the front door now/)
  assert.ok(shown.includes('Priority Line'), shown)
  assert.ok(shown.includes('0345 6037627'), "Essex's Priority Line number is shown")

  const southendPage = text((await southendAgent.get('/requests/priority')).body)
  assert.ok(southendPage.includes('First Contact'), "Southend's priority route is its own")
  assert.ok(!southendPage.includes('0345 6037627'))

  const empty = await essexAgent.post('/requests/priority', { phone: '' })
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(
    errorSummary(empty.body).map((e) => e.href),
    ['#childName', '#postcode', '#address', '#happening', '#phone'],
  )
  assertLinksLand(empty.body)
  const badPostcode = await essexAgent.post('/requests/priority', { childName: 'Ava Stone', address: 'The park', postcode: 'nope', happening: 'Hurt', phone: '01632 960 002' })
  assert.equal(badPostcode.statusCode, 400)
  assert.deepEqual(errorSummary(badPostcode.body), [{ href: '#postcode', text: 'Enter a real postcode, like SS1 1AA' }])
  assert.equal(inputValue(badPostcode.body, 'childName'), 'Ava Stone')

  const sent = await essexAgent.post('/requests/priority', {
    childName: 'Ava Marie Stone',
    address: '7 High Street, Chelmsford',
    postcode: 'cm1 1aa',
    happening: 'Ava has a bruise on her face and is afraid to go home.',
    phone: '01632 960 002',
  })
  assert.equal(sent.statusCode, 303)
  const id = idFrom(sent.headers.location, /^\/requests\/([0-9a-f-]{36})\/sent$/)
  const row = (await requestRow(id))!
  assert.equal(row.status, 'submitted', 'never a draft')
  assert.equal(row.priority, true)
  assert.equal(row.significant_harm, true)
  assert.equal(row.suggested_level, 4)
  assert.equal(row.postcode, 'CM1 1AA')
  assert.match(row.reference ?? '', /^ESS-\d{4}-\d{5}$/)
  assert.ok(row.acknowledge_due_at && row.decision_due_at)
  assert.deepEqual(
    (await peopleOf(id)).map((p) => [p.kind, p.given_name, p.family_name]),
    [['child', 'Ava', 'Marie Stone']],
  )
  const draftsAfter = await ctx.db.system.selectFrom('requests').select('id').where('referrer_account_id', '=', essex.id).where('status', '=', 'draft').execute()
  assert.equal(draftsAfter.length, drafts.length, 'no draft was made on the way')

  // At the top of the front door's queue at once, above the requests sent before it.
  const officer = await ctx.signIn(await ctx.newAccount('essex', 'front_door_officer'))
  const queue = await officer.get('/front-door')
  assert.equal(queue.statusCode, 200)
  const listed = [...queue.body.matchAll(/href="\/front-door\/requests\/([0-9a-f-]{36})"/g)].map((m) => m[1])
  assert.ok(listed.length > 1, 'older Essex requests are waiting too')
  assert.equal(listed[0], id, 'the priority request is first')

  const sentPage = text((await essexAgent.get(`/requests/${id}/sent`)).body)
  assert.ok(sentPage.includes(row.reference ?? '?'))
  assert.match(sentPage, /This is a priority request/)
  assert.ok((await auditFor(id)).some((e) => e.action === 'request-submitted' && (e.detail as { priority?: boolean }).priority === true))
})

// ---------------------------------------------------------------------------------------------
// Drafts and sent requests.

test('another practitioner cannot see or change someone else’s draft', async () => {
  const id = await startDraft(southendAgent)
  await saveSection(southendAgent, id, 'worries', SECTIONS.worries)
  const colleague = await ctx.signIn(await ctx.newAccount('southend', 'practitioner'))
  const essexPractitioner = essexAgent
  for (const agent of [colleague, essexPractitioner]) {
    assert.equal((await agent.get(`/requests/${id}`)).statusCode, 404)
    assert.equal((await agent.get(`/requests/${id}/section/worries`)).statusCode, 404)
    assert.equal((await agent.get(`/requests/${id}/check`)).statusCode, 404)
    assert.equal((await agent.get(`/requests/${id}/people/child/new`)).statusCode, 404)
    assert.equal((await agent.post(`/requests/${id}/section/worries`, { familyWords: 'Changed', referrerWords: 'Changed' })).statusCode, 404)
    assert.equal((await agent.post(`/requests/${id}/people/child/new`, child())).statusCode, 404)
    assert.equal((await agent.post(`/requests/${id}/submit`)).statusCode, 404)
    assert.equal((await agent.post(`/requests/${id}/discard`)).statusCode, 404)
  }
  const row = (await requestRow(id))!
  assert.deepEqual(row.answers.worries, SECTIONS.worries, 'the draft is unchanged')
  assert.equal(row.status, 'draft')
  assert.equal((await peopleOf(id)).length, 0)
  assert.ok(!text((await colleague.get('/requests')).body).includes(id))
  assert.equal((await southendAgent.get(`/requests/${id}`)).statusCode, 200, 'its author still can')

  // Nor can anyone who is not a practitioner use the journey.
  const manager = await ctx.signIn(await ctx.newAccount('southend', 'duty_manager'))
  assert.equal((await manager.get(`/requests/${id}`)).statusCode, 404)
  assert.equal((await manager.get('/requests/new')).statusCode, 404)
})

test('a draft can be discarded; a sent request cannot be discarded or changed', async () => {
  const draft = await startDraft(southendAgent)
  const discarded = await southendAgent.post(`/requests/${draft}/discard`)
  assert.equal(discarded.statusCode, 303)
  assert.equal(discarded.headers.location, '/requests')
  assert.equal(await requestRow(draft), undefined, 'the draft is gone')
  assert.equal((await southendAgent.get(`/requests/${draft}`)).statusCode, 404)
  assert.ok((await auditFor(draft)).some((e) => e.action === 'request-discarded'))

  const id = await completeDraft(southendAgent)
  await submit(southendAgent, id)
  const sent = (await requestRow(id))!
  const people = await peopleOf(id)

  const discard = await southendAgent.post(`/requests/${id}/discard`)
  assert.equal(discard.statusCode, 303)
  assert.ok(await requestRow(id), 'a sent request is never deleted')

  const edit = await southendAgent.post(`/requests/${id}/section/worries`, { familyWords: 'Rewritten after sending', referrerWords: 'Rewritten' })
  assert.equal(edit.statusCode, 303)
  assert.equal(edit.headers.location, `/requests/${id}`)
  await southendAgent.post(`/requests/${id}/people/child/new`, child({ givenName: 'Added' }))
  await southendAgent.post(`/requests/${id}/people/child/${people[0]?.id}`, child({ givenName: 'Renamed' }))
  await southendAgent.post(`/requests/${id}/people/child/${people[0]?.id}/remove`)
  const again = await southendAgent.post(`/requests/${id}/submit`)
  assert.equal(again.statusCode, 303)

  const after = (await requestRow(id))!
  assert.deepEqual(after.answers, sent.answers, 'the answers are as sent')
  assert.equal(after.version, sent.version)
  assert.equal(after.reference, sent.reference, 'sending again does not issue a new reference')
  assert.deepEqual(await peopleOf(id), people, 'the people are as sent')

  // Its pages show it as sent, not as a form to fill in.
  const section = await southendAgent.get(`/requests/${id}/section/worries`)
  assert.equal(section.statusCode, 303)
  assert.equal(section.headers.location, `/requests/${id}`)
  const page = await southendAgent.get(`/requests/${id}`)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /The front door has not decided yet/)
})

test('a child can be changed and removed while the request is a draft', async () => {
  const id = await startDraft(southendAgent)
  await addChild(southendAgent, id, child({ givenName: 'Ellie', nhsNumber: newNhsNumber() }))
  const [person] = await peopleOf(id)
  assert.ok(person)
  const form = await southendAgent.get(`/requests/${id}/people/child/${person.id}`)
  assert.equal(form.statusCode, 200)
  assert.equal(inputValue(form.body, 'givenName'), 'Ellie')
  assert.equal(inputValue(form.body, 'date-day'), '4')
  assert.equal(inputValue(form.body, 'date-year'), '2016')
  const changed = await southendAgent.post(`/requests/${id}/people/child/${person.id}`, child({ givenName: 'Eleanor', familyName: person.family_name }))
  assert.equal(changed.statusCode, 303)
  assert.equal((await peopleOf(id))[0]?.given_name, 'Eleanor')
  assert.equal((await peopleOf(id)).length, 1, 'changed, not added')
  await southendAgent.post(`/requests/${id}/people/child/${person.id}/remove`)
  assert.equal((await peopleOf(id)).length, 0)
})

test('a child cannot be changed through the adult page, nor an adult through the child page', async () => {
  const id = await startDraft(southendAgent)
  const nhsNumber = newNhsNumber()
  await addChild(southendAgent, id, child({ givenName: 'Noah', nhsNumber }))
  await addAdult(southendAgent, id)
  const [childRow, adultRow] = await peopleOf(id)
  assert.equal(childRow?.kind, 'child')
  assert.equal(adultRow?.kind, 'adult')

  assert.equal((await southendAgent.get(`/requests/${id}/people/adult/${childRow.id}`)).statusCode, 404, 'the child is not an adult')
  const asAdult = await southendAgent.post(`/requests/${id}/people/adult/${childRow.id}`, { givenName: 'Noah', familyName: childRow.family_name, livesWithFamily: 'yes' })
  assert.equal(asAdult.statusCode, 404, 'the adult page cannot rewrite a child')
  const asChild = await southendAgent.post(`/requests/${id}/people/child/${adultRow.id}`, child({ givenName: 'Sarah', familyName: adultRow.family_name }))
  assert.equal(asChild.statusCode, 404, 'the child page cannot rewrite an adult')

  const [childAfter, adultAfter] = await peopleOf(id)
  assert.deepEqual(childAfter, childRow, 'the child keeps their date of birth, NHS number and details')
  assert.deepEqual(adultAfter, adultRow)
})

test('sending the same draft twice at once (a double click) sends it once, with one reference', async () => {
  const id = await completeDraft(southendAgent)
  const responses = await Promise.all(Array.from({ length: 6 }, () => southendAgent.post(`/requests/${id}/submit`)))
  assert.deepEqual(responses.map((r) => r.statusCode), [303, 303, 303, 303, 303, 303])
  const row = (await requestRow(id))!
  assert.equal(row.status, 'submitted')
  const submitted = (await auditFor(id)).filter((e) => e.action === 'request-submitted')
  assert.equal(submitted.length, 1, 'sent once')
  assert.equal((submitted[0]?.detail as { reference?: string }).reference, row.reference, 'the reference the referrer was told is the one kept')

  // No number was used up by the second click: the next request follows on.
  const next = await completeDraft(southendAgent)
  await submit(southendAgent, next)
  const number = (reference: string | null) => Number((reference ?? '').split('-')[2])
  assert.equal(number((await requestRow(next))!.reference), number(row.reference) + 1)
})

test('every adult is related to every child before the request can be sent, even a child added after them', async () => {
  const id = await startDraft(southendAgent)
  for (const [section, form] of Object.entries(SECTIONS)) await saveSection(southendAgent, id, section, form)
  // The adult first, while there are no children to relate them to; then a child.
  await addAdult(southendAgent, id)
  await addChild(southendAgent, id, child({ givenName: 'Zara' }))
  const [zara, adult] = await peopleOf(id)
  assert.equal(zara?.kind, 'child')
  assert.deepEqual((adult?.details as { relationships?: Record<string, string> }).relationships, {}, 'the adult has no relationship to Zara yet')

  const taskList = text((await southendAgent.get(`/requests/${id}`)).body)
  assert.match(taskList, /You have completed 8 of 9 sections/, 'the adults are not complete without their relationship to Zara')
  const refused = await southendAgent.post(`/requests/${id}/submit`)
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(errorSummary(refused.body).map((e) => e.text), ['Complete “Parents, carers and other adults”'])
  assert.equal((await requestRow(id))!.status, 'draft')

  // Saying how they are related completes it.
  await southendAgent.post(`/requests/${id}/people/adult/${adult?.id}`, { givenName: 'Sarah', familyName: adult?.family_name ?? '', livesWithFamily: 'yes', [`relationship-${zara?.id}`]: 'Aunt' })
  await submit(southendAgent, id)
})

test('the priority form asks for a telephone number the front door can call back', async () => {
  const before = await ctx.db.system.selectFrom('requests').select('id').where('referrer_account_id', '=', essex.id).execute()
  const response = await essexAgent.post('/requests/priority', { childName: 'Ava Stone', address: 'The park', postcode: 'CM1 1AA', happening: 'Hurt', phone: 'call me' })
  assert.equal(response.statusCode, 400)
  assert.deepEqual(errorSummary(response.body).map((e) => e.href), ['#phone'])
  assert.equal(inputValue(response.body, 'phone'), 'call me')
  const after = await ctx.db.system.selectFrom('requests').select('id').where('referrer_account_id', '=', essex.id).execute()
  assert.equal(after.length, before.length, 'nothing was sent')
})
