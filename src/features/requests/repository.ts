import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

/** Plain queries over requests and their people; row-level security confines them to one authority. */
export const requestRepository = {
  byId(trx: Trx, id: string) {
    return trx.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst()
  },

  byIdForUpdate(trx: Trx, id: string) {
    return trx.selectFrom('requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  },

  people(trx: Trx, requestId: string) {
    return trx.selectFrom('request_people').selectAll().where('request_id', '=', requestId).orderBy('kind', 'desc').orderBy('position').execute()
  },

  async referrerPage(trx: Trx, accountId: string, limit: number, offset: number) {
    const base = trx.selectFrom('requests').where('referrer_account_id', '=', accountId)
    const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    const rows = await base
      .select([
        'id',
        'reference',
        'status',
        'priority',
        'created_at',
        'submitted_at',
        'decided_at',
        'outcome',
        'decided_level',
        'decision_reason',
        // The children's names, in one query for the page rather than one per row.
        (eb) =>
          eb
            .selectFrom('request_people')
            .select(sql<string>`string_agg(given_name || ' ' || family_name, ', ' order by position)`.as('names'))
            .whereRef('request_people.request_id', '=', 'requests.id')
            .where('request_people.kind', '=', 'child')
            .as('children'),
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute()
    return { total: Number(total.n), rows }
  },

  /**
   * Saves one section of the answers, raising the version so a stale second tab is noticed: given
   * the version the form was read at, nothing is saved if someone saved since.
   */
  saveSection(trx: Trx, id: string, section: string, value: unknown, version?: number) {
    let query = trx
      .updateTable('requests')
      .set((eb) => ({
        answers: sql`jsonb_set(${eb.ref('answers')}, ${sql.val([section])}::text[], ${JSON.stringify(value)}::jsonb)`,
        version: sql`version + 1`,
        updated_at: new Date(),
      }))
      .where('id', '=', id)
      .where('status', '=', 'draft')
    if (version !== undefined) query = query.where('version', '=', version)
    return query.returning('version').executeTakeFirst()
  },

  /** The next number in an authority's series, handed out once under a row lock. */
  async nextNumber(trx: Trx, tenantId: string, name: string): Promise<number> {
    await trx
      .insertInto('reference_counters')
      .values({ tenant_id: tenantId, name, value: 0 })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
      .execute()
    const row = await trx
      .updateTable('reference_counters')
      .set({ value: sql`value + 1` })
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .returning('value')
      .executeTakeFirstOrThrow()
    return Number(row.value)
  },
}
