import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { normalisePostcode, outwardCode } from '../../../domain/postcode.ts'
import type { Database } from '../../../platform/db/database.ts'
import { isOrukUuid } from '../store.ts'
import {
  findService,
  findServiceAtLocation,
  findTaxonomy,
  findTaxonomyTerm,
  listServiceAtLocations,
  listServices,
  listTaxonomies,
  listTaxonomyTerms,
  type Paging,
  type ServiceFilters,
} from './api.ts'

/**
 * The Open Referral UK 3.0 read API, open to anyone without keys (schema/openapi.json in the
 * standard): `/`, `/services`, `/services/{id}`, `/service_at_locations`,
 * `/service_at_locations/{id}`, `/taxonomies`, `/taxonomies/{id}`, `/taxonomy_terms`,
 * `/taxonomy_terms/{id}` under /api/open-referral. Every response is JSON with
 * `Access-Control-Allow-Origin: *`, errors included (400 for a parameter we cannot read, 404 for
 * an id we do not publish).
 *
 * Our extension: `?authority=essex` (or `southend`) narrows any endpoint to one authority's
 * directory; without it, every authority's published services are served together.
 * `minimum_age`/`maximum_age` return services whose age range overlaps the range asked for;
 * `postcode` takes a full postcode or a district ("CM1") and matches services with a location in
 * that district.
 */
export const API_PREFIX = '/api/open-referral'
export const DEFAULT_PER_PAGE = 50
export const MAX_PER_PAGE = 100

export class ApiError extends Error {
  statusCode: number
  constructor(statusCode: number, message: string) {
    super(message)
    this.statusCode = statusCode
  }
}

type Query = Record<string, unknown>

function one(query: Query, name: string): string | undefined {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new ApiError(400, `${name} must be given once`)
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

function integer(query: Query, name: string, min: number, max: number): number | undefined {
  const value = one(query, name)
  if (value === undefined) return undefined
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ApiError(400, `${name} must be a whole number from ${min} to ${max}`)
  }
  return Number(value)
}

function uuid(query: Query, name: string): string | undefined {
  const value = one(query, name)
  if (value === undefined) return undefined
  if (!isOrukUuid(value)) throw new ApiError(400, `${name} must be a UUID`)
  return value.toLowerCase()
}

function paging(query: Query): Paging {
  return { page: integer(query, 'page', 1, 100_000) ?? 1, perPage: integer(query, 'per_page', 1, MAX_PER_PAGE) ?? DEFAULT_PER_PAGE }
}

/** "CM1" from "cm1 1aa" or "cm1". */
export function postcodeDistrict(value: string): string | undefined {
  if (normalisePostcode(value)) return outwardCode(value)
  const compact = value.replace(/\s+/g, '').toUpperCase()
  return compact.length >= 2 && compact.length <= 4 ? outwardCode(`${compact}1AA`) : undefined
}

async function authorities(db: Database, query: Query): Promise<string[]> {
  const all = (await db.system.selectFrom('tenants').select('id').orderBy('id').execute()).map((t) => t.id)
  const asked = one(query, 'authority')
  if (asked === undefined) return all
  if (!all.includes(asked)) throw new ApiError(400, `authority must be one of: ${all.join(', ')}`)
  return [asked]
}

async function serviceFilters(db: Database, query: Query): Promise<ServiceFilters> {
  const postcode = one(query, 'postcode')
  const district = postcode === undefined ? undefined : postcodeDistrict(postcode)
  if (postcode !== undefined && !district) throw new ApiError(400, 'postcode must be a UK postcode or postcode district, like CM1 1AA or CM1')
  const search = one(query, 'search')
  if (search && search.length > 200) throw new ApiError(400, 'search must be 200 characters or fewer')
  const minimumAge = integer(query, 'minimum_age', 0, 150)
  const maximumAge = integer(query, 'maximum_age', 0, 150)
  if (minimumAge !== undefined && maximumAge !== undefined && minimumAge > maximumAge) {
    throw new ApiError(400, 'minimum_age must not be more than maximum_age')
  }
  return {
    authorities: await authorities(db, query),
    search,
    taxonomyTermId: uuid(query, 'taxonomy_term_id'),
    taxonomyId: uuid(query, 'taxonomy_id'),
    minimumAge,
    maximumAge,
    district,
  }
}

function idParam(request: FastifyRequest, what: string): string {
  const id = (request.params as { id?: string }).id ?? ''
  if (!isOrukUuid(id)) throw new ApiError(404, `No ${what} with id ${id}`)
  return id.toLowerCase()
}

function found<T>(record: T | undefined, what: string, id: string): T {
  if (!record) throw new ApiError(404, `No ${what} with id ${id}`)
  return record
}

async function api(app: FastifyInstance, { db }: { db: Database }) {
  app.addHook('onSend', async (_request, reply: FastifyReply) => {
    reply.header('Access-Control-Allow-Origin', '*')
    // Public data meant for other sites: let them read it.
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin')
  })

  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404).type('application/json; charset=utf-8')
    return { status: 404, error: 'Not Found', message: `No such endpoint: ${request.method} ${request.url.split('?')[0] ?? ''}` }
  })

  app.setErrorHandler(async (error: FastifyError | ApiError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'open referral request failed')
    reply.code(status).type('application/json; charset=utf-8')
    const message = error instanceof ApiError ? error.message : status === 500 ? `Sorry, something went wrong. Reference: ${request.id}` : 'The request could not be read'
    return { status, error: status === 404 ? 'Not Found' : status === 500 ? 'Internal Server Error' : 'Bad Request', message }
  })

  app.options('/*', async (_request, reply) => {
    reply.header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
    reply.header('Access-Control-Allow-Headers', 'Accept, Content-Type')
    reply.header('Access-Control-Max-Age', '86400')
    return reply.code(204).send()
  })

  app.get('/', async (request) => {
    const base = `${request.protocol}://${request.host}${API_PREFIX}`
    return {
      version: '3.0',
      profile: 'https://github.com/openreferral/uk-profile',
      openapi_url: 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json',
      // Our extension, for people reading the response: where the endpoints are, and ?authority=.
      endpoints: ['services', 'service_at_locations', 'taxonomies', 'taxonomy_terms'].map((name) => `${base}/${name}`),
      authorities: (await db.system.selectFrom('tenants').select(['id', 'name']).orderBy('id').execute()).map((t) => ({ id: t.id, name: t.name })),
    }
  })

  app.get('/services', async (request) => {
    const query = (request.query ?? {}) as Query
    return listServices(db, await serviceFilters(db, query), paging(query))
  })

  app.get('/services/:id', async (request) => {
    const id = idParam(request, 'service')
    return found(await findService(db, await authorities(db, (request.query ?? {}) as Query), id), 'service', id)
  })

  app.get('/service_at_locations', async (request) => {
    const query = (request.query ?? {}) as Query
    return listServiceAtLocations(db, await serviceFilters(db, query), paging(query))
  })

  app.get('/service_at_locations/:id', async (request) => {
    const id = idParam(request, 'service_at_location')
    return found(await findServiceAtLocation(db, await authorities(db, (request.query ?? {}) as Query), id), 'service_at_location', id)
  })

  app.get('/taxonomies', async (request) => {
    const query = (request.query ?? {}) as Query
    return listTaxonomies(db, await authorities(db, query), paging(query))
  })

  app.get('/taxonomies/:id', async (request) => {
    const id = idParam(request, 'taxonomy')
    return found(await findTaxonomy(db, await authorities(db, (request.query ?? {}) as Query), id), 'taxonomy', id)
  })

  app.get('/taxonomy_terms', async (request) => {
    const query = (request.query ?? {}) as Query
    return listTaxonomyTerms(db, await authorities(db, query), uuid(query, 'taxonomy_id'), paging(query))
  })

  app.get('/taxonomy_terms/:id', async (request) => {
    const id = idParam(request, 'taxonomy_term')
    return found(await findTaxonomyTerm(db, await authorities(db, (request.query ?? {}) as Query), id), 'taxonomy_term', id)
  })
}

export async function openReferralRoutes(app: FastifyInstance, { db }: { db: Database }) {
  await app.register(api, { db, prefix: API_PREFIX })
}
