import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

export class OrganisationsPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(status?: 'active' | 'inactive' | 'all'): Promise<this> {
    await this.page.goto(status ? `/admin/organisations?status=${status}` : '/admin/organisations')
    return this
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Organisations' })
  }

  async addOrganisation(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Add an organisation' }).click())
  }

  async show(status: 'Active' | 'Deactivated' | 'All'): Promise<void> {
    await this.page.getByRole('group', { name: 'Show' }).getByRole('radio', { name: status, exact: true }).check()
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Show organisations' }).click())
  }

  /** The organisation names listed, from each row's header cell. */
  async names(): Promise<string[]> {
    if ((await this.table.count()) === 0) return []
    const cells = await this.table.getByRole('rowheader').allInnerTexts()
    return cells.map((c) => c.trim())
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
  }
}
