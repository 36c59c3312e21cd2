import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { generate, generateSecret } from 'otplib'
import { ConfigError, readConfig } from '../../config.ts'
import { checkTotp, decryptSecret, encryptSecret, hashRecoveryCode, mfaRequiredFor, newRecoveryCodes } from './mfa.ts'

const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://localhost/x' }

test('production refuses to start without an MFA_KEY of 32 bytes; development uses a fixed key', () => {
  assert.throws(() => readConfig(PRODUCTION), (error: unknown) => error instanceof ConfigError && /MFA_KEY is required/.test(error.message))
  assert.throws(() => readConfig({ ...PRODUCTION, MFA_KEY: randomBytes(16).toString('base64') }), /32 random bytes/)
  const key = randomBytes(32)
  assert.deepEqual(readConfig({ ...PRODUCTION, MFA_KEY: key.toString('base64') }).mfaKey, key)
  const development = readConfig({ NODE_ENV: 'development' })
  assert.equal(development.mfaKeyIsDevelopmentKey, true)
  assert.equal(development.mfaKey.length, 32)
})

test('MFA_REQUIRED is on in production and off in development and tests unless set', () => {
  const key = randomBytes(32).toString('base64')
  assert.equal(readConfig({ ...PRODUCTION, MFA_KEY: key }).mfaRequired, true)
  assert.equal(readConfig({ ...PRODUCTION, MFA_KEY: key, MFA_REQUIRED: 'false' }).mfaRequired, false)
  assert.equal(readConfig({ NODE_ENV: 'development' }).mfaRequired, false)
  assert.equal(readConfig({ NODE_ENV: 'test' }).mfaRequired, false)
  assert.equal(readConfig({ NODE_ENV: 'test', MFA_REQUIRED: 'true' }).mfaRequired, true)
  assert.throws(() => readConfig({ NODE_ENV: 'test', MFA_REQUIRED: 'yes' }), ConfigError)
})

test('only administrators, duty managers and team managers must use MFA, and only when it is required', () => {
  assert.deepEqual(
    (['administrator', 'duty_manager', 'team_manager', 'practitioner', 'front_door_officer'] as const).map((role) => mfaRequiredFor(role, true)),
    [true, true, true, false, false],
  )
  assert.equal(mfaRequiredFor('administrator', false), false)
})

test('single sign-on settings come all together, as URLs, https in production', () => {
  assert.equal(readConfig({ NODE_ENV: 'test' }).oidc, undefined)
  assert.throws(() => readConfig({ NODE_ENV: 'test', OIDC_ISSUER: 'https://login.example' }), /OIDC_CLIENT_ID/)
  const full = {
    OIDC_ISSUER: 'http://localhost:9000',
    OIDC_CLIENT_ID: 'early-help',
    OIDC_CLIENT_SECRET: 'secret',
    OIDC_REDIRECT_URI: 'http://localhost:3000/sign-in/oidc/callback',
    OIDC_TENANT: 'essex',
  }
  assert.equal(readConfig({ NODE_ENV: 'test', ...full })?.oidc?.tenantId, 'essex')
  assert.throws(() => readConfig({ ...PRODUCTION, MFA_KEY: randomBytes(32).toString('base64'), ...full }), /https/)
})

test('secrets are encrypted with AES-256-GCM: a fresh IV each time, and tampering is detected', () => {
  const key = randomBytes(32)
  const secret = generateSecret()
  const a = encryptSecret(key, secret)
  assert.notEqual(a, encryptSecret(key, secret))
  assert.equal(decryptSecret(key, a), secret)
  const bytes = Buffer.from(a, 'base64')
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1
  assert.throws(() => decryptSecret(key, bytes.toString('base64')))
  assert.throws(() => decryptSecret(randomBytes(32), a))
})

test('codes from the current and neighbouring periods are accepted, an older one and a reused one are not', async () => {
  const secret = generateSecret()
  const now = new Date('2026-11-24T12:00:10Z')
  const at = (offsetSeconds: number) => generate({ secret, epoch: Math.floor(now.getTime() / 1000) + offsetSeconds })
  const step = await checkTotp(secret, await at(0), now, null)
  assert.ok(step)
  assert.ok(await checkTotp(secret, await at(-30), now, null))
  assert.equal(await checkTotp(secret, await at(-90), now, null), null)
  assert.equal(await checkTotp(secret, await at(0), now, step), null, 'a code already used is refused')
  assert.equal(await checkTotp(secret, 'abcdef', now, null), null)
  assert.ok(await checkTotp(secret, ` ${(await at(0)).slice(0, 3)} ${(await at(0)).slice(3)} `, now, null), 'spaces are ignored')
})

test('recovery codes are ten, distinct, and hashed the same however they are typed', () => {
  const codes = newRecoveryCodes()
  assert.equal(new Set(codes).size, 10)
  for (const code of codes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/)
  const code = codes[0] ?? ''
  assert.equal(hashRecoveryCode(code.toUpperCase().replaceAll('-', ' ')), hashRecoveryCode(code))
})
