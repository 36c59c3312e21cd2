import type { MeetingKind } from '../../platform/db/schema.ts'

export const MEETING_KINDS: Record<MeetingKind, string> = {
  initial: 'Initial',
  review: 'Review',
  final: 'Final',
}

export const MEETING_STATUSES = { scheduled: 'Scheduled', held: 'Held', cancelled: 'Cancelled' } as const

/** What the next meeting can be: the initial meeting until one has been held, then a review or the final meeting. */
export function kindsAllowed(heldCount: number): MeetingKind[] {
  return heldCount === 0 ? ['initial'] : ['review', 'final']
}

export type TimeResult = { ok: true; minutes: number; text: string } | { ok: false; message: string }

/**
 * A time of day as people type it: "14:30", "9:05", "0930", "2:30pm", "2pm", "12 noon". Returns
 * minutes after midnight and the 24-hour "HH:MM" form, or a GOV.UK-style message.
 */
export function parseTime(typed: string | undefined, label = 'Time'): TimeResult {
  const value = (typed ?? '').trim().toLowerCase().replace(/\s+/g, '').replace(/\./g, ':')
  if (!value) return { ok: false, message: `Enter the ${label.toLowerCase()}, for example 14:30` }
  if (value === 'noon' || value === '12noon' || value === 'midday') return { ok: true, minutes: 720, text: '12:00' }
  if (value === 'midnight') return { ok: true, minutes: 0, text: '00:00' }
  const match = /^(\d{1,2})(?::?(\d{2}))?(am|pm)?$/.exec(value)
  const invalid = { ok: false as const, message: `${label} must be a real time, for example 14:30 or 2:30pm` }
  if (!match) return invalid
  let hour = Number(match[1])
  const minute = match[2] === undefined ? 0 : Number(match[2])
  const suffix = match[3]
  if (match[2] === undefined && !suffix) return invalid
  if (minute > 59) return invalid
  if (suffix) {
    if (hour < 1 || hour > 12) return invalid
    if (suffix === 'am') hour = hour === 12 ? 0 : hour
    else hour = hour === 12 ? 12 : hour + 12
  } else if (hour > 23) return invalid
  const text = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
  return { ok: true, minutes: hour * 60 + minute, text }
}

const localTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' })

/** "14:30": the UK local time of an instant. */
export function localTimeOf(at: Date): string {
  return localTime.format(at)
}
