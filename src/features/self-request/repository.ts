import { sql, type Kysely } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'
import type { DB } from '../../platform/db/schema.ts'
import type { SelfRequestChild } from './forms.ts'

export interface ThrottleWindow {
  /** Submissions counted in the current window, this one included when taken. */
  count: number
  windowStartedAt: Date
}

/**
 * A family's own request and its children, and the per-address count of submissions.
 *
 * The count reuses the sign-in throttle table (key, failures, window_started_at, locked_until) under
 * keys of their own ("self-request:ip:<address>"), so it is shared by every process and instance of
 * the service and survives a restart, with no new table. There `failures` is read as "submissions in
 * the window". The table is outside row-level security and not granted to the application role, so
 * these queries take the owner's (system) connection, as sign-in does.
 */
export const selfRequestRepository = {
  async insertRequest(
    trx: Trx,
    values: {
      tenantId: string
      reference: string
      phone: string | null
      postcode: string
      answers: Record<string, unknown>
      suggestedLevel: number | null
      suggestion: unknown
      submittedAt: Date
      acknowledgeDueAt: Date
      decisionDueAt: Date
    },
  ): Promise<string> {
    const row = await trx
      .insertInto('requests')
      .values({
        tenant_id: values.tenantId,
        route: 'self',
        status: 'submitted',
        reference: values.reference,
        priority: false,
        significant_harm: false,
        referrer_account_id: null,
        referrer_phone: values.phone,
        postcode: values.postcode,
        answers: JSON.stringify(values.answers),
        suggested_level: values.suggestedLevel,
        suggestion: JSON.stringify(values.suggestion),
        submitted_at: values.submittedAt,
        acknowledge_due_at: values.acknowledgeDueAt,
        decision_due_at: values.decisionDueAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  },

  async insertChildren(trx: Trx, tenantId: string, requestId: string, children: readonly SelfRequestChild[]): Promise<void> {
    if (!children.length) return
    await trx
      .insertInto('request_people')
      .values(
        children.map((child, position) => ({
          tenant_id: tenantId,
          request_id: requestId,
          kind: 'child' as const,
          given_name: child.givenName,
          family_name: child.familyName,
          date_of_birth: child.dateOfBirth,
          details: '{}',
          position,
        })),
      )
      .execute()
  },

  /** The current window for a key, if one is still open at `now`. */
  async openWindow(system: Kysely<DB>, key: string, now: Date, windowMs: number): Promise<ThrottleWindow | undefined> {
    const row = await system.selectFrom('sign_in_throttle').select(['failures', 'window_started_at']).where('key', '=', key).executeTakeFirst()
    if (!row || now.getTime() - row.window_started_at.getTime() >= windowMs) return undefined
    return { count: row.failures, windowStartedAt: row.window_started_at }
  },

  /**
   * Counts one submission in a single statement, so two at once are both counted: a window older
   * than `windowMs` starts again at `now` with a count of one.
   */
  async count(system: Kysely<DB>, key: string, now: Date, windowMs: number): Promise<ThrottleWindow> {
    const expired = new Date(now.getTime() - windowMs)
    const row = await system
      .insertInto('sign_in_throttle')
      .values({ key, failures: 1, window_started_at: now, locked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when sign_in_throttle.window_started_at <= ${expired}::timestamptz then 1 else sign_in_throttle.failures + 1 end`,
          window_started_at: sql<Date>`case when sign_in_throttle.window_started_at <= ${expired}::timestamptz then ${now}::timestamptz else sign_in_throttle.window_started_at end`,
        }),
      )
      .returning(['failures', 'window_started_at'])
      .executeTakeFirstOrThrow()
    return { count: row.failures, windowStartedAt: row.window_started_at }
  },
}
