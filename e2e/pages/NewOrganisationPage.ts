import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

export class NewOrganisationPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/admin/organisations/new')
    return this
  }

  get name(): Locator {
    return this.page.getByLabel('Name', { exact: true })
  }

  get kinds(): Locator {
    return this.page.getByRole('group', { name: 'What kind of organisation is it?' })
  }

  kind(label: string): Locator {
    return this.kinds.getByRole('radio', { name: label, exact: true })
  }

  async fill(input: { name?: string; kind?: string }): Promise<void> {
    if (input.name !== undefined) await this.name.fill(input.name)
    if (input.kind !== undefined) await this.kind(input.kind).check()
  }

  async submit(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Add organisation' }).click())
  }
}
