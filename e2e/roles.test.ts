import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { ROLE_LABELS } from '../src/domain/roles.ts'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { AUTHORITY_NAMES, DEMO_ACCOUNTS, DEMO_PASSWORD, startServer, type E2EServer } from './support/server.ts'
import { HomePage } from './pages/HomePage.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { Layout, textOf } from './pages/layout.ts'

/** What each role's service navigation offers. */
const NAVIGATION: Record<string, string[]> = {
  administrator: ['Home', 'Directory', 'Accounts', 'Organisations', 'Audit log', 'Break-glass reviews', 'Retention', 'Notifications'],
  practitioner: ['Home', 'Requests for support', 'Families'],
  front_door_officer: ['Home', 'Front door queue', 'Consultation Line log', 'Keep-in-touch calls', 'Families'],
  duty_manager: ['Home', 'Front door queue', 'Children and Family Panel', 'Consultation Line log', 'Keep-in-touch calls', 'Families'],
  early_help_advisor: ['Home', 'Families'],
  team_manager: ['Home', 'Children and Family Panel', 'Families'],
  performance_analyst: ['Home'],
  service_provider: ['Home', 'Directory'],
}

describe('every demonstration account signs in, sees its own home and navigation, and signs out', () => {
  let server: E2EServer
  let browser: Browser

  before(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('there are 16 demonstration accounts: 8 roles in each of 2 authorities', () => {
    assert.equal(DEMO_ACCOUNTS.length, 16)
    assert.deepEqual([...new Set(DEMO_ACCOUNTS.map((a) => a.tenantId))].sort(), ['essex', 'southend'])
  })

  for (const account of DEMO_ACCOUNTS) {
    test(`${account.label} (${account.email})`, async () => {
      const context = await newContext(browser, server.baseURL)
      try {
        const page = await context.newPage()
        const signIn = await new SignInPage(page).goto()
        await signIn.submitWith(account.email, DEMO_PASSWORD)

        assert.equal(new URL(page.url()).pathname, '/home', 'lands on the home page')
        const home = new HomePage(page)
        const name = await server.nameOf(account.email)
        assert.equal(await textOf(home.heading), name, 'their name is the page heading')
        assert.equal(await home.authorityLink(AUTHORITY_NAMES[account.tenantId] ?? '?').count(), 1, "their authority's name is in the header")
        assert.equal(await home.signOutButton.count(), 1)
        assert.ok((await textOf(home.main)).includes(`${ROLE_LABELS[account.role]}, `), 'their role is named above their name')
        assert.equal(await home.authoritySummary.count(), account.role === 'administrator' ? 1 : 0)

        const expected = NAVIGATION[account.role]
        assert.deepEqual(await home.navigationLinks(), expected, 'only their role’s navigation')
        assert.deepEqual(await home.govukBranding(), [], 'no GOV.UK branding')

        await expectNoAxeViolations(page)
        await screenshot(page, `home-${account.tenantId}-${account.role.replaceAll('_', '-')}`)

        if (account.role !== 'administrator') {
          // The navigation is not the only guard: the administration pages do not exist for them.
          const response = await page.goto('/admin/accounts')
          assert.equal(response?.status(), 404)
          assert.equal(await textOf(new Layout(page).heading), 'Page not found')
          await page.goto('/home')
        }

        await home.signOut()
        const signedOut = new SignInPage(page)
        assert.equal(new URL(page.url()).pathname, '/sign-in')
        assert.equal(await signedOut.signedOutBanner.count(), 1, 'sees "You have signed out"')
        assert.equal(await signedOut.signOutButton.count(), 0)
        const back = await page.goto('/home')
        assert.equal(new URL(page.url()).pathname, '/sign-in', `after signing out /home goes to sign in (status ${back?.status()})`)
      } finally {
        await context.close()
      }
    })
  }
})
