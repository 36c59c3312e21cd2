import type { Kysely } from 'kysely'
import type { DB, Role } from '../db/schema.ts'

/**
 * Every action the audit log can hold. One word for one thing: the admin filter, the tests and the
 * code that writes events all use this list.
 */
export const AUDIT_ACTIONS = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Failed sign-in',
  'sign-in-throttled': 'Sign-in refused: too many attempts',
  'sign-out': 'Signed out',
  'session-expired': 'Session expired',
  'access-denied': 'Access denied',
  'account-list-viewed': 'Viewed the list of accounts',
  'account-viewed': 'Viewed an account',
  'account-created': 'Created an account',
  'account-deactivated': 'Deactivated an account',
  'account-reactivated': 'Reactivated an account',
  'organisation-created': 'Created an organisation',
  'organisation-deactivated': 'Deactivated an organisation',
  'organisation-reactivated': 'Reactivated an organisation',
  'audit-viewed': 'Viewed the audit log',
  'notification-list-viewed': 'Viewed the notification outbox',
  'request-created': 'Started a request for support',
  'request-updated': 'Changed a request for support',
  'request-discarded': 'Discarded a draft request for support',
  'request-submitted': 'Sent a request for support',
  'request-viewed': 'Viewed a request for support',
  'request-list-viewed': 'Viewed a list of requests for support',
  'queue-viewed': 'Viewed the front door queue',
  'request-acknowledged': 'Acknowledged a request for support',
  'request-decided': 'Decided a request for support',
  'match-confirmed': 'Confirmed two records are the same person',
  'match-rejected': 'Rejected a suggested match between people',
  'consultation-recorded': 'Recorded a Consultation Line call',
  'consultation-list-viewed': 'Viewed the Consultation Line log',
} as const
export type AuditAction = keyof typeof AUDIT_ACTIONS

/** Who is acting, and from where: what every service call is given and every audit event records. */
export interface Actor {
  accountId: string
  tenantId: string
  role: Role
  ip: string | null
  requestId: string | null
}

export interface AuditEvent {
  action: AuditAction
  tenantId: string | null
  actor?: Pick<Actor, 'accountId' | 'role'> | null
  recordType?: string | null
  recordId?: string | null
  outcome?: 'success' | 'denied' | 'failure'
  ip?: string | null
  requestId?: string | null
  /** Never personal data beyond what identifies the record: the audit log outlives the case. */
  detail?: Record<string, unknown>
}

/** Writes one event. Call it with the same transaction as the change it records. */
export async function recordAudit(db: Kysely<DB>, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      tenant_id: event.tenantId,
      actor_account_id: event.actor?.accountId ?? null,
      actor_role: event.actor?.role ?? null,
      action: event.action,
      record_type: event.recordType ?? null,
      record_id: event.recordId ?? null,
      outcome: event.outcome ?? 'success',
      ip: event.ip ?? null,
      request_id: event.requestId ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .execute()
}

/** The audit event an actor causes, with their identity and origin filled in. */
export function auditBy(actor: Actor, event: Omit<AuditEvent, 'tenantId' | 'actor' | 'ip' | 'requestId'>): AuditEvent {
  return {
    ...event,
    tenantId: actor.tenantId,
    actor: { accountId: actor.accountId, role: actor.role },
    ip: actor.ip,
    requestId: actor.requestId,
  }
}
