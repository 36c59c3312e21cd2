import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'sent-demonstration', 'failed'] as const
/**
 * queued: waiting for its first or next attempt (at next_attempt_at).
 * sending: claimed by a worker; next_attempt_at is when that claim lapses, if the worker died.
 * sent / sent-demonstration / failed: final.
 */
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number]

/** What a message says, as GOV.UK Notify takes it. May be personal: never logged, never audited. */
export type Personalisation = Record<string, string | number | string[]>

/** The outbox: one row per message an event caused (migration 2026-11-24T1400-notifications). */
export interface NotificationTable {
  id: string
  tenant_id: string
  /** The causing event's idempotency key, unique per authority: `request:<id>:acknowledged:referrer`. */
  event_key: string
  channel: 'email'
  /** Our template name (see templates.ts), mapped to a Notify template id by configuration. */
  template: string
  recipient: string
  personalisation: ColumnType<Personalisation, string, string>
  /** What Notify is given as `reference`: the notification id, never personal data (a check constraint). */
  reference: string
  status: ColumnType<NotificationStatus, NotificationStatus | undefined, NotificationStatus>
  attempts: Generated<number>
  /** Why the last attempt failed, in words that hold no personal data. */
  last_error: string | null
  /** When the next attempt may start; for a row being sent, when its worker's claim lapses. Null once final. */
  next_attempt_at: Timestamp | null
  sent_at: Timestamp | null
  /** Notify's own id for the message. */
  provider_id: string | null
  created_at: Generated<Date>
}

