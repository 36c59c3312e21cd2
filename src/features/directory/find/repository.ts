import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { Trx } from '../../../platform/db/database.ts'
import type { DB } from '../../../platform/db/schema.ts'
import type { SearchFilters } from './forms.ts'

type ServicesQuery = SelectQueryBuilder<DB, 'directory_services', object>

/**
 * The active services of one authority that match every filter. Each filter is written so an index
 * can answer it: the keyword on the GIN index of the `search` tsvector, categories, levels,
 * localities and postcode districts on their GIN array indexes; the explicit tenant lets the
 * (tenant_id, lower(name), id) index give the name order without sorting.
 *
 * The explicit tenant is also what confines the search: it runs on the owner's connection, not under
 * row-level security, because PostgreSQL will not use an index for an operator that is not
 * leakproof (`@@`, `&&`, `@>`) on a table with a policy, so under it every search is a full scan.
 * The directory's active services are public open data, and nothing else is read.
 */
function matching(trx: Kysely<DB>, tenantId: string, filters: SearchFilters): ServicesQuery {
  let query = trx.selectFrom('directory_services').where('directory_services.tenant_id', '=', tenantId).where('directory_services.status', '=', 'active')
  if (filters.q) query = query.where(sql<boolean>`directory_services.search @@ websearch_to_tsquery('english', ${filters.q})`)
  if (filters.categories.length) query = query.where(sql<boolean>`directory_services.categories && ${sql.val(filters.categories)}::text[]`)
  if (filters.level !== undefined) query = query.where(sql<boolean>`directory_services.levels @> array[${filters.level}]::smallint[]`)
  if (filters.locality) query = query.where(sql<boolean>`directory_services.localities @> array[${filters.locality}]::text[]`)
  if (filters.district) query = query.where(sql<boolean>`directory_services.postcode_districts @> array[${filters.district}]::text[]`)
  if (filters.age !== undefined) {
    const age = filters.age
    query = query
      .where((eb) => eb.or([eb('directory_services.minimum_age', 'is', null), eb('directory_services.minimum_age', '<=', age)]))
      .where((eb) => eb.or([eb('directory_services.maximum_age', 'is', null), eb('directory_services.maximum_age', '>=', age)]))
  }
  return query
}

export interface SearchRow {
  id: string
  name: string
  description: string | null
  minimum_age: number | null
  maximum_age: number | null
  levels: number[]
  localities: string[]
  categories: string[]
  referral_routes: string[]
  organisation_name: string | null
}

/** Public reads of one authority's directory: row-level security confines them too. */
export const findRepository = {
  /** One page of results, best match first for a keyword, else by name. */
  pageQuery(trx: Kysely<DB>, tenantId: string, filters: SearchFilters, limit: number, offset: number) {
    let query = matching(trx, tenantId, filters)
      .leftJoin('directory_organizations', (join) =>
        join.onRef('directory_organizations.id', '=', 'directory_services.organization_id').on('directory_organizations.tenant_id', '=', tenantId),
      )
      .select([
        'directory_services.id',
        'directory_services.name',
        'directory_services.description',
        'directory_services.minimum_age',
        'directory_services.maximum_age',
        'directory_services.levels',
        'directory_services.localities',
        'directory_services.categories',
        'directory_services.referral_routes',
        'directory_organizations.name as organisation_name',
      ])
    if (filters.q) query = query.orderBy(sql`ts_rank(directory_services.search, websearch_to_tsquery('english', ${filters.q}))`, 'desc')
    return query.orderBy(sql`lower(directory_services.name)`).orderBy('directory_services.id').limit(limit).offset(offset)
  },

  async page(trx: Kysely<DB>, tenantId: string, filters: SearchFilters, limit: number, offset: number): Promise<SearchRow[]> {
    return (await this.pageQuery(trx, tenantId, filters, limit, offset).execute()) as SearchRow[]
  },

  countQuery(trx: Kysely<DB>, tenantId: string, filters: SearchFilters) {
    return matching(trx, tenantId, filters).select((eb) => eb.fn.countAll<string>().as('n'))
  },

  async count(trx: Kysely<DB>, tenantId: string, filters: SearchFilters): Promise<number> {
    return Number((await this.countQuery(trx, tenantId, filters).executeTakeFirstOrThrow()).n)
  },

  /** The categories the authority's active services are in, for the filter. */
  async categoriesInUse(trx: Trx, tenantId: string): Promise<string[]> {
    const rows = await sql<{ category: string }>`
      select distinct unnest(categories) as category from directory_services where tenant_id = ${tenantId} and status = 'active' order by 1`.execute(trx)
    return rows.rows.map((r) => r.category)
  },

  /** One active service with its organisation; another authority's or an inactive one is not found. */
  async service(trx: Trx, tenantId: string, id: string) {
    return trx
      .selectFrom('directory_services')
      .leftJoin('directory_organizations', 'directory_organizations.id', 'directory_services.organization_id')
      .select([
        'directory_services.id',
        'directory_services.name',
        'directory_services.description',
        'directory_services.status',
        'directory_services.minimum_age',
        'directory_services.maximum_age',
        'directory_services.document',
        'directory_services.levels',
        'directory_services.localities',
        'directory_services.categories',
        'directory_services.referral_routes',
        'directory_services.how_to_refer',
        'directory_services.capacity',
        'directory_services.last_checked_on',
        'directory_services.updated_at',
        'directory_organizations.name as organisation_name',
        'directory_organizations.document as organisation_document',
      ])
      .where('directory_services.tenant_id', '=', tenantId)
      .where('directory_services.id', '=', id)
      .where('directory_services.status', '=', 'active')
      .executeTakeFirst()
  },

  /** Where the service is offered: its places and their addresses, in one query. */
  async locations(trx: Trx, serviceId: string) {
    return trx
      .selectFrom('directory_service_at_locations')
      .innerJoin('directory_locations', 'directory_locations.id', 'directory_service_at_locations.location_id')
      .select([
        'directory_service_at_locations.id',
        'directory_service_at_locations.document as at_document',
        'directory_locations.name',
        'directory_locations.postcode',
        'directory_locations.document as location_document',
      ])
      .where('directory_service_at_locations.service_id', '=', serviceId)
      .orderBy('directory_locations.name')
      .orderBy('directory_service_at_locations.id')
      .execute()
  },
}
