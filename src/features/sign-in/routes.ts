import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../demo/demo-data.ts'
import { recordAudit } from '../../platform/audit/audit.ts'
import { checkChallenge, confirmSetup, otpauthUri, pendingSetupSecret } from '../../platform/auth/mfa.ts'
import { OIDC_COOKIE, OIDC_COOKIE_OPTIONS, OidcFlowError, OidcSignIn } from '../../platform/auth/oidc.ts'
import { endPending, loadPending, PENDING_COOKIE, PENDING_COOKIE_OPTIONS, type PendingSignIn } from '../../platform/auth/pending.ts'
import { completePending, establishSession, signIn } from '../../platform/auth/sign-in.ts'
import { destroySession } from '../../platform/auth/sessions.ts'
import type { Database } from '../../platform/db/database.ts'
import { COOKIE_OPTIONS, SESSION_COOKIE } from '../../platform/http/cookies.ts'
import { newCsrfSecret } from '../../platform/http/csrf.ts'
import { errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { codeForm, safeReturnTo, setUpCodeForm, signInForm } from './forms.ts'

const VIEW = 'features/sign-in/views/sign-in.njk'
const CODE_VIEW = 'features/sign-in/views/code.njk'
const SET_UP_VIEW = 'features/sign-in/views/set-up-mfa.njk'
const RECOVERY_CODES_VIEW = 'features/sign-in/views/recovery-codes.njk'
const OIDC_REFUSED_VIEW = 'features/sign-in/views/oidc-refused.njk'

export const CODE_PATH = '/sign-in/code'
export const SET_UP_PATH = '/sign-in/set-up-mfa'

/** The secret shown in groups of four, as authenticator apps show it, for typing in by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}

export async function signInRoutes(app: FastifyInstance, { db, config }: { db: Database; config: Config }) {
  const demo = config.demoData ? { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD } : null
  const oidc = config.oidc ? new OidcSignIn(config.oidc, { signingKey: config.mfaKey, allowHttp: config.env !== 'production' }) : null
  const sso = config.oidc ? { label: config.oidc.label } : null
  if (config.mfaKeyIsDevelopmentKey) {
    app.log.warn('MFA_KEY is not set: a fixed development key encrypts MFA secrets. Production refuses to start without MFA_KEY.')
  }

  /** Starts the session: the cookie, a new form secret, and off to where they were going. */
  const startSession = (reply: FastifyReply, token: string, returnTo: string) => {
    reply.setCookie(SESSION_COOKIE, token, COOKIE_OPTIONS)
    reply.clearCookie(PENDING_COOKIE, COOKIE_OPTIONS)
    newCsrfSecret(reply)
    return reply.redirect(safeReturnTo(returnTo), 303)
  }

  /** The pending sign-in at this stage, or null after sending the browser back to the sign-in page. */
  const pendingAt = async (request: FastifyRequest, reply: FastifyReply, stage: PendingSignIn['stage']): Promise<PendingSignIn | null> => {
    const pending = await loadPending(db.system, request.cookies[PENDING_COOKIE], new Date())
    if (pending?.stage === stage) return pending
    if (!pending) reply.clearCookie(PENDING_COOKIE, COOKIE_OPTIONS)
    await reply.redirect(pending ? (pending.stage === 'mfa-code' ? CODE_PATH : SET_UP_PATH) : '/sign-in', 303)
    return null
  }

  app.get('/sign-in', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    if (request.signedIn) return reply.redirect(safeReturnTo(query.returnTo), 303)
    return reply.viewAsync(VIEW, {
      values: {},
      returnTo: safeReturnTo(query.returnTo),
      sessionEnded: request.sessionEnded ?? (query.ended === 'idle' || query.ended === 'absolute' ? query.ended : null),
      signedOut: query.signedOut === '1',
      pendingExpired: query.expired === '1',
      demo,
      sso,
    })
  })

  app.post('/sign-in', async (request, reply) => {
    const body = request.body as Record<string, unknown> | undefined
    const values = typedValues(body)
    delete values.password
    const returnTo = safeReturnTo(body?.returnTo)
    const form = validateForm(signInForm, body)
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(VIEW, { ...form, values, returnTo, demo, sso })
    }
    const result = await signIn(db.system, {
      email: form.value.email,
      password: form.value.password,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
      previousSessionIdHash: request.signedIn?.sessionIdHash ?? null,
      now: new Date(),
      returnTo,
      mfaRequired: config.mfaRequired,
    })
    if (result.ok === false) {
      const message =
        result.reason === 'throttled'
          ? 'You have tried to sign in too many times. Wait 15 minutes, then try again'
          : 'Enter a correct email address and password'
      reply.code(result.reason === 'throttled' ? 429 : 400)
      return reply.viewAsync(VIEW, { ...errorsToSummary({ email: message }), values, returnTo, demo, sso })
    }
    if (result.ok === 'pending') {
      // Half signed in: any old session has ended, and only the second-factor pages know them.
      reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS)
      reply.setCookie(PENDING_COOKIE, result.pendingToken, PENDING_COOKIE_OPTIONS)
      newCsrfSecret(reply)
      return reply.redirect(result.stage === 'mfa-code' ? CODE_PATH : SET_UP_PATH, 303)
    }
    return startSession(reply, result.token, returnTo)
  })

  app.get(CODE_PATH, async (request, reply) => {
    const pending = await pendingAt(request, reply, 'mfa-code')
    if (!pending) return reply
    return reply.viewAsync(CODE_VIEW, { values: {} })
  })

  app.post(CODE_PATH, async (request, reply) => {
    const pending = await pendingAt(request, reply, 'mfa-code')
    if (!pending) return reply
    const values = typedValues(request.body)
    const form = validateForm(codeForm, request.body)
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(CODE_VIEW, { ...form, values: {} })
    }
    const now = new Date()
    const audited = {
      tenantId: pending.tenantId,
      actor: { accountId: pending.accountId, role: pending.role },
      recordType: 'account',
      recordId: pending.accountId,
      ip: request.ip,
      requestId: request.id,
    }
    const outcome = await db.system.transaction().execute(async (trx) => {
      const result = await checkChallenge(trx, config.mfaKey, pending.accountId, form.value.code, now)
      if (!result.ok) {
        await recordAudit(trx, {
          ...audited,
          action: result.reason === 'throttled' ? 'sign-in-throttled' : 'mfa-challenge-failed',
          outcome: result.reason === 'throttled' ? 'denied' : 'failure',
          detail: { stage: 'mfa' },
        })
        return result
      }
      await recordAudit(trx, {
        ...audited,
        action: result.via === 'recovery-code' ? 'recovery-code-used' : 'mfa-challenge-passed',
        ...(result.via === 'recovery-code' ? { detail: { recoveryCodesLeft: result.recoveryCodesLeft } } : {}),
      })
      const token = await completePending(trx, pending, {
        mfa: result.via,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
        now,
      })
      return { ...result, token }
    })
    if (!outcome.ok) {
      const message =
        outcome.reason === 'throttled'
          ? 'You have entered a wrong code too many times. Wait 15 minutes, then try again'
          : 'The code is not right. Enter the current code from your authenticator app, or an unused recovery code'
      reply.code(outcome.reason === 'throttled' ? 429 : 400)
      delete values.code
      return reply.viewAsync(CODE_VIEW, { ...errorsToSummary({ code: message }), values })
    }
    return startSession(reply, outcome.token, pending.returnTo)
  })

  const renderSetUp = async (reply: FastifyReply, pending: PendingSignIn, errors?: Record<string, string>) => {
    const secret = await pendingSetupSecret(db.system, config.mfaKey, { id: pending.accountId, tenantId: pending.tenantId })
    if (!secret) return reply.redirect(CODE_PATH, 303)
    return reply.viewAsync(SET_UP_VIEW, {
      ...(errors ? errorsToSummary(errors) : {}),
      action: SET_UP_PATH,
      required: true,
      secret: groupedSecret(secret),
      uri: otpauthUri(secret, pending.email),
    })
  }

  app.get(SET_UP_PATH, async (request, reply) => {
    const pending = await pendingAt(request, reply, 'mfa-set-up')
    if (!pending) return reply
    return renderSetUp(reply, pending)
  })

  app.post(SET_UP_PATH, async (request, reply) => {
    const pending = await pendingAt(request, reply, 'mfa-set-up')
    if (!pending) return reply
    const form = validateForm(setUpCodeForm, request.body)
    if (!form.ok) {
      reply.code(400)
      return renderSetUp(reply, pending, form.errors)
    }
    const now = new Date()
    const outcome = await db.system.transaction().execute(async (trx) => {
      const result = await confirmSetup(trx, config.mfaKey, { id: pending.accountId, tenantId: pending.tenantId }, form.value.code, now)
      if (!result.ok) return result
      await recordAudit(trx, {
        action: 'mfa-set-up',
        tenantId: pending.tenantId,
        actor: { accountId: pending.accountId, role: pending.role },
        recordType: 'account',
        recordId: pending.accountId,
        ip: request.ip,
        requestId: request.id,
      })
      const token = await completePending(trx, pending, {
        mfa: 'totp',
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
        now,
      })
      return { ...result, token }
    })
    if (!outcome.ok) {
      reply.code(400)
      return renderSetUp(reply, pending, { code: 'The code is not right. Enter the current 6-digit code from your authenticator app' })
    }
    // Signed in: the recovery codes are shown now, once, and never again.
    reply.setCookie(SESSION_COOKIE, outcome.token, COOKIE_OPTIONS)
    reply.clearCookie(PENDING_COOKIE, COOKIE_OPTIONS)
    newCsrfSecret(reply)
    reply.header('cache-control', 'no-store')
    return reply.viewAsync(RECOVERY_CODES_VIEW, { codes: outcome.recoveryCodes, continueTo: safeReturnTo(pending.returnTo) })
  })

  /** Abandons a half-finished sign-in. */
  app.post('/sign-in/cancel', async (request, reply) => {
    const pending = await loadPending(db.system, request.cookies[PENDING_COOKIE], new Date())
    if (pending) await endPending(db.system, pending.idHash)
    reply.clearCookie(PENDING_COOKIE, COOKIE_OPTIONS)
    return reply.redirect('/sign-in', 303)
  })

  if (oidc && config.oidc) {
    const tenantId = config.oidc.tenantId
    app.get('/sign-in/oidc', async (request, reply) => {
      const query = request.query as Record<string, unknown>
      let started: { url: string; cookie: string }
      try {
        started = await oidc.start(safeReturnTo(query.returnTo), new Date())
      } catch (error) {
        request.log.error({ err: error }, 'single sign-on: the provider could not be reached')
        reply.code(503)
        return reply.viewAsync(OIDC_REFUSED_VIEW, { reason: 'unavailable', label: config.oidc?.label })
      }
      reply.setCookie(OIDC_COOKIE, started.cookie, OIDC_COOKIE_OPTIONS)
      return reply.redirect(started.url, 303)
    })

    app.get('/sign-in/oidc/callback', async (request, reply) => {
      const queryString = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
      const cookie = request.cookies[OIDC_COOKIE]
      reply.clearCookie(OIDC_COOKIE, OIDC_COOKIE_OPTIONS)
      const now = new Date()
      const refuse = async (reason: string, code: number, shown: 'failed' | 'no-account' | 'unverified', account?: { id: string; role: string }) => {
        await recordAudit(db.system, {
          action: 'sign-in-failed',
          tenantId,
          actor: account ? { accountId: account.id, role: account.role as PendingSignIn['role'] } : null,
          recordType: account ? 'account' : null,
          recordId: account?.id ?? null,
          outcome: 'failure',
          ip: request.ip,
          requestId: request.id,
          detail: { method: 'oidc', reason },
        })
        reply.code(code)
        return reply.viewAsync(OIDC_REFUSED_VIEW, { reason: shown, label: config.oidc?.label })
      }
      let finished: Awaited<ReturnType<OidcSignIn['finish']>>
      try {
        finished = await oidc.finish(queryString, cookie, now)
      } catch (error) {
        const reason = error instanceof OidcFlowError ? error.reason : 'provider unavailable'
        request.log.warn({ err: error }, 'single sign-on refused')
        return refuse(reason, 400, 'failed')
      }
      const { identity } = finished
      if (!identity.email) return refuse('no email', 403, 'no-account')
      if (!identity.emailVerified) return refuse('email not verified', 403, 'unverified')
      const email = identity.email.trim().toLowerCase()
      const account = await db.system
        .selectFrom('accounts')
        .select(['id', 'tenant_id', 'role', 'active'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst()
      if (!account) return refuse('no account', 403, 'no-account')
      if (!account.active) return refuse('account deactivated', 403, 'no-account', account)
      const token = await db.system.transaction().execute(async (trx) => {
        if (request.signedIn) await destroySession(trx, request.signedIn.sessionIdHash)
        return establishSession(trx, {
          account: { id: account.id, tenantId: account.tenant_id, role: account.role },
          method: 'oidc',
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
          now,
        })
      })
      return startSession(reply, token, finished.returnTo)
    })
  }

  app.post('/sign-out', async (request, reply) => {
    const signedIn = request.signedIn
    if (signedIn) {
      await db.system.transaction().execute(async (trx) => {
        await destroySession(trx, signedIn.sessionIdHash)
        await recordAudit(trx, {
          action: 'sign-out',
          tenantId: signedIn.tenantId,
          actor: { accountId: signedIn.accountId, role: signedIn.role },
          recordType: 'account',
          recordId: signedIn.accountId,
          ip: request.ip,
          requestId: request.id,
        })
      })
    }
    reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS)
    newCsrfSecret(reply)
    return reply.redirect('/sign-in?signedOut=1', 303)
  })
}
