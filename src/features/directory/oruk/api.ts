import { sql, type Expression, type SqlBool } from 'kysely'
import type { Database, Trx } from '../../../platform/db/database.ts'
import { locationRecord, serviceListItems, serviceRecords, taxonomyRecord, taxonomyTermRecord } from '../store.ts'
import type { OrukPage, OrukService, OrukServiceAtLocation, OrukServiceListItem, OrukTaxonomy, OrukTaxonomyTerm } from './types.ts'

/**
 * The Open Referral UK read API's queries. Every authority has its own directory; the API serves
 * the published (active) services of the authorities asked for, together.
 *
 * Which records match, in which order, and how many, is one indexed query over all the authorities
 * asked for, on the owner's connection (db.system, which bypasses row-level security): acceptable
 * because it reads only published directory data, filtered to those authorities and to active
 * services by the query itself. The records themselves are then read per authority through
 * db.asTenant, so row-level security confines what is returned as everywhere else.
 */

export interface ServiceFilters {
  authorities: string[]
  search?: string | undefined
  taxonomyTermId?: string | undefined
  taxonomyId?: string | undefined
  /** Services whose age range overlaps [minimumAge, maximumAge]. */
  minimumAge?: number | undefined
  maximumAge?: number | undefined
  /** An outward code ("CM1"): services with a location in that postcode district. */
  district?: string | undefined
}

export interface Paging {
  page: number
  perPage: number
}

export function pageOf<T>(contents: T[], total: number, paging: Paging): OrukPage<T> {
  const totalPages = Math.ceil(total / paging.perPage)
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: paging.page,
    size: contents.length,
    first_page: paging.page === 1,
    last_page: paging.page >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}

function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** The filters on a service (alias s) as SQL conditions. */
function serviceConditions(f: ServiceFilters, options: { districtOnServices: boolean }): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [sql<SqlBool>`s.tenant_id in (${sql.join(f.authorities)})`, sql<SqlBool>`s.status = 'active'`]
  if (f.search) {
    conditions.push(sql<SqlBool>`(s.search @@ websearch_to_tsquery('english', ${f.search}) or lower(s.name) like ${likePrefix(f.search)})`)
  }
  if (f.taxonomyTermId) conditions.push(sql<SqlBool>`s.term_ids @> array[${f.taxonomyTermId}]::uuid[]`)
  if (f.taxonomyId) {
    conditions.push(sql<SqlBool>`s.term_ids && array(select t.id from directory_taxonomy_terms t where t.taxonomy_id = ${f.taxonomyId} and t.tenant_id = s.tenant_id)`)
  }
  if (f.minimumAge !== undefined) conditions.push(sql<SqlBool>`coalesce(s.maximum_age, 32767) >= ${f.minimumAge}`)
  if (f.maximumAge !== undefined) conditions.push(sql<SqlBool>`coalesce(s.minimum_age, 0) <= ${f.maximumAge}`)
  if (f.district && options.districtOnServices) conditions.push(sql<SqlBool>`s.postcode_districts @> array[${f.district}]::text[]`)
  return conditions
}

/** Reads each authority's share of `rows` through its own tenant transaction, and puts them back in order. */
async function perAuthority<T>(db: Database, rows: readonly { id: string; tenant_id: string }[], read: (trx: Trx, ids: string[]) => Promise<(T & { id: string })[]>): Promise<T[]> {
  const byTenant = new Map<string, string[]>()
  for (const row of rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id])
  const found = new Map<string, T>()
  for (const [tenantId, ids] of byTenant) {
    for (const record of await db.asTenant(tenantId, (trx) => read(trx, ids))) found.set(record.id, record)
  }
  return rows.flatMap((row) => {
    const record = found.get(row.id)
    return record ? [record] : []
  })
}

export async function listServices(db: Database, filters: ServiceFilters, paging: Paging): Promise<OrukPage<OrukServiceListItem>> {
  const where = serviceConditions(filters, { districtOnServices: true })
  const base = db.system.selectFrom('directory_services as s').where((eb) => eb.and(where))
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const rows = await base
    .select(['s.id', 's.tenant_id'])
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .offset((paging.page - 1) * paging.perPage)
    .limit(paging.perPage)
    .execute()
  const contents = await perAuthority(db, rows, (trx, ids) => serviceListItems(trx, ids))
  return pageOf(contents, Number(counted.n), paging)
}

export async function findService(db: Database, authorities: string[], id: string): Promise<OrukService | undefined> {
  const row = await db.system
    .selectFrom('directory_services')
    .select(['id', 'tenant_id'])
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('tenant_id', 'in', authorities)
    .executeTakeFirst()
  if (!row) return undefined
  const [record] = await db.asTenant(row.tenant_id, (trx) => serviceRecords(trx, [id]))
  return record
}

/** Service-at-location records with their location and their service (brief for lists, full for one). */
async function serviceAtLocationRecords(trx: Trx, ids: string[], full: boolean): Promise<OrukServiceAtLocation[]> {
  if (!ids.length) return []
  const rows = await trx
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select(['sal.id', 'sal.service_id', 'sal.location_id', 'sal.document', 'l.name', 'l.latitude', 'l.longitude', 'l.document as location_document'])
    .where('sal.id', 'in', ids)
    .execute()
  const serviceIds = [...new Set(rows.map((r) => r.service_id))]
  const services: Map<string, OrukServiceListItem | OrukService> = new Map(
    (full ? await serviceRecords(trx, serviceIds, { withLocations: false }) : await serviceListItems(trx, serviceIds)).map((s) => [s.id, s]),
  )
  return rows.map((r) => {
    const record: OrukServiceAtLocation = {
      ...r.document,
      id: r.id,
      service_id: r.service_id,
      location_id: r.location_id,
      location: locationRecord({ id: r.location_id, name: r.name, latitude: r.latitude, longitude: r.longitude, document: r.location_document }),
    }
    const service = services.get(r.service_id)
    if (service) record.service = service as OrukService
    return record
  })
}

export async function listServiceAtLocations(db: Database, filters: ServiceFilters, paging: Paging): Promise<OrukPage<OrukServiceAtLocation>> {
  const where = serviceConditions(filters, { districtOnServices: false })
  if (filters.district) where.push(sql<SqlBool>`l.postcode like ${`${filters.district} %`}`)
  const base = db.system
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .where((eb) => eb.and(where))
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const rows = await base
    .select(['sal.id', 'sal.tenant_id'])
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .orderBy('sal.id')
    .offset((paging.page - 1) * paging.perPage)
    .limit(paging.perPage)
    .execute()
  const contents = await perAuthority(db, rows, (trx, ids) => serviceAtLocationRecords(trx, ids, false))
  return pageOf(contents, Number(counted.n), paging)
}

export async function findServiceAtLocation(db: Database, authorities: string[], id: string): Promise<OrukServiceAtLocation | undefined> {
  const row = await db.system
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .select(['sal.id', 'sal.tenant_id'])
    .where('sal.id', '=', id)
    .where('s.status', '=', 'active')
    .where('sal.tenant_id', 'in', authorities)
    .executeTakeFirst()
  if (!row) return undefined
  const [record] = await db.asTenant(row.tenant_id, (trx) => serviceAtLocationRecords(trx, [id], true))
  return record
}

// Taxonomies and their terms are public reference data: read directly, filtered to the authorities asked for.

export async function listTaxonomies(db: Database, authorities: string[], paging: Paging): Promise<OrukPage<OrukTaxonomy>> {
  const base = db.system.selectFrom('directory_taxonomies').where('tenant_id', 'in', authorities)
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const rows = await base
    .select(['id', 'name', 'document'])
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .offset((paging.page - 1) * paging.perPage)
    .limit(paging.perPage)
    .execute()
  return pageOf(rows.map(taxonomyRecord), Number(counted.n), paging)
}

export async function findTaxonomy(db: Database, authorities: string[], id: string): Promise<OrukTaxonomy | undefined> {
  const row = await db.system.selectFrom('directory_taxonomies').select(['id', 'name', 'document']).where('id', '=', id).where('tenant_id', 'in', authorities).executeTakeFirst()
  if (!row) return undefined
  const terms = await db.system
    .selectFrom('directory_taxonomy_terms')
    .select(['id', 'name', 'taxonomy_id', 'document'])
    .where('taxonomy_id', '=', id)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute()
  const record = taxonomyRecord(row)
  if (terms.length) record.taxonomy_terms = terms.map(taxonomyTermRecord)
  return record
}

export async function listTaxonomyTerms(db: Database, authorities: string[], taxonomyId: string | undefined, paging: Paging): Promise<OrukPage<OrukTaxonomyTerm>> {
  let base = db.system.selectFrom('directory_taxonomy_terms').where('tenant_id', 'in', authorities)
  if (taxonomyId) base = base.where('taxonomy_id', '=', taxonomyId)
  const counted = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const rows = await base
    .select(['id', 'name', 'taxonomy_id', 'document'])
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .offset((paging.page - 1) * paging.perPage)
    .limit(paging.perPage)
    .execute()
  return pageOf(rows.map(taxonomyTermRecord), Number(counted.n), paging)
}

export async function findTaxonomyTerm(db: Database, authorities: string[], id: string): Promise<OrukTaxonomyTerm | undefined> {
  const row = await db.system
    .selectFrom('directory_taxonomy_terms')
    .select(['id', 'name', 'taxonomy_id', 'document'])
    .where('id', '=', id)
    .where('tenant_id', 'in', authorities)
    .executeTakeFirst()
  return row ? taxonomyTermRecord(row) : undefined
}
