import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import { confirmSetup, mfaState, pendingSetupSecret, resetMfa, type MfaState } from '../../platform/auth/mfa.ts'
import type { Database } from '../../platform/db/database.ts'
import { destroySessionsOf } from '../../platform/auth/sessions.ts'
import { tellAccountHolder } from '../../platform/notify/security-messages.ts'

/** Your own second factor: whether it is on, or the secret to set it up with. */
export async function ownMfa(db: Database, actor: Actor, key: Buffer): Promise<MfaState & { secret: string | null }> {
  return db.asTenant(actor.tenantId, async (trx) => {
    const state = await mfaState(trx, actor.accountId)
    const secret = state.enabled ? null : await pendingSetupSecret(trx, key, { id: actor.accountId, tenantId: actor.tenantId })
    return { ...state, secret }
  })
}

export async function setUpOwnMfa(db: Database, actor: Actor, key: Buffer, code: string, now: Date) {
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await confirmSetup(trx, key, { id: actor.accountId, tenantId: actor.tenantId }, code, now)
    if (result.ok) await recordAudit(trx, auditBy(actor, { action: 'mfa-set-up', recordType: 'account', recordId: actor.accountId }))
    return result
  })
}

/** An administrator removes someone's second factor (a lost phone): they set it up again at next sign-in. */
export async function resetAccountMfa(db: Database, actor: Actor, accountId: string): Promise<void> {
  if (actor.role !== 'administrator') throw new NotFoundError()
  await db.asTenant(actor.tenantId, async (trx) => {
    const account = await trx.selectFrom('accounts').select(['id', 'email', 'name']).where('id', '=', accountId).executeTakeFirst()
    if (!account) throw new NotFoundError()
    const removed = await resetMfa(trx, accountId)
    // The phone may be lost or stolen: every session the account holds ends with it.
    await destroySessionsOf(trx, accountId)
    await recordAudit(trx, auditBy(actor, { action: 'mfa-reset', recordType: 'account', recordId: accountId, detail: { hadMfa: removed } }))
    await tellAccountHolder(trx, { tenantId: actor.tenantId, accountId, email: account.email, name: account.name }, 'security-codes-reset', new Date())
  })
}
