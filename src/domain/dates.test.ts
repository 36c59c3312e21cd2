import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { datePartsOf, parseDateParts, type DateOptions, type DateResult } from './dates.ts'

const messageOf = (r: DateResult) => (r.ok ? `ok: ${r.date}` : r.message)

const dob: DateOptions = { label: 'Date of birth', today: '2025-08-22' }
const due: DateOptions = { label: 'Due date', today: '2025-08-22', allowFuture: true }

test('a real date in the past is accepted, with or without leading zeros', () => {
  assert.deepEqual(parseDateParts({ day: '3', month: '7', year: '2019' }, dob), { ok: true, date: '2019-07-03' })
  assert.deepEqual(parseDateParts({ day: ' 03 ', month: '07', year: '2019' }, dob), { ok: true, date: '2019-07-03' })
  assert.deepEqual(parseDateParts({ day: '22', month: '8', year: '2025' }, dob), { ok: true, date: '2025-08-22' }, 'today')
})

test('month names are accepted, in full or short', () => {
  assert.deepEqual(parseDateParts({ day: '1', month: 'March', year: '2020' }, dob), { ok: true, date: '2020-03-01' })
  assert.deepEqual(parseDateParts({ day: '1', month: 'sep', year: '2020' }, dob), { ok: true, date: '2020-09-01' })
  assert.deepEqual(parseDateParts({ day: '1', month: 'Sept', year: '2020' }, dob), { ok: true, date: '2020-09-01' })
  assert.equal(parseDateParts({ day: '1', month: 'Ma', year: '2020' }, dob).ok, false)
  assert.equal(parseDateParts({ day: '1', month: 'Marchy', year: '2020' }, dob).ok, false)
})

test('29 February: only in a leap year', () => {
  assert.deepEqual(parseDateParts({ day: '29', month: '2', year: '2024' }, dob), { ok: true, date: '2024-02-29' })
  assert.deepEqual(parseDateParts({ day: '29', month: '2', year: '2000' }, dob), { ok: true, date: '2000-02-29' })
  const notLeap = parseDateParts({ day: '29', month: '2', year: '2023' }, dob)
  assert.deepEqual(notLeap, { ok: false, error: 'not-real', message: 'Date of birth must be a real date', fields: ['day'] })
  assert.equal(parseDateParts({ day: '29', month: '2', year: '1900' }, dob).ok, false, '1900 was not a leap year')
})

test('missing parts, in GOV.UK words', () => {
  assert.deepEqual(parseDateParts({}, dob), { ok: false, error: 'missing-all', message: 'Enter date of birth', fields: ['day', 'month', 'year'] })
  assert.deepEqual(parseDateParts({ day: '3', month: ' ', year: '2019' }, dob), {
    ok: false,
    error: 'missing-month',
    message: 'Date of birth must include a month',
    fields: ['month'],
  })
  assert.equal(messageOf(parseDateParts({ month: '3', year: '2019' }, dob)), 'Date of birth must include a day')
  assert.equal(messageOf(parseDateParts({ day: '3', month: '3' }, dob)), 'Date of birth must include a year')
  const two = parseDateParts({ year: '2019' }, dob)
  assert.deepEqual(two, { ok: false, error: 'missing-day-and-month', message: 'Date of birth must include a day and month', fields: ['day', 'month'] })
  assert.equal(messageOf(parseDateParts({ month: '2' }, dob)), 'Date of birth must include a day and year')
})

test('not a real date', () => {
  const real = 'Date of birth must be a real date'
  assert.deepEqual(parseDateParts({ day: '31', month: '4', year: '2019' }, dob), { ok: false, error: 'not-real', message: real, fields: ['day'] })
  assert.deepEqual(parseDateParts({ day: '3', month: '13', year: '2019' }, dob), { ok: false, error: 'not-real', message: real, fields: ['month'] })
  assert.deepEqual(parseDateParts({ day: '0', month: '0', year: '2019' }, dob), { ok: false, error: 'not-real', message: real, fields: ['day', 'month'] })
  assert.deepEqual(parseDateParts({ day: 'x', month: '1', year: '2019' }, dob), { ok: false, error: 'not-real', message: real, fields: ['day'] })
  assert.deepEqual(parseDateParts({ day: '1', month: '1', year: '20x9' }, dob), { ok: false, error: 'not-real', message: real, fields: ['year'] })
  assert.deepEqual(parseDateParts({ day: '1', month: '1', year: '0999' }, dob), { ok: false, error: 'not-real', message: real, fields: ['year'] })
  assert.equal(parseDateParts({ day: '1.5', month: '1', year: '2019' }, dob).ok, false)
  assert.equal(parseDateParts({ day: '-1', month: '1', year: '2019' }, dob).ok, false)
})

test('a year of other than 4 numbers', () => {
  assert.deepEqual(parseDateParts({ day: '1', month: '1', year: '19' }, dob), {
    ok: false,
    error: 'year-not-four-digits',
    message: 'Year must include 4 numbers',
    fields: ['year'],
  })
})

test('a date of birth must be today or in the past; a due date may be in the future', () => {
  assert.deepEqual(parseDateParts({ day: '23', month: '8', year: '2025' }, dob), {
    ok: false,
    error: 'in-future',
    message: 'Date of birth must be today or in the past',
    fields: ['day', 'month', 'year'],
  })
  assert.deepEqual(parseDateParts({ day: '1', month: '1', year: '2026' }, due), { ok: true, date: '2026-01-01' })
  const pastDue = parseDateParts({ day: '1', month: '1', year: '2025' }, { ...due, allowPast: false })
  assert.equal(pastDue.ok ? '' : pastDue.message, 'Due date must be today or in the future')
})

test('a malformed today is a programming error', () => {
  assert.throws(() => parseDateParts({ day: '1', month: '1', year: '2020' }, { label: 'Date', today: '22/08/2025' }), RangeError)
})

// Properties.

const day = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10))

test('property: every calendar date, typed as its parts, comes back unchanged', () => {
  fc.assert(
    fc.property(day, (date) => {
      assert.deepEqual(parseDateParts(datePartsOf(date), { label: 'Date', today: '2100-12-31' }), { ok: true, date })
    }),
  )
})

test('property: a day past the end of its month is never a real date', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }), (y, m, over) => {
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
      const r = parseDateParts({ day: String(last + over), month: String(m), year: String(y) }, { label: 'Date', today: '9999-12-31' })
      assert.equal(r.ok ? 'ok' : r.error, 'not-real')
    }),
  )
})

test('property: future dates are refused unless allowed, past ones unless refused', () => {
  fc.assert(
    fc.property(day, day, fc.boolean(), fc.boolean(), (date, today, allowFuture, allowPast) => {
      const r = parseDateParts(datePartsOf(date), { label: 'Date', today, allowFuture, allowPast })
      const expected = date > today && !allowFuture ? 'in-future' : date < today && !allowPast ? 'in-past' : 'ok'
      assert.equal(r.ok ? 'ok' : r.error, expected)
    }),
  )
})

test('property: whatever is typed, the result is a date or a message naming the label or the year', () => {
  const typed = fc.oneof(fc.constant(''), fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 40 }).map(String))
  fc.assert(
    fc.property(typed, typed, fc.oneof(typed, fc.integer({ min: 0, max: 3000 }).map(String)), (d, m, y) => {
      const r = parseDateParts({ day: d, month: m, year: y }, dob)
      if (r.ok) assert.match(r.date, /^\d{4}-\d{2}-\d{2}$/)
      else {
        assert.ok(r.message.startsWith('Date of birth') || r.message === 'Enter date of birth' || r.message === 'Year must include 4 numbers', r.message)
        assert.ok(r.fields.length > 0)
      }
    }),
  )
})
