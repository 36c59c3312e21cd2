import type { Locator, Page } from 'playwright-core'
import { Layout, navigates, textOf } from './layout.ts'

/**
 * The practitioner's pages for asking the front door for support: the immediate-risk question,
 * the priority form, the task list with a page per section and per person, the check page, the
 * sent page, and their list of requests with each request's outcome.
 */

/** A radio button inside the fieldset its legend names. */
function radio(page: Page, group: string, option: string): Locator {
  return page.getByRole('group', { name: group, exact: true }).getByRole('radio', { name: option, exact: true })
}

/** "Is a child at immediate risk of significant harm?" */
export class NewRequestPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/requests/new')
    return this
  }

  async answer(immediateRisk: 'Yes' | 'No'): Promise<void> {
    await radio(this.page, 'Is a child at immediate risk of significant harm?', immediateRisk).check()
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Continue' }).click())
  }
}

export interface PriorityDetails {
  childName: string
  address: string
  postcode: string
  happening: string
  phone?: string
}

/** Telephone the front door now, then record what you can: sent at once, marked priority. */
export class PriorityRequestPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  async send(details: PriorityDetails): Promise<void> {
    await this.page.getByLabel('Child’s full name').fill(details.childName)
    await this.page.getByLabel('Where the child is now, or their address').fill(details.address)
    await this.page.getByLabel('Postcode').fill(details.postcode)
    await this.page.getByLabel('What is happening').fill(details.happening)
    if (details.phone !== undefined) await this.page.getByLabel('Your telephone number').fill(details.phone)
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Send as a priority request' }).click())
  }
}

/** The draft's task list: one task per section, and the people added so far. */
export class TaskListPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  /** The request's id, from the address of its page. */
  get id(): string {
    const match = /\/requests\/([0-9a-f-]{36})/.exec(this.page.url())
    if (!match?.[1]) throw new Error(`not on a request's page: ${this.page.url()}`)
    return match[1]
  }

  /** "You have completed 3 of 9 sections." */
  async progress(): Promise<string> {
    return textOf(this.page.getByText(/You have completed \d+ of \d+ sections/))
  }

  /** A task's status as shown beside it ("Incomplete", "Completed"). */
  async status(task: string): Promise<string> {
    return textOf(this.page.locator('.govuk-task-list__item').filter({ has: this.page.getByRole('link', { name: task, exact: true }) }).locator('.govuk-task-list__status'))
  }

  async open(task: string): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('link', { name: task, exact: true }).click())
  }

  async checkAndSend(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Check your answers and send' }).click())
  }
}

export interface Address {
  line1: string
  town: string
  postcode: string
}

/** One section of the request: fill in what it asks, then "Save and continue". */
export class RequestSectionPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async save(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Save and continue' }).click())
  }

  async referrer(phone: string): Promise<void> {
    await this.page.getByLabel('Telephone number').fill(phone)
    await this.save()
  }

  async address(address: Address): Promise<void> {
    await this.page.getByLabel('Address line 1').fill(address.line1)
    await this.page.getByLabel('Town or city').fill(address.town)
    await this.page.getByLabel('Postcode').fill(address.postcode)
    await radio(this.page, 'Does the family need an interpreter?', 'No').check()
    await this.save()
  }

  async worries(family: string, referrer: string): Promise<void> {
    await this.page.getByLabel('What is the family worried about, in their words?').fill(family)
    await this.page.getByLabel('What are you worried about?').fill(referrer)
    await this.save()
  }

  /** Ticks indicators of need and Family Solutions difficulties by their words. */
  async needs(items: string[]): Promise<void> {
    for (const item of items) await this.page.getByRole('checkbox', { name: item, exact: true }).check()
    await this.save()
  }

  levelOption(text: string): Locator {
    return radio(this.page, 'What level of support are you asking for?', text)
  }

  get triedAlready(): Locator {
    return this.page.getByLabel('What has been tried already, and what happened?')
  }

  async support(level: string, triedAlready?: string): Promise<void> {
    await this.levelOption(level).check()
    if (triedAlready !== undefined) await this.triedAlready.fill(triedAlready)
    await this.save()
  }

  async strengths(input: { strengths: string; child: string; parents: string }): Promise<void> {
    await this.page.getByLabel('What is going well for the family?').fill(input.strengths)
    await this.page.getByLabel('What does the child think?').fill(input.child)
    await this.page.getByLabel('What do the parents or carers think?').fill(input.parents)
    await this.save()
  }

  async consentGiven(): Promise<void> {
    await radio(this.page, 'Is a child at risk of significant harm?', 'No').check()
    await radio(this.page, 'Has the family agreed to this request for support?', 'Yes, the family has agreed').check()
    await this.save()
  }
}

export interface Child {
  givenName: string
  familyName: string
  born: [day: string, month: string, year: string]
  sex: 'Female' | 'Male'
  ethnicity: string
  nhsNumber?: string
  school?: string
}

export interface Adult {
  givenName: string
  familyName: string
  /** The relationship to each child, by the child's full name. */
  relationships: Record<string, string>
}

/** A child's or an adult's page. */
export class PersonPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  private async names(givenName: string, familyName: string): Promise<void> {
    await this.page.getByLabel('First name').fill(givenName)
    await this.page.getByLabel('Last name').fill(familyName)
  }

  async child(child: Child): Promise<void> {
    await this.names(child.givenName, child.familyName)
    await radio(this.page, 'Has the child been born?', 'Yes').check()
    const [day, month, year] = child.born
    await this.page.getByLabel('Day', { exact: true }).fill(day)
    await this.page.getByLabel('Month', { exact: true }).fill(month)
    await this.page.getByLabel('Year', { exact: true }).fill(year)
    await radio(this.page, 'Sex', child.sex).check()
    await this.page.getByLabel('Ethnic group').selectOption({ label: child.ethnicity })
    if (child.school !== undefined) await this.page.getByLabel('School, nursery or other setting (optional)').fill(child.school)
    if (child.nhsNumber !== undefined) await this.page.getByLabel('NHS number (optional)').fill(child.nhsNumber)
    await radio(this.page, 'Special educational needs or disability', 'No additional needs known').check()
    await radio(this.page, 'Is the child a young carer?', 'No').check()
    await this.save()
  }

  async adult(adult: Adult): Promise<void> {
    await this.names(adult.givenName, adult.familyName)
    await radio(this.page, 'Do they live with the family?', 'Yes').check()
    for (const [child, relationship] of Object.entries(adult.relationships)) await this.page.getByLabel(child, { exact: true }).fill(relationship)
    await this.save()
  }

  async save(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Save and continue' }).click())
  }
}

/** Check your answers before sending. */
export class CheckAnswersPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  async send(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Send request for support' }).click())
  }
}

/** "Request for support sent", with the reference and when the decision is due. */
export class RequestSentPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  get panel(): Locator {
    return this.page.locator('.govuk-panel')
  }

  async reference(): Promise<string> {
    return textOf(this.panel.locator('strong'))
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }
}

/** The practitioner's own requests, newest first, each with its outcome. */
export class MyRequestsPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/requests')
    return this
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Your requests for support' })
  }

  row(reference: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name: reference, exact: true }) })
  }

  /** The "Outcome" cell of a request's row. */
  async outcome(reference: string): Promise<string> {
    return textOf(this.row(reference).getByRole('cell').nth(3))
  }

  async open(reference: string): Promise<void> {
    await navigates(this.page, () => this.table.getByRole('link', { name: reference, exact: true }).click())
  }

  async askForSupport(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Ask for support for a family' }).click())
  }
}

/** A sent request as its referrer sees it, with the front door's decision once made. */
export class SentRequestPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  /** The value beside a key in a summary list ("Outcome", "Level of need", "Why"...). */
  detail(key: string): Locator {
    return this.page.getByRole('main').getByRole('term').filter({ hasText: key }).locator('xpath=following-sibling::dd[1]')
  }
}
