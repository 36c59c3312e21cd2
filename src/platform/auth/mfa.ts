import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { generateSecret, generateURI, verify } from 'otplib'
import type { DB, Role } from '../db/schema.ts'
import { isLocked, MAX_FAILURES_PER_EMAIL } from './session-rules.ts'
import { countFailure } from './throttle.ts'

/**
 * Time-based one-time passwords (RFC 6238, as authenticator apps use them) and recovery codes.
 * Secrets are encrypted at rest with AES-256-GCM under the MFA_KEY; recovery codes are kept only
 * as SHA-256 hashes (each has 50 random bits, so a hash cannot be reversed by guessing).
 */

/** Roles that must use a second factor when MFA_REQUIRED is on: they can see or open most records. */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['administrator', 'duty_manager', 'team_manager']

export function mfaRequiredFor(role: Role, mfaRequired: boolean): boolean {
  return mfaRequired && MFA_REQUIRED_ROLES.includes(role)
}

export const RECOVERY_CODE_COUNT = 10
export const ISSUER = 'Early help'
/** One period either side, for clocks that drift a little. */
const EPOCH_TOLERANCE_SECONDS = 30

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')
}

export function decryptSecret(key: Buffer, stored: string): string {
  const bytes = Buffer.from(stored, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
  decipher.setAuthTag(bytes.subarray(12, 28))
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')
}

/** Ten codes like "k7cp-2x9m-qd": letters and digits that cannot be confused with each other. */
export function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`
  })
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '')
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`early-help recovery code:${normaliseRecoveryCode(code)}`).digest('hex')
}

/** A six-digit code, spaces and dashes aside. */
export function normaliseTotp(code: string): string | null {
  const digits = code.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(digits) ? digits : null
}

/** The time step of a valid code, or null. `afterTimeStep` refuses a code already used. */
export async function checkTotp(secret: string, code: string, now: Date, afterTimeStep: number | null): Promise<number | null> {
  const token = normaliseTotp(code)
  if (!token) return null
  try {
    const result = await verify({
      secret,
      token,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: EPOCH_TOLERANCE_SECONDS,
      ...(afterTimeStep !== null ? { afterTimeStep } : {}),
    })
    return result.valid && 'timeStep' in result ? result.timeStep : null
  } catch {
    // otplib refuses an afterTimeStep beyond its window (a clock moved back): treat as a wrong code.
    return null
  }
}

export function otpauthUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret })
}

export interface MfaState {
  enabled: boolean
  recoveryCodesLeft: number
}

export async function mfaState(db: Kysely<DB>, accountId: string): Promise<MfaState> {
  const row = await db.selectFrom('account_mfa').select('enabled').where('account_id', '=', accountId).executeTakeFirst()
  const left = await db
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { enabled: row?.enabled ?? false, recoveryCodesLeft: Number(left.n) }
}

/**
 * The secret being set up, created on first asking and kept until it is confirmed, so reloading the
 * page does not change what was typed into the app. Null when MFA is already on.
 */
export async function pendingSetupSecret(db: Kysely<DB>, key: Buffer, account: { id: string; tenantId: string }): Promise<string | null> {
  const row = await db.selectFrom('account_mfa').select(['enabled', 'secret_encrypted']).where('account_id', '=', account.id).executeTakeFirst()
  if (row?.enabled) return null
  if (row) {
    try {
      return decryptSecret(key, row.secret_encrypted)
    } catch {
      // Encrypted under another key (MFA_KEY changed): start again.
    }
  }
  const secret = generateSecret()
  await db
    .insertInto('account_mfa')
    .values({ account_id: account.id, tenant_id: account.tenantId, secret_encrypted: encryptSecret(key, secret), enabled: false })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ secret_encrypted: encryptSecret(key, secret), enabled: false }))
    .execute()
  return secret
}

/**
 * Confirms set-up with a current code: switches MFA on and issues fresh recovery codes, returned
 * once to be shown once. Call inside the transaction that records the audit event.
 */
export async function confirmSetup(
  trx: Kysely<DB>,
  key: Buffer,
  account: { id: string; tenantId: string },
  code: string,
  now: Date,
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const row = await trx
    .selectFrom('account_mfa')
    .select(['enabled', 'secret_encrypted'])
    .where('account_id', '=', account.id)
    .forUpdate()
    .executeTakeFirst()
  if (!row || row.enabled) return { ok: false }
  const timeStep = await checkTotp(decryptSecret(key, row.secret_encrypted), code, now, null)
  if (timeStep === null) return { ok: false }
  await trx.updateTable('account_mfa').set({ enabled: true, enabled_at: now, last_time_step: timeStep }).where('account_id', '=', account.id).execute()
  const recoveryCodes = await replaceRecoveryCodes(trx, account)
  return { ok: true, recoveryCodes }
}

export async function replaceRecoveryCodes(trx: Kysely<DB>, account: { id: string; tenantId: string }): Promise<string[]> {
  const codes = newRecoveryCodes()
  await trx.deleteFrom('mfa_recovery_codes').where('account_id', '=', account.id).execute()
  await trx
    .insertInto('mfa_recovery_codes')
    .values(codes.map((code) => ({ account_id: account.id, tenant_id: account.tenantId, code_hash: hashRecoveryCode(code) })))
    .execute()
  return codes
}

export type ChallengeResult = { ok: true; via: 'totp' | 'recovery-code'; recoveryCodesLeft: number } | { ok: false; reason: 'invalid' | 'throttled' }

export function mfaThrottleKey(accountId: string): string {
  return `mfa:${accountId}`
}

/**
 * Checks a code from the authenticator app, or a recovery code (used up by this). Five wrong codes
 * in 15 minutes lock the account's second factor for 15 minutes, counted like wrong passwords.
 * Call inside a transaction.
 */
export async function checkChallenge(trx: Kysely<DB>, key: Buffer, accountId: string, code: string, now: Date): Promise<ChallengeResult> {
  const throttleKey = mfaThrottleKey(accountId)
  const throttle = await trx.selectFrom('sign_in_throttle').selectAll().where('key', '=', throttleKey).executeTakeFirst()
  if (isLocked(throttle, now)) return { ok: false, reason: 'throttled' }
  const row = await trx
    .selectFrom('account_mfa')
    .select(['enabled', 'secret_encrypted', 'last_time_step'])
    .where('account_id', '=', accountId)
    .forUpdate()
    .executeTakeFirst()
  if (!row?.enabled) return { ok: false, reason: 'invalid' }

  let via: 'totp' | 'recovery-code' | null = null
  if (normaliseTotp(code)) {
    const timeStep = await checkTotp(decryptSecret(key, row.secret_encrypted), code, now, row.last_time_step)
    if (timeStep !== null) {
      await trx.updateTable('account_mfa').set({ last_time_step: timeStep }).where('account_id', '=', accountId).execute()
      via = 'totp'
    }
  } else if (normaliseRecoveryCode(code).length === 10) {
    const hash = hashRecoveryCode(code)
    const unused = await trx
      .selectFrom('mfa_recovery_codes')
      .select(['id', 'code_hash'])
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .forUpdate()
      .execute()
    const match = unused.find((r) => timingSafeEqual(Buffer.from(r.code_hash), Buffer.from(hash)))
    if (match) {
      await trx.updateTable('mfa_recovery_codes').set({ used_at: now }).where('id', '=', match.id).execute()
      via = 'recovery-code'
    }
  }
  if (!via) {
    await countFailure(trx, throttleKey, now, MAX_FAILURES_PER_EMAIL)
    return { ok: false, reason: 'invalid' }
  }
  await trx.deleteFrom('sign_in_throttle').where('key', '=', throttleKey).execute()
  const { recoveryCodesLeft } = await mfaState(trx, accountId)
  return { ok: true, via, recoveryCodesLeft }
}

/** Removes a person's second factor, so they set it up again at their next sign-in. */
export async function resetMfa(trx: Kysely<DB>, accountId: string): Promise<boolean> {
  await trx.deleteFrom('mfa_recovery_codes').where('account_id', '=', accountId).execute()
  const result = await trx.deleteFrom('account_mfa').where('account_id', '=', accountId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
