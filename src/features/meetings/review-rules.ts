import { addDays, nextReviewOn, reviewCadenceFor } from '../../domain/casework-timescales.ts'
import type { Framework, ReviewCadence } from '../../frameworks/schema.ts'
import type { InvolvementRoute } from '../../platform/db/schema.ts'

/**
 * The next review after a Team Around the Family meeting held on `heldOn` ("YYYY-MM-DD"): the
 * authority's plan-review cadence for the level and route (Southend: six-weekly TACAF from the
 * front door or the panel, three-monthly for a partner's own level 2 plan, 6-8 weeks intensive),
 * counted from the meeting, at its shortest interval. Undefined where the authority sets none.
 */
export function reviewDateAfterMeeting(framework: Framework, level: number, route: InvolvementRoute, heldOn: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(heldOn)) throw new RangeError(`heldOn must be YYYY-MM-DD (got ${heldOn})`)
  const cadence = reviewCadenceFor(framework, level, route)
  return cadence ? nextReviewOn(cadence, heldOn) : undefined
}

/** The latest date the cadence allows ("6-8 weeks" → 8 weeks after), for showing the range; the same date where no range is given. */
export function latestReviewOn(cadence: ReviewCadence, from: string): string {
  if (cadence.upToWeeks !== undefined) return addDays(from, 7 * cadence.upToWeeks)
  return nextReviewOn(cadence, from)
}
