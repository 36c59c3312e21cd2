import { randomUUID } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import qs from 'node:querystring'
import type { Config } from './config.ts'
import { accountRoutes } from './features/accounts/routes.ts'
import { auditLogRoutes } from './features/audit-log/routes.ts'
import { consultationRoutes } from './features/consultations/routes.ts'
import { involvementRoutes } from './features/involvements/routes.ts'
import { breakGlassRoutes } from './features/break-glass/routes.ts'
import { plansRoutes } from './features/plans/routes.ts'
import { meetingsRoutes } from './features/meetings/routes.ts'
import { panelsRoutes } from './features/panels/routes.ts'
import { assessmentsRoutes } from './features/assessments/routes.ts'
import { transitionsRoutes } from './features/transitions/routes.ts'
import { chronologyRoutes } from './features/chronology/routes.ts'
import { openReferralRoutes } from './features/directory/oruk/routes.ts'
import { findSupportRoutes } from './features/directory/find/routes.ts'
import { directoryEditorRoutes } from './features/directory/editor/routes.ts'
import { signpostingRoutes } from './features/signposting/routes.ts'
import { retentionRoutes } from './features/retention/routes.ts'
import { protectedDetailsRoutes } from './features/protected-details/routes.ts'
import { subjectAccessRoutes } from './features/subject-access/routes.ts'
import { sharingRoutes } from './features/sharing/routes.ts'
import { consentRoutes } from './features/consent/routes.ts'
import { homeRoutes } from './features/home/routes.ts'
import { notificationRoutes } from './features/notifications/routes.ts'
import { organisationRoutes } from './features/organisations/routes.ts'
import { publicPageRoutes } from './features/public-pages/routes.ts'
import { requestRoutes } from './features/requests/routes.ts'
import { selfRequestRoutes } from './features/self-request/routes.ts'
import { triageRoutes } from './features/triage/routes.ts'
import { signInRoutes } from './features/sign-in/routes.ts'
import { mfaRoutes } from './features/mfa/routes.ts'
import { yourAccountRoutes } from './features/your-account/routes.ts'
import { sessions } from './platform/auth/plugin.ts'
import type { Database } from './platform/db/database.ts'
import { csrf } from './platform/http/csrf.ts'
import { errorPages } from './platform/http/errors.ts'
import { securityHeaders } from './platform/http/security-headers.ts'
import './platform/http/types.ts'
import { views } from './platform/views/plugin.ts'
import { recordRoutes } from './platform/http/route-table.ts'

/**
 * Query strings and form bodies, with NUL characters removed: no one types them, and PostgreSQL
 * refuses them in text, so left in they would turn a form into a server error.
 */
function parseText(text: string): Record<string, unknown> {
  return qs.parse(text.includes('%00') || text.includes('\0') ? text.replace(/%00|\0/g, '') : text)
}

/**
 * An address the router cannot read (bad percent-encoding, an over-long id) is a page that does
 * not exist, shown as one, rather than Fastify's own JSON. Plugins have not run yet, so the page is
 * rendered through the instance.
 */
function unreadableAddress(app: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ err: { message: error.message, code: error.code } }, 'unreadable address')
  app.view('platform/views/errors/not-found.njk', {}).then(
    (html) => reply.code(404).type('text/html; charset=utf-8').send(html),
    (renderError: unknown) => reply.code(500).type('text/plain; charset=utf-8').send(`Page not found (${String(renderError)})`),
  )
}

export interface AppDeps {
  config: Config
  db: Database
}

/**
 * Builds the whole application from its collaborators, registering plugins in this order:
 * body and cookie parsing, security headers, form tokens, sessions, views, error pages, features.
 * Tests build the real app with the same function.
 */
export async function buildApp({ config, db }: AppDeps): Promise<FastifyInstance> {
  const production = config.env === 'production'
  const app: FastifyInstance = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseText },
    frameworkErrors: (error, request, reply) => unreadableAddress(app, error, request, reply as FastifyReply),
  })

  recordRoutes(app)
  // Forms post with repeated names for checkboxes; querystring keeps them as arrays.
  await app.register(fastifyFormbody, { parser: parseText })
  await app.register(fastifyCookie)
  await app.register(securityHeaders, { production })
  await app.register(csrf)
  await app.register(sessions, { db })
  await app.register(views, { production, demoData: config.demoData, watchTemplates: config.watchTemplates })
  await app.register(errorPages, { db })

  await app.register(publicPageRoutes, { db, config })
  await app.register(signInRoutes, { db, config })
  await app.register(mfaRoutes, { db, config })
  await app.register(yourAccountRoutes, { db })
  await app.register(homeRoutes, { db })
  await app.register(accountRoutes, { db })
  await app.register(organisationRoutes, { db })
  await app.register(auditLogRoutes, { db })
  await app.register(notificationRoutes, { db })
  await app.register(requestRoutes, { db })
  await app.register(triageRoutes, { db })
  await app.register(selfRequestRoutes, { db })
  await app.register(consultationRoutes, { db })
  await app.register(involvementRoutes, { db })
  await app.register(breakGlassRoutes, { db })
  await app.register(plansRoutes, { db })
  await app.register(meetingsRoutes, { db })
  await app.register(panelsRoutes, { db })
  await app.register(assessmentsRoutes, { db })
  await app.register(transitionsRoutes, { db })
  await app.register(chronologyRoutes, { db })
  await app.register(openReferralRoutes, { db })
  await app.register(findSupportRoutes, { db })
  await app.register(directoryEditorRoutes, { db })
  await app.register(signpostingRoutes, { db })
  await app.register(retentionRoutes, { db })
  await app.register(protectedDetailsRoutes, { db })
  await app.register(subjectAccessRoutes, { db })
  await app.register(sharingRoutes, { db })
  await app.register(consentRoutes, { db })
  return app
}
