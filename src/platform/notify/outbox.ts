import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import { fromKysely, type KyselyTransactionLike, type PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import type { DB } from '../db/schema.ts'
import { SendError, type NotifySender } from './sender.ts'
import type { Personalisation } from './schema.ts'
import type { NotificationTemplate } from './templates.ts'

/** The pg-boss queue whose jobs wake the outbox worker. A job carries a notification id, nothing more. */
export const NOTIFICATION_QUEUE = 'notifications.send'

/** Attempts before a message is given up as failed. */
export const MAX_ATTEMPTS = 6
/** The first retry waits this long, each later one five times longer: 1, 5, 25, 125, 625 minutes. */
export const FIRST_BACKOFF_MS = 60_000
export const BACKOFF_FACTOR = 5
/** Each wait is moved by up to this fraction either way, so messages failed together do not retry together. */
export const BACKOFF_JITTER = 0.2
/**
 * How long a worker's claim on a message lasts. A row still 'sending' after this was left by a
 * worker that stopped (a crash, a deploy): another picks it up. Far longer than a send may take
 * (NOTIFY_TIMEOUT_MS), so a live worker never loses its claim.
 */
export const SENDING_LEASE_MS = 10 * 60_000

export interface QueueNotificationInput {
  tenantId: string
  /** The causing event's idempotency key: the same event queued again makes no second message. */
  eventKey: string
  template: NotificationTemplate
  recipient: string
  personalisation: Personalisation
}

/**
 * The job queue the outbox wakes its worker through, once startJobs has started one in this
 * process. Without it (JOBS=false, or before the worker starts) messages are still queued safely:
 * the worker's sweep at start and every minute finds them.
 */
let jobQueue: PgBoss | undefined

export function connectOutboxJobs(boss: PgBoss): () => void {
  jobQueue = boss
  return () => {
    if (jobQueue === boss) jobQueue = undefined
  }
}

/**
 * Puts a message in the outbox, in the caller's transaction, so it exists if and only if the event
 * that caused it does. The same event key twice is one message. The job that wakes the worker is
 * written through the same transaction, so a rollback leaves neither, and nothing waits on a second
 * connection (on PGlite there is only one, and it is ours until the transaction ends).
 *
 * Works inside `db.asTenant` (the row-level security policy checks the tenant) and on the owner's
 * connection. Resolves to the notification's id and whether this call created it.
 */
export async function queueNotification(trx: Transaction<DB>, input: QueueNotificationInput): Promise<{ id: string; created: boolean }> {
  const id = randomUUID()
  const inserted = await trx
    .insertInto('notifications')
    .values({
      id,
      tenant_id: input.tenantId,
      event_key: input.eventKey,
      channel: 'email',
      template: input.template,
      recipient: input.recipient,
      personalisation: JSON.stringify(input.personalisation),
      reference: id,
      status: 'queued',
      next_attempt_at: sql<Date>`now()`,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'event_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) {
    const existing = await trx
      .selectFrom('notifications')
      .select('id')
      .where('tenant_id', '=', input.tenantId)
      .where('event_key', '=', input.eventKey)
      .executeTakeFirstOrThrow()
    return { id: existing.id, created: false }
  }
  await wakeWorker(trx, id)
  return { id, created: true }
}

/** Enqueues the job that wakes the worker, through the given transaction (pg-boss's `db` option). */
async function wakeWorker(trx: KyselyTransactionLike, notificationId: string, startAfter?: Date): Promise<void> {
  if (!jobQueue) return
  await jobQueue.send(NOTIFICATION_QUEUE, { notificationId }, { db: fromKysely(trx), ...(startAfter ? { startAfter } : {}) })
}

/** The wait before attempt `attempt + 1`, after attempt `attempt` failed: 1, 5, 25, … minutes, ±20%. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = FIRST_BACKOFF_MS * BACKOFF_FACTOR ** Math.max(0, attempt - 1)
  return Math.round(base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random()))
}

export interface OutboxWorker {
  db: Kysely<DB>
  sender: NotifySender
  log: Pick<Logger, 'info' | 'warn' | 'error'>
  /** The time, for tests that move it on; the claim and every timestamp the worker writes use it. */
  clock?: () => Date
  random?: () => number
  /** Wake the worker again through a job when a retry falls due (the minute sweep would find it anyway). */
  scheduleRetries?: boolean
}

interface Claimed {
  id: string
  template: string
  recipient: string
  personalisation: Personalisation
  reference: string
  /** This attempt's number; also the fence: the result is written only while the row still has it. */
  attempts: number
  /** An earlier attempt was made, so Notify may already hold this message. */
  retry: boolean
  /** The row was claimed by a worker that stopped after its last permitted attempt: no new send. */
  exhausted: boolean
}

export type DeliveryOutcome = 'sent' | 'sent-demonstration' | 'retrying' | 'failed' | 'lost-claim'

/**
 * Claims one message that is due, or whose worker's claim has lapsed, and marks it as being sent,
 * in a short transaction of its own. SKIP LOCKED lets workers claim side by side without waiting,
 * and never the same row: the row is locked until the claim commits, and then it is 'sending'
 * with a lease in the future, so no other worker's claim matches it.
 */
export async function claimNotification(worker: OutboxWorker): Promise<Claimed | undefined> {
  const now = (worker.clock ?? (() => new Date()))()
  return worker.db
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .selectFrom('notifications')
        .select(['id', 'template', 'recipient', 'personalisation', 'reference', 'status', 'attempts'])
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst()
      if (!row) return undefined
      const exhausted = row.attempts >= MAX_ATTEMPTS
      const attempts = exhausted ? row.attempts : row.attempts + 1
      await trx
        .updateTable('notifications')
        .set({ status: 'sending', attempts, next_attempt_at: new Date(now.getTime() + SENDING_LEASE_MS) })
        .where('id', '=', row.id)
        .execute()
      return {
        id: row.id,
        template: row.template,
        recipient: row.recipient,
        personalisation: row.personalisation,
        reference: row.reference,
        attempts,
        retry: row.attempts > 0,
        exhausted,
      }
    })
}

/**
 * One attempt at one claimed message. A retry first asks Notify whether it already holds a message
 * with this reference (an earlier attempt that got through before its worker stopped, or whose
 * answer was lost), and records that one instead of sending again.
 */
export async function attemptDelivery(worker: OutboxWorker, claimed: Claimed): Promise<DeliveryOutcome> {
  return record(worker, claimed, await attempt(worker, claimed))
}

/** What became of the attempt. Only the sender's calls are caught here: a database error propagates, leaving the claim to lapse. */
async function attempt({ sender, log }: OutboxWorker, claimed: Claimed): Promise<Result> {
  try {
    if (claimed.retry && sender.mode === 'notify') {
      const providerId = await sender.findByReference(claimed.reference)
      if (providerId) {
        log.info({ notificationId: claimed.id, attempts: claimed.attempts }, 'notification already accepted by Notify on an earlier attempt')
        return { status: 'sent', providerId }
      }
    }
    if (claimed.exhausted) {
      const error = sender.mode === 'notify' ? 'The worker stopped during the last attempt, and GOV.UK Notify has no such message' : 'The worker stopped during the last attempt'
      return { status: 'failed', error }
    }
    const { providerId } = await sender.sendEmail({
      template: claimed.template,
      recipient: claimed.recipient,
      personalisation: claimed.personalisation,
      reference: claimed.reference,
    })
    return { status: sender.mode === 'notify' ? 'sent' : 'sent-demonstration', providerId }
  } catch (error) {
    const failure = error instanceof SendError ? error : new SendError('Unexpected error while sending', false)
    // Only its class: an unexpected error's message could repeat what was being sent.
    if (!(error instanceof SendError)) log.error({ notificationId: claimed.id, errorName: error instanceof Error ? error.name : typeof error }, 'notification send threw unexpectedly')
    const final = failure.permanent || claimed.attempts >= MAX_ATTEMPTS
    log.warn({ notificationId: claimed.id, attempts: claimed.attempts, final, error: failure.message }, 'notification attempt failed')
    return { status: final ? 'failed' : 'retrying', error: failure.message }
  }
}

type Result =
  | { status: 'sent' | 'sent-demonstration'; providerId: string | null }
  | { status: 'failed' | 'retrying'; error: string }

/** Writes an attempt's result, only if this worker's claim still stands (same attempt, still sending). */
async function record(worker: OutboxWorker, claimed: Claimed, result: Result): Promise<DeliveryOutcome> {
  const now = (worker.clock ?? (() => new Date()))()
  return worker.db
    .transaction()
    .execute(async (trx) => {
      const fenced = trx.updateTable('notifications').where('id', '=', claimed.id).where('status', '=', 'sending').where('attempts', '=', claimed.attempts)
      const nextAttemptAt = result.status === 'retrying' ? new Date(now.getTime() + backoffMs(claimed.attempts, worker.random)) : null
      const changes =
        'providerId' in result
          ? { status: result.status, provider_id: result.providerId, sent_at: now, next_attempt_at: null, last_error: null }
          : { status: result.status === 'failed' ? ('failed' as const) : ('queued' as const), last_error: result.error, next_attempt_at: nextAttemptAt }
      const changed = await fenced.set(changes).executeTakeFirst()
      if (Number(changed.numUpdatedRows) === 0) {
        worker.log.warn({ notificationId: claimed.id, attempts: claimed.attempts }, 'notification claim lapsed before its result was recorded')
        return 'lost-claim'
      }
      if (nextAttemptAt && worker.scheduleRetries) await wakeWorker(trx, claimed.id, nextAttemptAt)
      return result.status
    })
}

/**
 * Claims and attempts due messages one at a time until none is due, `max` have been tried or
 * `budgetMs` has passed (so one job stays short even when every send times out); what is left is
 * found by the next job or the minute's sweep.
 */
export async function deliverDueNotifications(worker: OutboxWorker, max = 100, budgetMs = 5 * 60_000): Promise<Record<DeliveryOutcome, number>> {
  const counts: Record<DeliveryOutcome, number> = { sent: 0, 'sent-demonstration': 0, retrying: 0, failed: 0, 'lost-claim': 0 }
  const stopAt = Date.now() + budgetMs
  for (let i = 0; i < max && Date.now() < stopAt; i++) {
    const claimed = await claimNotification(worker)
    if (!claimed) break
    counts[await attemptDelivery(worker, claimed)]++
  }
  return counts
}

/**
 * Lets the application role (which services' transactions run as) write the outbox's wake-up jobs:
 * pg-boss's insert reads the queue's settings and returns the new job's id and start time. Run after
 * pg-boss has created its schema and the queue; repeatable.
 */
export async function grantOutboxJobs(db: Kysely<DB>, schema: string): Promise<void> {
  const row = await sql<{ table_name: string }>`select table_name from ${sql.table(`${schema}.queue`)} where name = ${NOTIFICATION_QUEUE}`.execute(db)
  const table = row.rows[0]?.table_name
  if (!table) throw new Error(`pg-boss queue ${NOTIFICATION_QUEUE} does not exist`)
  await sql`grant usage on schema ${sql.id(schema)} to eh_app`.execute(db)
  await sql`grant select on ${sql.table(`${schema}.queue`)} to eh_app`.execute(db)
  await sql`grant insert, select (id, start_after) on ${sql.table(`${schema}.${table}`)} to eh_app`.execute(db)
}
