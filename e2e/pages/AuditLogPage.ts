import type { Locator, Page } from 'playwright-core'
import { Layout, navigates, textOf } from './layout.ts'

export interface AuditRow {
  when: string
  who: string
  what: string
  record: string
}

export class AuditLogPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(query = ''): Promise<this> {
    await this.page.goto(`/admin/audit${query}`)
    return this
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Audit events' })
  }

  async filter(input: { action?: string; recordId?: string }): Promise<void> {
    if (input.action !== undefined) await this.page.getByLabel('Action').selectOption({ label: input.action })
    if (input.recordId !== undefined) await this.page.getByLabel('Record reference').fill(input.recordId)
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Filter the log' }).click())
  }

  /** Every event shown, newest first, as the columns read. */
  async rows(): Promise<AuditRow[]> {
    if ((await this.table.count()) === 0) return []
    const rows = await this.table.getByRole('rowgroup').last().getByRole('row').all()
    return Promise.all(
      rows.map(async (row) => {
        const cells = row.getByRole('cell')
        return { when: await textOf(cells.nth(0)), who: await textOf(cells.nth(1)), what: await textOf(cells.nth(2)), record: await textOf(cells.nth(3)) }
      }),
    )
  }
}
