import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.ts'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../demo/demo-data.ts'
import { recordAudit } from '../../platform/audit/audit.ts'
import { signIn } from '../../platform/auth/sign-in.ts'
import { destroySession } from '../../platform/auth/sessions.ts'
import type { Database } from '../../platform/db/database.ts'
import { COOKIE_OPTIONS, SESSION_COOKIE } from '../../platform/http/cookies.ts'
import { newCsrfSecret } from '../../platform/http/csrf.ts'
import { errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { safeReturnTo, signInForm } from './forms.ts'

const VIEW = 'features/sign-in/views/sign-in.njk'

export async function signInRoutes(app: FastifyInstance, { db, config }: { db: Database; config: Config }) {
  const demo = config.demoData ? { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD } : null

  app.get('/sign-in', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    if (request.signedIn) return reply.redirect(safeReturnTo(query.returnTo), 303)
    return reply.viewAsync(VIEW, {
      values: {},
      returnTo: safeReturnTo(query.returnTo),
      sessionEnded: request.sessionEnded ?? (query.ended === 'idle' || query.ended === 'absolute' ? query.ended : null),
      signedOut: query.signedOut === '1',
      demo,
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
      return reply.viewAsync(VIEW, { ...form, values, returnTo, demo })
    }
    const result = await signIn(db.system, {
      email: form.value.email,
      password: form.value.password,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      requestId: request.id,
      previousSessionIdHash: request.signedIn?.sessionIdHash ?? null,
      now: new Date(),
    })
    if (!result.ok) {
      const message =
        result.reason === 'throttled'
          ? 'You have tried to sign in too many times. Wait 15 minutes, then try again'
          : 'Enter a correct email address and password'
      reply.code(result.reason === 'throttled' ? 429 : 400)
      return reply.viewAsync(VIEW, { ...errorsToSummary({ email: message }), values, returnTo, demo })
    }
    reply.setCookie(SESSION_COOKIE, result.token, COOKIE_OPTIONS)
    newCsrfSecret(reply)
    return reply.redirect(returnTo, 303)
  })

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
