import type { Locator, Page } from 'playwright-core'

/** Runs an action that loads a new document (a link, a form) and waits until that document has loaded. */
export async function navigates(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()])
}

/** Reads a locator's visible text with whitespace collapsed. */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim()
}

/** What every page shares: the header, the service navigation, the error summary, banners and footer. */
export class Layout {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  get header(): Locator {
    return this.page.getByRole('banner')
  }

  /** The authority (or "Early help" before sign-in) named in the header, linking to the start. */
  authorityLink(name: string): Locator {
    return this.header.getByRole('link', { name, exact: true })
  }

  /** The service navigation: "Menu" is GOV.UK Frontend's name for it. */
  get navigation(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu' })
  }

  /** On narrow screens, with JavaScript, the navigation sits behind this button. */
  get menuButton(): Locator {
    return this.page.getByRole('button', { name: 'Menu' })
  }

  /** The text of each navigation link, in order (the sign-out button is not a link). */
  async navigationLinks(): Promise<string[]> {
    if ((await this.navigation.count()) === 0) return []
    const links = await this.navigation.getByRole('link').all()
    return Promise.all(links.map((link) => textOf(link)))
  }

  async navigateTo(text: string): Promise<void> {
    await navigates(this.page, () => this.navigation.getByRole('link', { name: text, exact: true }).click())
  }

  get signOutButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign out' })
  }

  async signOut(): Promise<void> {
    await navigates(this.page, () => this.signOutButton.click())
  }

  get errorSummary(): Locator {
    return this.page.getByRole('alert').filter({ has: this.page.getByRole('heading', { name: 'There is a problem' }) })
  }

  async errorMessages(): Promise<string[]> {
    const links = await this.errorSummary.getByRole('link').all()
    return Promise.all(links.map((link) => textOf(link)))
  }

  /** Whether the error summary (the element around its alert) has focus, as GOV.UK Frontend gives it. */
  async errorSummaryHasFocus(): Promise<boolean> {
    await this.page.waitForFunction(() => document.activeElement !== document.body, undefined, { timeout: 2_000 }).catch(() => undefined)
    return this.errorSummary.evaluate((alert) => !!alert.parentElement && alert.parentElement === document.activeElement)
  }

  /** Follows one error summary link (GOV.UK Frontend then focuses its field). */
  async followError(message: string): Promise<void> {
    await this.errorSummary.getByRole('link', { name: message }).click()
  }

  /** A GOV.UK success banner ("Success"), which is announced as an alert. */
  get successBanner(): Locator {
    return this.page.getByRole('alert', { name: 'Success' })
  }

  /** A GOV.UK information banner ("Important"), a landmark region. */
  get importantBanner(): Locator {
    return this.page.getByRole('region', { name: 'Important' })
  }

  get footer(): Locator {
    return this.page.getByRole('contentinfo')
  }

  /** GOV.UK branding this council service must never show: the crown logo or the GOV.UK name. */
  async govukBranding(): Promise<string[]> {
    const found: string[] = []
    if (await this.page.getByRole('img', { name: /GOV\.?UK/i }).count()) found.push('an image named GOV.UK (the crown logo)')
    if (await this.page.getByRole('link', { name: /GOV\.?UK/i }).count()) found.push('a link named GOV.UK')
    // Prose may name the GOV.UK Design System; the logotype is the bare word.
    if (await this.page.getByText('GOV.UK', { exact: true }).count()) found.push('the text "GOV.UK" on its own (the logotype)')
    if (/GOV\.UK/.test(await this.page.title())) found.push(`the title "${await this.page.title()}"`)
    const icons = await this.page.evaluate(() =>
      Array.from(document.querySelectorAll('link[rel~="icon"], link[rel="apple-touch-icon"], link[rel="mask-icon"], link[rel="manifest"], meta[property="og:image"]'))
        .map((el) => el.getAttribute('href') ?? el.getAttribute('content') ?? '')
        .filter((href) => /govuk|crown|manifest/i.test(href)),
    )
    found.push(...icons.map((href) => `a GOV.UK icon or manifest in the head: ${href}`))
    return found
  }
}
