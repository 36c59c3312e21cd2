import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { afterFailure, type ThrottleRow } from './session-rules.ts'

/** Counts one failure (a wrong password or code) under a row lock, so concurrent failures are each counted. */
export async function countFailure(trx: Kysely<DB>, key: string, now: Date, maxFailures: number): Promise<void> {
  await trx
    .insertInto('sign_in_throttle')
    .values({ key, failures: 0, window_started_at: now, locked_until: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const current: ThrottleRow = await trx
    .selectFrom('sign_in_throttle')
    .select(['failures', 'window_started_at', 'locked_until'])
    .where('key', '=', key)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const next = afterFailure(current.failures === 0 ? undefined : current, now, maxFailures)
  await trx.updateTable('sign_in_throttle').set(next).where('key', '=', key).execute()
}
