import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

/** How to get in touch with a service, read from its ORUK record, its organisation and its locations. */
export interface ServiceContact {
  organisation: string | null
  email: string | null
  website: string | null
  phones: string[]
  addresses: string[]
  howToRefer: string | null
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : [])
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)

/** Telephone numbers wherever a record carries them: its own `phones`, and its contacts' `phones`. */
function phonesOf(document: Json | null | undefined): string[] {
  if (!document) return []
  const own = list(document.phones)
  const contacts = list(document.contacts).flatMap((c) => list(c.phones))
  return [...own, ...contacts].map((p) => str(p.number)).filter((n): n is string => n !== null)
}

/** One line per address of a location: "1 High Street, Chelmsford, CM1 1AA", or its name and postcode. */
function addressesOf(location: { name: string | null; postcode: string | null; document: Json }): string[] {
  const all = list(location.document.addresses)
  const physical = all.filter((a) => a.address_type !== 'postal')
  const addresses = physical.length ? physical : all
  const lines = addresses
    .map((a) => [a.address_1, a.address_2, a.city, a.postal_code].map(str).filter(Boolean).join(', '))
    .filter((line) => line !== '')
  if (lines.length) return lines.map((line) => (location.name && !line.startsWith(location.name) ? `${location.name}, ${line}` : line))
  const fallback = [location.name, location.postcode].filter(Boolean).join(', ')
  return fallback ? [fallback] : []
}

interface ServiceRow {
  id: string
  document: Json
  how_to_refer: string | null
  organisation_name: string | null
  organisation_document: Json | null
}

/**
 * The contact details of some services, in two queries whatever their number: the services' rows
 * are given; their locations are read here for all of them at once.
 */
export async function contactsFor(trx: Trx, services: ServiceRow[]): Promise<Map<string, ServiceContact>> {
  const ids = [...new Set(services.map((s) => s.id))]
  const locations = ids.length
    ? await trx
        .selectFrom('directory_service_at_locations as sal')
        .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
        .select(['sal.service_id', 'sal.document as sal_document', 'l.name', 'l.postcode', 'l.document'])
        .where('sal.service_id', 'in', ids)
        .orderBy('sal.service_id')
        .orderBy('l.name')
        .execute()
    : []
  const contacts = new Map<string, ServiceContact>()
  for (const service of services) {
    const here = locations.filter((l) => l.service_id === service.id)
    const phones = [...phonesOf(service.document), ...here.flatMap((l) => [...phonesOf(l.sal_document), ...phonesOf(l.document)]), ...phonesOf(service.organisation_document)]
    contacts.set(service.id, {
      organisation: service.organisation_name,
      email: str(service.document.email) ?? str(service.organisation_document?.email),
      website: str(service.document.url) ?? str(service.organisation_document?.website),
      phones: [...new Set(phones)],
      addresses: [...new Set(here.flatMap((l) => addressesOf(l)))],
      howToRefer: service.how_to_refer,
    })
  }
  return contacts
}

const EMPTY_CONTACT: ServiceContact = { organisation: null, email: null, website: null, phones: [], addresses: [], howToRefer: null }

/** Where a signpost belongs: a request (triage outcome 1) or an involvement (a plan). */
export type SignpostOwner = { requestId: string } | { involvementId: string }

/** A family's signposts, oldest first, each with the service's contact details and who signposted them when. */
export async function signpostsOf(trx: Trx, owner: SignpostOwner) {
  let query = trx
    .selectFrom('signposts as sp')
    .innerJoin('directory_services as s', 's.id', 'sp.service_id')
    .leftJoin('directory_organizations as o', 'o.id', 's.organization_id')
    .leftJoin('accounts as a', 'a.id', 'sp.signposted_by')
    .select([
      'sp.id',
      'sp.service_id',
      'sp.note',
      'sp.signposted_at',
      'a.name as signposted_by_name',
      's.name as service_name',
      's.status as service_status',
      's.description',
      's.document',
      's.how_to_refer',
      'o.name as organisation_name',
      'o.document as organisation_document',
    ])
  query = 'requestId' in owner ? query.where('sp.request_id', '=', owner.requestId) : query.where('sp.involvement_id', '=', owner.involvementId)
  const rows = await query.orderBy('sp.signposted_at').orderBy('sp.id').execute()
  const contacts = await contactsFor(trx, rows.map((r) => ({ ...r, id: r.service_id })))
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    serviceName: r.service_name,
    serviceActive: r.service_status === 'active',
    note: r.note,
    signpostedAt: r.signposted_at,
    signpostedBy: r.signposted_by_name,
    contact: contacts.get(r.service_id) ?? EMPTY_CONTACT,
  }))
}
export type Signpost = Awaited<ReturnType<typeof signpostsOf>>[number]

/** Whether the query text matches a service: its full-text `search` column, or its name containing the words as typed. */
function matches(q: string) {
  return sql<boolean>`(s.search @@ websearch_to_tsquery('english', ${q}) or strpos(lower(s.name), lower(${q})) > 0)`
}

/** A page of the authority's active services matching a keyword, best match first, with the total. */
/** Active services with their organisation, as the search lists them. */
function activeServices(trx: Trx) {
  return trx
    .selectFrom('directory_services as s')
    .leftJoin('directory_organizations as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.name', 's.description', 's.document', 's.how_to_refer', 's.capacity', 'o.name as organisation_name', 'o.document as organisation_document'])
    .where('s.status', '=', 'active')
}


async function withContacts(trx: Trx, rows: (ServiceRow & { name: string; description: string | null; capacity: string | null })[]) {
  const contacts = await contactsFor(trx, rows)
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, capacity: r.capacity, contact: contacts.get(r.id) ?? EMPTY_CONTACT }))
}

export async function searchServices(trx: Trx, q: string, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    activeServices(trx)
      .where(matches(q))
      .orderBy(sql`ts_rank(s.search, websearch_to_tsquery('english', ${q}))`, 'desc')
      .orderBy(sql`lower(s.name)`)
      .orderBy('s.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    trx
      .selectFrom('directory_services as s')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('s.status', '=', 'active')
      .where(matches(q))
      .executeTakeFirstOrThrow(),
  ])
  return { total: Number(count.n), rows: await withContacts(trx, rows) }
}

/** One active service as the search lists it: the one a refused note was typed for. */
export async function activeService(trx: Trx, id: string) {
  const row = await activeServices(trx).where('s.id', '=', id).executeTakeFirst()
  return row ? (await withContacts(trx, [row]))[0] : undefined
}

/** The children's names of a request, "Maisie Smith, Leo Smith", as one aggregate. */
export function childrenOfRequest(requestId: ReturnType<typeof sql.ref>) {
  return sql<string | null>`(select string_agg(rp.given_name || ' ' || rp.family_name, ', ' order by rp.position, rp.created_at) from request_people rp where rp.request_id = ${requestId} and rp.kind = 'child')`
}

/** The names of the services a request's family was signposted to, as one aggregate. */
export function servicesOfRequest(requestId: ReturnType<typeof sql.ref>) {
  return sql<string | null>`(select string_agg(ds.name, ', ' order by sp.signposted_at, sp.id) from signposts sp join directory_services ds on ds.id = sp.service_id where sp.request_id = ${requestId})`
}

/** The keep-in-touch calls due on or before a day, oldest first, a page at a time, each with its family, request and services. */
export async function dueCalls(trx: Trx, today: string, limit: number, offset: number) {
  const base = trx.selectFrom('keep_in_touch_calls as k').where('k.status', '=', 'due').where('k.due_on', '<=', today)
  const [rows, count] = await Promise.all([
    base
      .innerJoin('requests as r', 'r.id', 'k.request_id')
      .select([
        'k.id',
        'k.due_on',
        'k.request_id',
        'r.reference',
        childrenOfRequest(sql.ref('k.request_id')).as('children'),
        servicesOfRequest(sql.ref('k.request_id')).as('services'),
      ])
      .orderBy('k.due_on')
      .orderBy('r.reference')
      .orderBy('k.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { total: Number(count.n), rows }
}
