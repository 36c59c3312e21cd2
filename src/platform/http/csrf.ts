import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { COOKIE_OPTIONS, CSRF_COOKIE } from './cookies.ts'

/**
 * Double-submit protection for every form: a secret in an httpOnly __Host- cookie, and in each form
 * a token derived from it. Another site can neither read the cookie nor set it, so it cannot forge
 * the token. The secret is replaced at sign-in and sign-out.
 */
export function tokenFor(secret: string): string {
  return createHmac('sha256', secret).update('early-help form token').digest('base64url')
}

export function newCsrfSecret(reply: FastifyReply): string {
  const secret = randomBytes(32).toString('base64url')
  reply.setCookie(CSRF_COOKIE, secret, COOKIE_OPTIONS)
  return secret
}

export class CsrfError extends Error {
  statusCode = 403
}

export const csrf = fp(async (app: FastifyInstance) => {
  app.decorateRequest('csrfToken', '')
  app.addHook('onRequest', async (request, reply) => {
    const secret = request.cookies[CSRF_COOKIE]
    request.csrfToken = tokenFor(secret && secret.length <= 100 ? secret : newCsrfSecret(reply))
  })
  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return
    const secret = request.cookies[CSRF_COOKIE]
    const body = request.body as Record<string, unknown> | undefined
    const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token']
    if (!secret || typeof sent !== 'string' || !same(tokenFor(secret), sent)) throw new CsrfError('The form token is missing or wrong')
  })
})

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
