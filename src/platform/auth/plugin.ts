import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database } from '../db/database.ts'
import { COOKIE_OPTIONS, SESSION_COOKIE } from '../http/cookies.ts'
import { loadSession } from './sessions.ts'

/** Finds the signed-in person for every request (assets aside) from the session cookie. */
export const sessions = fp(async (app: FastifyInstance, opts: { db: Database }) => {
  app.decorateRequest('signedIn', null)
  app.decorateRequest('sessionEnded', null)
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/assets/') || request.url === '/health') return
    const loaded = await loadSession(opts.db.system, request.cookies[SESSION_COOKIE], new Date(), request.id)
    if (loaded.state === 'active') {
      request.signedIn = loaded.signedIn
    } else if (loaded.state === 'expired') {
      request.sessionEnded = loaded.reason
      reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS)
    }
  })
})
