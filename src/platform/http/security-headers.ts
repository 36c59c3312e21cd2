import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Security headers on every response, with a fresh nonce per response for the one inline script
 * the GOV.UK template needs. Pages hold personal data, so nothing but static assets is cached.
 */
export const securityHeaders = fp(async (app: FastifyInstance, opts: { production: boolean }) => {
  app.decorateRequest('cspNonce', '')
  app.addHook('onRequest', async (request) => {
    request.cspNonce = randomBytes(16).toString('base64')
  })
  app.addHook('onSend', async (request, reply) => {
    const csp = [
      "default-src 'self'",
      `script-src 'self' 'nonce-${request.cspNonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      ...(opts.production ? ['upgrade-insecure-requests'] : []),
    ].join('; ')
    reply.header('Content-Security-Policy', csp)
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('X-Frame-Options', 'DENY')
    reply.header('Referrer-Policy', 'no-referrer')
    reply.header('Cross-Origin-Opener-Policy', 'same-origin')
    reply.header('Cross-Origin-Resource-Policy', 'same-origin')
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (opts.production) reply.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains')
    if (!request.url.startsWith('/assets/')) reply.header('Cache-Control', 'no-store')
  })
})
