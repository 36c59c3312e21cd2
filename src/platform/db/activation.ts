import type { Trx } from './database.ts'

/**
 * Deactivates or reactivates an account or an organisation. Nothing is deleted: a deactivated row
 * keeps its history. Answers undefined when the row was already in that state (a double click, a
 * second tab), so the caller records one audit event per real change.
 */
export function setActive(trx: Trx, table: 'accounts' | 'organisations', id: string, active: boolean) {
  return trx
    .updateTable(table)
    .set({ active, deactivated_at: active ? null : new Date() })
    .where('id', '=', id)
    .where('active', '=', !active)
    .returning('id')
    .executeTakeFirst()
}
