import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

export class AccountPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  /** The account's id, from the address of its page. */
  get id(): string {
    const match = /\/admin\/accounts\/([0-9a-f-]{36})/.exec(this.page.url())
    if (!match?.[1]) throw new Error(`not on an account page: ${this.page.url()}`)
    return match[1]
  }

  /** The value beside a key in the summary list ("Email address", "Role", "Status"...). */
  detail(key: string): Locator {
    return this.page.getByRole('main').getByRole('term').filter({ hasText: key }).locator('xpath=following-sibling::dd[1]')
  }

  get deactivateButton(): Locator {
    return this.page.getByRole('button', { name: 'Deactivate account' })
  }

  get reactivateButton(): Locator {
    return this.page.getByRole('button', { name: 'Reactivate account' })
  }

  async deactivate(): Promise<void> {
    await navigates(this.page, () => this.deactivateButton.click())
  }

  async openAuditLog(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('link', { name: "See what this account's records show in the audit log" }).click())
  }
}
