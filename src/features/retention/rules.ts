import type { RetentionRecordType } from '../../platform/db/schema.ts'
import type { RetentionRuleSetting, RetentionSettings } from '../../frameworks/schema.ts'

/**
 * The retention rules, without I/O: when a record falls due, and what then happens to it. Dates
 * are calendar dates ('YYYY-MM-DD') in UK time; the sweep reads the facts of many records at once
 * and asks `due` about each.
 */

/** What the sweep knows about one record. Dates are 'YYYY-MM-DD'. */
export interface RetentionRecord {
  recordType: RetentionRecordType
  createdOn: string
  /** When a request was decided. */
  decidedOn?: string | null
  /** When an involvement was closed; null while it is open. */
  closedOn?: string | null
  /** Each child's date of birth, null where it is not known. */
  childBirthDates?: readonly (string | null)[]
  /** When a message became final (sent, or given up as failed); null while it is queued or being sent. */
  finalOn?: string | null
}

export interface Due {
  due: boolean
  action: RetentionRuleSetting['action'] | null
  /** The date the record falls due; null when it cannot yet (an open involvement). */
  dueOn: string | null
  rule: RetentionRuleSetting | null
}

const NOT_DUE: Due = { due: false, action: null, dueOn: null, rule: null }

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function parts(date: string): [number, number, number] {
  const match = ISO_DATE.exec(date)
  if (!match) throw new Error(`not a date: ${date}`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/**
 * The same calendar date `years` later. Someone born on 29 February reaches an age on 1 March in
 * a year without one, which is also how a period counted from 29 February ends.
 */
export function addYears(date: string, years: number): string {
  const [y, m, d] = parts(date)
  const year = y + years
  if (m === 2 && d === 29 && !isLeapYear(year)) return `${pad(year, 4)}-03-01`
  return `${pad(year, 4)}-${pad(m)}-${pad(d)}`
}

const later = (a: string, b: string) => (a > b ? a : b)

/** The date a record falls due under one rule, or null when it cannot be known yet. */
export function dueOnUnder(record: RetentionRecord, rule: RetentionRuleSetting): string | null {
  switch (rule.rule) {
    case 'youngest-child-25': {
      if (!record.closedOn) return null
      const births = record.childBirthDates ?? []
      const known = births.filter((b): b is string => b !== null)
      let dueOn: string | null = null
      if (known.length) dueOn = addYears(known.reduce(later), 25)
      // A child whose date of birth is not known (or no child known at all) could be the youngest:
      // keep the record at least `years` after closure as well.
      if (known.length < births.length || births.length === 0) {
        const fallback = addYears(record.closedOn, rule.years)
        dueOn = dueOn ? later(dueOn, fallback) : fallback
      }
      return dueOn ? later(dueOn, record.closedOn) : null
    }
    case 'years-after-closure':
      return record.closedOn ? addYears(record.closedOn, rule.years) : null
    case 'years-after-decision':
      return record.decidedOn ? addYears(record.decidedOn, rule.years) : null
    case 'years-after-created':
      return addYears(record.createdOn, rule.years)
    case 'days-after-final':
      return record.finalOn ? addDays(record.finalOn, rule.days) : null
  }
}

/** Whether a record is due for removal on `today`, under the authority's rule for its type. */
export function due(record: RetentionRecord, rules: readonly RetentionRuleSetting[], today: string): Due {
  const rule = rules.find((r) => r.recordType === record.recordType)
  if (!rule) return NOT_DUE
  const dueOn = dueOnUnder(record, rule)
  if (!dueOn) return { ...NOT_DUE, rule }
  return { due: dueOn <= today, action: rule.action, dueOn, rule }
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The calendar date in the UK at an instant, 'YYYY-MM-DD'. */
export function ukDate(at: Date): string {
  return londonDate.format(at)
}

export const RECORD_TYPE_NAMES: Record<RetentionRecordType, string> = {
  involvement: 'A family’s early help',
  'request-not-progressed': 'A request for support that did not lead to early help',
  consultation: 'A Consultation Line call',
  'draft-request': 'A draft request for support that was never sent',
  notification: 'An email the service sent',
}

export const RECORD_TYPE_SHORT: Record<RetentionRecordType, string> = {
  involvement: 'Family’s early help',
  'request-not-progressed': 'Request not progressed',
  consultation: 'Consultation Line call',
  'draft-request': 'Draft request',
  notification: 'Email sent',
}

const yearsText = (n: number) => (n === 1 ? '1 year' : `${n} years`)
const daysText = (n: number) => (n === 1 ? '1 day' : `${n} days`)

/** A rule's period: its years, or its days for a rule that counts in days. */
export function periodOf(rule: RetentionRuleSetting): number {
  return rule.rule === 'days-after-final' ? rule.days : rule.years
}

/** A rule in plain words: "Kept until the youngest child’s 25th birthday, then anonymised." */
export function ruleInWords(rule: RetentionRuleSetting): string {
  const then = rule.action === 'anonymise' ? 'then anonymised' : 'then deleted'
  switch (rule.rule) {
    case 'youngest-child-25':
      return `Kept after the family’s early help closes until the youngest child’s 25th birthday, ${then}. Where a child’s date of birth is not known, kept for ${yearsText(rule.years)} after closure, or until the youngest known child is 25 if that is later.`
    case 'years-after-closure':
      return `Kept for ${yearsText(rule.years)} after the family’s early help closes, ${then}.`
    case 'years-after-decision':
      return `Kept for ${yearsText(rule.years)} after the decision, ${then}.`
    case 'years-after-created':
      return `Kept for ${yearsText(rule.years)} after it was made, ${then}.`
    case 'days-after-final':
      return `Kept for ${daysText(rule.days)} after it was sent, ${then}. One that could not be delivered goes ${daysText(rule.days)} after it was queued; one still waiting to be sent is kept.`
  }
}

/** Why one item is due, in a few words; `period` is the rule's years, or its days for a rule in days. */
export function ruleShort(rule: RetentionRuleSetting['rule'], period: number): string {
  switch (rule) {
    case 'youngest-child-25':
      return 'Youngest child’s 25th birthday'
    case 'years-after-closure':
      return `${yearsText(period)} after closure`
    case 'years-after-decision':
      return `${yearsText(period)} after the decision`
    case 'years-after-created':
      return `${yearsText(period)} after it was made`
    case 'days-after-final':
      return `${daysText(period)} after it was sent or failed`
  }
}

/** The grace period, in days. */
export function graceDays(settings: RetentionSettings): number {
  return settings.graceDays.value
}

/** A calendar date `days` later (or earlier, when negative). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date)
  const at = new Date(Date.UTC(y, m - 1, d + days))
  return at.toISOString().slice(0, 10)
}
