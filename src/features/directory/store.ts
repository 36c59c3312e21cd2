import { createHash, randomUUID } from 'node:crypto'
import { normalisePostcode, outwardCode } from '../../domain/postcode.ts'
import type { Trx } from '../../platform/db/database.ts'
import type { ReferralRoute } from '../../platform/db/schema.ts'
import type {
  OrukAttribute,
  OrukLocation,
  OrukOrganization,
  OrukService,
  OrukServiceAtLocation,
  OrukServiceListItem,
  OrukTaxonomy,
  OrukTaxonomyTerm,
} from './oruk/types.ts'

/**
 * The directory's store: one ORUK 3.0 service in, the same record out. The entities the API
 * addresses by id are rows; their nested parts stay as the ORUK JSON in each row's `document`;
 * the columns beside it (name, status, ages, postcode, term ids…) are derived from the record on
 * every save, plus what our users need and the standard lacks (ServiceExtras).
 *
 * Ids are the records' own ORUK ids, and each table's id is unique across authorities: a record
 * whose id another authority's directory already holds is refused (DirectoryRecordError).
 */

export interface ServiceExtras {
  levels: number[]
  localities: string[]
  categories: string[]
  referralRoutes: ReferralRoute[]
  howToRefer: string | null
  capacity: string | null
  /** YYYY-MM-DD */
  lastCheckedOn: string | null
}

export function emptyExtras(): ServiceExtras {
  return { levels: [], localities: [], categories: [], referralRoutes: [], howToRefer: null, capacity: null, lastCheckedOn: null }
}

/** A record the store cannot keep as given (an id in use elsewhere, a link with nothing to link to). */
export class DirectoryRecordError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export function isOrukUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

/** A stable UUID (v5-shaped, SHA-1) for names: the same parts always give the same id. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 32).split('')
  hex[12] = '5'
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

// Fields the profile requires, kept even when empty (an empty string there is the record's own fault).
const REQUIRED_KEYS = new Set([
  'id', 'name', 'description', 'status', 'location_type', 'address_1', 'city', 'state_province', 'postal_code',
  'country', 'address_type', 'number', 'identifier_type', 'identifier',
])

/**
 * The record with empty optional fields left out: null, undefined, empty arrays and objects, and
 * empty strings other than in required fields. What the store keeps and the API and export give.
 */
export function pruneEmpty<T>(value: T): T {
  return prune(value) as T
}

function prune(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => prune(item)).filter((item) => item !== undefined)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = prune(v, k)
      if (p === undefined) continue
      if (Array.isArray(p) && p.length === 0) continue
      if (p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue
      out[k] = p
    }
    return out
  }
  if (value === null || value === undefined) return undefined
  if (value === '' && !(key && REQUIRED_KEYS.has(key))) return undefined
  return value
}

/** JSON with object keys sorted: equal for equal records whatever the key order (jsonb reorders them). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

function sameArray(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => String(x) === String(b[i]))
}

function without<T extends Record<string, unknown>>(record: T, ...keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record }
  for (const key of keys) delete out[key]
  return out
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

function age(value: unknown, round: (n: number) => number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  return Math.max(0, Math.min(32767, round(value)))
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

type Table = 'directory_organizations' | 'directory_taxonomies' | 'directory_taxonomy_terms' | 'directory_services' | 'directory_locations' | 'directory_service_at_locations'

/** Inserts a row this tenant cannot see yet; refuses an id that another authority's directory holds. */
async function insertNew(trx: Trx, table: Table, values: Record<string, unknown>, what: string): Promise<void> {
  const inserted = await trx
    .insertInto(table)
    .values(values as never)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) throw new DirectoryRecordError(`${what} ${String(values.id)} is already in another authority’s directory: give it a new id`)
}

/** The postcode of a location ("CM1 1AA" when it is a UK postcode): its first physical address's, else its first address's. */
export function locationPostcode(location: OrukLocation): string | null {
  const addresses = location.addresses ?? []
  const address = addresses.find((a) => a.address_type === 'physical') ?? addresses[0]
  const raw = str(address?.postal_code)?.trim()
  return raw ? (normalisePostcode(raw) ?? raw) : null
}

export async function saveOrganization(trx: Trx, tenantId: string, organization: OrukOrganization): Promise<boolean> {
  const document = pruneEmpty(without(organization, 'services'))
  const existing = await trx.selectFrom('directory_organizations').select(['name', 'document']).where('id', '=', organization.id).executeTakeFirst()
  if (!existing) {
    await insertNew(trx, 'directory_organizations', { id: organization.id, tenant_id: tenantId, name: organization.name, document: JSON.stringify(document) }, 'Organization')
    return true
  }
  if (existing.name === organization.name && sameJson(existing.document, document)) return false
  await trx
    .updateTable('directory_organizations')
    .set({ name: organization.name, document: JSON.stringify(document), updated_at: new Date() })
    .where('id', '=', organization.id)
    .execute()
  return true
}

/** Upserts a taxonomy (without its terms: save those with saveTaxonomyTerm). */
export async function saveTaxonomy(trx: Trx, tenantId: string, taxonomy: OrukTaxonomy): Promise<boolean> {
  const document = pruneEmpty(without(taxonomy, 'taxonomy_terms'))
  const existing = await trx.selectFrom('directory_taxonomies').select(['name', 'document']).where('id', '=', taxonomy.id).executeTakeFirst()
  if (!existing) {
    await insertNew(trx, 'directory_taxonomies', { id: taxonomy.id, tenant_id: tenantId, name: taxonomy.name, document: JSON.stringify(document) }, 'Taxonomy')
    return true
  }
  if (existing.name === taxonomy.name && sameJson(existing.document, document)) return false
  await trx.updateTable('directory_taxonomies').set({ name: taxonomy.name, document: JSON.stringify(document) }).where('id', '=', taxonomy.id).execute()
  return true
}

/**
 * Upserts a taxonomy term. Its taxonomy is the one its taxonomy_id names (created, named after
 * its `taxonomy` text, when missing) or else the one its `taxonomy` text names (found by name or
 * created). parent_id is linked when that term is in this directory; the document keeps it anyway.
 */
export async function saveTaxonomyTerm(trx: Trx, tenantId: string, term: OrukTaxonomyTerm): Promise<boolean> {
  let changed = false
  const document = pruneEmpty(term)
  let taxonomyId: string | null = null
  const taxonomyName = str(term.taxonomy)
  if (isOrukUuid(term.taxonomy_id)) {
    taxonomyId = term.taxonomy_id
    const found = await trx.selectFrom('directory_taxonomies').select('id').where('id', '=', taxonomyId).executeTakeFirst()
    if (!found) {
      const name = taxonomyName ?? 'Taxonomy'
      await insertNew(trx, 'directory_taxonomies', { id: taxonomyId, tenant_id: tenantId, name, document: JSON.stringify({ id: taxonomyId, name, description: name }) }, 'Taxonomy')
      changed = true
    }
  } else if (taxonomyName) {
    const found = await trx.selectFrom('directory_taxonomies').select('id').where('name', '=', taxonomyName).orderBy('id').executeTakeFirst()
    if (found) taxonomyId = found.id
    else {
      taxonomyId = randomUUID()
      const doc = { id: taxonomyId, name: taxonomyName, description: `Terms named “${taxonomyName}” by this directory’s services` }
      await insertNew(trx, 'directory_taxonomies', { id: taxonomyId, tenant_id: tenantId, name: taxonomyName, document: JSON.stringify(doc) }, 'Taxonomy')
      changed = true
    }
  }
  let parentId: string | null = null
  if (isOrukUuid(term.parent_id) && term.parent_id !== term.id) {
    const parent = await trx.selectFrom('directory_taxonomy_terms').select('id').where('id', '=', term.parent_id).executeTakeFirst()
    parentId = parent?.id ?? null
  }
  const code = str(term.code)
  const existing = await trx
    .selectFrom('directory_taxonomy_terms')
    .select(['name', 'document', 'taxonomy_id', 'parent_id', 'code'])
    .where('id', '=', term.id)
    .executeTakeFirst()
  if (!existing) {
    await insertNew(
      trx,
      'directory_taxonomy_terms',
      { id: term.id, tenant_id: tenantId, taxonomy_id: taxonomyId, parent_id: parentId, code, name: term.name, document: JSON.stringify(document) },
      'Taxonomy term',
    )
    return true
  }
  if (
    existing.name === term.name &&
    existing.taxonomy_id === taxonomyId &&
    existing.parent_id === parentId &&
    existing.code === code &&
    sameJson(existing.document, document)
  ) {
    return changed
  }
  await trx
    .updateTable('directory_taxonomy_terms')
    .set({ name: term.name, taxonomy_id: taxonomyId, parent_id: parentId, code, document: JSON.stringify(document) })
    .where('id', '=', term.id)
    .execute()
  return true
}

export async function saveLocation(trx: Trx, tenantId: string, location: OrukLocation): Promise<boolean> {
  const document = pruneEmpty(location)
  const values = {
    name: str(location.name),
    postcode: locationPostcode(location),
    latitude: num(location.latitude),
    longitude: num(location.longitude),
  }
  const existing = await trx
    .selectFrom('directory_locations')
    .select(['name', 'postcode', 'latitude', 'longitude', 'document'])
    .where('id', '=', location.id)
    .executeTakeFirst()
  if (!existing) {
    await insertNew(trx, 'directory_locations', { id: location.id, tenant_id: tenantId, ...values, document: JSON.stringify(document) }, 'Location')
    return true
  }
  if (
    existing.name === values.name &&
    existing.postcode === values.postcode &&
    existing.latitude === values.latitude &&
    existing.longitude === values.longitude &&
    sameJson(existing.document, document)
  ) {
    return false
  }
  await trx.updateTable('directory_locations').set({ ...values, document: JSON.stringify(document) }).where('id', '=', location.id).execute()
  return true
}

/** The taxonomy term ids a service's attributes name. */
export function attributeTermIds(attributes: readonly OrukAttribute[] | undefined): string[] {
  const ids = new Set<string>()
  for (const attribute of attributes ?? []) {
    const id = attribute.taxonomy_term?.id ?? attribute.taxonomy_term_id
    if (isOrukUuid(id)) ids.add(id.toLowerCase())
  }
  return [...ids].sort()
}

/**
 * Upserts one ORUK service with its organization, its service_at_locations and their locations,
 * and the taxonomy terms its attributes carry; derives term_ids and postcode_districts.
 * Idempotent: saving the same record twice changes nothing (no version bump if unchanged).
 */
export async function saveService(
  trx: Trx,
  tenantId: string,
  service: OrukService,
  extras: ServiceExtras,
  by: string | null,
): Promise<{ id: string; changed: boolean }> {
  let changed = false
  const record = pruneEmpty(service)

  let organizationId: string | null = null
  if (record.organization) {
    if (await saveOrganization(trx, tenantId, record.organization)) changed = true
    organizationId = record.organization.id
  } else if (isOrukUuid(record.organization_id)) {
    const found = await trx.selectFrom('directory_organizations').select('id').where('id', '=', record.organization_id).executeTakeFirst()
    organizationId = found?.id ?? null
  }

  for (const attribute of record.attributes ?? []) {
    if (attribute.taxonomy_term && (await saveTaxonomyTerm(trx, tenantId, attribute.taxonomy_term))) changed = true
  }
  const termIds = attributeTermIds(record.attributes)

  const links: { sal: OrukServiceAtLocation; locationId: string }[] = []
  const districts = new Set<string>()
  for (const sal of record.service_at_locations ?? []) {
    let locationId: string
    if (sal.location) {
      if (await saveLocation(trx, tenantId, sal.location)) changed = true
      locationId = sal.location.id
      const postcode = locationPostcode(sal.location)
      const district = postcode ? outwardCode(postcode) : undefined
      if (district) districts.add(district)
    } else if (isOrukUuid(sal.location_id)) {
      const found = await trx.selectFrom('directory_locations').select(['id', 'postcode']).where('id', '=', sal.location_id).executeTakeFirst()
      if (!found) throw new DirectoryRecordError(`Service at location ${sal.id} names location ${sal.location_id}, which is not in this directory`)
      locationId = found.id
      const district = found.postcode ? outwardCode(found.postcode) : undefined
      if (district) districts.add(district)
    } else {
      throw new DirectoryRecordError(`Service at location ${sal.id} has no location`)
    }
    links.push({ sal, locationId })
  }

  const document = without(record, 'organization', 'service_at_locations')
  const columns = {
    organization_id: organizationId,
    name: record.name,
    description: str(record.description),
    status: record.status,
    minimum_age: age(record.minimum_age, Math.floor),
    maximum_age: age(record.maximum_age, Math.ceil),
    levels: [...new Set(extras.levels)].sort((a, b) => a - b),
    localities: [...new Set(extras.localities)],
    categories: [...new Set(extras.categories)],
    referral_routes: [...new Set(extras.referralRoutes)],
    how_to_refer: str(extras.howToRefer),
    capacity: str(extras.capacity),
    last_checked_on: extras.lastCheckedOn || null,
    term_ids: termIds,
    postcode_districts: [...districts].sort(),
  }
  const existing = await trx.selectFrom('directory_services').selectAll().where('id', '=', record.id).executeTakeFirst()
  if (!existing) {
    await insertNew(trx, 'directory_services', { id: record.id, tenant_id: tenantId, ...columns, document: JSON.stringify(document), updated_by: by }, 'Service')
    changed = true
  } else {
    const same =
      existing.organization_id === columns.organization_id &&
      existing.name === columns.name &&
      existing.description === columns.description &&
      existing.status === columns.status &&
      existing.minimum_age === columns.minimum_age &&
      existing.maximum_age === columns.maximum_age &&
      sameArray(existing.levels, columns.levels) &&
      sameArray(existing.localities, columns.localities) &&
      sameArray(existing.categories, columns.categories) &&
      sameArray(existing.referral_routes, columns.referral_routes) &&
      existing.how_to_refer === columns.how_to_refer &&
      existing.capacity === columns.capacity &&
      existing.last_checked_on === columns.last_checked_on &&
      sameArray([...existing.term_ids].sort(), columns.term_ids) &&
      sameArray([...existing.postcode_districts].sort(), columns.postcode_districts) &&
      sameJson(existing.document, document)
    if (!same) {
      await trx
        .updateTable('directory_services')
        .set({ ...columns, document: JSON.stringify(document), updated_at: new Date(), updated_by: by, version: (eb) => eb('version', '+', 1) })
        .where('id', '=', record.id)
        .execute()
      changed = true
    }
  }

  const current = await trx.selectFrom('directory_service_at_locations').select(['id', 'location_id', 'service_id', 'document']).where('service_id', '=', record.id).execute()
  const keep = new Set(links.map((l) => l.sal.id))
  const gone = current.filter((row) => !keep.has(row.id)).map((row) => row.id)
  if (gone.length) {
    await trx.deleteFrom('directory_service_at_locations').where('id', 'in', gone).execute()
    changed = true
  }
  for (const { sal, locationId } of links) {
    const salDocument = without(sal, 'location', 'service')
    const row = current.find((r) => r.id === sal.id) ??
      (await trx.selectFrom('directory_service_at_locations').select(['id', 'location_id', 'service_id', 'document']).where('id', '=', sal.id).executeTakeFirst())
    if (!row) {
      await insertNew(
        trx,
        'directory_service_at_locations',
        { id: sal.id, tenant_id: tenantId, service_id: record.id, location_id: locationId, document: JSON.stringify(salDocument) },
        'Service at location',
      )
      changed = true
    } else if (row.service_id !== record.id || row.location_id !== locationId || !sameJson(row.document, salDocument)) {
      await trx
        .updateTable('directory_service_at_locations')
        .set({ service_id: record.id, location_id: locationId, document: JSON.stringify(salDocument) })
        .where('id', '=', sal.id)
        .execute()
      changed = true
    }
  }
  return { id: record.id, changed }
}

// ---------------------------------------------------------------------------------------------
// Reading records back.

type ServiceRow = {
  id: string
  organization_id: string | null
  name: string
  description: string | null
  status: OrukService['status']
  minimum_age: number | null
  maximum_age: number | null
  document: Record<string, unknown>
}

const SERVICE_COLUMNS = ['id', 'organization_id', 'name', 'description', 'status', 'minimum_age', 'maximum_age', 'document'] as const

/** The service's one-to-one fields from its row: the columns win over the document (an editor may have changed them). */
function serviceOwnFields(row: ServiceRow): Record<string, unknown> {
  const doc: Record<string, unknown> = { ...row.document, id: row.id, name: row.name, status: row.status }
  if (row.description === null) delete doc.description
  else doc.description = row.description
  for (const [key, value, round] of [
    ['minimum_age', row.minimum_age, Math.floor],
    ['maximum_age', row.maximum_age, Math.ceil],
  ] as const) {
    const kept = doc[key]
    if (value === null) delete doc[key]
    else if (!(typeof kept === 'number' && round(kept) === value)) doc[key] = value
  }
  if ('organization_id' in doc) {
    if (row.organization_id) doc.organization_id = row.organization_id
    else delete doc.organization_id
  }
  return doc
}

async function organizationsById(trx: Trx, ids: readonly (string | null)[]): Promise<Map<string, OrukOrganization>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (!wanted.length) return new Map()
  const rows = await trx.selectFrom('directory_organizations').select(['id', 'name', 'document']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, pruneEmpty({ ...r.document, id: r.id, name: r.name }) as OrukOrganization]))
}

/** The location record from its row. */
export function locationRecord(row: { id: string; name: string | null; latitude: number | null; longitude: number | null; document: Record<string, unknown> }): OrukLocation {
  const doc: Record<string, unknown> = { ...row.document, id: row.id }
  if (row.name !== null) doc.name = row.name
  if (row.latitude !== null && typeof doc.latitude !== 'number') doc.latitude = row.latitude
  if (row.longitude !== null && typeof doc.longitude !== 'number') doc.longitude = row.longitude
  return pruneEmpty(doc) as OrukLocation
}

/** The attributes with each taxonomy_term as the directory holds it now. */
function withTerms(attributes: unknown, terms: Map<string, OrukTaxonomyTerm>): OrukAttribute[] | undefined {
  if (!Array.isArray(attributes)) return undefined
  return (attributes as OrukAttribute[]).map((attribute) => {
    const id = attribute.taxonomy_term?.id
    const term = id ? terms.get(id) : undefined
    return term ? { ...attribute, taxonomy_term: term } : attribute
  })
}

async function termsById(trx: Trx, ids: readonly string[]): Promise<Map<string, OrukTaxonomyTerm>> {
  const wanted = [...new Set(ids.filter(isOrukUuid))]
  if (!wanted.length) return new Map()
  const rows = await trx.selectFrom('directory_taxonomy_terms').select(['id', 'name', 'document']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, pruneEmpty({ ...r.document, id: r.id, name: r.name }) as OrukTaxonomyTerm]))
}

/**
 * The full ORUK records of these services, in the order given, with their organization,
 * service_at_locations (with location) and attributes (with taxonomy_term): four queries in all.
 * `withLocations: false` leaves the service_at_locations out (a service nested in a service_at_location).
 */
export async function serviceRecords(trx: Trx, ids: readonly string[], options: { withLocations?: boolean } = {}): Promise<OrukService[]> {
  if (!ids.length) return []
  const rows = (await trx.selectFrom('directory_services').select(SERVICE_COLUMNS).where('id', 'in', [...ids]).execute()) as ServiceRow[]
  if (!rows.length) return []
  const byId = new Map(rows.map((r) => [r.id, r]))
  const organizations = await organizationsById(trx, rows.map((r) => r.organization_id))
  const termIds = rows.flatMap((r) => (Array.isArray(r.document.attributes) ? (r.document.attributes as OrukAttribute[]) : []).map((a) => a.taxonomy_term?.id ?? ''))
  const terms = await termsById(trx, termIds)
  const sals = options.withLocations === false ? [] : await trx
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select(['sal.id', 'sal.service_id', 'sal.document', 'l.id as location_id', 'l.name', 'l.latitude', 'l.longitude', 'l.document as location_document'])
    .where('sal.service_id', 'in', rows.map((r) => r.id))
    .orderBy('sal.id')
    .execute()
  const out: OrukService[] = []
  for (const id of ids) {
    const row = byId.get(id)
    if (!row) continue
    const doc = serviceOwnFields(row)
    const attributes = withTerms(doc.attributes, terms)
    if (attributes) doc.attributes = attributes
    const organization = row.organization_id ? organizations.get(row.organization_id) : undefined
    if (organization) doc.organization = organization
    if (options.withLocations !== false) {
      doc.service_at_locations = sals
        .filter((s) => s.service_id === row.id)
        .map((s) => ({
          ...s.document,
          id: s.id,
          location: locationRecord({ id: s.location_id, name: s.name, latitude: s.latitude, longitude: s.longitude, document: s.location_document }),
        }))
    }
    out.push(pruneEmpty(doc) as OrukService)
  }
  return out
}

/**
 * The full ORUK service record (organization, service_at_locations with location, attributes
 * with taxonomy_term) exactly as the API and export give it; empty optional fields left out.
 */
export async function serviceRecord(trx: Trx, id: string): Promise<OrukService | undefined> {
  if (!isOrukUuid(id)) return undefined
  const [record] = await serviceRecords(trx, [id])
  return record
}

/** The one-to-one fields of these services plus their organization (compiled/service_list.json), in the order given. */
export async function serviceListItems(trx: Trx, ids: readonly string[]): Promise<OrukServiceListItem[]> {
  if (!ids.length) return []
  const rows = (await trx.selectFrom('directory_services').select(SERVICE_COLUMNS).where('id', 'in', [...ids]).execute()) as ServiceRow[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  const organizations = await organizationsById(trx, rows.map((r) => r.organization_id))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    if (!row) return []
    const own = serviceOwnFields(row)
    const item: Record<string, unknown> = {}
    for (const key of LIST_FIELDS) if (own[key] !== undefined) item[key] = own[key]
    const organization = row.organization_id ? organizations.get(row.organization_id) : undefined
    if (organization) item.organization = without(organization, 'organization_identifiers', 'attributes')
    return [pruneEmpty(item) as OrukServiceListItem]
  })
}

const LIST_FIELDS = [
  'id', 'organization_id', 'name', 'description', 'url', 'email', 'status', 'fees', 'accreditations', 'minimum_age',
  'maximum_age', 'assured_date', 'assurer_email', 'alert', 'last_modified',
] as const

export async function serviceExtras(trx: Trx, id: string): Promise<ServiceExtras | undefined> {
  if (!isOrukUuid(id)) return undefined
  const row = await trx
    .selectFrom('directory_services')
    .select(['levels', 'localities', 'categories', 'referral_routes', 'how_to_refer', 'capacity', 'last_checked_on'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    levels: row.levels.map(Number),
    localities: row.localities,
    categories: row.categories,
    referralRoutes: row.referral_routes,
    howToRefer: row.how_to_refer,
    capacity: row.capacity,
    lastCheckedOn: row.last_checked_on,
  }
}

/** A taxonomy term record as the API gives it: taxonomy_id filled in from its taxonomy when the document lacks it. */
export function taxonomyTermRecord(row: { id: string; name: string; taxonomy_id: string | null; document: Record<string, unknown> }): OrukTaxonomyTerm {
  const doc: Record<string, unknown> = { ...row.document, id: row.id, name: row.name }
  if (row.taxonomy_id && !isOrukUuid(doc.taxonomy_id)) doc.taxonomy_id = row.taxonomy_id
  if (typeof doc.description !== 'string') doc.description = ''
  return pruneEmpty(doc) as OrukTaxonomyTerm
}

export function taxonomyRecord(row: { id: string; name: string; document: Record<string, unknown> }): OrukTaxonomy {
  const doc: Record<string, unknown> = { ...row.document, id: row.id, name: row.name }
  if (typeof doc.description !== 'string') doc.description = ''
  return pruneEmpty(doc) as OrukTaxonomy
}
