import { fromPglite, PgBoss } from 'pg-boss'
import type { Logger } from 'pino'
import { sweepExpiredSessions } from '../auth/sessions.ts'
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../auth/session-rules.ts'
import type { Database } from '../db/database.ts'

/** The queues this service runs, with what each does. Later capabilities add theirs here. */
export const QUEUES = {
  sweepSessions: 'sessions.sweep',
} as const

export interface Jobs {
  boss: PgBoss
  stop(): Promise<void>
}

/**
 * Starts pg-boss in the service's own database (PGlite or the server), so a job is enqueued in the
 * same transaction as the change that causes it, and the worker for each queue.
 */
export async function startJobs(db: Database, log: Pick<Logger, 'error' | 'info'>, databaseUrl?: string): Promise<Jobs> {
  const boss =
    db.kind === 'pglite' && db.pglite
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', schema: 'pgboss' })
      : new PgBoss({ connectionString: databaseUrl ?? '', schema: 'pgboss' })
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'))
  await boss.start()
  await boss.createQueue(QUEUES.sweepSessions)
  await boss.work(QUEUES.sweepSessions, async () => {
    const removed = await sweepExpiredSessions(db.system, new Date(), IDLE_TIMEOUT_MS, ABSOLUTE_TIMEOUT_MS)
    if (removed) log.info({ removed }, 'expired sessions removed')
  })
  await boss.schedule(QUEUES.sweepSessions, '*/15 * * * *')
  return { boss, stop: () => boss.stop({ graceful: true, timeout: 5000 }) }
}
