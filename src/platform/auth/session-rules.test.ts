import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  ABSOLUTE_TIMEOUT_MS,
  afterFailure,
  FAILURE_WINDOW_MS,
  IDLE_TIMEOUT_MS,
  isLocked,
  LOCK_MS,
  MAX_FAILURES_PER_EMAIL,
  MAX_FAILURES_PER_IP,
  needsTouch,
  sessionState,
  TOUCH_INTERVAL_MS,
  type ThrottleRow,
} from './session-rules.ts'

// Any instant within a few decades of now, and gaps of up to a day between events.
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2060, 0, 1) })
const gap = fc.integer({ min: 0, max: 24 * 60 * 60 * 1000 })
const maxFailures = fc.constantFrom(MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP, 1, 2, 3)

test('the timeouts are the ones the sign-in page tells people about: 30 minutes idle, 12 hours in all', () => {
  assert.equal(IDLE_TIMEOUT_MS, 30 * 60 * 1000)
  assert.equal(ABSOLUTE_TIMEOUT_MS, 12 * 60 * 60 * 1000)
  assert.equal(MAX_FAILURES_PER_EMAIL, 5)
  assert.equal(LOCK_MS, 15 * 60 * 1000)
})

test('a session is active exactly while it is under 12 hours old and used in the last 30 minutes', () => {
  fc.assert(
    fc.property(instant, gap, gap, (created, sinceCreatedToSeen, sinceSeenToNow) => {
      const session = { created_at: new Date(created), last_seen_at: new Date(created + sinceCreatedToSeen) }
      const now = new Date(created + sinceCreatedToSeen + sinceSeenToNow)
      const age = now.getTime() - created
      const expected = age >= ABSOLUTE_TIMEOUT_MS ? 'absolute-expired' : sinceSeenToNow >= IDLE_TIMEOUT_MS ? 'idle-expired' : 'active'
      assert.equal(sessionState(session, now), expected)
    }),
  )
})

test('the timeouts fall exactly on their boundaries', () => {
  const created = new Date(Date.UTC(2026, 10, 24, 9))
  const fresh = { created_at: created, last_seen_at: created }
  assert.equal(sessionState(fresh, new Date(created.getTime() + IDLE_TIMEOUT_MS - 1)), 'active')
  assert.equal(sessionState(fresh, new Date(created.getTime() + IDLE_TIMEOUT_MS)), 'idle-expired')
  const busy = { created_at: created, last_seen_at: new Date(created.getTime() + ABSOLUTE_TIMEOUT_MS - 1000) }
  assert.equal(sessionState(busy, new Date(created.getTime() + ABSOLUTE_TIMEOUT_MS - 1)), 'active')
  assert.equal(sessionState(busy, new Date(created.getTime() + ABSOLUTE_TIMEOUT_MS)), 'absolute-expired')
})

test('once a session has expired, it stays expired however much later it is looked at', () => {
  fc.assert(
    fc.property(instant, gap, gap, gap, (created, toSeen, toNow, later) => {
      const session = { created_at: new Date(created), last_seen_at: new Date(created + toSeen) }
      const now = created + toSeen + toNow
      if (sessionState(session, new Date(now)) !== 'active') {
        assert.notEqual(sessionState(session, new Date(now + later)), 'active')
      }
    }),
  )
})

test('using the service is recorded at most once a minute', () => {
  fc.assert(
    fc.property(instant, gap, (seen, elapsed) => {
      assert.equal(needsTouch(new Date(seen), new Date(seen + elapsed)), elapsed >= TOUCH_INTERVAL_MS)
    }),
  )
})

test('a failure inside the window adds exactly one and never lowers the count', () => {
  fc.assert(
    fc.property(
      instant,
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 0, max: FAILURE_WINDOW_MS - 1 }),
      maxFailures,
      (windowStart, failures, intoWindow, max) => {
        const row: ThrottleRow = { failures, window_started_at: new Date(windowStart), locked_until: null }
        const next = afterFailure(row, new Date(windowStart + intoWindow), max)
        assert.equal(next.failures, failures + 1)
        assert.ok(next.failures >= row.failures)
        assert.equal(next.window_started_at.getTime(), windowStart)
      },
    ),
  )
})

test('a failure after the window has closed starts a new window at one', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: FAILURE_WINDOW_MS, max: 10 * FAILURE_WINDOW_MS }), maxFailures, (windowStart, failures, elapsed, max) => {
      const now = new Date(windowStart + elapsed)
      const next = afterFailure({ failures, window_started_at: new Date(windowStart), locked_until: null }, now, max)
      assert.equal(next.failures, 1)
      assert.equal(next.window_started_at.getTime(), now.getTime())
      assert.equal(isLocked(next, now), max <= 1)
    }),
  )
})

test('repeated failures lock the key exactly at the maximum, for exactly the lock time', () => {
  fc.assert(
    fc.property(instant, maxFailures, fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }), (start, max, steps) => {
      let row: ThrottleRow | undefined
      let now = start
      let firstLockedAt: number | undefined
      steps.forEach((step, index) => {
        now += step
        if (now - start >= FAILURE_WINDOW_MS) return // all failures stay inside one window
        row = afterFailure(row, new Date(now), max)
        assert.equal(row.failures, index + 1)
        const locked = isLocked(row, new Date(now))
        assert.equal(locked, index + 1 >= max, `after ${index + 1} failures with a maximum of ${max}`)
        if (locked) {
          firstLockedAt ??= index + 1
          assert.equal(row.locked_until?.getTime(), now + LOCK_MS)
          assert.equal(isLocked(row, new Date(now + LOCK_MS - 1)), true)
          assert.equal(isLocked(row, new Date(now + LOCK_MS)), false)
        }
      })
      if (firstLockedAt !== undefined) assert.equal(firstLockedAt, max)
    }),
  )
})

test('a lock no longer holds once its time has passed, and no row or no lock means not locked', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 0, max: 10 * LOCK_MS }), fc.integer({ min: 0, max: 1000 }), (lockedUntil, after, failures) => {
      const row: ThrottleRow = { failures, window_started_at: new Date(lockedUntil - LOCK_MS), locked_until: new Date(lockedUntil) }
      assert.equal(isLocked(row, new Date(lockedUntil + after)), false)
      if (after > 0) assert.equal(isLocked(row, new Date(lockedUntil - after)), true)
      assert.equal(isLocked({ ...row, locked_until: null }, new Date(lockedUntil - after)), false)
      assert.equal(isLocked(undefined, new Date(lockedUntil)), false)
    }),
  )
})
