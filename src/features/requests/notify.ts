import type { Trx } from '../../platform/db/database.ts'
import { queueNotification } from '../../platform/notify/outbox.ts'
import type { NotificationTemplate } from '../../platform/notify/templates.ts'
import type { Personalisation } from '../../platform/notify/schema.ts'

interface Addressee {
  id: string
  tenant_id: string
  referrer_account_id: string | null
  answers: Record<string, unknown>
}

/**
 * Tells whoever asked for support (the practitioner, or the family who asked themselves and gave
 * an email address), through the outbox, in the caller's transaction: the message exists if and
 * only if the event does, and only once per event.
 */
export async function tellReferrer(trx: Trx, request: Addressee, event: 'acknowledged' | 'decided', template: NotificationTemplate, personalisation: Personalisation): Promise<boolean> {
  const recipient = request.referrer_account_id
    ? (await trx.selectFrom('accounts').select('email').where('id', '=', request.referrer_account_id).executeTakeFirst())?.email
    : familyEmail(request.answers)
  if (!recipient) return false
  await queueNotification(trx, {
    tenantId: request.tenant_id,
    eventKey: `request:${request.id}:${event}:referrer`,
    template,
    recipient,
    personalisation,
  })
  return true
}

function familyEmail(answers: Record<string, unknown>): string | undefined {
  const help = answers.help as { email?: unknown } | undefined
  return typeof help?.email === 'string' && help.email ? help.email : undefined
}
