import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

/**
 * The outbox newest first, a page at a time by keyset (created_at, id) on the index that begins
 * with the tenant. Row-level security has already confined it to one authority. The cursor is a
 * notification id whose full-precision time is read back here, so rows sharing a millisecond are
 * neither skipped nor repeated.
 */
export async function notificationPage(trx: Trx, before: string | undefined, limit: number) {
  let query = trx
    .selectFrom('notifications')
    .select(['id', 'created_at', 'template', 'recipient', 'status', 'attempts', 'last_error', 'next_attempt_at', 'sent_at'])
  if (before) {
    query = query.where(
      sql<boolean>`(notifications.created_at, notifications.id) < (select c.created_at, c.id from notifications c where c.id = ${before}::uuid)`,
    )
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute()
  return { rows: rows.slice(0, limit), more: rows.length > limit }
}
