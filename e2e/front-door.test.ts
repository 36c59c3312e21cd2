import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startRequest, saveSection, savePerson, submitRequest } from '../src/features/requests/service.ts'
import { frameworkById } from '../src/frameworks/index.ts'
import type { Actor } from '../src/platform/audit/audit.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { DEMO_PASSWORD, startServer, type E2EServer } from './support/server.ts'
import { FrontDoorQueuePage, TriageRequestPage } from './pages/FrontDoorPages.ts'
import { HomePage } from './pages/HomePage.ts'
import {
  CheckAnswersPage,
  MyRequestsPage,
  NewRequestPage,
  PersonPage,
  PriorityRequestPage,
  RequestSectionPage,
  RequestSentPage,
  SentRequestPage,
  TaskListPage,
  type Address,
  type Child,
} from './pages/RequestPages.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { Layout, textOf } from './pages/layout.ts'

/**
 * The front door in the browser, as the demonstration accounts use it: a practitioner asks for
 * support, the duty manager finds the family's earlier request, confirms it, decides, and the
 * practitioner sees the outcome; a priority request jumps the queue; and Essex does the same in
 * its own words. axe checks every page visited.
 */

const southend = frameworkById('southend')!
const essex = frameworkById('essex')!
const indicator = (id: string) => southend.indicatorDomains.flatMap((d) => d.indicators).find((i) => i.id === id)?.text ?? id
const difficulty = (id: string) => essex.familySolutions?.difficulties.find((d) => d.id === id)?.text ?? id
const outcomeName = (framework: typeof southend, id: string) => framework.triageOutcomes.find((o) => o.id === id)?.name ?? id
const levelLabel = (framework: typeof southend, level: number) => `Level ${level}: ${framework.levels.find((l) => l.level === level)?.name}`

/** Checks a page as the person sees it: no axe violations, and a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page)
  await screenshot(page, `front-door-${name}`)
}

async function signedIn(browser: Browser, server: E2EServer, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, server.baseURL)
  const page = await context.newPage()
  const signIn = await new SignInPage(page).goto()
  await expectNoAxeViolations(page)
  await signIn.submitWith(email, DEMO_PASSWORD)
  assert.equal(new URL(page.url()).pathname, '/home', `${email} is signed in`)
  await expectNoAxeViolations(page)
  return { context, page }
}

interface Family {
  child: Child
  parent: { givenName: string; familyName: string; relationship: string }
  address: Address
  needs: string[]
  levelAskedFor: string
}

/** The practitioner's whole journey, from their home page to the sent page; returns the reference. */
async function askForSupport(page: Page, family: Family, name: string): Promise<string> {
  await navigatesFromHome(page)
  const question = new NewRequestPage(page)
  assert.equal(await textOf(question.heading), 'Is a child at immediate risk of significant harm?')
  await check(page, `${name}-immediate-risk`)
  await question.answer('No')

  const tasks = new TaskListPage(page)
  assert.match(await tasks.progress(), /You have completed 0 of 9 sections/)
  await check(page, `${name}-task-list`)
  const section = new RequestSectionPage(page)
  const person = new PersonPage(page)
  const childName = `${family.child.givenName} ${family.child.familyName}`
  const steps: [string, () => Promise<void>][] = [
    ['Your contact details', () => section.referrer('01632 960 001')],
    ['Children', () => person.child(family.child)],
    ['Parents, carers and other adults', () => person.adult({ ...family.parent, relationships: { [childName]: family.parent.relationship } })],
    ['Address and communication', () => section.address(family.address)],
    ['Worries', () => section.worries('We are struggling since we lost the flat.', `${family.child.givenName} is often hungry, anxious and in trouble at school.`)],
    ['Indicators of need', () => section.needs(family.needs)],
    ['Support asked for and what has been tried', () => section.support(family.levelAskedFor, 'An Early Help Plan since the spring: attendance rose, then fell again.')],
    ['Strengths and views', () => section.strengths({ strengths: 'A loving mum and a supportive grandmother.', child: 'Wants to stay at her school.', parents: 'Mum wants help with money and routines.' })],
    ['Consent', () => section.consentGiven()],
  ]
  for (const [i, [task, fill]] of steps.entries()) {
    await tasks.open(task)
    await check(page, `${name}-section-${i + 1}`)
    await fill()
    assert.equal(await tasks.status(task), 'Completed', `${task} is done`)
    await check(page, `${name}-task-list-${i + 1}`)
  }
  assert.match(await tasks.progress(), /You have completed 9 of 9 sections/)

  await tasks.checkAndSend()
  const answers = new CheckAnswersPage(page)
  assert.equal(await textOf(answers.heading), 'Check your answers before sending')
  assert.ok((await textOf(answers.main)).includes(childName))
  await check(page, `${name}-check`)
  await answers.send()

  const sent = new RequestSentPage(page)
  assert.match(await textOf(sent.panel), /Request for support sent/)
  const reference = await sent.reference()
  assert.match(await textOf(sent.main), /The front door will tell you its decision, and why, by \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)/)
  await check(page, `${name}-sent`)
  return reference
}

async function navigatesFromHome(page: Page): Promise<void> {
  const home = await new HomePage(page).goto()
  await expectNoAxeViolations(page)
  await home.navigateTo('Requests for support')
  const list = new MyRequestsPage(page)
  await expectNoAxeViolations(page)
  await list.askForSupport()
}

describe('the front door, from the practitioner’s request to the duty manager’s decision', () => {
  let server: E2EServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  let earlierReference = ''

  const SOUTHEND_CHILD: Child = {
    givenName: 'Maya',
    familyName: 'Thornbury',
    born: ['14', '5', '2016'],
    sex: 'Female',
    ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British',
    nhsNumber: '943 476 5919',
    school: 'Seaview Academy',
  }

  before(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
    // A month ago the school asked for support for Maya: her earlier request, sent through the
    // same services the journey uses, into the same database.
    const account = await server.ctx.db.system.selectFrom('accounts').select(['id', 'tenant_id']).where('email', '=', 'practitioner@southend.example').executeTakeFirstOrThrow()
    const actor: Actor = { accountId: account.id, tenantId: account.tenant_id, role: 'practitioner', ip: null, requestId: null }
    const db = server.ctx.db
    const id = await startRequest(db, actor, '01632 960 001')
    await saveSection(db, actor, id, 'address', { line1: '4 Old Lane', line2: undefined, town: 'Southend-on-Sea', postcode: 'SS2 5PP', communication: undefined, interpreter: 'no', language: undefined })
    await saveSection(db, actor, id, 'worries', { familyWords: 'Money is tight.', referrerWords: 'Maya is often late.' })
    await saveSection(db, actor, id, 'needs', { indicators: ['learning-punctuality-absence'], vulnerabilities: [], difficulties: [] })
    await saveSection(db, actor, id, 'support', { levelAskedFor: '2', triedAlready: undefined })
    await saveSection(db, actor, id, 'strengths', { strengths: 'Close to her mum.', childViews: 'Likes school.', parentViews: 'Want help.' })
    await saveSection(db, actor, id, 'consent', { significantHarm: 'no', consentGiven: 'yes', consentRiskDetail: undefined })
    await savePerson(db, actor, id, null, { kind: 'child', givenName: 'Maya', familyName: 'Thornbury', dateOfBirth: '2016-05-14', dueDate: null, nhsNumber: '9434765919', details: { sex: 'female' } })
    const maya = await db.system.selectFrom('request_people').select('id').where('request_id', '=', id).executeTakeFirstOrThrow()
    await savePerson(db, actor, id, null, { kind: 'adult', givenName: 'Kerry', familyName: 'Thornbury', dateOfBirth: null, dueDate: null, nhsNumber: null, details: { relationships: { [maya.id]: 'Mother' } } })
    const sent = await submitRequest(db, actor, id, new Date(Date.now() - 30 * 24 * 60 * 60 * 1000))
    assert.ok(sent.ok)
    earlierReference = sent.reference
  })

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
  })

  async function person(email: string): Promise<Page> {
    const { context, page } = await signedIn(browser, server, email)
    contexts.push(context)
    return page
  }

  test('Southend: three presenting issues, the earlier request confirmed, intensive support decided, and the practitioner told', async () => {
    const practitioner = await person('practitioner@southend.example')
    const family: Family = {
      child: SOUTHEND_CHILD,
      parent: { givenName: 'Kerry', familyName: 'Thornbury', relationship: 'Mother' },
      address: { line1: '12 Marine Parade', town: 'Southend-on-Sea', postcode: 'ss1 2aa' },
      needs: [indicator('health-inadequate-diet'), indicator('emotional-family-relationships'), indicator('behaviour-impact-on-others')],
      levelAskedFor: levelLabel(southend, 3),
    }
    const reference = await askForSupport(practitioner, family, 'southend')
    assert.match(reference, /^SOU-\d{4}-\d{5}$/)
    assert.notEqual(reference, earlierReference)

    // The duty manager's queue: the request, its clocks, and nobody looking at it yet.
    const manager = await person('duty-manager@southend.example')
    await new Layout(manager).navigateTo('Front door queue')
    const queue = new FrontDoorQueuePage(manager)
    await check(manager, 'southend-queue')
    const row = await queue.cells(reference)
    assert.equal(row.children, 'Maya Thornbury')
    assert.equal(row.from, 'Seaview Academy (demonstration)')
    assert.match(row.acknowledgement, /^(On time|Due soon) – .* left$/)
    assert.match(row.decision, /^(On time|Due soon) – .* left$/)
    assert.equal(row.lookedAtBy, 'Nobody')
    assert.match((await queue.cells(earlierReference)).decision, /^Overdue by /, 'the month-old request is overdue')

    await queue.open(reference)
    const request = new TriageRequestPage(manager)
    assert.equal(await textOf(request.heading), reference)
    const suggestion = await textOf(request.suggestion)
    assert.ok(suggestion.startsWith(`Level 3: ${southend.levels[2]?.name}`), suggestion)
    assert.match(suggestion, /3 presenting issues/)
    for (const domain of ['Health', 'Emotional Development', 'Behavioural Development']) assert.ok(suggestion.includes(domain), domain)
    const earlier = await textOf(request.earlierRecord('Maya', earlierReference))
    assert.match(earlier, /Same NHS number/)
    assert.match(earlier, /Within 12 months/)
    assert.equal(await request.reReferralWarning.count(), 0, 'no warning until the match is confirmed')
    await check(manager, 'southend-request')

    // Whoever opens it is shown in the queue.
    const officer = await person('front-door-officer@southend.example')
    const officerQueue = await new FrontDoorQueuePage(officer).goto()
    assert.match((await officerQueue.cells(reference)).lookedAtBy, new RegExp(`^${await server.nameOf('duty-manager@southend.example')} since `))
    await check(officer, 'southend-queue-looked-at')

    await request.confirmMatch('Maya', earlierReference)
    assert.match(await textOf(request.earlierRecord('Maya', earlierReference)), /Confirmed/)
    assert.match(await textOf(request.reReferralWarning), /Re-referral: someone in this family was the subject of a request in the last 12 months/)
    await check(manager, 'southend-request-match-confirmed')

    const reason = 'Three presenting issues across health, relationships and behaviour; the Early Help Plan has not been enough.'
    await request.decide({ outcome: outcomeName(southend, 'intensive-support'), team: 'EHFS Intensive Support, East', leadProfessional: 'family-support-worker@southend.example', level: levelLabel(southend, 3), reason })
    assert.match(await textOf(request.successBanner), new RegExp(`Decided: ${outcomeName(southend, 'intensive-support')}, level 3`))
    assert.equal(await request.decisionButton.count(), 0, 'decided once')
    await check(manager, 'southend-request-decided')

    // The practitioner hears back.
    const list = await new MyRequestsPage(practitioner).goto()
    assert.equal(await textOf(list.heading), 'Your requests for support')
    assert.equal(await list.outcome(reference), `Decided ${outcomeName(southend, 'intensive-support')}, level 3`)
    await check(practitioner, 'southend-my-requests')
    await list.open(reference)
    const mine = new SentRequestPage(practitioner)
    assert.equal(await textOf(mine.detail('Outcome')), outcomeName(southend, 'intensive-support'))
    assert.equal(await textOf(mine.detail('Level of need')), 'Level 3')
    assert.equal(await textOf(mine.detail('Why')), reason)
    assert.match(await textOf(practitioner.getByRole('main')), new RegExp(`Allocated to EHFS Intensive Support, East, with ${await server.nameOf('family-support-worker@southend.example')} as Lead Professional\\.`))
    await check(practitioner, 'southend-my-request-decided')
  })

  test('a priority request jumps the queue', async () => {
    const practitioner = await person('practitioner@southend.example')
    await new HomePage(practitioner).goto()
    await navigatesFromHome(practitioner)
    const question = new NewRequestPage(practitioner)
    await expectNoAxeViolations(practitioner)
    await question.answer('Yes')

    const priority = new PriorityRequestPage(practitioner)
    assert.equal(await textOf(priority.heading), 'Telephone the front door now')
    assert.ok((await textOf(priority.main)).includes(southend.frontDoor.priorityLine?.name ?? '?'), 'Southend’s priority route is named')
    await check(practitioner, 'priority-form')
    await priority.send({ childName: 'Ruby Castell', address: '22 Pier Hill, Southend-on-Sea', postcode: 'SS1 1EE', happening: 'Ruby says she was hit last night and will not go home.', phone: '01632 960 004' })

    const sent = new RequestSentPage(practitioner)
    const reference = await sent.reference()
    assert.match(await textOf(sent.main), /This is a priority request/)
    await check(practitioner, 'priority-sent')

    const officer = await person('front-door-officer@southend.example')
    await new Layout(officer).navigateTo('Front door queue')
    const queue = new FrontDoorQueuePage(officer)
    const references = await queue.references()
    assert.equal(references[0], reference, 'the priority request is first')
    assert.ok(references.includes(earlierReference), 'above an older request still waiting')
    assert.match((await queue.cells(reference)).request, /Priority/)
    await check(officer, 'priority-queue')
    await queue.open(reference)
    const request = new TriageRequestPage(officer)
    assert.ok((await textOf(request.suggestion)).startsWith(`Level 4: ${southend.levels[3]?.name}`))
    assert.match(await textOf(request.main), /Ruby says she was hit last night and will not go home\./)
    assert.equal(await request.decisionButton.count(), 0, 'a front door officer does not decide')
    await check(officer, 'priority-request')
  })

  test('Essex: the same journey in Essex’s words, with Family Solutions', async () => {
    const practitioner = await person('practitioner@essex.example')
    const family: Family = {
      child: { givenName: 'Leo', familyName: 'Marsden', born: ['2', '11', '2013'], sex: 'Male', ethnicity: 'Mixed or multiple ethnic groups: White and Black Caribbean' },
      parent: { givenName: 'Dawn', familyName: 'Marsden', relationship: 'Mother' },
      address: { line1: '3 Moulsham Street', town: 'Chelmsford', postcode: 'CM2 0JA' },
      needs: [difficulty('no-member-in-work'), difficulty('non-school-attendance')],
      levelAskedFor: levelLabel(essex, 3),
    }
    const reference = await askForSupport(practitioner, family, 'essex')
    assert.match(reference, /^ESS-\d{4}-\d{5}$/)

    const manager = await person('duty-manager@essex.example')
    await new Layout(manager).navigateTo('Front door queue')
    const queue = new FrontDoorQueuePage(manager)
    assert.ok((await queue.references()).includes(reference))
    assert.ok(!(await queue.references()).some((r) => r.startsWith('SOU-')), 'none of Southend’s requests')
    await check(manager, 'essex-queue')
    await queue.open(reference)

    const request = new TriageRequestPage(manager)
    const suggestion = await textOf(request.suggestion)
    assert.ok(suggestion.startsWith(`Level 3: ${essex.levels[2]?.name}`), suggestion)
    assert.match(suggestion, /Family Solutions: eligible \(2 of the 2 or more difficulties needed\)/)
    assert.deepEqual(await request.outcomes(), essex.triageOutcomes.map((o) => o.name), 'the four outcomes in Essex’s words')
    assert.match(await textOf(request.main), /No earlier records found/)
    await check(manager, 'essex-request')

    const reason = 'Two of the Family Solutions difficulties: no one in work and Leo missing school.'
    await request.decide({ outcome: outcomeName(essex, 'intensive-support'), team: 'Family Solutions (Mid quadrant)', leadProfessional: 'family-solutions-worker@essex.example', level: levelLabel(essex, 3), reason })
    assert.match(await textOf(request.successBanner), new RegExp(`Decided: ${outcomeName(essex, 'intensive-support').replace(/[()]/g, '\\$&')}, level 3`))
    await check(manager, 'essex-request-decided')

    const list = await new MyRequestsPage(practitioner).goto()
    assert.equal(await list.outcome(reference), `Decided ${outcomeName(essex, 'intensive-support')}, level 3`)
    await check(practitioner, 'essex-my-requests')
    await list.open(reference)
    const mine = new SentRequestPage(practitioner)
    assert.equal(await textOf(mine.detail('Outcome')), 'Request for support to Family Solutions (level 3 Intensive)')
    assert.equal(await textOf(mine.detail('Why')), reason)
    await check(practitioner, 'essex-my-request-decided')
  })
})
