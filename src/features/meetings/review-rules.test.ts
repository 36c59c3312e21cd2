import assert from 'node:assert/strict'
import { test } from 'node:test'
import { reviewCadenceFor } from '../../domain/casework-timescales.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { latestReviewOn, reviewDateAfterMeeting } from './review-rules.ts'
import { kindsAllowed, localTimeOf, parseTime } from './rules.ts'

const southend = frameworkById('southend')!
const essex = frameworkById('essex')!

test('Southend: a TACAF reached through the front door or the panel is reviewed six-weekly (001:408)', () => {
  assert.equal(reviewDateAfterMeeting(southend, 2, 'triage', '2026-11-24'), '2027-01-05')
  assert.equal(reviewDateAfterMeeting(southend, 2, 'panel', '2026-11-24'), '2027-01-05')
  assert.equal(reviewDateAfterMeeting(southend, 2, 'step-down', '2026-11-24'), '2027-01-05')
})

test('Southend: a partner’s own level 2 Early Help Plan is reviewed every three months (003:167)', () => {
  assert.equal(reviewDateAfterMeeting(southend, 2, 'direct', '2026-11-24'), '2027-02-24')
  assert.equal(reviewDateAfterMeeting(southend, 2, 'direct', '2026-11-30'), '2027-02-28', 'kept to the end of a short month')
})

test('Southend: intensive (level 3) plans have 6-8 week reviews, the next at the shortest (001:438-440)', () => {
  assert.equal(reviewDateAfterMeeting(southend, 3, 'triage', '2026-11-24'), '2027-01-05')
  const cadence = reviewCadenceFor(southend, 3, 'triage')!
  assert.equal(latestReviewOn(cadence, '2026-11-24'), '2027-01-19')
})

test('Essex: level 2 plans every three months, Family Solutions 6-8 weeks, whatever the route', () => {
  assert.equal(reviewDateAfterMeeting(essex, 2, 'direct', '2026-11-24'), '2027-02-24')
  assert.equal(reviewDateAfterMeeting(essex, 2, 'triage', '2026-11-24'), '2027-02-24')
  assert.equal(reviewDateAfterMeeting(essex, 3, 'triage', '2026-11-24'), '2027-01-05')
})

test('no cadence for a level gives no date, and a malformed date is refused', () => {
  assert.equal(reviewDateAfterMeeting(southend, 1, 'triage', '2026-11-24'), undefined)
  assert.equal(reviewDateAfterMeeting(essex, 4, 'triage', '2026-11-24'), undefined)
  assert.throws(() => reviewDateAfterMeeting(essex, 2, 'triage', '24/11/2026'), RangeError)
})

test('the first meeting is the initial one; after one is held, a review or the final meeting', () => {
  assert.deepEqual(kindsAllowed(0), ['initial'])
  assert.deepEqual(kindsAllowed(2), ['review', 'final'])
})

test('times as people type them', () => {
  const ok = (typed: string) => {
    const r = parseTime(typed)
    assert.ok(r.ok, typed)
    return r.text
  }
  assert.equal(ok('14:30'), '14:30')
  assert.equal(ok('9:05'), '09:05')
  assert.equal(ok('0930'), '09:30')
  assert.equal(ok('2:30pm'), '14:30')
  assert.equal(ok('2 PM'), '14:00')
  assert.equal(ok('12am'), '00:00')
  assert.equal(ok('12:15pm'), '12:15')
  assert.equal(ok('9.45'), '09:45')
  assert.equal(ok('noon'), '12:00')
  for (const bad of ['25:00', '14:60', '13pm', 'soon', '14', '1:2']) {
    const r = parseTime(bad)
    assert.equal(r.ok, false, bad)
    if (!r.ok) assert.equal(r.message, 'Time must be a real time, for example 14:30 or 2:30pm')
  }
  const empty = parseTime('  ')
  assert.ok(!empty.ok && empty.message === 'Enter the time, for example 14:30')
})

test('the local time of an instant, in UK time', () => {
  assert.equal(localTimeOf(new Date('2026-07-01T13:30:00Z')), '14:30')
  assert.equal(localTimeOf(new Date('2026-12-01T13:30:00Z')), '13:30')
})
