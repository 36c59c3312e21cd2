import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/audit.ts'
import type { DB, Role } from '../db/schema.ts'
import { needsTouch, sessionState } from './session-rules.ts'

/** The signed-in person, as every request sees them. */
export interface SignedIn {
  sessionIdHash: string
  accountId: string
  tenantId: string
  role: Role
  name: string
  email: string
  organisationId: string
  organisationName: string
}

export type LoadedSession =
  | { state: 'none' }
  | { state: 'expired'; reason: 'idle' | 'absolute' }
  | { state: 'active'; signedIn: SignedIn }

/** Only the hash of a session token is stored: a copy of the table does not let anyone in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export async function createSession(
  db: Kysely<DB>,
  input: { accountId: string; tenantId: string; ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      account_id: input.accountId,
      tenant_id: input.tenantId,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute()
  return token
}

export async function loadSession(db: Kysely<DB>, token: string | undefined, now: Date, requestId: string | null): Promise<LoadedSession> {
  if (!token || token.length > 100) return { state: 'none' }
  const idHash = hashToken(token)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .innerJoin('organisations', 'organisations.id', 'accounts.organisation_id')
    .select([
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.ip',
      'accounts.id as account_id',
      'accounts.tenant_id',
      'accounts.role',
      'accounts.name',
      'accounts.email',
      'accounts.active',
      'organisations.id as organisation_id',
      'organisations.name as organisation_name',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst()
  if (!row) return { state: 'none' }
  if (!row.active) {
    await destroySession(db, idHash)
    return { state: 'none' }
  }
  const state = sessionState(row, now)
  if (state !== 'active') {
    await db.transaction().execute(async (trx) => {
      await destroySession(trx, idHash)
      await recordAudit(trx, {
        action: 'session-expired',
        tenantId: row.tenant_id,
        actor: { accountId: row.account_id, role: row.role },
        recordType: 'account',
        recordId: row.account_id,
        ip: row.ip,
        requestId,
        detail: { reason: state === 'idle-expired' ? 'idle' : 'absolute' },
      })
    })
    return { state: 'expired', reason: state === 'idle-expired' ? 'idle' : 'absolute' }
  }
  if (needsTouch(row.last_seen_at, now)) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute()
  }
  return {
    state: 'active',
    signedIn: {
      sessionIdHash: idHash,
      accountId: row.account_id,
      tenantId: row.tenant_id,
      role: row.role,
      name: row.name,
      email: row.email,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
    },
  }
}

export async function destroySession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

export async function destroySessionsOf(db: Kysely<DB>, accountId: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute()
}

/** Removes sessions nobody can use any more; run by the job worker. */
export async function sweepExpiredSessions(db: Kysely<DB>, now: Date, idleMs: number, absoluteMs: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('last_seen_at', '<', new Date(now.getTime() - idleMs)),
        eb('created_at', '<', new Date(now.getTime() - absoluteMs)),
      ]),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
