import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { Database } from '../../../platform/db/database.ts'
import {
  DirectoryRecordError,
  emptyExtras,
  pruneEmpty,
  saveService,
  saveTaxonomy,
  saveTaxonomyTerm,
  serviceExtras,
  serviceRecords,
  taxonomyRecord,
} from '../store.ts'
import { serviceValidator } from './schemas.ts'
import type { OrukAttribute, OrukService, OrukTaxonomy, OrukTaxonomyTerm } from './types.ts'

/**
 * Import and export of a directory in the Open Referral UK formats: a JSON document (one service,
 * an array of services, or a Page envelope with `contents`) or a folder of HSDS tabular CSV files,
 * one file per entity, rows linked by their ids.
 */

// ---------------------------------------------------------------------------------------------
// Reading

export interface ImportInput {
  services: unknown[]
  /** From taxonomies.csv / taxonomy_terms.csv: saved even when no service's attributes name them. */
  taxonomies: OrukTaxonomy[]
  terms: OrukTaxonomyTerm[]
}

/** The services in an ORUK JSON document: one service, an array of services, or a Page envelope. */
export function servicesFromJson(document: unknown): unknown[] {
  if (Array.isArray(document)) return document
  if (document && typeof document === 'object' && Array.isArray((document as { contents?: unknown }).contents)) {
    return (document as { contents: unknown[] }).contents
  }
  if (document && typeof document === 'object') return [document]
  throw new Error('The JSON is not a service, an array of services or a page of services')
}

/** Reads a file (JSON) or a folder (CSV files). */
export function readImport(path: string): ImportInput {
  if (!existsSync(path)) throw new Error(`No such file or folder: ${path}`)
  if (statSync(path).isDirectory()) return readCsvFolder(path)
  let document: unknown
  try {
    document = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`)
  }
  return { services: servicesFromJson(document), taxonomies: [], terms: [] }
}

// The tabular format: each entity's own columns (its one-to-one fields) and the link columns.
const COLUMNS = {
  services: ['id', 'organization_id', 'name', 'description', 'url', 'email', 'status', 'fees', 'accreditations', 'minimum_age', 'maximum_age', 'assured_date', 'assurer_email', 'alert', 'last_modified'],
  organizations: ['id', 'name', 'description', 'email', 'website', 'logo', 'uri', 'parent_organization_id'],
  organization_identifiers: ['id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier'],
  locations: ['id', 'location_type', 'name', 'description', 'latitude', 'longitude', 'external_identifier', 'external_identifier_type'],
  service_at_locations: ['id', 'service_id', 'location_id', 'description'],
  addresses: ['id', 'location_id', 'attention', 'address_1', 'city', 'region', 'state_province', 'postal_code', 'country', 'address_type'],
  accessibility: ['id', 'location_id', 'description', 'details', 'url', 'accessibility'],
  phones: ['id', 'contact_id', 'location_id', 'service_id', 'number', 'description'],
  contacts: ['id', 'service_id', 'name', 'title', 'email'],
  schedules: ['id', 'service_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart', 'freq', 'interval', 'byday', 'bymonthday', 'description', 'opens_at', 'closes_at', 'schedule_link', 'attending_type', 'notes'],
  taxonomies: ['id', 'name', 'description', 'uri', 'version'],
  taxonomy_terms: ['id', 'name', 'description', 'parent_id', 'taxonomy', 'taxonomy_id', 'term_uri', 'term', 'code'],
  attributes: ['id', 'link_id', 'link_entity', 'taxonomy_term_id', 'link_type'],
  cost_options: ['id', 'service_id', 'valid_from', 'valid_to', 'option', 'amount', 'amount_description'],
  service_areas: ['id', 'service_id', 'name', 'extent', 'extent_type', 'uri', 'service_area'],
  languages: ['id', 'service_id', 'phone_id', 'name', 'code', 'note'],
  funding: ['id', 'service_id', 'source'],
} as const
type TableName = keyof typeof COLUMNS

/** The file each table is written to (the UK profile's own `path`s), and the other spellings read too. */
const FILES: Record<TableName, string[]> = {
  services: ['services.csv'],
  organizations: ['organizations.csv'],
  organization_identifiers: ['organization_identifiers.csv'],
  locations: ['locations.csv'],
  service_at_locations: ['service_at_location.csv', 'service_at_locations.csv'],
  addresses: ['address.csv', 'addresses.csv'],
  accessibility: ['accessibility.csv', 'accessibility_for_disabilities.csv'],
  phones: ['phones.csv'],
  contacts: ['contacts.csv'],
  schedules: ['schedule.csv', 'schedules.csv'],
  taxonomies: ['taxonomies.csv'],
  taxonomy_terms: ['taxonomy_terms.csv'],
  attributes: ['attribute.csv', 'attributes.csv'],
  cost_options: ['cost_options.csv'],
  service_areas: ['service_areas.csv'],
  languages: ['languages.csv'],
  funding: ['funding.csv'],
}

const NUMBERS = new Set(['minimum_age', 'maximum_age', 'latitude', 'longitude', 'amount', 'interval'])

type Row = Record<string, unknown>

function readTable(dir: string, table: TableName): Row[] {
  const file = FILES[table].map((name) => join(dir, name)).find((path) => existsSync(path))
  if (!file) return []
  const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true, trim: false }) as Record<string, string>[]
  return records.map((record) => {
    const row: Row = {}
    for (const [key, raw] of Object.entries(record)) {
      if (raw === '' || raw === undefined) continue
      if (NUMBERS.has(key)) {
        const n = Number(raw)
        row[key] = raw.trim() !== '' && Number.isFinite(n) ? n : raw
      } else {
        row[key] = raw
      }
    }
    return row
  })
}

function group(rows: Row[], key: string): Map<string, Row[]> {
  const map = new Map<string, Row[]>()
  for (const row of rows) {
    const value = row[key]
    if (typeof value !== 'string') continue
    map.set(value, [...(map.get(value) ?? []), row])
  }
  return map
}

function put(target: Row, key: string, items: Row[] | undefined): void {
  if (items?.length) target[key] = items
}

function omit(row: Row, ...keys: string[]): Row {
  const out = { ...row }
  for (const key of keys) delete out[key]
  return out
}

/** Assembles nested ORUK services from a folder of HSDS tabular CSV files. */
export function readCsvFolder(dir: string): ImportInput {
  const t = Object.fromEntries((Object.keys(COLUMNS) as TableName[]).map((name) => [name, readTable(dir, name)])) as Record<TableName, Row[]>
  if (!t.services.length && !existsSync(join(dir, 'services.csv'))) throw new Error(`${dir} has no services.csv`)
  const terms = new Map(t.taxonomy_terms.map((row) => [String(row.id), row]))
  const attributesByLink = group(t.attributes, 'link_id')
  const attributesOf = (id: unknown): Row[] | undefined =>
    attributesByLink.get(String(id))?.map((a) => {
      const attribute = omit(a, 'link_entity')
      const term = terms.get(String(a.taxonomy_term_id))
      if (term) attribute.taxonomy_term = term
      return attribute
    })
  const withAttributes = (row: Row): Row => {
    const out = { ...row }
    put(out, 'attributes', attributesOf(row.id))
    return out
  }
  const languagesByService = group(t.languages, 'service_id')
  const languagesByPhone = group(t.languages, 'phone_id')
  const phone = (row: Row): Row => {
    const out = { ...row }
    put(out, 'languages', languagesByPhone.get(String(row.id)))
    return out
  }
  const phonesByContact = group(t.phones, 'contact_id')
  const phonesByLocation = group(t.phones, 'location_id')
  const phonesByService = group(t.phones, 'service_id')
  const addressesByLocation = group(t.addresses, 'location_id')
  const accessibilityByLocation = group(t.accessibility, 'location_id')
  const locations = new Map(
    t.locations.map((row) => {
      const location = withAttributes(row)
      put(location, 'addresses', addressesByLocation.get(String(row.id))?.map(withAttributes))
      put(location, 'accessibility', accessibilityByLocation.get(String(row.id))?.map(withAttributes))
      put(location, 'phones', phonesByLocation.get(String(row.id))?.map(phone))
      return [String(row.id), location]
    }),
  )
  const identifiersByOrganization = group(t.organization_identifiers, 'organization_id')
  const organizations = new Map(
    t.organizations.map((row) => {
      const organization = withAttributes(row)
      put(organization, 'organization_identifiers', identifiersByOrganization.get(String(row.id))?.map(withAttributes))
      return [String(row.id), organization]
    }),
  )
  const schedulesByService = group(t.schedules.filter((s) => !s.service_at_location_id), 'service_id')
  const schedulesBySal = group(t.schedules, 'service_at_location_id')
  const salsByService = group(t.service_at_locations, 'service_id')
  const contactsByService = group(t.contacts, 'service_id')
  const byService = (table: TableName) => group(t[table], 'service_id')
  const costOptions = byService('cost_options')
  const serviceAreas = byService('service_areas')
  const funding = byService('funding')
  const services = t.services.map((row) => {
    const id = String(row.id)
    const service = withAttributes(row)
    const organization = organizations.get(String(row.organization_id))
    if (organization) service.organization = organization
    put(service, 'schedules', schedulesByService.get(id))
    put(service, 'service_areas', serviceAreas.get(id))
    put(
      service,
      'service_at_locations',
      salsByService.get(id)?.map((s) => {
        const sal = withAttributes(s)
        const location = locations.get(String(s.location_id))
        if (location) sal.location = location
        put(sal, 'schedules', schedulesBySal.get(String(s.id)))
        return sal
      }),
    )
    put(service, 'languages', languagesByService.get(id))
    put(service, 'funding', funding.get(id))
    put(service, 'cost_options', costOptions.get(id))
    put(
      service,
      'contacts',
      contactsByService.get(id)?.map((c) => {
        const contact = withAttributes(c)
        put(contact, 'phones', phonesByContact.get(String(c.id))?.map(phone))
        return contact
      }),
    )
    put(service, 'phones', phonesByService.get(id)?.map(phone))
    return service
  })
  return {
    // The link columns say what the nesting already does: left out, a record reads back as its JSON did.
    services: services.map(withoutImpliedLinks),
    taxonomies: t.taxonomies as unknown as OrukTaxonomy[],
    terms: t.taxonomy_terms as unknown as OrukTaxonomyTerm[],
  }
}

// ---------------------------------------------------------------------------------------------
// Importing

export interface Rejection {
  /** The record's id, or its position ("record 3") when it has none. */
  id: string
  messages: string[]
}

export interface ImportReport {
  created: number
  updated: number
  unchanged: number
  rejected: Rejection[]
}

/**
 * Validates each service against compiled/service.json and saves the valid ones, each in its own
 * transaction so one bad record stops nothing else. Idempotent: a second run reports every record
 * unchanged. Our own columns (levels, localities…) of a service already in the directory are kept.
 */
export async function importServices(db: Database, tenantId: string, input: ImportInput, onProgress?: (done: number) => void): Promise<ImportReport> {
  const validate = serviceValidator()
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, rejected: [] }
  if (input.taxonomies.length || input.terms.length) {
    await db.asTenant(tenantId, async (trx) => {
      for (const taxonomy of input.taxonomies) await saveTaxonomy(trx, tenantId, { ...taxonomy, description: taxonomy.description ?? '' })
      for (const term of input.terms) await saveTaxonomyTerm(trx, tenantId, { ...term, description: term.description ?? '' })
    })
  }
  let done = 0
  for (const [index, record] of input.services.entries()) {
    const label = record && typeof record === 'object' && typeof (record as { id?: unknown }).id === 'string' ? (record as { id: string }).id : `record ${index + 1}`
    const cleaned = pruneEmpty(record)
    const messages = validate(cleaned)
    if (messages.length) {
      report.rejected.push({ id: label, messages })
    } else {
      const service = cleaned as OrukService
      try {
        const outcome = await db.asTenant(tenantId, async (trx) => {
          const extras = await serviceExtras(trx, service.id)
          const result = await saveService(trx, tenantId, service, extras ?? emptyExtras(), null)
          return !result.changed ? 'unchanged' : extras ? 'updated' : 'created'
        })
        report[outcome] += 1
      } catch (error) {
        if (!(error instanceof DirectoryRecordError)) throw error
        report.rejected.push({ id: label, messages: [error.message] })
      }
    }
    done += 1
    onProgress?.(done)
  }
  return report
}

// ---------------------------------------------------------------------------------------------
// Exporting

/** Every service in the authority's directory (whatever its status), full records, in name order. */
export async function exportServices(db: Database, tenantId: string): Promise<OrukService[]> {
  return db.asTenant(tenantId, async (trx) => {
    const ids = await trx.selectFrom('directory_services').select('id').orderBy('name').orderBy('id').execute()
    const out: OrukService[] = []
    for (let i = 0; i < ids.length; i += 200) out.push(...(await serviceRecords(trx, ids.slice(i, i + 200).map((r) => r.id))))
    return out
  })
}

export async function exportTaxonomies(db: Database, tenantId: string): Promise<{ taxonomies: OrukTaxonomy[]; terms: OrukTaxonomyTerm[] }> {
  return db.asTenant(tenantId, async (trx) => {
    const taxonomies = (await trx.selectFrom('directory_taxonomies').select(['id', 'name', 'document']).orderBy('name').orderBy('id').execute()).map(taxonomyRecord)
    // Each term as it was given (taxonomy_id only when it had one), so services read back unchanged.
    const terms = (await trx.selectFrom('directory_taxonomy_terms').select(['id', 'name', 'document']).orderBy('name').orderBy('id').execute()).map(
      (row) => pruneEmpty({ ...row.document, id: row.id, name: row.name }) as OrukTaxonomyTerm,
    )
    return { taxonomies, terms }
  })
}

/** Writes the services (and the directory's taxonomies) as HSDS tabular CSV files, one per entity. */
export function writeCsvFolder(dir: string, services: OrukService[], taxonomies: { taxonomies: OrukTaxonomy[]; terms: OrukTaxonomyTerm[] }): string[] {
  const rows = Object.fromEntries((Object.keys(COLUMNS) as TableName[]).map((name) => [name, [] as Row[]])) as Record<TableName, Row[]>
  const seen = new Set<string>()
  const add = (table: TableName, row: Row) => {
    const key = `${table}:${String(row.id)}`
    if (seen.has(key)) return
    seen.add(key)
    rows[table].push(row)
  }
  const terms = new Map<string, OrukTaxonomyTerm>(taxonomies.terms.map((term) => [term.id, term]))
  const attributes = (list: unknown, linkId: string, linkEntity: string) => {
    for (const attribute of (Array.isArray(list) ? list : []) as OrukAttribute[]) {
      const termId = attribute.taxonomy_term?.id ?? attribute.taxonomy_term_id
      if (attribute.taxonomy_term && !terms.has(attribute.taxonomy_term.id)) terms.set(attribute.taxonomy_term.id, attribute.taxonomy_term)
      add('attributes', { ...omit(attribute, 'taxonomy_term'), link_id: attribute.link_id ?? linkId, link_entity: linkEntity, taxonomy_term_id: termId })
    }
  }
  const phones = (list: unknown, link: Row) => {
    for (const phone of (Array.isArray(list) ? list : []) as Row[]) {
      add('phones', { ...phone, ...link })
      for (const language of (Array.isArray(phone.languages) ? phone.languages : []) as Row[]) add('languages', { ...language, phone_id: phone.id })
    }
  }
  for (const service of services) {
    const organization = service.organization
    if (organization) {
      add('organizations', organization)
      attributes(organization.attributes, organization.id, 'organization')
      for (const identifier of organization.organization_identifiers ?? []) {
        add('organization_identifiers', { ...identifier, organization_id: organization.id })
        attributes(identifier.attributes, identifier.id, 'organization_identifier')
      }
    }
    add('services', { ...service, organization_id: service.organization_id ?? organization?.id })
    attributes(service.attributes, service.id, 'service')
    for (const schedule of service.schedules ?? []) add('schedules', { ...schedule, service_id: schedule.service_id ?? service.id })
    for (const area of service.service_areas ?? []) add('service_areas', { ...area, service_id: service.id })
    for (const language of service.languages ?? []) add('languages', { ...language, service_id: service.id })
    for (const item of service.funding ?? []) add('funding', { ...item, service_id: service.id })
    for (const option of service.cost_options ?? []) add('cost_options', { ...option, service_id: service.id })
    for (const contact of service.contacts ?? []) {
      add('contacts', { ...contact, service_id: service.id })
      attributes(contact.attributes, contact.id, 'contact')
      phones(contact.phones, { contact_id: contact.id })
    }
    phones(service.phones, { service_id: service.id })
    for (const sal of service.service_at_locations ?? []) {
      const location = sal.location
      add('service_at_locations', { ...sal, service_id: service.id, location_id: location?.id ?? sal.location_id })
      attributes(sal.attributes, sal.id, 'service_at_location')
      for (const schedule of (Array.isArray(sal.schedules) ? sal.schedules : []) as Row[]) add('schedules', { ...schedule, service_at_location_id: sal.id })
      if (!location) continue
      add('locations', location)
      attributes(location.attributes, location.id, 'location')
      for (const address of location.addresses ?? []) {
        add('addresses', { ...address, location_id: location.id })
        attributes(address.attributes, address.id, 'address')
      }
      for (const item of location.accessibility ?? []) {
        add('accessibility', { ...item, location_id: location.id })
        attributes(item.attributes, item.id, 'accessibility')
      }
      phones(location.phones, { location_id: location.id })
    }
  }
  for (const taxonomy of taxonomies.taxonomies) add('taxonomies', taxonomy)
  for (const term of terms.values()) add('taxonomy_terms', term)

  mkdirSync(dir, { recursive: true })
  const written: string[] = []
  for (const table of Object.keys(COLUMNS) as TableName[]) {
    const columns = [...COLUMNS[table]]
    const file = join(dir, FILES[table][0] ?? `${table}.csv`)
    const data = rows[table].map((row) => columns.map((column) => cell(row[column])))
    writeFileSync(file, stringify([columns, ...data]))
    written.push(file)
  }
  return written
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** A record without the link fields that nesting implies (service_id inside a service, location_id inside a location…). */
export function withoutImpliedLinks<T>(record: T): T {
  const strip = (value: unknown, parentKey?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => strip(item, parentKey))
    if (!value || typeof value !== 'object') return value
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (parentKey && IMPLIED.has(key)) continue
      if (key === 'taxonomy_term_id' && (value as Record<string, unknown>).taxonomy_term) continue
      out[key] = strip(v, key)
    }
    return out
  }
  const stripped = strip(record)
  const top = (list: unknown) => {
    for (const item of (Array.isArray(list) ? list : [list]) as Record<string, unknown>[]) {
      const organization = item.organization as { id?: string } | undefined
      if (item && organization && item.organization_id === organization.id) delete item.organization_id
    }
  }
  top(stripped)
  return pruneEmpty(stripped) as T
}
const IMPLIED = new Set(['service_id', 'location_id', 'contact_id', 'organization_id', 'link_id', 'service_at_location_id', 'phone_id'])
