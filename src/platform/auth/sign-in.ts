import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/audit.ts'
import type { DB } from '../db/schema.ts'
import { decoyHash, verifyPassword } from './passwords.ts'
import { afterFailure, isLocked, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP, type ThrottleRow } from './session-rules.ts'
import { createSession, destroySession } from './sessions.ts'

export interface SignInAttempt {
  email: string
  password: string
  ip: string | null
  userAgent: string | null
  requestId: string | null
  /** The session the browser already had, ended so that a new id is issued at sign-in. */
  previousSessionIdHash: string | null
  now: Date
}

export type SignInResult = { ok: true; token: string; accountId: string } | { ok: false; reason: 'invalid' | 'throttled' }

export async function signIn(db: Kysely<DB>, attempt: SignInAttempt): Promise<SignInResult> {
  const email = attempt.email.trim().toLowerCase()
  const keys = [`email:${email}`, ...(attempt.ip ? [`ip:${attempt.ip}`] : [])]
  const throttles = await db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute()
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'tenant_id', 'role', 'password_hash', 'active'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst()
  const audited = {
    tenantId: account?.tenant_id ?? null,
    actor: account ? { accountId: account.id, role: account.role } : null,
    recordType: account ? 'account' : null,
    recordId: account?.id ?? null,
    ip: attempt.ip,
    requestId: attempt.requestId,
  }

  if (throttles.some((row) => isLocked(row, attempt.now))) {
    await recordAudit(db, { ...audited, action: 'sign-in-throttled', outcome: 'denied' })
    return { ok: false, reason: 'throttled' }
  }

  // Verify even when the email is unknown, so timing does not reveal which emails have accounts.
  const passwordOk = await verifyPassword(account?.password_hash ?? (await decoyHash()), attempt.password)
  if (!account || !account.active || !passwordOk) {
    await db.transaction().execute(async (trx) => {
      for (const key of keys) {
        await countFailure(trx, key, attempt.now, key.startsWith('ip:') ? MAX_FAILURES_PER_IP : MAX_FAILURES_PER_EMAIL)
      }
      await recordAudit(trx, {
        ...audited,
        action: 'sign-in-failed',
        outcome: 'failure',
        detail: { reason: !account ? 'unknown email' : !account.active ? 'account deactivated' : 'wrong password' },
      })
    })
    return { ok: false, reason: 'invalid' }
  }

  const token = await db.transaction().execute(async (trx) => {
    if (attempt.previousSessionIdHash) await destroySession(trx, attempt.previousSessionIdHash)
    await trx.deleteFrom('sign_in_throttle').where('key', '=', `email:${email}`).execute()
    await trx.updateTable('accounts').set({ last_signed_in_at: attempt.now }).where('id', '=', account.id).execute()
    await recordAudit(trx, { ...audited, action: 'sign-in' })
    return createSession(trx, { accountId: account.id, tenantId: account.tenant_id, ip: attempt.ip, userAgent: attempt.userAgent })
  })
  return { ok: true, token, accountId: account.id }
}

/** Counts one failure under a row lock, so concurrent wrong passwords are each counted. */
async function countFailure(trx: Kysely<DB>, key: string, now: Date, maxFailures: number): Promise<void> {
  await trx
    .insertInto('sign_in_throttle')
    .values({ key, failures: 0, window_started_at: now, locked_until: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const current: ThrottleRow = await trx
    .selectFrom('sign_in_throttle')
    .select(['failures', 'window_started_at', 'locked_until'])
    .where('key', '=', key)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const next = afterFailure(current.failures === 0 ? undefined : current, now, maxFailures)
  await trx.updateTable('sign_in_throttle').set(next).where('key', '=', key).execute()
}
