import type { Locator, Page } from 'playwright-core'
import { Layout, navigates, textOf } from './layout.ts'

/** The service's start page ("/") invites families in: "ask for help yourself". */
export function askForHelpYourselfLink(page: Page): Locator {
  return page.getByRole('main').getByRole('link', { name: 'ask for help yourself', exact: true })
}

/** "Ask for early help for your family": the public start page at /help, listing each council. */
export class SelfRequestStartPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/help')
    return this
  }

  /** The councils a family may ask, as their links read. */
  async councils(): Promise<string[]> {
    const links = await this.page.getByRole('main').getByRole('list').first().getByRole('link').all()
    return Promise.all(links.map((link) => textOf(link)))
  }

  async choose(council: string): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('main').getByRole('link', { name: council, exact: true }).click())
  }
}

export interface SelfRequestChild {
  givenName: string
  familyName: string
  born: [day: string, month: string, year: string]
}

export interface SelfRequestDetails {
  contactName: string
  phone?: string
  email?: string
  /** One to six children: the first in its own block, the rest under "Add more children". */
  children: SelfRequestChild[]
  postcode: string
  worries: string
  goingWell?: string
  agree: boolean
}

const ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth']

/** The family's form at /help/:authority. */
export class SelfRequestFormPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(authority: string): Promise<this> {
    await this.page.goto(`/help/${authority}`)
    return this
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  /** The authority's name above the heading. */
  get caption(): Locator {
    return this.main.locator('.govuk-caption-l')
  }

  /**
   * Child `n`'s fieldset (1-based). The first is "Your child" until another child is typed, then
   * "First child"; the others are always "Second child", "Third child"...
   */
  child(n: number): Locator {
    const ordinal = ORDINALS[n - 1] ?? String(n)
    return this.page.getByRole('group', { name: n === 1 ? /^(Your|First) child$/ : new RegExp(`^${ordinal} child$`) })
  }

  /** The "Add more children" disclosure (a native details element, so it works without JavaScript). */
  get moreChildren(): Locator {
    return this.main.locator('details').filter({ hasText: 'Add more children' })
  }

  async openMoreChildren(): Promise<void> {
    if (await this.moreChildren.evaluate((details) => (details as HTMLDetailsElement).open)) return
    await this.moreChildren.getByText('Add more children', { exact: true }).click()
  }

  /** A text input or textarea of child `n`, by its label. */
  childField(n: number, label: 'First name' | 'Last name' | 'Day' | 'Month' | 'Year'): Locator {
    return this.child(n).getByLabel(label, { exact: true })
  }

  /** Child `n`'s date of birth fieldset, which carries its error message. */
  dateOfBirth(n: number): Locator {
    return this.child(n).getByRole('group', { name: 'Date of birth' })
  }

  get contactName(): Locator {
    return this.page.getByLabel('Your name', { exact: true })
  }

  get phone(): Locator {
    return this.page.getByLabel('Telephone number', { exact: true })
  }

  get email(): Locator {
    return this.page.getByLabel('Email address', { exact: true })
  }

  get postcode(): Locator {
    return this.page.getByLabel('Postcode', { exact: true })
  }

  get worries(): Locator {
    return this.page.getByLabel('What would you like help with?', { exact: true })
  }

  get goingWell(): Locator {
    return this.page.getByLabel('What is going well for your family? (optional)', { exact: true })
  }

  /** The agreement's fieldset (its legend is visually hidden), which carries its error message. */
  get agreementGroup(): Locator {
    return this.page.getByRole('group', { name: 'Do you agree?' })
  }

  get agreement(): Locator {
    return this.page.getByRole('checkbox', { name: /^I agree to the council’s early help front door using this information/ })
  }

  async fillChild(n: number, child: SelfRequestChild): Promise<void> {
    if (n > 1) await this.openMoreChildren()
    await this.childField(n, 'First name').fill(child.givenName)
    await this.childField(n, 'Last name').fill(child.familyName)
    const [day, month, year] = child.born
    await this.childField(n, 'Day').fill(day)
    await this.childField(n, 'Month').fill(month)
    await this.childField(n, 'Year').fill(year)
  }

  async fill(details: SelfRequestDetails): Promise<void> {
    await this.contactName.fill(details.contactName)
    await this.phone.fill(details.phone ?? '')
    await this.email.fill(details.email ?? '')
    for (const [i, child] of details.children.entries()) await this.fillChild(i + 1, child)
    await this.postcode.fill(details.postcode)
    await this.worries.fill(details.worries)
    await this.goingWell.fill(details.goingWell ?? '')
    await this.agreement.setChecked(details.agree)
  }

  get sendButton(): Locator {
    return this.page.getByRole('button', { name: 'Send request', exact: true })
  }

  async send(): Promise<void> {
    await navigates(this.page, () => this.sendButton.click())
  }

  /** The error message shown by a field (the text after GOV.UK's visually hidden "Error:"). */
  async fieldError(field: Locator): Promise<string> {
    const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
    for (const id of describedBy.split(/\s+/).filter(Boolean)) {
      const message = this.page.locator(`[id="${id}"].govuk-error-message`)
      if (await message.count()) return (await textOf(message)).replace(/^Error:\s*/, '')
    }
    return ''
  }
}

/** "Request sent", with the family's reference. */
export class SelfRequestSentPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  get panel(): Locator {
    return this.page.locator('.govuk-panel')
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  async reference(): Promise<string> {
    return textOf(this.panel.locator('strong'))
  }
}
