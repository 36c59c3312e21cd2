import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { recordConsultation } from '../src/features/consultations/service.ts'
import type { Actor } from '../src/platform/audit/audit.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { AUTHORITY_NAMES, DEMO_PASSWORD, startServer, type E2EServer } from './support/server.ts'
import { ConsultationLogPage, RecordConsultationPage } from './pages/ConsultationPages.ts'
import { FrontDoorQueuePage, TriageRequestPage } from './pages/FrontDoorPages.ts'
import { StartPage } from './pages/PublicPages.ts'
import { askForHelpYourselfLink, SelfRequestFormPage, SelfRequestSentPage, SelfRequestStartPage, type SelfRequestDetails } from './pages/SelfRequestPages.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { Layout, navigates, textOf } from './pages/layout.ts'

/**
 * A family asks for help themselves, without an account: from the start page to their council's
 * form, its errors, and the reference; the front door then finds the request in its queue marked
 * as the family's own, and the other authority never sees it. The same form is sent with
 * JavaScript turned off. A duty manager records a Consultation Line call. axe checks every page
 * visited and every error state, and each is screenshotted.
 */

/** Checks a page as the person sees it: no axe violations, and a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page)
  await screenshot(page, `self-request-${name}`)
}

/**
 * axe cannot run in a page whose scripts are turned off (it waits on timers that never fire), so a
 * page seen without JavaScript is checked as a copy: its document exactly as the browser holds it,
 * every script taken out, opened at the same address in a page that may run axe. The copy's
 * stylesheets and images come from the server as the original's did. The screenshot is of the
 * original.
 */
async function checkWithoutScripts(page: Page, mirror: Page, name: string): Promise<void> {
  const html = (await page.content()).replace(/<script\b[^>]*>[^]*?<\/script>/gi, '')
  const url = page.url().split('#')[0] ?? ''
  await mirror.unrouteAll()
  await mirror.route(
    (target) => target.href === url,
    (route) => (route.request().isNavigationRequest() ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.continue()),
  )
  await mirror.goto(url, { waitUntil: 'load' })
  assert.equal(await mirror.locator('script').count(), 0, 'the copy runs no scripts of its own')
  assert.equal(await mirror.locator('body.govuk-frontend-supported').count(), 0, 'the copy is as seen without scripts')
  assert.ok(await mirror.evaluate(() => Array.from(document.styleSheets).some((sheet) => sheet.cssRules.length > 0)), 'the copy is styled, so colour contrast is judged')
  await expectNoAxeViolations(mirror)
  await screenshot(page, `self-request-${name}`)
}

/** What `document.activeElement` is, by id (GOV.UK Frontend focuses a field when its error link is followed). */
function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '')
}

/** Every error summary link points at an element on the page. */
async function errorLinksReachFields(page: Page): Promise<string[]> {
  const links = await new Layout(page).errorSummary.getByRole('link').all()
  const targets: string[] = []
  for (const link of links) {
    const href = (await link.getAttribute('href')) ?? ''
    assert.match(href, /^#[\w-]+$/, `an error links to a field: ${href}`)
    assert.equal(await page.locator(href).count(), 1, `${href} is on the page`)
    targets.push(href)
  }
  return targets
}

const REFERENCE_YEAR = new Date().getUTCFullYear()

describe('a family asks for help themselves, and the front door logs a consultation call', () => {
  let server: E2EServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  const people = new Map<string, Page>()

  before(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
    // Two days ago the Southend duty manager took a call; Essex took one too, which Southend never sees.
    const db = server.ctx.db
    for (const [email, callerName, callerOrganisation] of [
      ['duty-manager@southend.example', 'Priya Shah', 'Southend health visiting'],
      ['duty-manager@essex.example', 'Gareth Holt', 'Chelmsford Library'],
    ] as const) {
      const account = await db.system.selectFrom('accounts').select(['id', 'tenant_id']).where('email', '=', email).executeTakeFirstOrThrow()
      const actor: Actor = { accountId: account.id, tenantId: account.tenant_id, role: 'duty_manager', ip: null, requestId: null }
      await recordConsultation(
        db,
        actor,
        { callerName, callerOrganisation, familyNamed: 'no', familyDescription: undefined, concern: 'A toddler who is not talking yet.', advice: 'Speak to the family about the Two Year Progress Check.', requestAdvised: 'no' },
        new Date(Date.now() - 2 * 24 * 60 * 60 * 1000),
      )
    }
  })

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
  })

  /** A demonstration account, signed in once in its own context and kept for later tests. */
  async function person(email: string): Promise<Page> {
    const known = people.get(email)
    if (known) return known
    const context = await newContext(browser, server.baseURL)
    contexts.push(context)
    const page = await context.newPage()
    const who = email.replace(/@(\w+)\.example$/, '-$1')
    const signIn = await new SignInPage(page).goto()
    await check(page, `sign-in-${who}`)
    await signIn.submitWith(email, DEMO_PASSWORD)
    assert.equal(new URL(page.url()).pathname, '/home', `${email} is signed in`)
    await check(page, `home-${who}`)
    people.set(email, page)
    return page
  }

  /** A visitor with no account, in a fresh context. */
  async function visitor(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await newContext(browser, server.baseURL, options)
    contexts.push(context)
    return context.newPage()
  }

  const SOUTHEND_FAMILY: SelfRequestDetails = {
    contactName: 'Lauren Ashworth',
    phone: '07700 900 982',
    email: 'lauren.ashworth@example.com',
    children: [
      { givenName: 'Poppy', familyName: 'Ashworth', born: ['3', '2', '2014'] },
      { givenName: 'Finn', familyName: 'Ashworth', born: ['21', '9', '2019'] },
    ],
    postcode: 'ss2 6ul',
    worries: 'Since their dad left, Poppy will not go to school and Finn has stopped sleeping. I am exhausted.',
    goingWell: 'Their nan helps on Saturdays, and Poppy loves swimming.',
    agree: true,
  }

  test('Southend: a family asks from the start page, corrects the form, gets a reference, and only Southend’s front door sees it', async () => {
    const page = await visitor()

    // The start page invites families in.
    const start = await new StartPage(page).goto()
    assert.equal(await textOf(start.heading), 'Help children and families early')
    await check(page, 'start')
    await navigates(page, () => askForHelpYourselfLink(page).click())
    assert.equal(new URL(page.url()).pathname, '/help')

    const choose = new SelfRequestStartPage(page)
    assert.equal(await textOf(choose.heading), 'Ask for early help for your family')
    assert.deepEqual((await choose.councils()).sort(), [AUTHORITY_NAMES.essex, AUTHORITY_NAMES.southend].sort())
    assert.match(await textOf(page.getByRole('main')), /call the police on 999/)
    await check(page, 'help')
    await choose.choose(AUTHORITY_NAMES.southend!)
    assert.equal(new URL(page.url()).pathname, '/help/southend')

    const form = new SelfRequestFormPage(page)
    assert.equal(await textOf(form.heading), 'Ask for early help for your family')
    assert.equal(await textOf(form.caption), AUTHORITY_NAMES.southend)
    assert.match(await textOf(form.main), /If a child is in danger right now, call the police on 999\./)
    assert.equal(await form.child(1).count(), 1, 'one child asked for at first')
    assert.equal(await form.moreChildren.evaluate((details) => (details as HTMLDetailsElement).open), false, 'more children are tucked away')
    await check(page, 'southend-form')

    // Sent empty: every problem at once, in the page's order, each linked to its field.
    await form.send()
    assert.equal(new URL(page.url()).pathname, '/help/southend')
    assert.match(await page.title(), /^Error: Ask Southend-on-Sea City Council for early help/)
    assert.ok(await form.errorSummaryHasFocus(), 'the error summary takes focus')
    assert.deepEqual(await form.errorMessages(), [
      'Enter your name',
      'Enter a telephone number or an email address, so the front door can contact you',
      'Enter the child’s first name',
      'Enter the child’s last name',
      'Enter the child’s date of birth',
      'Enter your postcode',
      'Enter what you need help with',
      'Select to confirm you agree to the front door using this information',
    ])
    assert.deepEqual(await errorLinksReachFields(page), ['#contactName', '#phone', '#child1-givenName', '#child1-familyName', '#child1-dob-day', '#postcode', '#worries', '#agree'])
    assert.equal(await form.fieldError(form.contactName), 'Enter your name')
    assert.equal(await form.fieldError(form.dateOfBirth(1)), 'Enter the child’s date of birth')
    assert.equal(await form.fieldError(form.agreementGroup), 'Select to confirm you agree to the front door using this information')
    await check(page, 'southend-form-errors')

    await form.followError('Enter the child’s date of birth')
    assert.equal(await focusedId(page), 'child1-dob-day', 'the date of birth’s day takes focus')
    await form.followError('Select to confirm you agree to the front door using this information')
    assert.equal(await focusedId(page), 'agree', 'the agreement takes focus')
    await check(page, 'southend-form-errors-followed')

    // Filled in properly, with a second child under "Add more children".
    await form.fill(SOUTHEND_FAMILY)
    assert.equal(await form.child(2).getByLabel('First name', { exact: true }).inputValue(), 'Finn')
    await check(page, 'southend-form-filled')
    await form.send()

    assert.equal(new URL(page.url()).pathname, '/help/southend/sent')
    const sent = new SelfRequestSentPage(page)
    assert.match(await textOf(sent.panel), /^Request sent Your reference SOU-/)
    const reference = await sent.reference()
    assert.match(reference, new RegExp(`^SOU-${REFERENCE_YEAR}-\\d{5}$`))
    assert.equal(new URL(page.url()).searchParams.get('reference'), reference)
    assert.match(await textOf(sent.main), /What happens next/)
    await check(page, 'southend-sent')

    // Southend's front door officer finds it in the queue, marked as the family's own.
    const officer = await person('front-door-officer@southend.example')
    await new Layout(officer).navigateTo('Front door queue')
    const queue = new FrontDoorQueuePage(officer)
    assert.ok((await queue.references()).includes(reference), `${reference} is in Southend’s queue`)
    const row = await queue.cells(reference)
    assert.equal(row.from, 'The family (self-request)')
    assert.match(row.children, /Poppy Ashworth/)
    assert.match(row.children, /Finn Ashworth/)
    assert.equal(row.lookedAtBy, 'Nobody')
    await check(officer, 'southend-queue')

    await queue.open(reference)
    const request = new TriageRequestPage(officer)
    assert.equal(await textOf(request.heading), reference)
    const main = await textOf(request.main)
    assert.match(main, /Request for support from the family/)
    assert.match(main, /From The family themselves/)
    assert.match(main, /Telephone 07700 900 982/)
    assert.match(main, /Poppy Ashworth \(child, born 3 February 2014\)/)
    assert.match(main, /Finn Ashworth \(child, born 21 September 2019\)/)
    assert.equal(await request.main.getByRole('heading', { name: 'What the family told us', level: 2 }).count(), 1)
    assert.equal(await request.main.getByRole('heading', { name: 'What the referrer told us' }).count(), 0)
    assert.ok(main.includes(SOUTHEND_FAMILY.worries), 'the family’s own words')
    assert.ok(main.includes(SOUTHEND_FAMILY.goingWell!), 'what is going well')
    assert.match(main, /How to contact them Lauren Ashworth, 07700 900 982, lauren\.ashworth@example\.com/)
    assert.equal(await request.decisionButton.count(), 0, 'a front door officer does not decide')
    await check(officer, 'southend-request')
    const requestPath = new URL(officer.url()).pathname

    // Essex's front door officer never sees it: not in the queue, and not at its address.
    const essexOfficer = await person('front-door-officer@essex.example')
    const essexQueue = await new FrontDoorQueuePage(essexOfficer).goto()
    assert.ok(!(await essexQueue.references()).includes(reference), 'not in Essex’s queue')
    assert.ok(!(await essexQueue.references()).some((r) => r.startsWith('SOU-')), 'none of Southend’s requests')
    await check(essexOfficer, 'essex-queue-without-southend')
    const response = await essexOfficer.goto(requestPath)
    assert.equal(response?.status(), 404, 'Southend’s request is not found for Essex')
    assert.ok(!(await textOf(essexOfficer.getByRole('main'))).includes('Ashworth'), 'nothing of the family is shown')
    await check(essexOfficer, 'essex-request-not-found')
  })

  test('Essex: the same form works with JavaScript turned off', async () => {
    const page = await visitor({ javaScriptEnabled: false })
    const mirror = await visitor()
    const choose = await new SelfRequestStartPage(page).goto()
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'GOV.UK Frontend’s scripts are not running')
    await checkWithoutScripts(page, mirror, 'nojs-help')
    await choose.choose(AUTHORITY_NAMES.essex!)
    assert.equal(new URL(page.url()).pathname, '/help/essex')

    const form = new SelfRequestFormPage(page)
    assert.equal(await textOf(form.caption), AUTHORITY_NAMES.essex)
    await checkWithoutScripts(page, mirror, 'nojs-essex-form')

    // A first go with mistakes: a date that does not exist, a half-typed second child, a made-up postcode.
    const family: SelfRequestDetails = {
      contactName: 'Dawn Marsden',
      email: 'dawn.marsden@example.com',
      children: [
        { givenName: 'Leo', familyName: 'Marsden', born: ['30', '2', '2013'] },
        { givenName: 'Isla', familyName: '', born: ['', '', ''] },
      ],
      postcode: 'NOT A CODE',
      worries: 'Leo is being bullied and will not leave his room.',
      agree: true,
    }
    await form.fill(family)
    await form.send()
    assert.match(await page.title(), /^Error: Ask Essex County Council for early help/)
    assert.equal(await form.errorSummary.count(), 1)
    assert.deepEqual(await form.errorMessages(), [
      'The first child’s date of birth must be a real date',
      'Enter the second child’s last name',
      'Enter the second child’s date of birth',
      'Enter a real postcode, like SS1 1AA',
    ])
    assert.deepEqual(await errorLinksReachFields(page), ['#child1-dob-day', '#child2-familyName', '#child2-dob-day', '#postcode'])
    // What was typed is kept, and the second child stays in view.
    assert.equal(await form.contactName.inputValue(), 'Dawn Marsden')
    assert.equal(await form.worries.inputValue(), family.worries)
    assert.ok(await form.agreement.isChecked())
    assert.equal(await form.moreChildren.evaluate((details) => (details as HTMLDetailsElement).open), true, 'the second child is shown')
    assert.equal(await form.childField(2, 'First name').inputValue(), 'Isla')
    assert.equal(await textOf(form.child(1).locator('legend').first()), 'First child')
    await checkWithoutScripts(page, mirror, 'nojs-essex-form-errors')

    // Following an error link without scripts still reaches the field.
    await form.errorSummary.getByRole('link', { name: 'Enter a real postcode, like SS1 1AA' }).click()
    assert.equal(new URL(page.url()).hash, '#postcode')

    await form.fillChild(1, { givenName: 'Leo', familyName: 'Marsden', born: ['28', '2', '2013'] })
    await form.fillChild(2, { givenName: 'Isla', familyName: 'Marsden', born: ['7', '7', '2020'] })
    await form.postcode.fill('cm2 0ja')
    await form.send()

    const sent = new SelfRequestSentPage(page)
    const reference = await sent.reference()
    assert.match(reference, new RegExp(`^ESS-${REFERENCE_YEAR}-\\d{5}$`))
    assert.match(await textOf(sent.main), /Working days are Monday to Friday|contact you/)
    await checkWithoutScripts(page, mirror, 'nojs-essex-sent')

    const officer = await person('front-door-officer@essex.example')
    const queue = await new FrontDoorQueuePage(officer).goto()
    const row = await queue.cells(reference)
    assert.equal(row.from, 'The family (self-request)')
    assert.match(row.children, /Leo Marsden/)
    assert.match(row.children, /Isla Marsden/)
    await check(officer, 'essex-queue')
  })

  test('Southend: the duty manager records a Consultation Line call and it tops the log', async () => {
    const manager = await person('duty-manager@southend.example')
    await new Layout(manager).navigateTo('Consultation Line log')
    const log = new ConsultationLogPage(manager)
    assert.equal(await textOf(log.heading), 'Consultation Line log')
    assert.equal(await textOf(log.caption), 'Duty Manager', 'Southend’s name for its line')
    const earlier = await log.titles()
    assert.equal(earlier.length, 1, 'only Southend’s call')
    assert.match(earlier[0] ?? '', /: Priya Shah, Southend health visiting$/)
    await check(manager, 'consultations-log')

    await log.recordACall()
    const record = new RecordConsultationPage(manager)
    assert.equal(await textOf(record.heading), 'Record a consultation call')
    await check(manager, 'consultation-new')

    // Saved empty: each missing answer, in the page's order.
    await record.save()
    assert.match(await manager.title(), /^Error: Record a consultation call/)
    assert.ok(await record.errorSummaryHasFocus(), 'the error summary takes focus')
    assert.deepEqual(await record.errorMessages(), [
      'Enter the caller’s name',
      'Select yes if the caller named a family',
      'Enter the concern the caller raised',
      'Enter the advice you gave',
      'Select yes if you advised the caller to make a request for support',
    ])
    assert.deepEqual(await errorLinksReachFields(manager), ['#callerName', '#familyNamed', '#concern', '#advice', '#requestAdvised'])
    await check(manager, 'consultation-errors')
    await record.followError('Select yes if the caller named a family')
    assert.equal(await focusedId(manager), 'familyNamed', 'the first radio takes focus')

    // The family was named, but not who they are.
    const call = {
      callerName: 'Sam Okafor',
      callerOrganisation: 'Temple Sutton Primary School',
      familyNamed: 'Yes',
      concern: 'A Year 4 pupil arrives hungry most days and has missed 12 days this term.',
      advice: 'Talk to mum about a request for support, and offer breakfast club meanwhile.',
      requestAdvised: 'Yes',
    } as const
    await record.fill(call)
    await record.save()
    assert.deepEqual(await record.errorMessages(), ['Enter who the family is'])
    assert.equal(await record.callerName.inputValue(), call.callerName, 'what was typed is kept')
    assert.ok(await record.requestAdvised('Yes').isChecked())
    await check(manager, 'consultation-family-missing')

    await record.fill({ familyDescription: 'Kerry Thornbury and her son Jayden, Marine Parade' })
    await record.save()
    assert.equal(new URL(manager.url()).pathname, '/front-door/consultations')
    assert.match(await textOf(log.successBanner), /Consultation call saved/)
    const titles = await log.titles()
    assert.equal(titles.length, 2)
    assert.match(titles[0] ?? '', /^\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm): Sam Okafor, Temple Sutton Primary School$/, 'the new call is at the top')
    assert.match(titles[1] ?? '', /Priya Shah/, 'above the older call')
    assert.deepEqual(await log.call(0), {
      Family: 'Kerry Thornbury and her son Jayden, Marine Parade',
      Concern: call.concern,
      'Advice given': call.advice,
      'Request for support advised': 'Yes',
      'Recorded by': await server.nameOf('duty-manager@southend.example'),
    })
    await check(manager, 'consultations-log-recorded')
  })
})
