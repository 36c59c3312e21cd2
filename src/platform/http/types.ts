import type { Actor } from '../audit/audit.ts'
import type { SignedIn } from '../auth/sessions.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null for a visitor. Set for every request before any route runs. */
    signedIn: SignedIn | null
    /** Why a session just ended, so the sign-in page can say so. */
    sessionEnded: 'idle' | 'absolute' | null
    /** Per-response nonce for the Content-Security-Policy. */
    cspNonce: string
    /** The form token this visitor's forms must carry. */
    csrfToken: string
  }
  interface FastifyReply {
    /** Merged into every template's context by @fastify/view. */
    locals: Record<string, unknown>
  }
}

export type { Actor, SignedIn }
