import type { Trx } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import type { AccountFilter } from './forms.ts'

const LIST_COLUMNS = [
  'accounts.id',
  'accounts.name',
  'accounts.email',
  'accounts.role',
  'accounts.active',
  'accounts.last_signed_in_at',
  'organisations.name as organisation_name',
] as const

/** Plain queries over accounts; row-level security has already confined them to one authority. */
export const accountRepository = {
  async page(trx: Trx, filter: AccountFilter, limit: number, offset: number) {
    let query = trx.selectFrom('accounts').innerJoin('organisations', 'organisations.id', 'accounts.organisation_id')
    const status = filter.status ?? 'active'
    if (status !== 'all') query = query.where('accounts.active', '=', status === 'active')
    if (filter.role) query = query.where('accounts.role', '=', filter.role)
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query = query.where((eb) => eb.or([eb('accounts.name', 'ilike', pattern), eb('accounts.email', 'ilike', pattern)]))
    }
    const total = await query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()
    const rows = await query.select(LIST_COLUMNS).orderBy('accounts.name').orderBy('accounts.id').limit(limit).offset(offset).execute()
    return { total: Number(total.count), rows }
  },

  byId(trx: Trx, id: string) {
    return trx
      .selectFrom('accounts')
      .innerJoin('organisations', 'organisations.id', 'accounts.organisation_id')
      .select([...LIST_COLUMNS, 'accounts.phone', 'accounts.created_at', 'accounts.deactivated_at', 'accounts.organisation_id'])
      .where('accounts.id', '=', id)
      .executeTakeFirst()
  },

  /** Undefined when the email is taken (in any authority: people sign in by email alone). */
  insert(
    trx: Trx,
    tenantId: string,
    input: { name: string; email: string; phone: string | null; role: Role; organisation_id: string; password_hash: string },
  ) {
    return trx
      .insertInto('accounts')
      .values({ tenant_id: tenantId, ...input })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
  },


  endSessions(trx: Trx, accountId: string) {
    return trx.deleteFrom('sessions').where('account_id', '=', accountId).execute()
  },
}
