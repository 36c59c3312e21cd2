import { parseDateParts } from '../../domain/dates.ts'
import { localTimeToInstant } from '../../domain/working-calendar.ts'
import { NOTE_KINDS, type ChronologyKind } from './record.ts'

/**
 * A chronology entry typed by a person: its kind, the date (a GOV.UK date input, never in the
 * future) and an optional time, a summary, detail, and whether it is a significant event.
 * Pure: `today` and `now` are parameters. An entry without a time is held at local midnight and
 * shown with its date only.
 */
export interface EntryInput {
  kind: ChronologyKind
  occurredAt: Date
  summary: string
  detail: string | null
  significant: boolean
}

export type EntryResult = { ok: true; value: EntryInput } | { ok: false; errors: Record<string, string>; ids: Record<string, string> }

const text = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '')

/** "14:30", "2:30pm", "9am", "09.15" → minutes past midnight; undefined if not a time. */
export function parseTime(typed: string): number | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(typed.trim())
  if (!match) return undefined
  let hour = Number(match[1])
  const minute = match[2] === undefined ? 0 : Number(match[2])
  const half = match[3]?.toLowerCase()
  if (match[2] === undefined && !half) return undefined
  if (minute > 59) return undefined
  if (half) {
    if (hour < 1 || hour > 12) return undefined
    if (half === 'am' && hour === 12) hour = 0
    if (half === 'pm' && hour !== 12) hour += 12
  } else if (hour > 23) return undefined
  return hour * 60 + minute
}

export function readEntry(body: Record<string, unknown>, today: string, now: Date): EntryResult {
  const errors: Record<string, string> = {}
  const kind = text(body.kind) as ChronologyKind
  if (!NOTE_KINDS.includes(kind)) errors.kind = 'Select what kind of entry this is'
  const date = parseDateParts({ day: text(body['date-day']), month: text(body['date-month']), year: text(body['date-year']) }, { label: 'The date', today })
  if (!date.ok) errors.date = date.message
  const timeTyped = text(body.time)
  const minutes = timeTyped ? parseTime(timeTyped) : 0
  if (minutes === undefined) errors.time = 'Enter the time like 9:30am or 14:30'
  const summary = text(body.summary)
  if (!summary) errors.summary = 'Enter a summary of what happened'
  else if (summary.length > 300) errors.summary = 'The summary must be 300 characters or fewer'
  const detail = text(body.detail)
  if (detail.length > 10_000) errors.detail = 'The detail must be 10,000 characters or fewer'
  const significant = text(body.significant)
  if (significant !== 'yes' && significant !== 'no') errors.significant = 'Select yes if this is a significant event'
  let occurredAt: Date | undefined
  if (date.ok && minutes !== undefined) {
    occurredAt = localTimeToInstant(date.date, minutes)
    if (occurredAt.getTime() > now.getTime()) errors.time = 'The time must be now or in the past'
  }
  if (Object.keys(errors).length || !occurredAt) {
    const dateField = !date.ok ? `date-${date.fields[0] ?? 'day'}` : 'date-day'
    return { ok: false, errors, ids: { kind: 'kind', date: dateField, significant: 'significant' } }
  }
  return { ok: true, value: { kind, occurredAt, summary, detail: detail || null, significant: significant === 'yes' } }
}
