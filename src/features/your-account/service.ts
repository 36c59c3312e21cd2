import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts'
import { isLocked, MAX_FAILURES_PER_EMAIL } from '../../platform/auth/session-rules.ts'
import { countFailure } from '../../platform/auth/throttle.ts'
import type { Database } from '../../platform/db/database.ts'
import { tellAccountHolder } from '../../platform/notify/security-messages.ts'
import { browserName } from './browser-name.ts'
import type { ChangePasswordForm } from './forms.ts'

/** A browser where the person is signed in, for "Where you are signed in". */
export interface SessionRow {
  current: boolean
  createdAt: Date
  lastSeenAt: Date
  ip: string | null
  /** Named as a person would say it: "Chrome on Windows". */
  browser: string
}

/** Your own account, and every session it holds, newest first; the one in use is marked. */
export async function ownAccount(db: Database, actor: Actor, sessionIdHash: string) {
  return db.asTenant(actor.tenantId, async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .innerJoin('organisations', 'organisations.id', 'accounts.organisation_id')
      .select(['accounts.name', 'accounts.email', 'accounts.role', 'accounts.phone', 'organisations.name as organisation', 'accounts.last_signed_in_at'])
      .where('accounts.id', '=', actor.accountId)
      .executeTakeFirst()
    if (!account) throw new NotFoundError()
    const rows = await trx
      .selectFrom('sessions')
      .select(['id_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
      .where('account_id', '=', actor.accountId)
      .orderBy('last_seen_at', 'desc')
      .limit(50)
      .execute()
    const mfa = await trx.selectFrom('account_mfa').select('enabled').where('account_id', '=', actor.accountId).executeTakeFirst()
    await recordAudit(trx, auditBy(actor, { action: 'own-account-viewed', recordType: 'account', recordId: actor.accountId }))
    const sessions: SessionRow[] = rows.map((row) => ({
      current: row.id_hash === sessionIdHash,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      ip: row.ip,
      browser: browserName(row.user_agent),
    }))
    return { account, sessions, mfaEnabled: !!mfa?.enabled }
  })
}

/** Signs the person out everywhere but here: a lost laptop, a shared computer left signed in. */
export async function endOtherSessions(db: Database, actor: Actor, sessionIdHash: string): Promise<number> {
  return db.asTenant(actor.tenantId, async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', actor.accountId).where('id_hash', '<>', sessionIdHash).executeTakeFirst()
    const count = Number(ended.numDeletedRows)
    await recordAudit(trx, auditBy(actor, { action: 'other-sessions-ended', recordType: 'account', recordId: actor.accountId, detail: { ended: count } }))
    return count
  })
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong-password' | 'throttled' }

/**
 * Changes your own password. A wrong current password counts against the same sign-in throttle
 * as a wrong password at sign-in, so this page cannot be used to guess it. On success every other
 * session ends: whoever else knew the old password is signed out.
 */
export async function changeOwnPassword(db: Database, actor: Actor, sessionIdHash: string, form: ChangePasswordForm, now: Date): Promise<ChangePasswordResult> {
  const account = await db.system.selectFrom('accounts').select(['email', 'name', 'password_hash']).where('id', '=', actor.accountId).executeTakeFirst()
  if (!account) throw new NotFoundError()
  const key = `email:${account.email.trim().toLowerCase()}`
  const throttle = await db.system.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst()
  if (isLocked(throttle, now)) {
    await recordAudit(db.system, auditBy(actor, { action: 'password-change-failed', recordType: 'account', recordId: actor.accountId, outcome: 'denied', detail: { reason: 'throttled' } }))
    return { ok: false, reason: 'throttled' }
  }
  if (!(await verifyPassword(account.password_hash, form.currentPassword))) {
    await db.system.transaction().execute(async (trx) => {
      await countFailure(trx, key, now, MAX_FAILURES_PER_EMAIL)
      await recordAudit(trx, auditBy(actor, { action: 'password-change-failed', recordType: 'account', recordId: actor.accountId, outcome: 'failure', detail: { reason: 'wrong current password' } }))
    })
    return { ok: false, reason: 'wrong-password' }
  }
  const passwordHash = await hashPassword(form.newPassword)
  await db.asTenant(actor.tenantId, async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', actor.accountId).execute()
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', actor.accountId).where('id_hash', '<>', sessionIdHash).executeTakeFirst()
    await recordAudit(trx, auditBy(actor, { action: 'password-changed', recordType: 'account', recordId: actor.accountId, detail: { otherSessionsEnded: Number(ended.numDeletedRows) } }))
    await tellAccountHolder(trx, { tenantId: actor.tenantId, accountId: actor.accountId, email: account.email, name: account.name }, 'password-changed', now)
  })
  return { ok: true }
}
