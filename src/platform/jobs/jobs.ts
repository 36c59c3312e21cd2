import { fromPglite, PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import { sweepExpiredSessions } from '../auth/sessions.ts'
import { sweepExpiredPending } from '../auth/pending.ts'
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../auth/session-rules.ts'
import type { Database } from '../db/database.ts'
import { missingTemplateIds, readNotifyConfig } from '../notify/config.ts'
import { connectOutboxJobs, deliverDueNotifications, grantOutboxJobs, NOTIFICATION_QUEUE } from '../notify/outbox.ts'
import { demonstrationSender, notifySender, type NotifySender } from '../notify/sender.ts'
import { runRetentionSweep } from '../../features/retention/sweep.ts'

/** The queues this service runs, with what each does. Later capabilities add theirs here. */
export const QUEUES = {
  sweepSessions: 'sessions.sweep',
  /** Sends what is due in the notification outbox: woken by each message queued, and every minute. */
  sendNotifications: NOTIFICATION_QUEUE,
  /** The retention sweep: each night, a report for each authority, then removing what has waited out the grace period. */
  retentionSweep: 'retention.sweep',
} as const

const SCHEMA = 'pgboss'

/** When the retention sweep runs: every night at 02:30, UK time. */
export const RETENTION_SCHEDULE = '30 2 * * *'

export interface Jobs {
  boss: PgBoss
  stop(): Promise<void>
}

export interface JobOptions {
  /** How notifications leave: GOV.UK Notify when NOTIFY_API_KEY is set, demonstration mode otherwise. */
  sender?: NotifySender
}

type JobLog = Pick<Logger, 'error' | 'info'> & Partial<Pick<Logger, 'warn'>>

/**
 * Starts pg-boss in the service's own database (PGlite or the server), so a job is enqueued in the
 * same transaction as the change that causes it, and the worker for each queue.
 */
export async function startJobs(db: Database, log: JobLog, databaseUrl?: string, options: JobOptions = {}): Promise<Jobs> {
  const boss =
    db.kind === 'pglite' && db.pglite
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', schema: SCHEMA })
      : new PgBoss({ connectionString: databaseUrl ?? '', schema: SCHEMA })
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'))
  await boss.start()
  await boss.createQueue(QUEUES.sweepSessions)
  await boss.work(QUEUES.sweepSessions, async () => {
    const removed = await sweepExpiredSessions(db.system, new Date(), IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS)
    if (removed) log.info({ removed }, 'expired sessions removed')
    await sweepExpiredPending(db.system, new Date())
  })
  await boss.schedule(QUEUES.sweepSessions, '*/15 * * * *')

  // Retention (features/retention): one job at a time, at 02:30 UK time, caught up once after downtime.
  await boss.createQueue(QUEUES.retentionSweep, { policy: 'singleton', retryLimit: 1 })
  await boss.work(QUEUES.retentionSweep, async () => {
    for (const result of await runRetentionSweep(db, new Date())) {
      log.info({ tenant: result.tenantId, due: result.report.counts.total, removed: result.applied.counts.total }, 'retention sweep ran')
    }
  })
  await boss.schedule(QUEUES.retentionSweep, RETENTION_SCHEDULE, null, { tz: 'Europe/London', missed: 'once' })

  // The notification outbox. Its own retries and backoff are in the table, so a job only wakes the worker.
  const sender = options.sender ?? defaultSender(log)
  await boss.createQueue(QUEUES.sendNotifications, { retryLimit: 2, retryDelay: 30, retryBackoff: true })
  await grantOutboxJobs(db.system, SCHEMA)
  // createQueue has cached the queue's settings, so sending a job inside a service's transaction reads
  // nothing through pg-boss's own connection (on PGlite that would wait for the transaction: a deadlock).
  const disconnect = connectOutboxJobs(boss)
  const worker = { db: db.system, sender, log: { info: log.info.bind(log), warn: (log.warn ?? log.info).bind(log), error: log.error.bind(log) }, scheduleRetries: true }
  await boss.work(QUEUES.sendNotifications, async () => {
    const counts = await deliverDueNotifications(worker)
    const tried = Object.values(counts).reduce((a, b) => a + b, 0)
    if (tried) log.info({ ...counts, mode: sender.mode }, 'notification outbox delivered')
  })
  // The sweep: picks up messages queued while no worker ran, retries that fall due, and claims left by a stopped worker.
  await boss.schedule(QUEUES.sendNotifications, '* * * * *')
  await boss.send(QUEUES.sendNotifications, {})

  return {
    boss,
    stop: async () => {
      disconnect()
      await boss.stop({ graceful: true, timeout: 5000 })
    },
  }
}

function defaultSender(log: JobLog): NotifySender {
  const config = readNotifyConfig()
  if (!config.apiKey) {
    log.info({}, 'NOTIFY_API_KEY is not set: notifications are kept in the outbox and marked sent in demonstration mode')
    return demonstrationSender
  }
  const missing = missingTemplateIds(config)
  if (missing.length) log.error({ templates: missing }, 'GOV.UK Notify template ids are missing: those notifications will fail until they are set')
  return notifySender(config)
}
