import { formVersion } from '../../platform/http/forms.ts'
import { parseDateParts } from '../../domain/dates.ts'
import { localTimeToInstant } from '../../domain/working-calendar.ts'
import { parseTime } from './rules.ts'

export type Body = Record<string, unknown>

const str = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '')

/** Checkbox values: one string, several, or none. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' && value ? [value] : []
}

export function versionOf(body: Body): number {
  return formVersion(str(body, 'version'))
}

/** Error summary links: a date goes to its day field, radios to their first item. */
export const SCHEDULE_IDS = { date: 'date-day', kind: 'kind', where: 'where', coordinator: 'coordinator', invitees: 'invitees' }

export interface ScheduleFields {
  kind: string
  scheduledAt: Date
  isVirtual: boolean
  venue: string | null
  coordinatorAccountId: string
  inviteeIds: string[]
}

/** The scheduling form, checked field by field in the order the page asks. A meeting may be in the past, to record one already held. */
export function readScheduleForm(body: Body, today: string): { ok: true; value: ScheduleFields } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const kind = str(body, 'kind')
  if (!kind) errors.kind = 'Select the kind of meeting'
  const date = parseDateParts(
    { day: str(body, 'date-day'), month: str(body, 'date-month'), year: str(body, 'date-year') },
    { label: 'Date of the meeting', today, allowFuture: true },
  )
  if (!date.ok) errors.date = date.message
  const time = parseTime(str(body, 'time'))
  if (!time.ok) errors.time = time.message
  const where = str(body, 'where')
  if (where !== 'venue' && where !== 'virtual') errors.where = 'Select whether the meeting is in person or virtual'
  const venue = str(body, 'venue').trim()
  if (where === 'venue' && !venue) errors.venue = 'Enter where the meeting will be held'
  if (venue.length > 300) errors.venue = 'Where the meeting will be held must be 300 characters or fewer'
  const coordinator = str(body, 'coordinator')
  if (!coordinator) errors.coordinator = 'Select who will coordinate the meeting'
  const inviteeIds = listOf(body.invitees)
  if (!inviteeIds.length) errors.invitees = 'Select who is invited to the meeting'
  if (Object.keys(errors).length || !date.ok || !time.ok) return { ok: false, errors }
  return {
    ok: true,
    value: {
      kind,
      scheduledAt: localTimeToInstant(date.date, time.minutes),
      isVirtual: where === 'virtual',
      venue: venue || null,
      coordinatorAccountId: coordinator,
      inviteeIds,
    },
  }
}

export function readReason(body: Body, what: string): { reason: string; error?: string } {
  const reason = str(body, 'reason').trim()
  if (!reason) return { reason, error: `Enter the reason ${what}` }
  if (reason.length > 2000) return { reason, error: 'The reason must be 2000 characters or fewer' }
  return { reason }
}

export function readReviewDateForm(body: Body, today: string): { ok: true; date: string; reason: string } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const date = parseDateParts(
    { day: str(body, 'date-day'), month: str(body, 'date-month'), year: str(body, 'date-year') },
    { label: 'Next review date', today, allowFuture: true, allowPast: false },
  )
  if (!date.ok) errors.date = date.message
  const reason = readReason(body, 'for changing the review date')
  if (reason.error) errors.reason = reason.error
  if (!date.ok || reason.error) return { ok: false, errors }
  return { ok: true, date: date.date, reason: reason.reason }
}
