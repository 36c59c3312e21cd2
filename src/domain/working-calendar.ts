/**
 * The service-level clock in an authority's working calendar.
 *
 * Working time runs only inside working hours (`dayStarts` to `dayEnds`, Europe/London local
 * time) on the calendar's working days, and never on a bank holiday of its region. Bank holidays
 * come from the `date-holidays` library: only holidays of type "public" (the real bank holidays,
 * substitute days included; observances such as Mother's Day are not).
 *
 * Everything here is pure: "now" is always a parameter. Times are real instants (`Date`), and
 * working time is measured in real elapsed minutes inside each day's working window, so a day
 * with a clock change is handled by converting each day's opening and closing to an instant.
 */
import Holidays from 'date-holidays'

/** The clock runs in UK local time for every authority. */
export const TIME_ZONE = 'Europe/London'

export interface WorkingCalendar {
  /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
  readonly workingDays: readonly number[]
  /** "HH:MM", local time. */
  readonly dayStarts: string
  /** "HH:MM", local time, after dayStarts. */
  readonly dayEnds: string
  /** Country and region for `date-holidays`, e.g. "GB-ENG". */
  readonly bankHolidays: string
}

/**
 * How a timescale is counted:
 * - `working-days`: N working days, each as long as the calendar's working day (09:00-17:00 is 8
 *   working hours), so a request at 15:30 on a Friday is due at 15:30 on the next working day.
 * - `working-hours`: N hours of working time.
 * - `hours`: N elapsed hours, around the clock, ignoring the calendar.
 */
export const TIMESCALE_UNITS = ['working-days', 'working-hours', 'hours'] as const
export type TimescaleUnit = (typeof TIMESCALE_UNITS)[number]

export interface Timescale {
  readonly value: number
  readonly unit: TimescaleUnit
}

export interface WorkingAmount {
  days?: number
  hours?: number
  minutes?: number
}

const MINUTE = 60_000
const DAY_MS = 86_400_000
/** No calendar has a year without a working day; stop rather than loop for ever on bad data. */
const MAX_DAYS_WITHOUT_WORK = 800

// ---------------------------------------------------------------------------------------------
// Local time in Europe/London, by Intl.

const localFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

interface LocalFields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function localFields(ms: number): LocalFields {
  const out: Record<string, number> = {}
  for (const p of localFormat.formatToParts(ms)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value)
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  }
}

/** The offset of local time from UTC at an instant, in milliseconds (0 in GMT, 3_600_000 in BST). */
export function utcOffsetMs(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime()
  const whole = Math.floor(ms / 1000) * 1000
  const f = localFields(whole)
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - whole
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

function dateParts(date: string): [number, number, number] {
  const [y = 0, m = 0, d = 0] = date.split('-').map(Number)
  return [y, m, d]
}

/** The local calendar date ("YYYY-MM-DD") of an instant, in Europe/London. */
export function localDateOf(at: Date): string {
  const f = localFields(at.getTime())
  return isoDate(f.year, f.month, f.day)
}

function addDays(date: string, days: number): string {
  const [y, m, d] = dateParts(date)
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS)
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())
}

function isoWeekday(date: string): number {
  const [y, m, d] = dateParts(date)
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return day === 0 ? 7 : day
}

/**
 * The instant at `minuteOfDay` minutes past local midnight on `date`. A local time that does not
 * exist (inside the spring-forward gap) moves forward by the gap; one that happens twice (the
 * autumn fold) is the earlier of the two.
 */
export function localTimeToInstant(date: string, minuteOfDay: number): Date {
  const key = `${date}T${minuteOfDay}`
  let ms = instantCache.get(key)
  if (ms === undefined) {
    ms = computeLocalTime(date, minuteOfDay)
    if (instantCache.size >= INSTANT_CACHE_SIZE) instantCache.clear()
    instantCache.set(key, ms)
  }
  return new Date(ms)
}

/** Opening and closing times repeat for every clock; keep the conversions (bounded). */
const INSTANT_CACHE_SIZE = 20_000
const instantCache = new Map<string, number>()

function computeLocalTime(date: string, minuteOfDay: number): number {
  const [y, m, d] = dateParts(date)
  const local = Date.UTC(y, m - 1, d) + minuteOfDay * MINUTE
  const before = utcOffsetMs(local - 1.5 * DAY_MS)
  const after = utcOffsetMs(local + 1.5 * DAY_MS)
  const valid = [...new Set([before, after])].map((o) => local - o).filter((t) => utcOffsetMs(t) === local - t)
  return valid.length > 0 ? Math.min(...valid) : local - before
}

function minutesOf(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number)
  return h * 60 + m
}

// ---------------------------------------------------------------------------------------------
// Bank holidays, from date-holidays.

const holidayLibraries = new Map<string, Holidays>()
const holidayYears = new Map<string, ReadonlyMap<string, string>>()

function holidayLibrary(region: string): Holidays {
  let hd = holidayLibraries.get(region)
  if (hd === undefined) {
    const [country = '', state] = region.split('-')
    hd = state === undefined ? new Holidays(country) : new Holidays(country, state)
    if (hd.getCountries()[country] === undefined || (state !== undefined && hd.getStates(country)?.[state] === undefined)) {
      throw new RangeError(`Unknown bank holiday region "${region}"`)
    }
    holidayLibraries.set(region, hd)
  }
  return hd
}

function holidaysOfYear(region: string, year: number): ReadonlyMap<string, string> {
  const key = `${region}:${year}`
  let found = holidayYears.get(key)
  if (found === undefined) {
    const map = new Map<string, string>()
    for (const h of holidayLibrary(region).getHolidays(year)) {
      // "public" holidays are the bank holidays (substitute days included); "observance" are not.
      if (h.type === 'public') map.set(h.date.slice(0, 10), h.name)
    }
    found = map
    holidayYears.set(key, found)
  }
  return found
}

/** The bank holidays of a region in a year, in date order, e.g. ("GB-ENG", 2025). */
export function bankHolidays(region: string, year: number): { date: string; name: string }[] {
  return [...holidaysOfYear(region, year)].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date))
}

/** The bank holiday's name when `date` ("YYYY-MM-DD") is one in the region, else undefined. */
export function bankHolidayOn(region: string, date: string): string | undefined {
  return holidaysOfYear(region, dateParts(date)[0]).get(date)
}

// ---------------------------------------------------------------------------------------------
// Working days and hours.

function assertValidCalendar(calendar: WorkingCalendar): void {
  const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/
  if (!hhmm.test(calendar.dayStarts) || !hhmm.test(calendar.dayEnds) || calendar.dayStarts >= calendar.dayEnds) {
    throw new RangeError(`Working hours must be HH:MM with dayStarts before dayEnds (got ${calendar.dayStarts}-${calendar.dayEnds})`)
  }
  if (calendar.workingDays.length === 0 || calendar.workingDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new RangeError('workingDays must list ISO weekdays 1-7')
  }
}

function assertValidDate(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${name} must be a valid Date`)
}

/** Minutes in one working day of the calendar (dayEnds - dayStarts): 480 for 09:00-17:00. */
export function workingDayMinutes(calendar: WorkingCalendar): number {
  assertValidCalendar(calendar)
  return minutesOf(calendar.dayEnds) - minutesOf(calendar.dayStarts)
}

/** True when `date` ("YYYY-MM-DD") is one of the calendar's working days and not a bank holiday. */
export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  return calendar.workingDays.includes(isoWeekday(date)) && bankHolidayOn(calendar.bankHolidays, date) === undefined
}

/** Opening and closing instants of a working day's window. */
function windowOf(calendar: WorkingCalendar, date: string): [number, number] {
  return [
    localTimeToInstant(date, minutesOf(calendar.dayStarts)).getTime(),
    localTimeToInstant(date, minutesOf(calendar.dayEnds)).getTime(),
  ]
}

/** True when `at` is within working hours (opening and closing included) of a working day. */
export function isWithinWorkingHours(calendar: WorkingCalendar, at: Date): boolean {
  assertValidDate(at, 'at')
  const date = localDateOf(at)
  if (!isWorkingDay(calendar, date)) return false
  const [open, close] = windowOf(calendar, date)
  return at.getTime() >= open && at.getTime() <= close
}

/** `at` itself when within working hours, else the next opening: where counting starts. */
export function nextWorkingMoment(calendar: WorkingCalendar, at: Date): Date {
  return addWorkingTime(calendar, at, {})
}

function amountMs(calendar: WorkingCalendar, amount: WorkingAmount): number {
  const { days = 0, hours = 0, minutes = 0 } = amount
  for (const [k, v] of Object.entries({ days, hours, minutes })) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a finite number, 0 or more (got ${v})`)
  }
  return Math.round((days * workingDayMinutes(calendar) + hours * 60 + minutes) * MINUTE)
}

/**
 * The moment a deadline of `amount` working time from `start` falls due: the earliest instant by
 * which that much working time has passed. Counting starts at `start` when it is within working
 * hours, else at the next opening. `days` are working days as long as the calendar's working day.
 * The result is within working hours of a working day (a deadline that uses up a day exactly is
 * due at that day's closing time).
 */
export function addWorkingTime(calendar: WorkingCalendar, start: Date, amount: WorkingAmount): Date {
  assertValidDate(start, 'start')
  let remaining = amountMs(calendar, amount)
  let cursor = start.getTime()
  let date = localDateOf(start)
  for (let idle = 0; idle <= MAX_DAYS_WITHOUT_WORK; date = addDays(date, 1)) {
    if (!isWorkingDay(calendar, date)) {
      idle++
      continue
    }
    idle = 0
    const [open, close] = windowOf(calendar, date)
    if (cursor < open) cursor = open
    if (cursor <= close) {
      if (remaining <= close - cursor) return new Date(cursor + remaining)
      remaining -= close - cursor
    }
  }
  throw new RangeError(`The working calendar has no working day in ${MAX_DAYS_WITHOUT_WORK} days`)
}

/**
 * Working time between two instants, in minutes (fractional when the instants carry seconds):
 * the part of [from, to] inside working hours of working days. Negative when `to` is before `from`.
 */
export function workingTimeBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  assertValidDate(from, 'from')
  assertValidDate(to, 'to')
  assertValidCalendar(calendar)
  if (to.getTime() < from.getTime()) return -workingTimeBetween(calendar, to, from)
  const a = from.getTime()
  const b = to.getTime()
  const last = localDateOf(to)
  let total = 0
  for (let date = localDateOf(from); date <= last; date = addDays(date, 1)) {
    if (!isWorkingDay(calendar, date)) continue
    const [open, close] = windowOf(calendar, date)
    const overlap = Math.min(b, close) - Math.max(a, open)
    if (overlap > 0) total += overlap
  }
  return total / MINUTE
}

/** When a timescale from the framework (`{ value: 1, unit: 'working-days' }`) falls due. */
export function addTimescale(calendar: WorkingCalendar, start: Date, timescale: Timescale): Date {
  assertValidDate(start, 'start')
  switch (timescale.unit) {
    case 'working-days':
      return addWorkingTime(calendar, start, { days: timescale.value })
    case 'working-hours':
      return addWorkingTime(calendar, start, { hours: timescale.value })
    case 'hours':
      if (!Number.isFinite(timescale.value) || timescale.value < 0) throw new RangeError('hours must be 0 or more')
      return new Date(start.getTime() + Math.round(timescale.value * 60 * MINUTE))
  }
}

// ---------------------------------------------------------------------------------------------
// The state of a clock.

export const CLOCK_STATES = ['on-time', 'due-soon', 'overdue', 'met', 'missed'] as const
export type ClockStateName = (typeof CLOCK_STATES)[number]

export interface ClockInput {
  startedAt: Date
  dueAt: Date
  completedAt?: Date | undefined
  now: Date
  /** "Due soon" within this many minutes of the deadline. Default: a quarter of the whole clock. */
  dueSoonWithin?: number
  /** How the clock counts: 'hours' clocks measure elapsed time; the others working time. Default working. */
  unit?: TimescaleUnit
}

export interface ClockState {
  state: ClockStateName
  /** For a tag or a list: "Due soon – 45 working minutes left", "Overdue by 1 working day". */
  label: string
  /** Time left before the deadline: from now, or from completion for a finished clock. 0 once past. */
  minutesLeft: number
  /** Time past the deadline: now (overdue) or at completion (missed). 0 when not past. */
  minutesOverdue: number
  /** Whether the minutes are working minutes or elapsed minutes. */
  measure: 'working' | 'elapsed'
}

/** "1 working day and 2 hours", "45 working minutes"; "2 days and 3 hours" for elapsed time. */
export function formatDuration(minutes: number, options: { dayMinutes: number; working: boolean }): string {
  const whole = Math.max(0, Math.ceil(minutes - 1e-9))
  const days = Math.floor(whole / options.dayMinutes)
  const hours = Math.floor((whole - days * options.dayMinutes) / 60)
  const mins = whole - days * options.dayMinutes - hours * 60
  const units: [number, string][] = (
    [
      [days, 'day'],
      [hours, 'hour'],
      [mins, 'minute'],
    ] as [number, string][]
  ).filter(([n]) => n > 0)
  if (units.length === 0) units.push([0, 'minute'])
  const words = units.map(([n, unit], i) => `${n} ${i === 0 && options.working ? 'working ' : ''}${unit}${n === 1 ? '' : 's'}`)
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`
}

/**
 * Where a clock stands: 'met' or 'missed' once completed (on or before the deadline is met);
 * otherwise 'overdue' after the deadline, 'due-soon' within `dueSoonWithin` minutes of it, else
 * 'on-time'.
 */
export function clockState(calendar: WorkingCalendar, input: ClockInput): ClockState {
  const { startedAt, dueAt, completedAt, now } = input
  assertValidDate(startedAt, 'startedAt')
  assertValidDate(dueAt, 'dueAt')
  assertValidDate(now, 'now')
  if (completedAt !== undefined) assertValidDate(completedAt, 'completedAt')
  const measure = input.unit === 'hours' ? 'elapsed' : 'working'
  const dayMinutes = measure === 'working' ? workingDayMinutes(calendar) : 24 * 60
  const between = (a: Date, b: Date) =>
    measure === 'working' ? workingTimeBetween(calendar, a, b) : (b.getTime() - a.getTime()) / MINUTE
  const fmt = (minutes: number) => formatDuration(minutes, { dayMinutes, working: measure === 'working' })

  const at = completedAt ?? now
  const late = at.getTime() > dueAt.getTime()
  const minutesOverdue = late ? Math.max(between(dueAt, at), 0) : 0
  const minutesLeft = late ? 0 : Math.max(between(at, dueAt), 0)

  if (completedAt !== undefined) {
    return late
      ? { state: 'missed', label: minutesOverdue > 0 ? `Missed by ${fmt(minutesOverdue)}` : 'Missed', minutesLeft, minutesOverdue, measure }
      : { state: 'met', label: 'Met', minutesLeft, minutesOverdue, measure }
  }
  if (late) {
    // Past the deadline with no working time since (a weekend, say): overdue, by no working time yet.
    return { state: 'overdue', label: minutesOverdue > 0 ? `Overdue by ${fmt(minutesOverdue)}` : 'Overdue', minutesLeft, minutesOverdue, measure }
  }
  const dueSoonWithin = input.dueSoonWithin ?? Math.max(between(startedAt, dueAt), 0) / 4
  if (minutesLeft <= dueSoonWithin) {
    return { state: 'due-soon', label: `Due soon – ${fmt(minutesLeft)} left`, minutesLeft, minutesOverdue, measure }
  }
  return { state: 'on-time', label: `On time – ${fmt(minutesLeft)} left`, minutesLeft, minutesOverdue, measure }
}
