import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { CsrfError } from './csrf.ts'
import { NotFoundError } from '../access/access.ts'

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
 * may not be seen, 403 for a stale form, 400 for a request that could not be read, and 500 with a
 * reference (the request id, which is in the log beside the error) for everything else.
 */
export const errorPages = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404)
    return reply.viewAsync('platform/views/errors/not-found.njk', { csrfToken: request.csrfToken, cspNonce: request.cspNonce })
  })

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const base = { csrfToken: request.csrfToken, cspNonce: request.cspNonce }
    if (error instanceof NotFoundError) {
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
