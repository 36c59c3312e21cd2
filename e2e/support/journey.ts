import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { loadDemoCasework } from '../../src/demo/demo-casework.ts'
import { SignInPage } from '../pages/SignInPage.ts'
import { expectNoAxeViolations } from './axe.ts'
import { launchBrowser, newContext, screenshot } from './browser.ts'
import { DEMO_PASSWORD, startServer, type E2EServer } from './server.ts'

/** A journey through the demonstration Carter families, as `npm start` loads them. */
export interface CaseworkJourney {
  /** The server, once `before` has run. */
  server(): E2EServer
  /** A new browser, signed in as the demonstration account with this email. */
  person(email: string): Promise<Page>
  /** axe on the page, then a screenshot named `<prefix>-<name>`. */
  check(page: Page, name: string): Promise<void>
}

/**
 * Registers, in the calling `describe`, a server with the demonstration casework loaded and one
 * browser, closed after; each person signs in in a browser context of their own.
 */
export function caseworkJourney(screenshotPrefix: string): CaseworkJourney {
  let server: E2EServer | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []

  before(async () => {
    server = await startServer()
    await loadDemoCasework(server.ctx.db, new Date())
    browser = await launchBrowser()
  })

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
  })

  const started = () => {
    if (!server || !browser) throw new Error('the journey has not started: call this inside a test')
    return { server, browser }
  }

  return {
    server: () => started().server,
    async person(email) {
      const { server, browser } = started()
      const context = await newContext(browser, server.baseURL)
      contexts.push(context)
      const page = await context.newPage()
      const signIn = await new SignInPage(page).goto()
      await signIn.submitWith(email, DEMO_PASSWORD)
      assert.equal(new URL(page.url()).pathname, '/home', `${email} is signed in`)
      return page
    },
    async check(page, name) {
      await expectNoAxeViolations(page)
      await screenshot(page, `${screenshotPrefix}-${name}`)
    },
  }
}
