import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { CsrfError } from './csrf.ts'
import { auditRefusal, NotFoundError } from '../access/access.ts'
import type { Database } from '../db/database.ts'
import { SERVICE_NAME } from '../views/plugin.ts'

/** A record that can no longer change (a closed involvement, say): 409 and a page saying so, with the way back. */
export class ReadOnlyError extends Error {
  statusCode = 409
  readonly backLink: string
  constructor(backLink: string, message = 'This record is closed and can no longer be changed') {
    super(message)
    this.backLink = backLink
  }
}

/**
 * Every failure answers with a GOV.UK page and never a stack trace: 404 for what does not exist or
 * may not be seen, 403 for a stale form, 413 for a body over the limit (with what to do about it),
 * 400 for a request that could not be read, and 500 with a reference (the request id, which is in
 * the log beside the error) for everything else.
 */
export const errorPages = fp(async (app: FastifyInstance, opts: { db?: Database }) => {
  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404)
    return reply.viewAsync('platform/views/errors/not-found.njk', { csrfToken: request.csrfToken, cspNonce: request.cspNonce })
  })

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A body refused while it is read, or a stale form token, fails before the hook that gives every
    // page the service's name: the page still needs it for its title and header.
    const serviceName = (reply.locals as { serviceName?: string } | undefined)?.serviceName ?? SERVICE_NAME
    const base = { csrfToken: request.csrfToken, cspNonce: request.cspNonce, serviceName }
    if (error instanceof NotFoundError) {
      // A refusal no check has audited yet: another authority's id (row-level security hides it),
      // someone else's request, a record that does not exist. An audit that cannot be written (the
      // database is down) is logged, and the 404 page still shows.
      if (!error.audited && opts.db) await auditRefusal(opts.db, request, 'not found').catch((auditError: unknown) => request.log.error({ err: auditError }, 'could not audit a refusal'))
      reply.code(404)
      return reply.viewAsync('platform/views/errors/not-found.njk', base)
    }
    if (error instanceof ReadOnlyError) {
      reply.code(409)
      return reply.viewAsync('platform/views/errors/read-only.njk', { ...base, backLink: error.backLink, message: error.message })
    }
    if (error instanceof CsrfError) {
      request.log.warn({ url: request.url }, 'form token refused')
      reply.code(403)
      return reply.viewAsync('platform/views/errors/form-expired.njk', base)
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      request.log.info({ err: { message: error.message, code: error.code }, url: request.url }, 'form body over the limit')
      reply.code(413)
      return reply.viewAsync('platform/views/errors/too-large.njk', base)
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ err: { message: error.message, code: error.code } }, 'bad request')
    reply.code(status)
    if (request.url === '/health') return { status: 'error' }
    try {
      return await reply.viewAsync('platform/views/errors/problem.njk', { ...base, reference: request.id })
    } catch (renderError) {
      request.log.error({ err: renderError }, 'error page failed to render')
      reply.type('text/plain; charset=utf-8')
      return `Sorry, there is a problem with the service. Reference: ${request.id}`
    }
  })
})
