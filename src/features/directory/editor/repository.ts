import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database.ts'

/** Which services an editor may touch: an administrator all the authority's, a provider its own organisation's. */
export type EditorScope = { kind: 'authority' } | { kind: 'organisation'; organisationId: string | null }

/** The editors' queries; row-level security confines them to one authority. */
export const editorRepository = {
  async accountOrganisation(trx: Trx, accountId: string): Promise<string | null> {
    const row = await trx.selectFrom('accounts').select('organisation_id').where('id', '=', accountId).executeTakeFirst()
    return row?.organisation_id ?? null
  },

  /** A page of services by name, with the number in all: two queries, on the (tenant, lower(name), id) index. */
  async page(trx: Trx, tenantId: string, scope: EditorScope, filters: { q: string; review: boolean; reviewBefore: string }, limit: number, offset: number) {
    let query = trx
      .selectFrom('directory_services')
      .leftJoin('directory_organizations', 'directory_organizations.id', 'directory_services.organization_id')
      .where('directory_services.tenant_id', '=', tenantId)
    if (scope.kind === 'organisation') {
      if (!scope.organisationId) return { rows: [], total: 0 }
      query = query.where('directory_organizations.organisation_id', '=', scope.organisationId)
    }
    if (filters.q) {
      const like = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query = query.where(sql<boolean>`lower(directory_services.name) like ${like}`)
    }
    if (filters.review) {
      query = query.where((eb) => eb.or([eb('directory_services.last_checked_on', 'is', null), eb('directory_services.last_checked_on', '<', filters.reviewBefore)]))
    }
    const count = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    const rows = await query
      .select([
        'directory_services.id',
        'directory_services.name',
        'directory_services.status',
        'directory_services.last_checked_on',
        'directory_services.updated_at',
        'directory_organizations.name as organisation_name',
      ])
      .orderBy(sql`lower(directory_services.name)`)
      .orderBy('directory_services.id')
      .limit(limit)
      .offset(offset)
      .execute()
    return { rows, total: Number(count.n) }
  },

  /** The directory organisations an editor may choose as a service's organisation. */
  async organizations(trx: Trx, scope: EditorScope) {
    let query = trx.selectFrom('directory_organizations').select(['id', 'name', 'organisation_id'])
    if (scope.kind === 'organisation') {
      if (!scope.organisationId) return []
      query = query.where('organisation_id', '=', scope.organisationId)
    }
    return query.orderBy(sql`lower(name)`).orderBy('id').limit(2000).execute()
  },

  async organization(trx: Trx, id: string) {
    return trx.selectFrom('directory_organizations').select(['id', 'name', 'organisation_id', 'document']).where('id', '=', id).executeTakeFirst()
  },

  async linkOrganization(trx: Trx, id: string, organisationId: string): Promise<void> {
    await trx.updateTable('directory_organizations').set({ organisation_id: organisationId }).where('id', '=', id).execute()
  },

  /** The service's row as the editor needs it, locked against another save until this transaction ends. */
  async serviceForUpdate(trx: Trx, id: string) {
    return trx
      .selectFrom('directory_services')
      .leftJoin('directory_organizations', 'directory_organizations.id', 'directory_services.organization_id')
      .select(['directory_services.id', 'directory_services.version', 'directory_services.organization_id', 'directory_services.last_checked_on', 'directory_organizations.organisation_id'])
      .where('directory_services.id', '=', id)
      .forUpdate('directory_services')
      .executeTakeFirst()
  },

  async service(trx: Trx, id: string) {
    return trx
      .selectFrom('directory_services')
      .leftJoin('directory_organizations', 'directory_organizations.id', 'directory_services.organization_id')
      .select([
        'directory_services.id',
        'directory_services.version',
        'directory_services.organization_id',
        'directory_services.last_checked_on',
        'directory_services.updated_at',
        'directory_services.status',
        'directory_organizations.organisation_id',
      ])
      .where('directory_services.id', '=', id)
      .executeTakeFirst()
  },
}
