import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { expectNoAxeViolations } from './support/axe.ts'
import { launchBrowser, newContext, screenshot } from './support/browser.ts'
import { horizontalOverflow, REFLOW_VIEWPORT } from './support/reflow.ts'
import { DEMO_PASSWORD, SERVICE_NAME, startServer, type E2EServer } from './support/server.ts'
import { HomePage } from './pages/HomePage.ts'
import { ContentPage, StartPage } from './pages/PublicPages.ts'
import { SignInPage } from './pages/SignInPage.ts'
import { Layout, textOf } from './pages/layout.ts'

const SESSION_COOKIE = '__Host-eh-session'
const CSRF_COOKIE = '__Host-eh-csrf'

/** Checks a page as a visitor sees it: no axe violations, no GOV.UK branding, and a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page)
  assert.deepEqual(await new Layout(page).govukBranding(), [], `no GOV.UK branding on ${name}`)
  await screenshot(page, name)
}

describe('pages anyone can see', () => {
  let server: E2EServer
  let browser: Browser

  before(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('the start page leads to sign in', async () => {
    const context = await newContext(browser, server.baseURL)
    try {
      const page = await context.newPage()
      const start = await new StartPage(page).goto()
      assert.equal(await textOf(start.heading), 'Help children and families early')
      assert.equal(await start.authorityLink(SERVICE_NAME).count(), 1, 'the header names the service before anyone signs in')
      assert.deepEqual(await start.navigationLinks(), [])
      assert.match(await textOf(page.getByRole('main')), /Essex County Council/)
      assert.match(await textOf(page.getByRole('main')), /Southend-on-Sea City Council/)
      await check(page, 'public-start')

      // The first Tab reaches GOV.UK's skip link, which moves focus to the main content.
      await page.keyboard.press('Tab')
      const skip = page.getByRole('link', { name: 'Skip to main content' })
      assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the skip link is the first thing focused')
      await page.keyboard.press('Enter')
      assert.ok(await page.getByRole('main').evaluate((el) => el === document.activeElement), 'the skip link moves focus to the main content')

      await start.start()
      assert.equal(new URL(page.url()).pathname, '/sign-in')
    } finally {
      await context.close()
    }
  })

  test('the sign-in page, its error states, and Chromium keeping the __Host- cookies on http://localhost', async () => {
    const context = await newContext(browser, server.baseURL)
    try {
      const page = await context.newPage()
      const signIn = await new SignInPage(page).goto()
      assert.equal(await textOf(signIn.heading), 'Sign in')
      assert.equal(await signIn.demonstrationAccounts.count(), 1, 'demonstration accounts are listed outside production')
      await check(page, 'public-sign-in')

      // The form token cookie must survive, or no form in the service could be sent.
      const before = await context.cookies()
      const csrf = before.find((c) => c.name === CSRF_COOKIE)
      assert.ok(csrf, `Chromium kept the ${CSRF_COOKIE} cookie: ${JSON.stringify(before)}`)
      assert.equal(csrf.secure, true)
      assert.equal(csrf.httpOnly, true)
      assert.equal(csrf.path, '/')

      await signIn.submitWith('', '')
      assert.match(await page.title(), /^Error: Sign in/)
      assert.deepEqual(await signIn.errorMessages(), ['Enter your email address', 'Enter your password'])
      assert.ok(await signIn.errorSummaryHasFocus(), 'the error summary takes focus')
      await signIn.followError('Enter your email address')
      assert.ok(await signIn.email.evaluate((el) => el === document.activeElement), 'the summary link moves focus to the email field')
      await check(page, 'public-sign-in-errors')

      await signIn.submitWith('practitioner@essex.example', 'not the password')
      assert.deepEqual(await signIn.errorMessages(), ['Enter a correct email address and password'])
      assert.equal(await signIn.email.inputValue(), 'practitioner@essex.example', 'the email typed is kept')
      assert.equal(await signIn.password.inputValue(), '', 'the password is not sent back')
      await expectNoAxeViolations(page)

      await signIn.submitWith('practitioner@essex.example', DEMO_PASSWORD)
      assert.equal(new URL(page.url()).pathname, '/home')
      const session = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)
      assert.ok(session, `Chromium kept the ${SESSION_COOKIE} cookie`)
      assert.equal(session.secure, true)
      assert.equal(session.httpOnly, true)
      assert.equal(session.sameSite, 'Lax')
      assert.equal(session.expires, -1, 'a session cookie, gone when the browser closes')

      // Signed in, the start page and the sign-in page send the person home.
      await page.goto('/')
      assert.equal(new URL(page.url()).pathname, '/home')
      await page.goto('/sign-in')
      assert.equal(new URL(page.url()).pathname, '/home')

      await new HomePage(page).signOut()
      assert.equal(await signIn.signedOutBanner.count(), 1)
      assert.equal((await context.cookies()).find((c) => c.name === SESSION_COOKIE), undefined, 'the session cookie is gone')
      await check(page, 'public-signed-out')
    } finally {
      await context.close()
    }
  })

  test('a page behind sign-in sends a visitor to sign in, then back to it', async () => {
    const context = await newContext(browser, server.baseURL)
    try {
      const page = await context.newPage()
      await page.goto('/admin/organisations?status=all')
      const url = new URL(page.url())
      assert.equal(url.pathname, '/sign-in')
      assert.equal(url.searchParams.get('returnTo'), '/admin/organisations?status=all')
      await new SignInPage(page).submitWith('administrator@southend.example', DEMO_PASSWORD)
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/admin/organisations?status=all')
    } finally {
      await context.close()
    }
  })

  test('the cookies page, the accessibility statement and the page-not-found page', async () => {
    const context = await newContext(browser, server.baseURL)
    try {
      const page = await context.newPage()
      await new StartPage(page).goto()
      const content = new ContentPage(page)

      await content.followFooterLink('Cookies')
      assert.equal(new URL(page.url()).pathname, '/cookies')
      assert.equal(await textOf(content.heading), 'Cookies')
      const cookies = page.getByRole('table', { name: 'Cookies this service uses' })
      assert.equal(await cookies.getByRole('rowheader', { name: SESSION_COOKIE }).count(), 1)
      assert.equal(await cookies.getByRole('rowheader', { name: CSRF_COOKIE }).count(), 1)
      await check(page, 'public-cookies')

      await content.followFooterLink('Accessibility statement')
      assert.equal(new URL(page.url()).pathname, '/accessibility')
      assert.equal(await textOf(content.heading), 'Accessibility statement')
      await check(page, 'public-accessibility')

      const response = await page.goto('/no-such-page')
      assert.equal(response?.status(), 404)
      assert.equal(await textOf(content.heading), 'Page not found')
      assert.equal(await page.title(), `Page not found – ${SERVICE_NAME}`)
      await check(page, 'public-not-found')
    } finally {
      await context.close()
    }
  })

  test('the checks themselves catch an accessibility violation and GOV.UK branding', async () => {
    const context = await newContext(browser, server.baseURL)
    try {
      const page = await context.newPage()
      await page.goto('/cookies')
      await page.evaluate(() => {
        const main = document.querySelector('main')
        main?.insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled"><svg role="img" aria-label="GOV.UK"></svg>')
      })
      await assert.rejects(expectNoAxeViolations(page), /label \(critical\)[\s\S]*#unlabelled/)
      assert.deepEqual(await new Layout(page).govukBranding(), ['an image named GOV.UK (the crown logo)'])
    } finally {
      await context.close()
    }
  })

  test('with JavaScript off, a person can sign in (errors included) and sign out', async () => {
    const context = await newContext(browser, server.baseURL, { javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const start = await new StartPage(page).goto()
      assert.equal(await page.evaluate(() => document.body.classList.contains('js-enabled')).catch(() => false), false)
      await start.start()

      const signIn = new SignInPage(page)
      await signIn.submitWith('duty-manager@southend.example', '')
      assert.deepEqual(await signIn.errorMessages(), ['Enter your password'])
      await signIn.followError('Enter your password')
      assert.equal(new URL(page.url()).hash, '#password', 'without JavaScript the summary links to the field')
      await screenshot(page, 'public-sign-in-errors-no-js')

      await signIn.submitWith('duty-manager@southend.example', DEMO_PASSWORD)
      assert.equal(new URL(page.url()).pathname, '/home')
      const home = new HomePage(page)
      assert.equal(await textOf(home.heading), await server.nameOf('duty-manager@southend.example'))
      assert.equal(await home.authorityLink('Southend-on-Sea City Council').count(), 1)
      assert.deepEqual(await home.navigationLinks(), ['Home', 'Front door queue', 'Children and Family Panel', 'Consultation Line log', 'Keep-in-touch calls', 'Families'])
      await screenshot(page, 'home-no-js')

      await home.signOut()
      assert.equal(new URL(page.url()).pathname, '/sign-in')
      assert.equal(await signIn.signedOutBanner.count(), 1, 'sees "You have signed out"')
      await page.goto('/home')
      assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out for real')
    } finally {
      await context.close()
    }
  })

  test('at 320 CSS pixels wide (WCAG 1.4.10 Reflow) no public page scrolls sideways', async () => {
    const context = await newContext(browser, server.baseURL, { viewport: REFLOW_VIEWPORT })
    try {
      const page = await context.newPage()
      const problems: string[] = []
      for (const [path, name] of [
        ['/', 'narrow-start'],
        ['/sign-in', 'narrow-sign-in'],
        ['/cookies', 'narrow-cookies'],
        ['/accessibility', 'narrow-accessibility'],
        ['/no-such-page', 'narrow-not-found'],
      ] as const) {
        await page.goto(path)
        await screenshot(page, name)
        const overflow = await horizontalOverflow(page)
        if (overflow) problems.push(`${path}: ${overflow}`)
      }
      assert.deepEqual(problems, [])
    } finally {
      await context.close()
    }
  })
})
