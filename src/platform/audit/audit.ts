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
  'involvement-opened': 'Started early help for a family',
  'involvement-viewed': 'Viewed a family’s early help',
  'involvement-list-viewed': 'Viewed a list of families',
  'family-member-added': 'Added a family member',
  'lead-professional-changed': 'Handed over the Lead Professional role',
  'team-member-added': 'Added someone to a Team Around the Family',
  'team-member-removed': 'Removed someone from a Team Around the Family',
  'assessment-viewed': 'Viewed a Family Story assessment',
  'assessment-saved': 'Changed a Family Story assessment',
  'assessment-completed': 'Completed a Family Story assessment',
  'plan-viewed': 'Viewed an Early Help Plan',
  'plan-started': 'Started a new version of an Early Help Plan',
  'plan-saved': 'Changed a draft Early Help Plan',
  'plan-agreed': 'Agreed and signed an Early Help Plan',
  'plan-discarded': 'Discarded a draft Early Help Plan',
  'plans-compared': 'Compared two versions of an Early Help Plan',
  'plan-downloaded': 'Downloaded an Early Help Plan',
  'action-updated': 'Changed the status of a plan action',
  'meeting-scheduled': 'Scheduled a Team Around the Family meeting',
  'meeting-recorded': 'Recorded a Team Around the Family meeting',
  'meeting-cancelled': 'Cancelled a Team Around the Family meeting',
  'meeting-viewed': 'Viewed a Team Around the Family meeting',
  'review-date-changed': 'Changed the next review date',
  'chronology-viewed': 'Viewed a family’s chronology',
  'chronology-entry-added': 'Added to a family’s chronology',
  'stepped-up': 'Asked for a family to be stepped up',
  'stepped-down': 'Stepped a family down',
  'closure-requested': 'Asked for a manager to sign off a closure',
  'closure-returned': 'Returned a closure without signing it off',
  'involvement-closed': 'Closed a family’s early help',
  'panel-viewed': 'Viewed a Children and Family Panel agenda',
  'panel-decided': 'Recorded a Children and Family Panel decision',
  'oversight-viewed': 'Viewed overdue reviews and actions',
  'signposting-viewed': 'Viewed the services a family was signposted to',
  'signposted': 'Signposted a family to a service',
  'signpost-removed': 'Removed a service a family was signposted to',
  'keep-in-touch-set-up': 'Set up monthly keep-in-touch calls',
  'keep-in-touch-list-viewed': 'Viewed the keep-in-touch calls due',
  'keep-in-touch-viewed': 'Viewed a keep-in-touch call',
  'keep-in-touch-recorded': 'Recorded a keep-in-touch call',
  'directory-list-viewed': 'Viewed the list of directory services',
  'directory-service-viewed': 'Viewed a directory service to edit it',
  'directory-service-created': 'Added a service to the directory',
  'directory-service-updated': 'Changed a service in the directory',
  'directory-service-checked': 'Confirmed a directory service’s details are still right',
  'mfa-set-up': 'Set up multi-factor authentication',
  'mfa-challenge-passed': 'Gave a correct multi-factor authentication code',
  'mfa-challenge-failed': 'Gave a wrong multi-factor authentication code',
  'recovery-code-used': 'Used a multi-factor authentication recovery code',
  'mfa-reset': 'Reset another person’s multi-factor authentication',
  'break-glass-opened': 'Opened a family’s record without a relationship (break-glass)',
  'break-glass-list-viewed': 'Viewed the break-glass review list',
  'break-glass-viewed': 'Viewed a break-glass access to review it',
  'break-glass-reviewed': 'Recorded a finding on a break-glass access',
  'family-audit-viewed': 'Viewed who has seen a family’s record',
  'consent-viewed': 'Viewed a family’s consent',
  'consent-recorded': 'Recorded a family member’s consent',
  'consent-withdrawn': 'Recorded that a family member withdrew consent',
  'consent-override-recorded': 'Recorded a lawful basis to go on without consent',
  'sharing-log-viewed': 'Viewed a family’s sharing log',
  'disclosure-recorded': 'Recorded a disclosure of a family’s information',
  'protected-detail-recorded': 'Protected a person’s address, contact details or whereabouts',
  'protected-detail-lifted': 'Lifted the protection of a person’s details',
  'protected-details-viewed': 'Viewed a family’s protected details',
  'subject-access-viewed': 'Viewed a person’s subject access export page',
  'subject-access-exported': 'Exported everything held about a person (subject access)',
  'retention-report-viewed': 'Viewed the retention rules and report',
  'retention-report-run': 'Ran a retention report',
  'retention-deleted': 'Deleted a record under the retention schedule',
  'retention-anonymised': 'Anonymised a family’s records under the retention schedule',
  'legal-hold-placed': 'Placed a legal hold on a record',
  'legal-hold-lifted': 'Lifted a legal hold',
  'legal-holds-viewed': 'Viewed legal holds',
  'own-account-viewed': 'Viewed their own account and where they are signed in',
  'other-sessions-ended': 'Signed out of every other browser',
  'password-changed': 'Changed their own password',
  'password-change-failed': 'Failed to change their own password',
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
