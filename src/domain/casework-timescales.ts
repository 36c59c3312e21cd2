import type { Framework, ReviewCadence } from '../frameworks/schema.ts'
import { addTimescale, localDateOf } from './working-calendar.ts'
import type { InvolvementRoute } from '../platform/db/schema.ts'

/**
 * The plan-review cadence for an involvement at a level, reached by a route: the framework's
 * cadences of kind `plan-review` for that level, the first whose `routes` include the route (or
 * that names no routes). Undefined where the authority sets none for the level.
 */
export function reviewCadenceFor(framework: Framework, level: number, route: InvolvementRoute): ReviewCadence | undefined {
  const candidates = framework.reviewCadences.filter((c) => c.kind === 'plan-review' && c.level === level)
  return candidates.find((c) => c.routes?.includes(route)) ?? candidates.find((c) => !c.routes)
}

/** Adds whole calendar months to a date ("YYYY-MM-DD"), keeping to the month's last day (31 January + 1 month = 28 or 29 February). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, lastDay))
  return target.toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** The next review after `from` ("YYYY-MM-DD"): the cadence's shortest interval ("6-8 weeks" → 6 weeks). */
export function nextReviewOn(cadence: ReviewCadence, from: string): string {
  if (cadence.everyMonths !== undefined) return addMonths(from, cadence.everyMonths)
  return addDays(from, 7 * (cadence.everyWeeks ?? 0))
}

/** The cadence in words: "every 6 to 8 weeks", "every 3 months", "every week". */
export function cadenceText(cadence: ReviewCadence): string {
  if (cadence.everyMonths !== undefined) return cadence.everyMonths === 1 ? 'every month' : `every ${cadence.everyMonths} months`
  const weeks = cadence.everyWeeks ?? 0
  if (cadence.upToWeeks && cadence.upToWeeks !== weeks) return `every ${weeks} to ${cadence.upToWeeks} weeks`
  return weeks === 1 ? 'every week' : `every ${weeks} weeks`
}

/**
 * When the Family Story / Shared Family Assessment is due: the end of the authority's window
 * (Southend "within 10-15 days" of allocation, read as working days) on its working calendar.
 * Undefined where the authority sets no window.
 */
export function assessmentDueOn(framework: Framework, allocatedAt: Date): string | undefined {
  const window = framework.timescales.assessmentWithinWorkingDays
  if (!window) return undefined
  return localDateOf(addTimescale(framework.workingCalendar, allocatedAt, { value: window.max, unit: 'working-days' }))
}

export type DueState = 'not-due' | 'due-soon' | 'overdue'

/** Whether something due on `dueOn` is overdue on `today` (both "YYYY-MM-DD"), or due within `soonDays`. */
export function dueState(dueOn: string | null | undefined, today: string, soonDays = 7): DueState {
  if (!dueOn) return 'not-due'
  if (dueOn < today) return 'overdue'
  return dueOn <= addDays(today, soonDays) ? 'due-soon' : 'not-due'
}
