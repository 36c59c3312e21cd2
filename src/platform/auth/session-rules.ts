/** How long a session lives: pure rules, kept apart from the database so they can be tested alone. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000
/** last_seen_at is written at most this often, so a busy user does not cost a write per page. */
export const TOUCH_INTERVAL_MS = 60 * 1000

export type SessionState = 'active' | 'idle-expired' | 'absolute-expired'

export function sessionState(session: { created_at: Date; last_seen_at: Date }, now: Date): SessionState {
  if (now.getTime() - session.created_at.getTime() >= ABSOLUTE_TIMEOUT_MS) return 'absolute-expired'
  if (now.getTime() - session.last_seen_at.getTime() >= IDLE_TIMEOUT_MS) return 'idle-expired'
  return 'active'
}

export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS
}

/** Failed sign-ins: after MAX_FAILURES inside the window the key is locked for LOCK_MS. */
export const MAX_FAILURES_PER_EMAIL = 5
export const MAX_FAILURES_PER_IP = 50
export const FAILURE_WINDOW_MS = 15 * 60 * 1000
export const LOCK_MS = 15 * 60 * 1000

export interface ThrottleRow {
  failures: number
  window_started_at: Date
  locked_until: Date | null
}

export function isLocked(row: ThrottleRow | undefined, now: Date): boolean {
  return !!row?.locked_until && row.locked_until.getTime() > now.getTime()
}

/** The throttle row after one more failure. */
export function afterFailure(row: ThrottleRow | undefined, now: Date, maxFailures: number): ThrottleRow {
  const windowOpen = row && now.getTime() - row.window_started_at.getTime() < FAILURE_WINDOW_MS
  const failures = windowOpen ? row.failures + 1 : 1
  const windowStartedAt = windowOpen ? row.window_started_at : now
  return {
    failures,
    window_started_at: windowStartedAt,
    locked_until: failures >= maxFailures ? new Date(now.getTime() + LOCK_MS) : null,
  }
}
