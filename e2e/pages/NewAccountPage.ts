import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

export interface NewAccount {
  name?: string
  email?: string
  phone?: string
  role?: string
  organisation?: string
  password?: string
}

export class NewAccountPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/admin/accounts/new')
    return this
  }

  get name(): Locator {
    return this.page.getByLabel('Full name')
  }

  get email(): Locator {
    return this.page.getByLabel('Work email address')
  }

  get phone(): Locator {
    return this.page.getByLabel('Work telephone number (optional)')
  }

  get roles(): Locator {
    return this.page.getByRole('group', { name: 'Role' })
  }

  get organisation(): Locator {
    return this.page.getByLabel('Organisation')
  }

  get password(): Locator {
    return this.page.getByLabel('First password', { exact: true })
  }

  async fill(account: NewAccount): Promise<void> {
    if (account.name !== undefined) await this.name.fill(account.name)
    if (account.email !== undefined) await this.email.fill(account.email)
    if (account.phone !== undefined) await this.phone.fill(account.phone)
    if (account.role !== undefined) await this.roles.getByRole('radio', { name: account.role, exact: true }).check()
    if (account.organisation !== undefined) await this.organisation.selectOption({ label: account.organisation })
    if (account.password !== undefined) await this.password.fill(account.password)
  }

  async submit(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Add account' }).click())
  }

  /** The organisations offered, without the "Choose an organisation" prompt. */
  async organisationChoices(): Promise<string[]> {
    const options = await this.organisation.getByRole('option').allInnerTexts()
    return options.map((o) => o.trim()).filter((o) => o !== 'Choose an organisation')
  }
}
