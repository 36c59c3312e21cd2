import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { recordAudit, type Actor } from '../audit/audit.ts'
import type { Database } from '../db/database.ts'
import type { Role } from '../db/schema.ts'

/** The actor behind a signed-in request: what services are given, and what audit events record. */
export function actorOf(request: FastifyRequest): Actor {
  const signedIn = request.signedIn
  if (!signedIn) throw new Error('actorOf called on a request nobody is signed in to')
  return {
    accountId: signedIn.accountId,
    tenantId: signedIn.tenantId,
    role: signedIn.role,
    ip: request.ip,
    requestId: request.id,
  }
}

/** Raised when a record does not exist or the caller may not know it exists: both answer 404. */
export class NotFoundError extends Error {
  statusCode = 404
  /**
   * Whether the refusal is already in the audit log (a role or relationship check records its own,
   * with more detail). Otherwise the error pages record it, once, for a signed-in person: a record
   * they may not see, another authority's id and an id that does not exist all look the same.
   */
  audited = false
  constructor(message = 'Not found', options: { audited?: boolean } = {}) {
    super(message)
    this.audited = options.audited ?? false
  }
}

/** Where a visitor goes to sign in, remembering where they were going and why their session ended. */
export function signInPath(request: FastifyRequest): string {
  const ended = request.sessionEnded ? `&ended=${request.sessionEnded}` : ''
  return `/sign-in?returnTo=${encodeURIComponent(request.url)}${ended}`
}

/**
 * One access-denied event for a signed-in person refused a route or a record, written on the owner's
 * connection outside any transaction (which has rolled back by now). `reason` says why, when it is
 * not the role.
 */
export async function auditRefusal(db: Database, request: FastifyRequest, reason?: string): Promise<void> {
  const signedIn = request.signedIn
  if (!signedIn) return
  await recordAudit(db.system, {
    action: 'access-denied',
    tenantId: signedIn.tenantId,
    actor: { accountId: signedIn.accountId, role: signedIn.role },
    outcome: 'denied',
    ip: request.ip,
    requestId: request.id,
    detail: { method: request.method, route: request.routeOptions.url ?? request.url, ...(reason ? { reason } : {}) },
  })
}

/**
 * Route guard: a visitor is sent to sign in; a signed-in person without one of the roles is told
 * the page does not exist (so its existence does not leak) and the denial is audited.
 */
export function requireRole(db: Database, roles: readonly Role[] | 'any'): preHandlerAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const signedIn = request.signedIn
    if (!signedIn) {
      await reply.redirect(signInPath(request), 303)
      return reply
    }
    if (roles !== 'any' && !roles.includes(signedIn.role)) {
      await auditRefusal(db, request)
      throw new NotFoundError('Not found', { audited: true })
    }
  }
}
