import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import Holidays from 'date-holidays'
import {
  addTimescale,
  addWorkingTime,
  bankHolidayOn,
  bankHolidays,
  clockState,
  formatDuration,
  isWithinWorkingHours,
  isWorkingDay,
  localDateOf,
  localTimeToInstant,
  nextWorkingMoment,
  utcOffsetMs,
  workingDayMinutes,
  workingTimeBetween,
  type WorkingCalendar,
} from './working-calendar.ts'

/** Office hours, Monday to Friday, England: what both authorities configure. */
const office: WorkingCalendar = { workingDays: [1, 2, 3, 4, 5], dayStarts: '09:00', dayEnds: '17:00', bankHolidays: 'GB-ENG' }

const at = (iso: string) => new Date(iso)
const iso = (d: Date) => d.toISOString()

/** Independent reading of an instant in London time, for checking results. */
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})
function london(d: Date): { date: string; weekday: number; time: string } {
  const p = Object.fromEntries(londonParts.formatToParts(d).map((x) => [x.type, x.value]))
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday ?? '') + 1
  return { date: `${p.year}-${p.month}-${p.day}`, weekday, time: `${p.hour}:${p.minute}:${p.second}` }
}

const publicHolidays = new Map<string, Set<string>>()
function isPublicHoliday(region: string, date: string): boolean {
  const key = `${region}:${date.slice(0, 4)}`
  if (!publicHolidays.has(key)) {
    const [country, state] = region.split('-')
    const hd = new Holidays(country!, state!)
    publicHolidays.set(key, new Set(hd.getHolidays(Number(date.slice(0, 4))).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10))))
  }
  return publicHolidays.get(key)!.has(date)
}

/** Checked without the module's own helpers: a working weekday, not a bank holiday, inside hours. */
function independentlyWithinHours(cal: WorkingCalendar, d: Date): boolean {
  const l = london(d)
  return (
    cal.workingDays.includes(l.weekday) &&
    !isPublicHoliday(cal.bankHolidays, l.date) &&
    l.time >= `${cal.dayStarts}:00` &&
    l.time <= `${cal.dayEnds}:00`
  )
}

describe('bank holidays come from date-holidays', () => {
  test('England 2025: the eight bank holidays, and no observances', () => {
    assert.deepEqual(
      bankHolidays('GB-ENG', 2025).map((h) => h.date),
      ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
    )
    assert.equal(bankHolidayOn('GB-ENG', '2025-03-30'), undefined, "Mother's Day is an observance")
    assert.equal(bankHolidayOn('GB-ENG', '2025-04-20'), undefined, 'Easter Sunday is an observance')
    assert.equal(bankHolidayOn('GB-ENG', '2025-08-25'), 'Summer bank holiday')
  })

  test('substitute days count; one-off bank holidays count', () => {
    assert.match(bankHolidayOn('GB-ENG', '2026-12-28') ?? '', /substitute/i, 'Boxing Day 2026 is a Saturday')
    assert.ok(bankHolidayOn('GB-ENG', '2022-01-03'), "New Year's Day 2022 (substitute)")
    assert.ok(bankHolidayOn('GB-ENG', '2023-05-08'), 'the coronation')
    assert.ok(bankHolidayOn('GB-ENG', '2022-09-19'), 'the state funeral')
  })

  test('the region matters: 2 January is a bank holiday in Scotland, not England', () => {
    assert.equal(bankHolidayOn('GB-ENG', '2025-01-02'), undefined)
    assert.ok(bankHolidayOn('GB-SCT', '2025-01-02'))
    assert.equal(isWorkingDay(office, '2025-01-02'), true)
    assert.equal(isWorkingDay({ ...office, bankHolidays: 'GB-SCT' }, '2025-01-02'), false)
  })

  test('an unknown region is refused', () => {
    assert.throws(() => bankHolidayOn('GB-XYZ', '2025-01-01'), /Unknown bank holiday region/)
  })
})

describe('Europe/London local time', () => {
  test('offsets in GMT and BST', () => {
    assert.equal(utcOffsetMs(at('2025-01-15T12:00:00Z')), 0)
    assert.equal(utcOffsetMs(at('2025-07-15T12:00:00Z')), 3_600_000)
    assert.equal(localDateOf(at('2025-06-30T23:30:00Z')), '2025-07-01', '00:30 BST is the next day')
  })

  test('local times on the days the clocks change', () => {
    assert.equal(iso(localTimeToInstant('2025-03-30', 9 * 60)), '2025-03-30T08:00:00.000Z')
    assert.equal(iso(localTimeToInstant('2025-03-30', 0)), '2025-03-30T00:00:00.000Z')
    assert.equal(iso(localTimeToInstant('2025-03-30', 90)), '2025-03-30T01:30:00.000Z', '01:30 does not exist: 02:30 BST')
    assert.equal(iso(localTimeToInstant('2025-10-26', 90)), '2025-10-26T00:30:00.000Z', '01:30 happens twice: the first')
    assert.equal(iso(localTimeToInstant('2025-10-26', 9 * 60)), '2025-10-26T09:00:00.000Z')
  })
})

describe('addWorkingTime: examples', () => {
  // Friday 22 August 2025, 15:30 BST; Monday 25 August is the summer bank holiday.
  const fridayBeforeBankHoliday = at('2025-08-22T14:30:00Z')

  test('1 working day from Friday 15:30 before the August bank holiday: Tuesday 15:30', () => {
    assert.equal(iso(addWorkingTime(office, fridayBeforeBankHoliday, { days: 1 })), '2025-08-26T14:30:00.000Z')
  })

  test('2 working days from the same Friday: Wednesday 27 August 15:30', () => {
    assert.equal(iso(addWorkingTime(office, fridayBeforeBankHoliday, { days: 2 })), '2025-08-27T14:30:00.000Z')
  })

  test('hours count the same way: 8 working hours is 1 working day', () => {
    assert.equal(iso(addWorkingTime(office, fridayBeforeBankHoliday, { hours: 8 })), '2025-08-26T14:30:00.000Z')
    assert.equal(iso(addWorkingTime(office, fridayBeforeBankHoliday, { hours: 1, minutes: 30 })), '2025-08-22T16:00:00.000Z')
    assert.equal(iso(addWorkingTime(office, fridayBeforeBankHoliday, { hours: 2 })), '2025-08-26T08:30:00.000Z', 'Tuesday 09:30')
  })

  test('Christmas Eve 2025, 14:00: over Christmas Day, Boxing Day and the weekend', () => {
    const christmasEve = at('2025-12-24T14:00:00Z') // Wednesday, GMT
    assert.equal(iso(addWorkingTime(office, christmasEve, { days: 1 })), '2025-12-29T14:00:00.000Z', 'Monday 29th')
    assert.equal(iso(addWorkingTime(office, christmasEve, { days: 2 })), '2025-12-30T14:00:00.000Z')
    assert.equal(iso(addWorkingTime(office, christmasEve, { days: 4 })), '2026-01-02T14:00:00.000Z', "over New Year's Day")
  })

  test('Christmas Eve 2026, 16:00: the Boxing Day substitute (Monday 28th) is skipped too', () => {
    assert.equal(iso(addWorkingTime(office, at('2026-12-24T16:00:00Z'), { days: 1 })), '2026-12-29T16:00:00.000Z')
  })

  test('a request at 20:00 on a Sunday starts counting at 09:00 on Monday', () => {
    const sundayEvening = at('2025-09-07T19:00:00Z') // Sunday 7 September 2025, 20:00 BST
    assert.equal(iso(addWorkingTime(office, sundayEvening, { hours: 4 })), '2025-09-08T12:00:00.000Z', 'Monday 13:00')
    assert.equal(iso(addWorkingTime(office, sundayEvening, { days: 1 })), '2025-09-08T16:00:00.000Z', 'Monday 17:00')
    assert.equal(iso(addWorkingTime(office, sundayEvening, { days: 2 })), '2025-09-09T16:00:00.000Z', 'Tuesday 17:00')
    assert.equal(iso(nextWorkingMoment(office, sundayEvening)), '2025-09-08T08:00:00.000Z')
  })

  test('before opening, and after closing on a weekday', () => {
    assert.equal(iso(addWorkingTime(office, at('2025-09-09T06:00:00Z'), { hours: 1 })), '2025-09-09T09:00:00.000Z', '07:00 -> 10:00 BST')
    assert.equal(iso(addWorkingTime(office, at('2025-09-09T17:00:00Z'), { hours: 1 })), '2025-09-10T09:00:00.000Z', '18:00 -> next day 10:00 BST')
  })

  test('across the spring clock change: Friday 28 March 2025 15:00 GMT -> Monday 31 March 15:00 BST', () => {
    const due = addWorkingTime(office, at('2025-03-28T15:00:00Z'), { days: 1 })
    assert.equal(iso(due), '2025-03-31T14:00:00.000Z')
    assert.equal(london(due).time, '15:00:00')
    assert.equal((due.getTime() - at('2025-03-28T15:00:00Z').getTime()) / 3_600_000, 71, 'an hour short in real time')
  })

  test('across the autumn clock change: Friday 24 October 2025 15:00 BST -> Monday 27 October 15:00 GMT', () => {
    const due = addWorkingTime(office, at('2025-10-24T14:00:00Z'), { days: 1 })
    assert.equal(iso(due), '2025-10-27T15:00:00.000Z')
    assert.equal(london(due).time, '15:00:00')
  })

  test('working hours that include the change hour count real time', () => {
    const nightly: WorkingCalendar = { workingDays: [1, 2, 3, 4, 5, 6, 7], dayStarts: '00:00', dayEnds: '04:00', bankHolidays: 'GB-ENG' }
    // Sunday 30 March 2025: 00:00 GMT to 04:00 BST is three hours.
    assert.equal(workingTimeBetween(nightly, at('2025-03-29T23:00:00Z'), at('2025-03-30T22:00:00Z')), 180)
    // Sunday 26 October 2025: 00:00 BST to 04:00 GMT is five hours.
    assert.equal(workingTimeBetween(nightly, at('2025-10-25T22:00:00Z'), at('2025-10-27T00:00:00Z')), 300)
  })

  test('zero: within hours it is the start; outside, the next opening', () => {
    const inside = at('2025-09-09T10:00:00Z')
    assert.equal(iso(addWorkingTime(office, inside, {})), iso(inside))
    assert.equal(iso(addWorkingTime(office, at('2025-09-06T10:00:00Z'), { days: 0 })), '2025-09-08T08:00:00.000Z', 'Saturday -> Monday 09:00')
  })

  test('a whole day from opening is due at that day’s close', () => {
    assert.equal(iso(addWorkingTime(office, at('2025-09-08T08:00:00Z'), { days: 1 })), '2025-09-08T16:00:00.000Z')
  })

  test('refuses negative or non-finite amounts and invalid dates', () => {
    assert.throws(() => addWorkingTime(office, at('2025-09-08T08:00:00Z'), { hours: -1 }), RangeError)
    assert.throws(() => addWorkingTime(office, at('2025-09-08T08:00:00Z'), { days: Number.NaN }), RangeError)
    assert.throws(() => addWorkingTime(office, new Date('nonsense'), { days: 1 }), RangeError)
    assert.throws(() => addWorkingTime({ ...office, dayStarts: '17:00', dayEnds: '09:00' }, new Date(), { days: 1 }), RangeError)
  })
})

describe('workingTimeBetween: examples', () => {
  test('over the August bank holiday weekend', () => {
    assert.equal(workingTimeBetween(office, at('2025-08-22T14:30:00Z'), at('2025-08-26T14:30:00Z')), 480)
    assert.equal(workingTimeBetween(office, at('2025-08-26T14:30:00Z'), at('2025-08-22T14:30:00Z')), -480)
  })

  test('nothing at a weekend', () => {
    assert.equal(workingTimeBetween(office, at('2025-09-06T08:00:00Z'), at('2025-09-07T20:00:00Z')), 0)
  })

  test('a working week with no bank holiday is 40 hours', () => {
    assert.equal(workingTimeBetween(office, at('2025-09-08T00:00:00Z'), at('2025-09-15T00:00:00Z')), 40 * 60)
    assert.equal(workingDayMinutes(office), 480)
  })
})

describe('addTimescale', () => {
  const friday = at('2025-08-22T14:30:00Z')
  test('working days, working hours and elapsed hours', () => {
    assert.equal(iso(addTimescale(office, friday, { value: 1, unit: 'working-days' })), '2025-08-26T14:30:00.000Z')
    assert.equal(iso(addTimescale(office, friday, { value: 24, unit: 'working-hours' })), '2025-08-28T14:30:00.000Z', '24 working hours is 3 working days')
    assert.equal(iso(addTimescale(office, friday, { value: 24, unit: 'hours' })), '2025-08-23T14:30:00.000Z', 'around the clock: Saturday')
  })
})

describe('clockState: examples', () => {
  const startedAt = at('2025-08-22T14:30:00Z') // Friday 15:30 BST
  const dueAt = at('2025-08-26T14:30:00Z') // Tuesday 15:30 BST

  test('on time, with the working time left', () => {
    const s = clockState(office, { startedAt, dueAt, now: at('2025-08-23T10:00:00Z') })
    assert.equal(s.state, 'on-time')
    assert.equal(s.minutesLeft, 390)
    assert.equal(s.label, 'On time – 6 working hours and 30 minutes left')
    assert.equal(s.measure, 'working')
  })

  test('due soon within a quarter of the clock by default, or as asked', () => {
    const s = clockState(office, { startedAt, dueAt, now: at('2025-08-26T13:00:00Z') }) // Tuesday 14:00
    assert.equal(s.state, 'due-soon')
    assert.equal(s.label, 'Due soon – 1 working hour and 30 minutes left')
    assert.equal(clockState(office, { startedAt, dueAt, now: at('2025-08-26T13:00:00Z'), dueSoonWithin: 60 }).state, 'on-time')
    assert.equal(clockState(office, { startedAt, dueAt, now: at('2025-08-26T09:30:00Z'), dueSoonWithin: 300 }).state, 'due-soon')
  })

  test('overdue by working time; overdue with none elapsed says so plainly', () => {
    const s = clockState(office, { startedAt, dueAt, now: at('2025-08-27T09:00:00Z') }) // Wednesday 10:00
    assert.equal(s.state, 'overdue')
    assert.equal(s.minutesOverdue, 150)
    assert.equal(s.label, 'Overdue by 2 working hours and 30 minutes')
    const friday17 = at('2025-09-05T16:00:00Z')
    const weekend = clockState(office, { startedAt: at('2025-09-05T08:00:00Z'), dueAt: friday17, now: at('2025-09-06T12:00:00Z') })
    assert.equal(weekend.state, 'overdue')
    assert.equal(weekend.label, 'Overdue')
    const days = clockState(office, { startedAt, dueAt, now: at('2025-08-29T09:00:00Z') })
    assert.equal(days.label, 'Overdue by 2 working days, 2 hours and 30 minutes')
  })

  test('met and missed once completed', () => {
    assert.equal(clockState(office, { startedAt, dueAt, completedAt: dueAt, now: at('2025-12-01T12:00:00Z') }).state, 'met')
    const missed = clockState(office, { startedAt, dueAt, completedAt: at('2025-08-27T14:30:00Z'), now: at('2025-12-01T12:00:00Z') })
    assert.equal(missed.state, 'missed')
    assert.equal(missed.label, 'Missed by 1 working day')
  })

  test('an elapsed-hours clock measures real time', () => {
    const s = clockState(office, { startedAt, dueAt: at('2025-08-23T14:30:00Z'), now: at('2025-08-23T08:30:00Z'), unit: 'hours' })
    assert.equal(s.measure, 'elapsed')
    assert.equal(s.state, 'due-soon')
    assert.equal(s.label, 'Due soon – 6 hours left')
  })

  test('formatDuration', () => {
    assert.equal(formatDuration(0, { dayMinutes: 480, working: true }), '0 working minutes')
    assert.equal(formatDuration(1, { dayMinutes: 480, working: true }), '1 working minute')
    assert.equal(formatDuration(0.2, { dayMinutes: 480, working: true }), '1 working minute', 'rounded up')
    assert.equal(formatDuration(480 + 61, { dayMinutes: 480, working: true }), '1 working day, 1 hour and 1 minute')
    assert.equal(formatDuration(1500, { dayMinutes: 1440, working: false }), '1 day and 1 hour')
  })
})

// ---------------------------------------------------------------------------------------------
// Properties.

const MIN = Date.UTC(2020, 0, 1)
const MAX = Date.UTC(2030, 11, 31)
const instant = fc.integer({ min: MIN, max: MAX }).map((ms) => new Date(ms))
const amount = fc.record(
  { days: fc.integer({ min: 0, max: 12 }), hours: fc.integer({ min: 0, max: 60 }), minutes: fc.integer({ min: 0, max: 600 }) },
  { requiredKeys: [] },
)
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
/** Any calendar with hours between 04:00 and 23:59, so local times are never in a clock change. */
const calendar: fc.Arbitrary<WorkingCalendar> = fc
  .record({
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    a: fc.integer({ min: 4 * 60, max: 24 * 60 - 1 }),
    b: fc.integer({ min: 4 * 60, max: 24 * 60 - 1 }),
    bankHolidays: fc.constantFrom('GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR'),
  })
  .filter(({ a, b }) => a !== b)
  .map(({ workingDays, a, b, bankHolidays }) => ({
    workingDays,
    dayStarts: hhmm(Math.min(a, b)),
    dayEnds: hhmm(Math.max(a, b)),
    bankHolidays,
  }))
const anyCalendar = fc.oneof({ arbitrary: fc.constant(office), weight: 2 }, { arbitrary: calendar, weight: 3 })
const minutesOf = (cal: WorkingCalendar, a: { days?: number; hours?: number; minutes?: number }) =>
  (a.days ?? 0) * workingDayMinutes(cal) + (a.hours ?? 0) * 60 + (a.minutes ?? 0)

describe('addWorkingTime: properties', () => {
  test('the due date is never before the start', () => {
    fc.assert(
      fc.property(anyCalendar, instant, amount, (cal, start, amt) => {
        assert.ok(addWorkingTime(cal, start, amt).getTime() >= start.getTime())
      }),
    )
  })

  test('a due date falls within working hours of a working day that is not a bank holiday', () => {
    fc.assert(
      fc.property(anyCalendar, instant, amount, (cal, start, amt) => {
        const due = addWorkingTime(cal, start, amt)
        assert.ok(isWithinWorkingHours(cal, due), `${iso(due)} within hours`)
        assert.ok(independentlyWithinHours(cal, due), `${iso(due)} (${JSON.stringify(london(due))}) within ${JSON.stringify(cal)}`)
      }),
    )
  })

  test('adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(anyCalendar, instant, amount, amount, (cal, start, a, b) => {
        const sum = { minutes: minutesOf(cal, a) + minutesOf(cal, b) }
        assert.equal(iso(addWorkingTime(cal, addWorkingTime(cal, start, a), b)), iso(addWorkingTime(cal, start, sum)))
      }),
    )
  })

  test('workingTimeBetween(start, addWorkingTime(start, x)) is x', () => {
    fc.assert(
      fc.property(anyCalendar, instant, amount, (cal, start, amt) => {
        assert.equal(workingTimeBetween(cal, start, addWorkingTime(cal, start, amt)), minutesOf(cal, amt))
      }),
    )
  })

  test('more working time is never due earlier', () => {
    fc.assert(
      fc.property(anyCalendar, instant, amount, fc.integer({ min: 1, max: 2000 }), (cal, start, amt, extra) => {
        const base = addWorkingTime(cal, start, amt)
        assert.ok(addWorkingTime(cal, start, { minutes: minutesOf(cal, amt) + extra }).getTime() > base.getTime())
      }),
    )
  })
})

describe('any working hours, even over the hour the clocks change', () => {
  const anyHours: fc.Arbitrary<WorkingCalendar> = fc
    .record({ workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), a: fc.integer({ min: 0, max: 1439 }), b: fc.integer({ min: 0, max: 1439 }) })
    .filter(({ a, b }) => a !== b)
    .map(({ workingDays, a, b }) => ({ workingDays, dayStarts: hhmm(Math.min(a, b)), dayEnds: hhmm(Math.max(a, b)), bankHolidays: 'GB-ENG' }))
  /** Instants in the week before a clock change, 2020-2030. */
  const nearChange = fc
    .tuple(fc.integer({ min: 2020, max: 2030 }), fc.constantFrom(2, 9), fc.integer({ min: 0, max: 7 * 24 * 60 }))
    .map(([y, month, minute]) => {
      const lastSunday = 31 - new Date(Date.UTC(y, month, 31)).getUTCDay()
      return new Date(Date.UTC(y, month, lastSunday) - minute * 60_000)
    })

  test('due dates are in working hours, additive, and measure back to the amount', () => {
    fc.assert(
      fc.property(anyHours, nearChange, amount, amount, (cal, start, a, b) => {
        const due = addWorkingTime(cal, start, a)
        assert.ok(due.getTime() >= start.getTime())
        assert.ok(isWithinWorkingHours(cal, due))
        assert.equal(workingTimeBetween(cal, start, due), minutesOf(cal, a))
        assert.equal(iso(addWorkingTime(cal, due, b)), iso(addWorkingTime(cal, start, { minutes: minutesOf(cal, a) + minutesOf(cal, b) })))
      }),
    )
  })
})

describe('workingTimeBetween and clockState: properties', () => {
  test('working time is additive over a midpoint and never more than the real time', () => {
    fc.assert(
      fc.property(anyCalendar, instant, fc.nat(60 * 86_400_000), fc.nat(60 * 86_400_000), (cal, a, x, y) => {
        const b = new Date(a.getTime() + Math.min(x, y))
        const c = new Date(a.getTime() + Math.max(x, y))
        const ab = workingTimeBetween(cal, a, b)
        const bc = workingTimeBetween(cal, b, c)
        assert.ok(Math.abs(ab + bc - workingTimeBetween(cal, a, c)) < 1e-6)
        assert.ok(ab >= 0 && ab <= (b.getTime() - a.getTime()) / 60_000)
      }),
    )
  })

  test('the state agrees with the instants', () => {
    fc.assert(
      fc.property(instant, amount, fc.integer({ min: -20_000, max: 20_000 }), fc.option(fc.integer({ min: 0, max: 20_000 })), (start, amt, offsetMin, doneMin) => {
        const dueAt = addWorkingTime(office, start, amt)
        const now = new Date(dueAt.getTime() + offsetMin * 60_000)
        const completedAt = doneMin === null ? undefined : new Date(start.getTime() + doneMin * 60_000)
        const s = clockState(office, { startedAt: start, dueAt, now, completedAt })
        assert.ok(s.minutesLeft >= 0 && s.minutesOverdue >= 0)
        if (completedAt !== undefined) assert.equal(s.state, completedAt <= dueAt ? 'met' : 'missed')
        else if (now > dueAt) assert.equal(s.state, 'overdue')
        else assert.ok(s.state === 'on-time' || s.state === 'due-soon')
        assert.ok(s.label.length > 0)
      }),
    )
  })
})
