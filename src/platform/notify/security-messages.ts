import type { Trx } from '../db/database.ts'
import { formatDateTime } from '../views/format.ts'
import { queueNotification } from './outbox.ts'

/**
 * Tells the holder of an account that its credentials changed (ASVS 2.2.3), through the outbox in
 * the caller's transaction: if it was not them, they know to call their administrator.
 */
export async function tellAccountHolder(
  trx: Trx,
  account: { tenantId: string; accountId: string; email: string; name: string },
  template: 'password-changed' | 'security-codes-reset',
  now: Date,
): Promise<void> {
  await queueNotification(trx, {
    tenantId: account.tenantId,
    eventKey: `account:${account.accountId}:${template}:${now.toISOString()}`,
    template,
    recipient: account.email,
    personalisation: { name: account.name, when: formatDateTime(now) },
  })
}
