import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { notificationPage } from './repository.ts'

export const NOTIFICATION_PAGE_SIZE = 50


/**
 * Only administrators see the outbox: it holds people's email addresses. Routes check the role
 * too; services never rely on that. Looking is audited, like reading the audit log.
 */
export async function listNotifications(db: Database, actor: Actor, page: { before?: string | undefined }) {
  if (actor.role !== 'administrator') throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await notificationPage(trx, page.before, NOTIFICATION_PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'notification-list-viewed', recordType: 'notification', detail: page.before ? { before: page.before } : {} }))
    return result
  })
}
