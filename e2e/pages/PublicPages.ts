import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

/** The start page, which anyone may see. */
export class StartPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/')
    return this
  }

  get startButton(): Locator {
    return this.page.getByRole('button', { name: 'Sign in' }).or(this.page.getByRole('link', { name: 'Sign in' }))
  }

  async start(): Promise<void> {
    await navigates(this.page, () => this.startButton.click())
  }
}

/** The footer's pages (cookies, accessibility statement) and error pages: a heading and prose. */
export class ContentPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async followFooterLink(name: string): Promise<void> {
    await navigates(this.page, () => this.footer.getByRole('link', { name, exact: true }).click())
  }
}
