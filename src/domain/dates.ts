/**
 * Dates typed into a GOV.UK date input (three fields: day, month, year), checked with the
 * GOV.UK Design System's error messages, e.g. "Date of birth must include a month",
 * "Date of birth must be a real date", "Date of birth must be today or in the past".
 *
 * Pure: "today" is a parameter ("YYYY-MM-DD", the local date where the user is).
 */

export type DateField = 'day' | 'month' | 'year'

export interface DateParts {
  day?: string | undefined
  month?: string | undefined
  year?: string | undefined
}

export interface DateOptions {
  /** How the question names the date, capitalised: "Date of birth", "Due date". */
  label: string
  /** Today's date, "YYYY-MM-DD". */
  today: string
  /** Dates after today are accepted (due dates). Default false: today or in the past. */
  allowFuture?: boolean
  /** Dates before today are accepted. Default true. */
  allowPast?: boolean
}

export const DATE_ERRORS = [
  'missing-all',
  'missing-day',
  'missing-month',
  'missing-year',
  'missing-day-and-month',
  'missing-day-and-year',
  'missing-month-and-year',
  'not-real',
  'year-not-four-digits',
  'in-future',
  'in-past',
] as const
export type DateError = (typeof DATE_ERRORS)[number]

export type DateResult =
  | { ok: true; date: string }
  | {
      ok: false
      error: DateError
      /** The GOV.UK wording, for the error summary and the field. */
      message: string
      /** The inputs to highlight: only the wrong ones where that is clear, else all three. */
      fields: DateField[]
    }

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

/** A month as typed: 1-12 ("3", "03"), or a name in full or short ("March", "mar", "Sept"). NaN if neither. */
function monthNumber(typed: string): number {
  if (/^\d{1,2}$/.test(typed)) return Number(typed)
  const word = typed.toLowerCase().replace(/\.$/, '')
  if (word === 'sept') return 9
  const i = MONTH_NAMES.findIndex((name) => word.length >= 3 && name.startsWith(word) && (word.length === 3 || word === name))
  return i === -1 ? Number.NaN : i + 1
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

function fail(error: DateError, message: string, fields: DateField[]): DateResult {
  return { ok: false, error, message, fields }
}

/**
 * Checks a date typed as day, month and year. Errors, in order of priority: nothing entered,
 * a part missing, not a real date (or a year not of 4 numbers), then out of the allowed range.
 */
export function parseDateParts(parts: DateParts, options: DateOptions): DateResult {
  const { label, today, allowFuture = false, allowPast = true } = options
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD (got ${today})`)
  const day = (parts.day ?? '').trim()
  const month = (parts.month ?? '').trim()
  const year = (parts.year ?? '').trim()

  const missing = (
    [
      ['day', day],
      ['month', month],
      ['year', year],
    ] as const
  )
    .filter(([, v]) => v === '')
    .map(([k]) => k)
  if (missing.length === 3) return fail('missing-all', `Enter ${lowerFirst(label)}`, ['day', 'month', 'year'])
  if (missing.length > 0) {
    return fail(`missing-${missing.join('-and-')}` as DateError, `${label} must include a ${missing.join(' and ')}`, [...missing])
  }

  const realDate = `${label} must be a real date`
  const m = monthNumber(month)
  const d = /^\d{1,2}$/.test(day) ? Number(day) : Number.NaN
  const badMonth = !(m >= 1 && m <= 12)
  const badDay = !(d >= 1 && d <= 31)
  if (badDay || badMonth) {
    return fail('not-real', realDate, [...(badDay ? ['day' as const] : []), ...(badMonth ? ['month' as const] : [])])
  }
  if (!/^\d+$/.test(year)) return fail('not-real', realDate, ['year'])
  if (year.length !== 4) return fail('year-not-four-digits', 'Year must include 4 numbers', ['year'])
  const y = Number(year)
  if (y < 1000) return fail('not-real', realDate, ['year'])
  if (d > daysInMonth(y, m)) return fail('not-real', realDate, ['day'])

  const date = `${pad(y, 4)}-${pad(m)}-${pad(d)}`
  if (!allowFuture && date > today) return fail('in-future', `${label} must be today or in the past`, ['day', 'month', 'year'])
  if (!allowPast && date < today) return fail('in-past', `${label} must be today or in the future`, ['day', 'month', 'year'])
  return { ok: true, date }
}

/** The day, month and year fields for a stored "YYYY-MM-DD" date, as a user would type them. */
export function datePartsOf(date: string): Required<DateParts> {
  const [year = '', month = '', day = ''] = date.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year }
}
