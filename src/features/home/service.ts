import type { Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'

export interface AuthorityTotals {
  activeAccountsByRole: { role: string; count: number }[]
  activeOrganisations: number
  activeAccounts: number
}

export interface QueueTotals {
  waiting: number
  priority: number
  unacknowledged: number
}

/** How the front door queue stands, as totals: the queue itself lists the requests. */
export async function queueTotals(db: Database, actor: Actor): Promise<QueueTotals> {
  return db.asTenant(actor.tenantId, async (trx) => {
    const row = await trx
      .selectFrom('requests')
      .select((eb) => [
        eb.fn.countAll<string>().as('waiting'),
        eb.fn.count<string>('id').filterWhere('priority', '=', true).as('priority'),
        eb.fn.count<string>('id').filterWhere('acknowledged_at', 'is', null).as('unacknowledged'),
      ])
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow()
    return { waiting: Number(row.waiting), priority: Number(row.priority), unacknowledged: Number(row.unacknowledged) }
  })
}

/** Totals for the authority: aggregates only, so no audit event and no names. */
export async function authorityTotals(db: Database, actor: Actor): Promise<AuthorityTotals> {
  return db.asTenant(actor.tenantId, async (trx) => {
    const byRole = await trx
      .selectFrom('accounts')
      .select(['role', (eb) => eb.fn.countAll<string>().as('count')])
      .where('active', '=', true)
      .groupBy('role')
      .orderBy('role')
      .execute()
    const organisations = await trx
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('active', '=', true)
      .executeTakeFirstOrThrow()
    const activeAccountsByRole = byRole.map((row) => ({ role: row.role, count: Number(row.count) }))
    return {
      activeAccountsByRole,
      activeOrganisations: Number(organisations.count),
      activeAccounts: activeAccountsByRole.reduce((sum, row) => sum + row.count, 0),
    }
  })
}
