import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import fastifyView from '@fastify/view'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'
import { roleLabel } from '../../domain/roles.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { trim } from './filters.ts'
import { formatDate, formatDateTime } from './format.ts'
import { navigationFor } from './navigation.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const SERVICE_NAME = 'Early help for children and families'

/** Our filters, and a linear `trim` in place of nunjucks' own (src/platform/views/filters.ts). */
export function configureEnvironment(env: nunjucks.Environment): void {
  env.addFilter('trim', trim)
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
  env.addFilter('roleLabel', (role: Parameters<typeof roleLabel>[0]) => roleLabel(role))
}

/**
 * Nunjucks over two roots, `src/` (our templates, named by their path: `features/x/views/y.njk`)
 * and GOV.UK Frontend's `dist/` (its template and macros); the built assets served at /assets.
 */
export const views = fp(async (app: FastifyInstance, opts: { production: boolean; demoData: boolean; watchTemplates: boolean }) => {
  await app.register(fastifyStatic, {
    root: path.join(root, 'build', 'assets'),
    prefix: '/assets/',
    index: false,
    maxAge: opts.production ? '1d' : 0,
  })
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [path.join(root, 'src'), path.join(root, 'node_modules', 'govuk-frontend', 'dist')],
    production: !opts.watchTemplates,
    options: {
      autoescape: true,
      noCache: opts.watchTemplates,
      onConfigure: configureEnvironment,
    },
  })

  // Everything every page needs: who is signed in, their authority, the navigation, the tokens.
  app.addHook('preHandler', async (request, reply) => {
    const signedIn = request.signedIn
    const framework = signedIn ? frameworkById(signedIn.tenantId) : undefined
    reply.locals = {
      ...reply.locals,
      serviceName: framework?.serviceName ?? SERVICE_NAME,
      authorityName: framework?.name,
      signedIn,
      navigation: signedIn ? navigationFor(signedIn.role, request.url.split('?')[0] ?? '/') : [],
      csrfToken: request.csrfToken,
      cspNonce: request.cspNonce,
      demoData: opts.demoData,
    }
  })
})
