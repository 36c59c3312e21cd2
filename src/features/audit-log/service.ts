import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { AuditFilter } from './forms.ts'
import { auditPage } from './repository.ts'

export const AUDIT_PAGE_SIZE = 50

/** Reading the audit log is itself audited: who looked, with what filter. */
export async function readAuditLog(db: Database, actor: Actor, filter: AuditFilter) {
  if (actor.role !== 'administrator') throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx) => {
    const page = await auditPage(trx, filter, AUDIT_PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'audit-viewed', recordType: 'audit', detail: { ...filter } }))
    return page
  })
}
