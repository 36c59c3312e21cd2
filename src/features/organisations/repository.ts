import type { Trx } from '../../platform/db/database.ts'
import type { OrganisationKind } from '../../platform/db/schema.ts'

export interface OrganisationRow {
  id: string
  name: string
  kind: OrganisationKind
  active: boolean
  created_at: Date
  deactivated_at: Date | null
  account_count: number
}

/** Plain queries over organisations; row-level security has already confined them to one authority. */
export const organisationRepository = {
  async page(trx: Trx, filter: { status: 'active' | 'inactive' | 'all' }, limit: number, offset: number) {
    let query = trx.selectFrom('organisations')
    if (filter.status !== 'all') query = query.where('organisations.active', '=', filter.status === 'active')
    const total = await query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()
    const rows = await query
      .leftJoin('accounts', (join) => join.onRef('accounts.organisation_id', '=', 'organisations.id').on('accounts.active', '=', true))
      .select((eb) => [
        'organisations.id',
        'organisations.name',
        'organisations.kind',
        'organisations.active',
        'organisations.created_at',
        'organisations.deactivated_at',
        eb.fn.count<string>('accounts.id').as('account_count'),
      ])
      .groupBy('organisations.id')
      .orderBy('organisations.name')
      .orderBy('organisations.id')
      .limit(limit)
      .offset(offset)
      .execute()
    return { total: Number(total.count), rows: rows.map((row) => ({ ...row, account_count: Number(row.account_count) })) }
  },

  byId(trx: Trx, id: string) {
    return trx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst()
  },

  active(trx: Trx) {
    return trx.selectFrom('organisations').select(['id', 'name']).where('active', '=', true).orderBy('name').execute()
  },

  /** Undefined when the name is taken: the unique index decides, so two tabs cannot both succeed. */
  insert(trx: Trx, tenantId: string, input: { name: string; kind: OrganisationKind }) {
    return trx
      .insertInto('organisations')
      .values({ tenant_id: tenantId, ...input })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
  },

}
