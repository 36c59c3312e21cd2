import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB, Role } from '../db/schema.ts'
import { hashToken } from './sessions.ts'

/**
 * The half-signed-in state: the password was right, but a second factor is still owed (a code, or
 * setting MFA up). It is a separate short-lived token in its own cookie, not a session, so every
 * page but the code and set-up pages sees a visitor who has not signed in.
 */
export const PENDING_COOKIE = '__Host-eh-pending'
export const PENDING_TTL_MS = 10 * 60 * 1000
export const PENDING_COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'lax', maxAge: PENDING_TTL_MS / 1000 } as const

export type PendingStage = 'mfa-code' | 'mfa-set-up'

export interface PendingSignIn {
  idHash: string
  accountId: string
  tenantId: string
  role: Role
  name: string
  email: string
  stage: PendingStage
  method: 'password' | 'oidc'
  returnTo: string
}

export async function createPending(
  trx: Kysely<DB>,
  input: {
    accountId: string
    tenantId: string
    stage: PendingStage
    method: 'password' | 'oidc'
    returnTo: string
    ip: string | null
    userAgent: string | null
    now: Date
  },
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  // One pending sign-in per person: an older one (another tab, an abandoned attempt) ends.
  await trx.deleteFrom('pending_sign_ins').where('account_id', '=', input.accountId).execute()
  await trx
    .insertInto('pending_sign_ins')
    .values({
      id_hash: hashToken(token),
      account_id: input.accountId,
      tenant_id: input.tenantId,
      stage: input.stage,
      method: input.method,
      return_to: input.returnTo,
      expires_at: new Date(input.now.getTime() + PENDING_TTL_MS),
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute()
  return token
}

/** The pending sign-in this token stands for, if it has not expired and the account is still active. */
export async function loadPending(db: Kysely<DB>, token: string | undefined, now: Date): Promise<PendingSignIn | null> {
  if (!token || token.length > 100) return null
  const idHash = hashToken(token)
  const row = await db
    .selectFrom('pending_sign_ins')
    .innerJoin('accounts', 'accounts.id', 'pending_sign_ins.account_id')
    .select([
      'pending_sign_ins.stage',
      'pending_sign_ins.method',
      'pending_sign_ins.return_to',
      'pending_sign_ins.expires_at',
      'accounts.id as account_id',
      'accounts.tenant_id',
      'accounts.role',
      'accounts.name',
      'accounts.email',
      'accounts.active',
    ])
    .where('pending_sign_ins.id_hash', '=', idHash)
    .executeTakeFirst()
  if (!row) return null
  if (!row.active || row.expires_at.getTime() <= now.getTime()) {
    await endPending(db, idHash)
    return null
  }
  return {
    idHash,
    accountId: row.account_id,
    tenantId: row.tenant_id,
    role: row.role,
    name: row.name,
    email: row.email,
    stage: row.stage,
    method: row.method,
    returnTo: row.return_to,
  }
}

export async function endPending(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).execute()
}

/** Removes pending sign-ins nobody can finish any more. */
export async function sweepExpiredPending(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('pending_sign_ins').where('expires_at', '<=', now).executeTakeFirst()
  return Number(result.numDeletedRows)
}
