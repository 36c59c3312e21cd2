import type { Locator, Page } from 'playwright-core'
import { navigates } from './layout.ts'

/** A date as a person types it into a GOV.UK date input: [day, month, year]. */
export type TypedDate = [string, string, string]

export function typedDate(date: Date): TypedDate {
  return [String(date.getUTCDate()), String(date.getUTCMonth() + 1), String(date.getUTCFullYear())]
}

async function fillDate(scope: Locator, date: TypedDate): Promise<void> {
  await scope.getByLabel('Day').fill(date[0])
  await scope.getByLabel('Month').fill(date[1])
  await scope.getByLabel('Year').fill(date[2])
}

/** The family's page: /involvements/:id. */
export class FamilyPage {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }
  get main(): Locator {
    return this.page.locator('main')
  }
  get scoresTable(): Locator {
    return this.page.locator('#scores-table')
  }
  get chart(): Locator {
    return this.page.locator('figure.app-chart svg')
  }
  summaryValue(key: string): Locator {
    return this.page.locator('.govuk-summary-list__row').filter({ has: this.page.locator('dt', { hasText: key }) }).locator('dd.govuk-summary-list__value')
  }
  async open(link: string): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('link', { name: link, exact: true }).click())
  }
  /** The rows of the scaling scores table: [plan, family, team]. */
  async scores(): Promise<string[][]> {
    return this.scoresTable.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("th, td"), (c) => (c.textContent ?? '').trim())))
  }
}

/** /involvements/:id/team */
export class TeamPage {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }
  async add(email: string, role: string): Promise<void> {
    await this.page.getByLabel('Their email address, if they have an account here').fill(email)
    await this.page.getByLabel('Their role with the family').fill(role)
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Add to the team' }).click())
  }
}

/** /involvements/:id/meetings/new, then the meeting's own page to record it. */
export class MeetingPages {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }
  async arrange(meeting: { kind?: 'A review meeting' | 'The final meeting'; date: TypedDate; time: string; venue: string; coordinator: string }): Promise<void> {
    if (meeting.kind) await this.page.getByRole('radio', { name: meeting.kind }).check()
    await fillDate(this.page.getByRole('group', { name: 'Date of the meeting' }), meeting.date)
    await this.page.getByLabel('Time', { exact: true }).fill(meeting.time)
    await this.page.getByRole('radio', { name: 'In person, at a venue' }).check()
    await this.page.getByRole('textbox', { name: 'Venue' }).fill(meeting.venue)
    const coordinator = this.page.getByLabel('Who will coordinate it?')
    await coordinator.selectOption((await coordinator.locator('option', { hasText: meeting.coordinator }).first().getAttribute('value')) ?? '')
    for (const box of await this.page.getByRole('group', { name: 'Who is invited?' }).getByRole('checkbox').all()) await box.check()
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Arrange the meeting' }).click())
  }
  /** Everyone attended; each family member's views are given in `views` by name. */
  async record(views: Record<string, string>): Promise<void> {
    for (const radio of await this.page.locator('form input[type=radio][value=yes]').all()) await radio.check()
    for (const [name, text] of Object.entries(views)) await this.page.getByLabel(`${name}’s views, in their words`).fill(text)
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Save and start the next plan version' }).click())
  }
}

/** A plan version: its task list, its sections and the agreement. */
export class PlanPages {
  readonly page: Page
  constructor(page: Page) {
    this.page = page
  }
  get main(): Locator {
    return this.page.locator('main')
  }
  async section(title: string, fill: () => Promise<void>): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('link', { name: title, exact: true }).click())
    await fill()
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Save and return to the plan' }).click())
  }
  async text(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label).fill(value)
  }
  /** Adds to what a field already holds (the family's views from the meeting, say), keeping it. */
  async append(label: string, value: string): Promise<void> {
    const field = this.page.getByLabel(label)
    const before = await field.inputValue()
    await field.fill(before ? `${before}\n\n${value}` : value)
  }
  async scores(family: number, team: number): Promise<void> {
    await this.page.getByRole('group', { name: 'The family’s score', exact: true }).getByRole('radio', { name: String(family), exact: true }).check()
    await this.page.getByRole('group', { name: 'The Team Around the Family’s score', exact: true }).getByRole('radio', { name: String(team), exact: true }).check()
  }
  async need(text: string, outcome: string): Promise<void> {
    const need = this.page.getByRole('group', { name: 'Add another need (optional)' })
    await need.getByLabel('What needs to change?').fill(text)
    await need.getByRole('checkbox', { name: outcome }).first().check()
  }
  /** Fills the empty "add another" action. */
  async action(what: string, who: string, due: TypedDate): Promise<void> {
    const action = this.page.getByRole('group', { name: 'Add another action (optional)' })
    await action.getByLabel('What will be done?').fill(what)
    await action.getByLabel('By who?').fill(who)
    await fillDate(action.getByRole('group', { name: 'By when?' }), due)
  }
  async addAnotherAction(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Save and add another' }).click())
  }
  async agree(assessor: string, family: string, on: TypedDate): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('link', { name: 'Agree and sign the plan' }).or(this.page.getByRole('button', { name: 'Agree and sign the plan' })).first().click())
    await this.page.getByRole('radio', { name: 'Yes, the family have read and consented' }).check()
    await this.page.getByLabel('Assessor name').fill(assessor)
    await this.page.getByLabel('Their name').fill(family)
    for (const group of await this.page.getByRole('group').filter({ has: this.page.getByLabel('Day') }).all()) await fillDate(group, on)
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Agree and sign the plan' }).click())
  }
}
