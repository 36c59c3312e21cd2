import type { Framework } from '../../../frameworks/schema.ts'
import { NotFoundError } from '../../../platform/access/access.ts'
import type { Database } from '../../../platform/db/database.ts'
import { isUuid } from '../../../platform/http/ids.ts'
import type { OrukAddress, OrukContact, OrukCostOption, OrukLanguage, OrukLocation, OrukPhone, OrukSchedule, OrukServiceArea } from '../oruk/types.ts'
import { DIRECTORY_CATEGORIES } from './categories.ts'
import type { SearchFilters } from './forms.ts'
import { costText, languagesText, phonesOf, safeUrl, scheduleText } from './present.ts'
import { findRepository as find, type SearchRow } from './repository.ts'

/** Results per page of the public search. */
export const FIND_PAGE_SIZE = 20

/** The categories to offer: the fixed list, then any others an imported service carries. */
export async function categoryOptions(db: Database, framework: Framework): Promise<{ id: string; name: string }[]> {
  const inUse = await db.asTenant(framework.id, (trx) => find.categoriesInUse(trx, framework.id))
  const fixed = DIRECTORY_CATEGORIES.map((c) => ({ id: c.id as string, name: c.name as string }))
  return [...fixed, ...inUse.filter((id) => !fixed.some((c) => c.id === id)).map((id) => ({ id, name: id }))]
}

/**
 * One page of the authority's active services matching every filter, and how many match in all:
 * two queries, whatever the page holds. Public: no one is signed in, so nothing is audited. On the
 * owner's connection with the tenant in the SQL, so the GIN indexes serve it (see findRepository).
 */
export async function searchDirectory(db: Database, tenantId: string, filters: SearchFilters, page: number): Promise<{ rows: SearchRow[]; total: number }> {
  return db.system.transaction().execute(async (trx) => {
    const total = await find.count(trx, tenantId, filters)
    const rows = total > (page - 1) * FIND_PAGE_SIZE ? await find.page(trx, tenantId, filters, FIND_PAGE_SIZE, (page - 1) * FIND_PAGE_SIZE) : []
    return { rows, total }
  })
}

interface ServiceDocument {
  url?: string
  email?: string
  fees?: string
  alert?: string
  contacts?: OrukContact[]
  phones?: OrukPhone[]
  schedules?: OrukSchedule[]
  cost_options?: OrukCostOption[]
  languages?: OrukLanguage[]
  service_areas?: OrukServiceArea[]
}

export interface PlaceForFamilies {
  name: string | null
  address: string[]
  schedules: string[]
  accessibility: string[]
}

/** What a family reads about one service: its record and places, in words, from two queries. */
export async function serviceForFamilies(db: Database, tenantId: string, id: unknown) {
  if (!isUuid(id)) throw new NotFoundError()
  return db.asTenant(tenantId, async (trx) => {
    const service = await find.service(trx, tenantId, id)
    if (!service) throw new NotFoundError()
    const places = await find.locations(trx, id)
    const doc = (service.document ?? {}) as ServiceDocument
    const organisation = (service.organisation_document ?? {}) as { website?: string; email?: string }
    const atPlaces = places.map((p) => ({ at: (p.at_document ?? {}) as { phones?: OrukPhone[]; contacts?: OrukContact[]; schedules?: OrukSchedule[] }, location: (p.location_document ?? {}) as Partial<OrukLocation> }))
    const contactEmails = (doc.contacts ?? []).map((c) => c.email).filter((e): e is string => typeof e === 'string' && e.includes('@'))
    return {
      ...service,
      alert: doc.alert?.trim() || null,
      phones: phonesOf(doc, ...atPlaces.map((p) => p.at), ...atPlaces.map((p) => ({ phones: p.location.phones }))),
      email: doc.email || contactEmails[0] || organisation.email || null,
      website: safeUrl(doc.url) ?? safeUrl(organisation.website) ?? null,
      contactPeople: (doc.contacts ?? []).filter((c) => c.name).map((c) => [c.name, c.title].filter(Boolean).join(', ')),
      schedules: (doc.schedules ?? []).map(scheduleText).filter(Boolean),
      cost: costText(doc.fees, doc.cost_options),
      languages: languagesText(doc.languages),
      serviceAreas: (doc.service_areas ?? []).map((a) => a.name ?? a.service_area ?? '').filter(Boolean),
      places: places.map((p, i): PlaceForFamilies => {
        const location = atPlaces[i]?.location ?? {}
        const address = (location.addresses ?? [])[0] as OrukAddress | undefined
        return {
          name: p.name ?? location.name ?? null,
          address: address ? [address.address_1, address.city, address.postal_code || p.postcode || ''].filter((line) => line && line.trim()) : p.postcode ? [p.postcode] : [],
          schedules: (atPlaces[i]?.at.schedules ?? []).map(scheduleText).filter(Boolean),
          accessibility: (location.accessibility ?? []).map((a) => a.description ?? a.accessibility ?? '').filter(Boolean),
        }
      }),
    }
  })
}
