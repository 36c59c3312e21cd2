import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { saveSection, savePerson, startRequest, submitRequest } from '../src/features/requests/service.ts'
import type { Actor } from '../src/platform/audit/audit.ts'
import { typedDate } from './pages/CaseworkPages.ts'
import { navigates, textOf } from './pages/layout.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { DEMO_PASSWORD, startServer, type E2EServer } from './support/server.ts'

/**
 * The Effective Support Directory in the browser, as issue 5 says: a member of the public finds a
 * parenting service for a 7-year-old in Mid Essex; a duty manager signposts a family to two
 * services at outcome 1 and sets keep-in-touch calls, and the first call is a task when due; an
 * administrator and a service provider keep the directory up to date. axe checks every page.
 */
describe('the Effective Support Directory', () => {
  let server: E2EServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  async function check(page: Page, name: string): Promise<void> {
    await expectNoAxeViolations(page)
    await screenshot(page, `directory-${name}`)
  }

  async function visitor(): Promise<Page> {
    const context = await newContext(browser, server.baseURL)
    contexts.push(context)
    return context.newPage()
  }

  async function person(email: string): Promise<Page> {
    const page = await visitor()
    const signIn = await new SignInPage(page).goto()
    await signIn.submitWith(email, DEMO_PASSWORD)
    assert.equal(new URL(page.url()).pathname, '/home', `${email} is signed in`)
    return page
  }

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
  })

  test('a member of the public finds a parenting service for a 7-year-old in Mid Essex', async () => {
    const page = await visitor()
    await page.goto('/')
    await navigates(page, () => page.getByRole('link', { name: 'Find support for your family' }).click())
    await check(page, 'choose')
    await navigates(page, () => page.getByRole('link', { name: 'Essex County Council' }).click())
    await check(page, 'search')
    await page.getByRole('group', { name: 'Type of support' }).getByRole('checkbox', { name: 'Parenting' }).check()
    await page.getByLabel('Child’s age').fill('7')
    await page.getByLabel('Area').selectOption({ label: 'Mid' })
    await navigates(page, () => page.getByRole('button', { name: 'Apply filters' }).click())
    const results = await textOf(page.locator('main'))
    assert.match(results, /\d+ services? found/)
    assert.match(results, /Mid Essex Positive Parenting Group \(5 to 11s\)/)
    assert.doesNotMatch(results, /Youth Work/, 'only parenting services for a 7-year-old in Mid Essex')
    await check(page, 'results')
    await navigates(page, () => page.getByRole('link', { name: 'Mid Essex Positive Parenting Group (5 to 11s)' }).click())
    const service = await textOf(page.locator('main'))
    assert.match(service, /An eight-week parenting programme/)
    assert.match(service, /01632 960107/)
    assert.match(service, /Wednesday/)
    await check(page, 'service')

    // The same directory is open data.
    const api = await page.request.get('/api/open-referral/services?authority=essex&search=parenting&minimum_age=7&maximum_age=7')
    assert.equal(api.status(), 200)
    assert.equal(api.headers()['access-control-allow-origin'], '*')
    const body = (await api.json()) as { contents: { name: string }[] }
    assert.ok(body.contents.some((s) => s.name === 'Mid Essex Positive Parenting Group (5 to 11s)'))
  })

  test('a duty manager signposts a family to two services at outcome 1 and sets keep-in-touch calls; the first is a task today', async () => {
    // The referrer's request, sent through the service (the front door journey sends one in the browser).
    const account = await server.ctx.db.system.selectFrom('accounts').select(['id', 'tenant_id']).where('email', '=', 'practitioner@southend.example').executeTakeFirstOrThrow()
    const actor: Actor = { accountId: account.id, tenantId: account.tenant_id, role: 'practitioner', ip: null, requestId: null }
    const db = server.ctx.db
    const id = await startRequest(db, actor, '01632 960 001')
    await saveSection(db, actor, id, 'address', { line1: '3 Pier Approach', line2: undefined, town: 'Southend-on-Sea', postcode: 'SS1 2EH', communication: undefined, interpreter: 'no', language: undefined })
    await saveSection(db, actor, id, 'worries', { familyWords: 'Bedtimes are a battle.', referrerWords: 'Mum would like some ideas for routines.' })
    await saveSection(db, actor, id, 'needs', { indicators: [], vulnerabilities: [], difficulties: [] })
    await saveSection(db, actor, id, 'support', { levelAskedFor: '2', triedAlready: undefined })
    await saveSection(db, actor, id, 'strengths', { strengths: 'A close family.', childViews: 'Likes stories.', parentViews: 'Want ideas.' })
    await saveSection(db, actor, id, 'consent', { significantHarm: 'no', consentGiven: 'yes', consentRiskDetail: undefined })
    await savePerson(db, actor, id, null, { kind: 'child', givenName: 'Isla', familyName: 'Moreno', dateOfBirth: '2021-03-09', dueDate: null, nhsNumber: null, details: { sex: 'female' } })
    const isla = await db.system.selectFrom('request_people').select('id').where('request_id', '=', id).executeTakeFirstOrThrow()
    await savePerson(db, actor, id, null, { kind: 'adult', givenName: 'Rosa', familyName: 'Moreno', dateOfBirth: null, dueDate: null, nhsNumber: null, details: { relationships: { [isla.id]: 'Mother' } } })
    const sent = await submitRequest(db, actor, id, new Date())
    assert.ok(sent.ok)

    const manager = await person('duty-manager@southend.example')
    await manager.goto(`/front-door/requests/${id}`)
    await manager.getByRole('group', { name: 'Outcome' }).getByRole('radio').first().check()
    await manager.getByRole('group', { name: 'Level of need' }).getByRole('radio', { name: /^Level 1/ }).check()
    await manager.getByLabel('Reasons for the decision').fill('Universal services and a parenting group will help with routines.')
    await manager.getByLabel('If the level differs from the suggestion, why').fill('No indicators of additional need.').catch(() => undefined)
    await navigates(manager, () => manager.getByRole('button', { name: 'Record the decision and tell the referrer' }).click())
    assert.match(new URL(manager.url()).pathname, new RegExp(`/front-door/requests/${id}/signposting$`), 'outcome 1 goes on to signposting')
    await check(manager, 'signposting')

    for (const [query, service] of [
      ['parenting', /Parenting/i],
      ['children', /Children|Family|Centre/i],
    ] as const) {
      await manager.getByLabel('Search the directory').fill(query)
      await navigates(manager, () => manager.getByRole('button', { name: 'Search', exact: true }).click())
      const card = manager.locator('.govuk-summary-card').filter({ hasText: service }).filter({ has: manager.getByRole('button', { name: /Signpost the family/ }) }).first()
      await navigates(manager, () => card.getByRole('button', { name: /Signpost the family/ }).click())
      await check(manager, `signposted-${query}`)
    }
    const signposts = await server.ctx.db.system.selectFrom('signposts').select('service_id').where('request_id', '=', id).execute()
    assert.equal(signposts.length, 2, 'two services on the family’s record')

    const today = typedDate(new Date())
    const start = manager.getByRole('group', { name: 'Date of the first call' })
    await start.getByLabel('Day').fill(today[0])
    await start.getByLabel('Month').fill(today[1])
    await start.getByLabel('Year').fill(today[2])
    await manager.getByLabel('For how many months?').fill('3')
    await navigates(manager, () => manager.getByRole('button', { name: 'Set up the calls' }).click())
    await check(manager, 'calls-set-up')

    await manager.goto('/front-door/calls')
    const calls = await textOf(manager.locator('main'))
    assert.match(calls, /Isla Moreno/)
    assert.ok(calls.includes(sent.reference))
    await check(manager, 'calls-due')
    await navigates(manager, () => manager.getByRole('link', { name: /record the call to Isla Moreno/ }).click())
    await check(manager, 'call')
    await manager.getByRole('group', { name: 'Did the services meet the family’s need?' }).getByRole('radio').first().check()
    await manager.getByLabel('Note (optional)').fill('Rosa has booked the parenting group.')
    await navigates(manager, () => manager.getByRole('button', { name: 'Save the call' }).click())
    assert.doesNotMatch(await textOf(manager.locator('main')), /Isla Moreno/, 'the call is done and off the list')
    await check(manager, 'call-recorded')
    const due = await server.ctx.db.system.selectFrom('keep_in_touch_calls').select(['status', 'need_met']).where('request_id', '=', id).orderBy('due_on').execute()
    assert.deepEqual(due.map((c) => c.status), ['done', 'due', 'due'], 'the next two calls are due in the coming months')
  })

  test('an administrator keeps the directory up to date; a service provider edits only their own services', async () => {
    const admin = await person('administrator@essex.example')
    await navigates(admin, () => admin.getByRole('link', { name: 'Directory', exact: true }).click())
    assert.match(await textOf(admin.locator('main')), /Needs review/)
    await check(admin, 'editor-list')
    await navigates(admin, () => admin.getByRole('link', { name: 'Mid Essex Positive Parenting Group (5 to 11s)' }).click())
    await check(admin, 'editor-form')
    await admin.getByLabel('Capacity or waiting time (optional)').fill('Two places left on the January course')
    await navigates(admin, () => admin.getByRole('button', { name: 'Save the changes' }).click())
    await check(admin, 'editor-saved')
    const visitorPage = await visitor()
    await visitorPage.goto('/find-support/essex?q=positive+parenting')
    await navigates(visitorPage, () => visitorPage.getByRole('link', { name: 'Mid Essex Positive Parenting Group (5 to 11s)' }).click())
    assert.match(await textOf(visitorPage.locator('main')), /Two places left on the January course/, 'families see the change at once')

    const provider = await person('service-provider@essex.example')
    await navigates(provider, () => provider.getByRole('link', { name: 'Directory', exact: true }).click())
    const own = await textOf(provider.locator('main'))
    assert.match(own, /Mid Essex Positive Parenting Group/)
    assert.doesNotMatch(own, /Family Solutions/, 'another organisation’s service is not theirs to edit')
    await check(provider, 'provider-list')
  })
})
