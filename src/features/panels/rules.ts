/** The Children and Family Panel's pure rules: its dates, and what it can decide. */

import { isEmailAddress } from '../../domain/email-address.ts'

/** Dates in addresses are "YYYY-MM-DD" and real. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return day === 0 ? 7 : day
}

/**
 * Used until the authority's data names its panel day: Thursday. Where panels have already been
 * held, their weekday is kept instead (the panel meets weekly, 001:414).
 */
export const DEFAULT_PANEL_WEEKDAY = 4

/** The next weekly panel on or after `today`: on the weekday of the last panel on record, or the default. */
export function nextPanelOn(today: string, lastPanelOn?: string | null): string {
  const weekday = lastPanelOn ? weekdayOf(lastPanelOn) : DEFAULT_PANEL_WEEKDAY
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const ahead = (weekday - weekdayOf(today) + 7) % 7
  return new Date(Date.UTC(y, m - 1, d + ahead)).toISOString().slice(0, 10)
}

/** Whole years of age on `today` (both "YYYY-MM-DD"). */
export function ageInYears(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number]
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
}

/** What the panel can decide for a family: appoint a Lead Professional (opening early help at level 2), or something else, with a reason. */
export const PANEL_DECISIONS = {
  'lead-professional': 'Appoint a Lead Professional',
  'universal-services': 'Signposted to universal services',
  'no-further-action': 'No further action',
  other: 'Another decision',
} as const
export type PanelDecision = keyof typeof PANEL_DECISIONS

export function isPanelDecision(value: unknown): value is PanelDecision {
  return typeof value === 'string' && Object.hasOwn(PANEL_DECISIONS, value)
}

export interface DecisionInput {
  decision: string
  leadEmail: string
  reason: string
}

/** Pure: the decision form, field by field. A Lead Professional needs an email address; any other decision needs its reason. */
export function checkDecision(input: DecisionInput): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!isPanelDecision(input.decision)) errors.decision = 'Select the panel’s decision'
  const email = input.leadEmail.trim()
  if (input.decision === 'lead-professional') {
    if (!email) errors.leadEmail = 'Enter the email address of the Lead Professional'
    else if (!isEmailAddress(email)) errors.leadEmail = 'Enter an email address in the correct format, like name@example.com'
  }
  const reason = input.reason.trim()
  if (isPanelDecision(input.decision) && input.decision !== 'lead-professional' && !reason) errors.reason = 'Enter the reason for the decision'
  if (reason.length > 2000) errors.reason = 'The reason must be 2000 characters or fewer'
  return errors
}
