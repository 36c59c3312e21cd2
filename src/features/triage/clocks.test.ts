import assert from 'node:assert/strict'
import { test } from 'node:test'
import { frameworkById } from '../../frameworks/index.ts'
import { ageOf, clocksFor } from './clocks.ts'

test('the queue says how long a request has waited, in elapsed time', () => {
  const now = new Date('2026-11-24T12:00:00Z')
  assert.equal(ageOf(new Date('2026-11-23T09:55:00Z'), now), '1 day, 2 hours and 5 minutes')
  assert.equal(ageOf(null, now), '')
})

test('a request sent on a Friday afternoon before a bank holiday is on time on the Monday, overdue on the Wednesday', () => {
  const southend = frameworkById('southend')
  assert.ok(southend)
  // Friday 22 August 2025, 15:30 BST; Monday 25 August is the summer bank holiday.
  const sent = new Date('2025-08-22T14:30:00Z')
  const request = {
    submitted_at: sent,
    acknowledge_due_at: new Date('2025-08-26T14:30:00Z'),
    decision_due_at: new Date('2025-08-27T14:30:00Z'),
    acknowledged_at: null,
  }
  const monday = clocksFor(southend, request, new Date('2025-08-25T12:00:00Z'))
  assert.equal(monday?.acknowledge.state, 'on-time')
  const wednesdayEvening = clocksFor(southend, request, new Date('2025-08-27T17:00:00Z'))
  assert.equal(wednesdayEvening?.decision.state, 'overdue')
  assert.equal(wednesdayEvening?.acknowledge.state, 'overdue')
})
