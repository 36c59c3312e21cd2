import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'
import type { AuditFilter } from './forms.ts'

/**
 * Newest first, a page at a time by keyset (at, id), so the thousandth page of millions of events
 * costs what the first does. Every filter has an index that starts with the tenant.
 */
export async function auditPage(trx: Trx, filter: AuditFilter, limit: number) {
  let query = trx
    .selectFrom('audit_events')
    .leftJoin('accounts', 'accounts.id', 'audit_events.actor_account_id')
    .select([
      'audit_events.id',
      'audit_events.at',
      'audit_events.action',
      'audit_events.actor_account_id',
      'audit_events.actor_role',
      'audit_events.record_type',
      'audit_events.record_id',
      'audit_events.outcome',
      'audit_events.ip',
      'audit_events.detail',
      'accounts.name as actor_name',
    ])
  if (filter.action) query = query.where('audit_events.action', '=', filter.action)
  if (filter.actor) query = query.where('audit_events.actor_account_id', '=', filter.actor)
  if (filter.recordId) query = query.where('audit_events.record_id', '=', filter.recordId)
  // Days are UK days, as the log shows its times: midnight in London, whatever the season.
  if (filter.from) query = query.where(sql<boolean>`audit_events.at >= (${filter.from}::date::timestamp at time zone 'Europe/London')`)
  if (filter.to) query = query.where(sql<boolean>`audit_events.at < ((${filter.to}::date + 1)::timestamp at time zone 'Europe/London')`)
  // The cursor is an event id; its full-precision time is read back here, so events sharing a
  // millisecond are neither skipped nor repeated.
  if (filter.before) {
    query = query.where(
      sql<boolean>`(audit_events.at, audit_events.id) < (select c.at, c.id from audit_events c where c.id = ${filter.before}::bigint)`,
    )
  }
  const rows = await query.orderBy('audit_events.at', 'desc').orderBy('audit_events.id', 'desc').limit(limit + 1).execute()
  return { rows: rows.slice(0, limit), more: rows.length > limit }
}
