import type { Locator, Page } from 'playwright-core'
import { Layout, navigates, textOf } from './layout.ts'

/** The Consultation Line log at /front-door/consultations: one card per call, newest first. */
export class ConsultationLogPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/front-door/consultations')
    return this
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  /** The authority's name for its line ("Consultation Line", "Duty Manager"), above the heading. */
  get caption(): Locator {
    return this.main.locator('.govuk-caption-l')
  }

  /** GOV.UK's button-styled link. */
  get recordButton(): Locator {
    return this.main.getByRole('button', { name: 'Record a call', exact: true })
  }

  async recordACall(): Promise<void> {
    await navigates(this.page, () => this.recordButton.click())
  }

  get cards(): Locator {
    return this.main.locator('.govuk-summary-card')
  }

  /** Each call's title, "<when>: <caller>, <organisation>", in the log's order. */
  async titles(): Promise<string[]> {
    const headings = await this.cards.getByRole('heading', { level: 2 }).all()
    return Promise.all(headings.map((heading) => textOf(heading)))
  }

  /** The `i`th call's (0 = newest) rows as key → value. */
  async call(i: number): Promise<Record<string, string>> {
    const rows = await this.cards.nth(i).locator('.govuk-summary-list__row').all()
    const entries = await Promise.all(rows.map(async (row) => [await textOf(row.locator('dt')), await textOf(row.locator('dd'))] as const))
    return Object.fromEntries(entries)
  }
}

export interface ConsultationCall {
  callerName?: string
  callerOrganisation?: string
  familyNamed?: 'Yes' | 'No'
  familyDescription?: string
  concern?: string
  advice?: string
  requestAdvised?: 'Yes' | 'No'
}

/** "Record a consultation call". */
export class RecordConsultationPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/front-door/consultations/new')
    return this
  }

  get callerName(): Locator {
    return this.page.getByLabel('Caller’s name', { exact: true })
  }

  get callerOrganisation(): Locator {
    return this.page.getByLabel('Caller’s organisation (optional)', { exact: true })
  }

  familyNamed(answer: 'Yes' | 'No'): Locator {
    return this.page.getByRole('group', { name: 'Did the caller name the family?' }).getByRole('radio', { name: answer, exact: true })
  }

  get familyDescription(): Locator {
    return this.page.getByLabel('If they named the family, who is it?', { exact: true })
  }

  get concern(): Locator {
    return this.page.getByLabel('What was the concern?', { exact: true })
  }

  get advice(): Locator {
    return this.page.getByLabel('What advice did you give?', { exact: true })
  }

  requestAdvised(answer: 'Yes' | 'No'): Locator {
    return this.page.getByRole('group', { name: 'Did you advise them to make a request for support?' }).getByRole('radio', { name: answer, exact: true })
  }

  /** Fills what is given, leaving the rest as it is. */
  async fill(call: ConsultationCall): Promise<void> {
    if (call.callerName !== undefined) await this.callerName.fill(call.callerName)
    if (call.callerOrganisation !== undefined) await this.callerOrganisation.fill(call.callerOrganisation)
    if (call.familyNamed !== undefined) await this.familyNamed(call.familyNamed).check()
    if (call.familyDescription !== undefined) await this.familyDescription.fill(call.familyDescription)
    if (call.concern !== undefined) await this.concern.fill(call.concern)
    if (call.advice !== undefined) await this.advice.fill(call.advice)
    if (call.requestAdvised !== undefined) await this.requestAdvised(call.requestAdvised).check()
  }

  async save(): Promise<void> {
    await navigates(this.page, () => this.page.getByRole('button', { name: 'Save the call', exact: true }).click())
  }
}
