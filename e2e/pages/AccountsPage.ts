import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

export class AccountsPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/admin/accounts')
    return this
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Accounts' })
  }

  async addAccount(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Add an account' }).click())
  }

  async find(text: string, status: 'Active' | 'Deactivated' | 'All' = 'Active'): Promise<void> {
    await this.page.getByLabel('Name or email').fill(text)
    await this.page.getByLabel('Status').selectOption({ label: status })
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Find accounts' }).click())
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) })
  }

  async open(name: string): Promise<void> {
    await navigates(this.page, () => this.table.getByRole('link', { name, exact: true }).click())
  }
}
