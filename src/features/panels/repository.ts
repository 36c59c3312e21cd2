import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

export interface PanelDateRow {
  panel_on: string
  waiting: number
  decided: number
}

/** The Children and Family Panel's queries; row-level security confines them to one authority. */
export const panelsRepository = {
  /** Panel dates still to come, or with families still waiting: how many wait and how many are decided. */
  async dates(trx: Trx, today: string, limit: number, offset: number): Promise<{ total: number; rows: PanelDateRow[] }> {
    const grouped = sql`
      select panel_on, count(*) filter (where status = 'waiting')::int as waiting, count(*) filter (where status = 'decided')::int as decided
      from panel_items
      group by panel_on
      having count(*) filter (where status = 'waiting') > 0 or panel_on >= ${today}::date`
    const total = await sql<{ n: number }>`select count(*)::int as n from (${grouped}) g`.execute(trx)
    const rows = await sql<PanelDateRow>`select * from (${grouped}) g order by panel_on limit ${limit} offset ${offset}`.execute(trx)
    return { total: Number(total.rows[0]?.n ?? 0), rows: rows.rows.map((r) => ({ ...r, panel_on: String(r.panel_on), waiting: Number(r.waiting), decided: Number(r.decided) })) }
  },

  async lastPanelOn(trx: Trx): Promise<string | null> {
    const row = await trx.selectFrom('panel_items').select((eb) => eb.fn.max('panel_on').as('last')).executeTakeFirst()
    return row?.last ? String(row.last) : null
  },

  async agenda(trx: Trx, date: string, limit: number, offset: number) {
    const total = await trx
      .selectFrom('panel_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('panel_on', '=', date)
      .executeTakeFirstOrThrow()
    const rows = await trx
      .selectFrom('panel_items')
      .innerJoin('requests', 'requests.id', 'panel_items.request_id')
      .leftJoin('accounts as referrer', 'referrer.id', 'requests.referrer_account_id')
      .leftJoin('organisations', 'organisations.id', 'referrer.organisation_id')
      .leftJoin('accounts as decider', 'decider.id', 'panel_items.decided_by')
      .leftJoin('involvements', 'involvements.id', 'panel_items.involvement_id')
      .select([
        'panel_items.id',
        'panel_items.request_id',
        'panel_items.status',
        'panel_items.decision',
        'panel_items.involvement_id',
        'panel_items.decided_at',
        'decider.name as decided_by_name',
        'involvements.reference as involvement_reference',
        'requests.reference',
        'requests.route',
        'requests.suggested_level',
        'requests.decided_level',
        'requests.suggestion',
        'requests.decision_reason',
        'requests.submitted_at',
        'referrer.name as referrer_name',
        'organisations.name as referrer_organisation',
      ])
      .where('panel_items.panel_on', '=', date)
      .orderBy('panel_items.status', 'desc')
      .orderBy('panel_items.created_at')
      .orderBy('panel_items.id')
      .limit(limit)
      .offset(offset)
      .execute()
    return { total: Number(total.n), rows }
  },

  /** The children of several requests at once, in the order the referrer gave them. */
  children(trx: Trx, requestIds: string[]) {
    if (!requestIds.length) return Promise.resolve([])
    return trx
      .selectFrom('request_people')
      .select(['request_id', 'given_name', 'family_name', 'date_of_birth', 'due_date'])
      .where('request_id', 'in', requestIds)
      .where('kind', '=', 'child')
      .orderBy('request_id')
      .orderBy('position')
      .execute()
  },

  /** One waiting item on a panel date, locked while it is decided. */
  item(trx: Trx, date: string, id: string) {
    return trx.selectFrom('panel_items').selectAll().where('id', '=', id).where('panel_on', '=', date).forUpdate().executeTakeFirst()
  },
}
