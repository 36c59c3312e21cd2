import type { Locator, Page } from 'playwright-core'
import { Layout, navigates } from './layout.ts'

export class SignInPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/sign-in')
    return this
  }

  get email(): Locator {
    return this.page.getByLabel('Email address')
  }

  /** Exact, so GOV.UK's "Show password" button is not taken for the field. */
  get password(): Locator {
    return this.page.getByLabel('Password', { exact: true })
  }

  get submit(): Locator {
    return this.page.getByRole('button', { name: 'Sign in', exact: true })
  }

  async submitWith(email: string, password: string): Promise<void> {
    await this.email.fill(email)
    await this.password.fill(password)
    await navigates(this.page, () => this.submit.click())
  }

  get signedOutBanner(): Locator {
    return this.successBanner.filter({ hasText: 'You have signed out' })
  }

  get demonstrationAccounts(): Locator {
    return this.page.getByText('Demonstration accounts')
  }
}
