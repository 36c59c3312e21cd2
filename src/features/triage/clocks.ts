import { clockState, formatDuration, type ClockState } from '../../domain/working-calendar.ts'
import type { Framework } from '../../frameworks/schema.ts'

interface ClockedRequest {
  submitted_at: Date | null
  acknowledge_due_at: Date | null
  decision_due_at: Date | null
  acknowledged_at: Date | null
  decided_at?: Date | null
}

/** Both front-door clocks of a request, as the queue and the request page show them. */
export function clocksFor(framework: Framework, request: ClockedRequest, now: Date): { acknowledge: ClockState; decision: ClockState } | null {
  if (!request.submitted_at || !request.acknowledge_due_at || !request.decision_due_at) return null
  const calendar = framework.workingCalendar
  return {
    acknowledge: clockState(calendar, {
      startedAt: request.submitted_at,
      dueAt: request.acknowledge_due_at,
      completedAt: request.acknowledged_at ?? undefined,
      now,
      unit: framework.timescales.acknowledgeWithin?.unit,
    }),
    decision: clockState(calendar, {
      startedAt: request.submitted_at,
      dueAt: request.decision_due_at,
      completedAt: request.decided_at ?? undefined,
      now,
      unit: framework.timescales.decisionWithin?.unit,
    }),
  }
}

/** How long a request has been waiting, in plain elapsed time: "2 days and 3 hours". */
export function ageOf(submittedAt: Date | null, now: Date): string {
  if (!submittedAt) return ''
  return formatDuration((now.getTime() - submittedAt.getTime()) / 60_000, { dayMinutes: 24 * 60, working: false })
}
