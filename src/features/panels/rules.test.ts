import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ageInYears, checkDecision, isIsoDate, nextPanelOn, weekdayOf } from './rules.ts'

test('panel dates in addresses are real dates', () => {
  assert.ok(isIsoDate('2026-11-26'))
  assert.ok(isIsoDate('2028-02-29'))
  for (const bad of ['2026-02-30', '2026-13-01', '26-11-2026', '2026-11-26x', '', undefined, 20261126]) assert.equal(isIsoDate(bad), false, String(bad))
})

test('the next weekly panel keeps the weekday of the last one, or falls on a Thursday', () => {
  assert.equal(weekdayOf('2026-11-24'), 2)
  assert.equal(nextPanelOn('2026-11-24'), '2026-11-26')
  assert.equal(nextPanelOn('2026-11-26'), '2026-11-26', 'today, when today is panel day')
  assert.equal(nextPanelOn('2026-11-27'), '2026-12-03')
  assert.equal(nextPanelOn('2026-11-24', '2026-10-05'), '2026-11-30', 'Mondays, like the last panel')
  assert.equal(nextPanelOn('2026-12-30', '2026-12-29'), '2027-01-05', 'across the new year')
})

test('ages in whole years', () => {
  assert.equal(ageInYears('2017-03-02', '2026-11-24'), 9)
  assert.equal(ageInYears('2017-11-24', '2026-11-24'), 9)
  assert.equal(ageInYears('2017-11-25', '2026-11-24'), 8)
  assert.equal(ageInYears('2026-10-01', '2026-11-24'), 0)
})

test('a Lead Professional needs an email address; another decision needs a reason', () => {
  assert.deepEqual(checkDecision({ decision: '', leadEmail: '', reason: '' }), { decision: 'Select the panel’s decision' })
  assert.deepEqual(checkDecision({ decision: 'lead-professional', leadEmail: '', reason: '' }), { leadEmail: 'Enter the email address of the Lead Professional' })
  assert.deepEqual(checkDecision({ decision: 'lead-professional', leadEmail: 'not an email', reason: '' }), {
    leadEmail: 'Enter an email address in the correct format, like name@example.com',
  })
  assert.deepEqual(checkDecision({ decision: 'lead-professional', leadEmail: 'a@b.example', reason: '' }), {})
  assert.deepEqual(checkDecision({ decision: 'no-further-action', leadEmail: '', reason: ' ' }), { reason: 'Enter the reason for the decision' })
  assert.deepEqual(checkDecision({ decision: 'universal-services', leadEmail: '', reason: 'Children’s centre stay and play' }), {})
})
