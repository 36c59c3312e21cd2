import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/audit.ts'
import type { DB, Role } from '../db/schema.ts'
import { mfaRequiredFor } from './mfa.ts'
import { decoyHash, verifyPassword } from './passwords.ts'
import { createPending, type PendingSignIn, type PendingStage } from './pending.ts'
import { isLocked, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from './session-rules.ts'
import { createSession, destroySession } from './sessions.ts'
import { countFailure } from './throttle.ts'

export interface SignInAttempt {
  email: string
  password: string
  ip: string | null
  userAgent: string | null
  requestId: string | null
  /** The session the browser already had, ended so that a new id is issued at sign-in. */
  previousSessionIdHash: string | null
  now: Date
  /** Where to go once fully signed in, kept with a pending sign-in. */
  returnTo?: string
  /** MFA_REQUIRED: whether administrators, duty managers and team managers must use a second factor. */
  mfaRequired?: boolean
}

export type SignInResult =
  | { ok: true; token: string; accountId: string }
  | { ok: 'pending'; pendingToken: string; stage: PendingStage; accountId: string }
  | { ok: false; reason: 'invalid' | 'throttled' }

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

  return db.transaction().execute(async (trx): Promise<SignInResult> => {
    if (attempt.previousSessionIdHash) await destroySession(trx, attempt.previousSessionIdHash)
    await trx.deleteFrom('sign_in_throttle').where('key', '=', `email:${email}`).execute()
    const mfa = await trx.selectFrom('account_mfa').select('enabled').where('account_id', '=', account.id).executeTakeFirst()
    const stage: PendingStage | null = mfa?.enabled ? 'mfa-code' : mfaRequiredFor(account.role, attempt.mfaRequired ?? false) ? 'mfa-set-up' : null
    if (stage) {
      // The password was right; the session waits for the second factor.
      const pendingToken = await createPending(trx, {
        accountId: account.id,
        tenantId: account.tenant_id,
        stage,
        method: 'password',
        returnTo: attempt.returnTo ?? '/home',
        ip: attempt.ip,
        userAgent: attempt.userAgent,
        now: attempt.now,
      })
      return { ok: 'pending', pendingToken, stage, accountId: account.id }
    }
    const token = await establishSession(trx, {
      account: { id: account.id, tenantId: account.tenant_id, role: account.role },
      method: 'password',
      ip: attempt.ip,
      userAgent: attempt.userAgent,
      requestId: attempt.requestId,
      now: attempt.now,
    })
    return { ok: true, token, accountId: account.id }
  })
}

/**
 * The one way a session begins, whichever way the person proved who they are: the sign-in time
 * is noted, a 'sign-in' event records the method, and a new session id is issued.
 * Call inside a transaction.
 */
export async function establishSession(
  trx: Kysely<DB>,
  input: {
    account: { id: string; tenantId: string; role: Role }
    method: 'password' | 'oidc'
    mfa?: 'totp' | 'recovery-code'
    ip: string | null
    userAgent: string | null
    requestId: string | null
    now: Date
  },
): Promise<string> {
  await trx.updateTable('accounts').set({ last_signed_in_at: input.now }).where('id', '=', input.account.id).execute()
  await recordAudit(trx, {
    action: 'sign-in',
    tenantId: input.account.tenantId,
    actor: { accountId: input.account.id, role: input.account.role },
    recordType: 'account',
    recordId: input.account.id,
    ip: input.ip,
    requestId: input.requestId,
    detail: { method: input.method, ...(input.mfa ? { mfa: input.mfa } : {}) },
  })
  return createSession(trx, { accountId: input.account.id, tenantId: input.account.tenantId, ip: input.ip, userAgent: input.userAgent })
}

/** Finishes a pending sign-in once the second factor is given: the pending token ends, a session begins. */
export async function completePending(
  trx: Kysely<DB>,
  pending: PendingSignIn,
  input: { mfa: 'totp' | 'recovery-code'; ip: string | null; userAgent: string | null; requestId: string | null; now: Date },
): Promise<string> {
  await trx.deleteFrom('pending_sign_ins').where('id_hash', '=', pending.idHash).execute()
  return establishSession(trx, {
    account: { id: pending.accountId, tenantId: pending.tenantId, role: pending.role },
    method: pending.method,
    ...input,
  })
}

