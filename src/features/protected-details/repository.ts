import type { Trx } from '../../platform/db/database.ts'
import type { Protection } from './redact.ts'

const COLUMNS = [
  'p.id',
  'p.involvement_id',
  'p.person_id',
  'p.kind',
  'p.value',
  'p.hidden_from_people',
  'p.hidden_from_organisations',
  'p.reason',
  'p.recorded_at',
  'p.ended_at',
  'p.ended_reason',
  'r.name as recorded_by_name',
  'e.name as ended_by_name',
] as const

/** Plain queries for protected details; row-level security confines them to one authority. */
export const protectedRepository = {
  /** Every protection of some involvements (current and lifted), oldest first: one query. */
  forInvolvements(trx: Trx, involvementIds: readonly string[]) {
    if (!involvementIds.length) return Promise.resolve([])
    return trx
      .selectFrom('protected_details as p')
      .innerJoin('accounts as r', 'r.id', 'p.recorded_by')
      .leftJoin('accounts as e', 'e.id', 'p.ended_by')
      .select(COLUMNS)
      .where('p.involvement_id', 'in', involvementIds)
      .orderBy('p.recorded_at')
      .orderBy('p.id')
      .execute()
  },

  one(trx: Trx, involvementId: string, id: string) {
    return trx
      .selectFrom('protected_details as p')
      .innerJoin('accounts as r', 'r.id', 'p.recorded_by')
      .leftJoin('accounts as e', 'e.id', 'p.ended_by')
      .select(COLUMNS)
      .where('p.involvement_id', '=', involvementId)
      .where('p.id', '=', id)
      .executeTakeFirst()
  },

  async organisationOf(trx: Trx, accountId: string): Promise<string | undefined> {
    const row = await trx.selectFrom('accounts').select('organisation_id').where('id', '=', accountId).executeTakeFirst()
    return row?.organisation_id
  },

  people(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('involvement_people')
      .select(['id', 'kind', 'given_name', 'family_name', 'relationship'])
      .where('involvement_id', '=', involvementId)
      .orderBy('kind', 'desc')
      .orderBy('position')
      .execute()
  },

  organisations(trx: Trx, tenantId: string) {
    return trx.selectFrom('organisations').select(['id', 'name']).where('tenant_id', '=', tenantId).where('active', '=', true).orderBy('name').execute()
  },
}

export type ProtectionRow = Awaited<ReturnType<typeof protectedRepository.forInvolvements>>[number]

/** A row as the pure redaction sees it. */
export function protectionOf(row: Pick<ProtectionRow, 'kind' | 'value' | 'hidden_from_people' | 'hidden_from_organisations' | 'ended_at'>): Protection {
  return { kind: row.kind, value: row.value, hiddenFromPeople: row.hidden_from_people, hiddenFromOrganisations: row.hidden_from_organisations, endedAt: row.ended_at }
}
