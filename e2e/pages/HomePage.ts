import type { Locator, Page } from 'playwright-core'
import { Layout } from './layout.ts'

export class HomePage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/home')
    return this
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  /** The administrator's summary of their authority ("Your authority"), absent for other roles. */
  get authoritySummary(): Locator {
    return this.page.getByRole('heading', { name: 'Your authority' })
  }
}
