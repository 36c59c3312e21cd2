import type { Locator, Page } from 'playwright-core'
import { Layout, navigates, textOf } from './layout.ts'

/** The front door queue: priority requests first, then the least time left to decide. */
export class FrontDoorQueuePage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  async goto(): Promise<this> {
    await this.page.goto('/front-door')
    return this
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Requests waiting for a decision' })
  }

  /** The references listed, in the queue's order. */
  async references(): Promise<string[]> {
    const links = await this.table.getByRole('rowgroup').last().getByRole('row').getByRole('link').all()
    return Promise.all(links.map((link) => textOf(link)))
  }

  row(reference: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name: reference, exact: true }) })
  }

  /** A row's cells as they read: request, children, from, acknowledgement, decision, looked at by. */
  async cells(reference: string): Promise<{ request: string; children: string; from: string; acknowledgement: string; decision: string; lookedAtBy: string }> {
    const cells = this.row(reference).getByRole('cell')
    const [request, children, from, acknowledgement, decision, lookedAtBy] = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => textOf(cells.nth(i))))
    return { request: request ?? '', children: children ?? '', from: from ?? '', acknowledgement: acknowledgement ?? '', decision: decision ?? '', lookedAtBy: lookedAtBy ?? '' }
  }

  async open(reference: string): Promise<void> {
    await navigates(this.page, () => this.table.getByRole('link', { name: reference, exact: true }).click())
  }
}

export interface Decision {
  /** The outcome's name in the authority's own words. */
  outcome: string
  /** The level's radio label, like "Level 3: Complex/Intensive". */
  level?: string
  reason: string
  team?: string
  leadProfessional?: string
  differenceReason?: string
}

/** One request at the front door: the family and their history, the suggestion, and the decision. */
export class TriageRequestPage extends Layout {
  constructor(page: Page) {
    super(page)
  }

  get main(): Locator {
    return this.page.getByRole('main')
  }

  /** The suggested level and its reasons. */
  get suggestion(): Locator {
    return this.main.locator('.govuk-inset-text').filter({ hasText: 'This is a suggestion from the indicators' })
  }

  /** The table of possible earlier records of a person, by their first name. */
  earlierRecords(givenName: string): Locator {
    return this.page.getByRole('table', { name: `Possible earlier records of ${givenName}` })
  }

  earlierRecord(givenName: string, reference: string): Locator {
    return this.earlierRecords(givenName).getByRole('row').filter({ hasText: reference })
  }

  async confirmMatch(givenName: string, reference: string): Promise<void> {
    await navigates(this.page, () => this.earlierRecord(givenName, reference).getByRole('button', { name: /^Confirm / }).click())
  }

  async rejectMatch(givenName: string, reference: string): Promise<void> {
    await navigates(this.page, () => this.earlierRecord(givenName, reference).getByRole('button', { name: /^Reject / }).click())
  }

  get reReferralWarning(): Locator {
    return this.main.locator('.govuk-warning-text').filter({ hasText: 'Re-referral' })
  }

  /** The outcomes offered, in the authority's words. */
  async outcomes(): Promise<string[]> {
    const radios = await this.page.getByRole('group', { name: 'Outcome' }).getByRole('radio').all()
    return Promise.all(radios.map(async (r) => (await r.evaluate((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '')).trim()))
  }

  get decisionButton(): Locator {
    return this.page.getByRole('button', { name: 'Record the decision and tell the referrer' })
  }

  async decide(decision: Decision): Promise<void> {
    await this.page.getByRole('group', { name: 'Outcome' }).getByRole('radio', { name: decision.outcome, exact: true }).check()
    if (decision.team !== undefined) await this.page.getByLabel('Team the family is allocated to').fill(decision.team)
    if (decision.leadProfessional !== undefined) await this.page.getByLabel('Lead Professional’s email address').fill(decision.leadProfessional)
    if (decision.level !== undefined) await this.page.getByRole('group', { name: 'Level of need' }).getByRole('radio', { name: decision.level, exact: true }).check()
    await this.page.getByLabel('Reasons for the decision').fill(decision.reason)
    if (decision.differenceReason !== undefined) await this.page.getByLabel('If the level differs from the suggestion, why').fill(decision.differenceReason)
    await navigates(this.page, () => this.decisionButton.click())
  }
}
