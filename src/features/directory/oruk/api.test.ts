import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext, type TestContext } from '../../../test/context.ts'
import { canonicalJson, emptyExtras, pruneEmpty, saveService, stableUuid } from '../store.ts'
import { orukValidator, type OrukSchemaName } from './schemas.ts'
import { exampleService } from './test-support.ts'
import type { OrukPage, OrukService } from './types.ts'

const API = '/api/open-referral'
const validator = orukValidator()

function valid(name: OrukSchemaName, data: unknown): void {
  assert.deepEqual(validator.check(name, data), [], `${name}: ${JSON.stringify(data).slice(0, 300)}`)
}

function validPage(body: OrukPage<unknown>, itemSchema: OrukSchemaName): void {
  for (const key of ['total_items', 'total_pages', 'page_number', 'size'] as const) assert.ok(Number.isInteger(body[key]), key)
  for (const key of ['first_page', 'last_page', 'empty'] as const) assert.equal(typeof body[key], 'boolean', key)
  assert.ok(Array.isArray(body.contents))
  assert.equal(body.size, body.contents.length)
  for (const item of body.contents) valid(itemSchema, item)
}

/** A small service of our own: a name, ages, a postcode, a term. */
function service(tenant: string, name: string, options: { min?: number; max?: number; postcode?: string; term?: string; status?: OrukService['status'] } = {}): OrukService {
  const id = stableUuid('api-test', tenant, name)
  const record: OrukService = {
    id,
    name,
    description: `${name}: a fictional service for tests.`,
    status: options.status ?? 'active',
    organization: { id: stableUuid('api-test-org', tenant), name: `${tenant} council`, description: 'A fictional organisation' },
  }
  if (options.min !== undefined) record.minimum_age = options.min
  if (options.max !== undefined) record.maximum_age = options.max
  if (options.postcode) {
    record.service_at_locations = [{
      id: stableUuid('api-test-sal', tenant, name),
      location: {
        id: stableUuid('api-test-location', tenant, name),
        location_type: 'physical',
        name: `${name} hall`,
        addresses: [{ id: stableUuid('api-test-address', tenant, name), address_1: '1 Example Road', city: 'Chelmsford', state_province: 'Essex', postal_code: options.postcode, country: 'GB', address_type: 'physical' }],
      },
    }]
  }
  if (options.term) {
    record.attributes = [{
      id: stableUuid('api-test-attribute', tenant, name),
      taxonomy_term_id: stableUuid('api-test-term', tenant, options.term),
      taxonomy_term: { id: stableUuid('api-test-term', tenant, options.term), name: options.term, description: `Services for ${options.term}`, taxonomy_id: stableUuid('api-test-taxonomy', tenant), taxonomy: `${tenant} categories` },
    }]
  }
  return record
}

describe('Open Referral UK read API', () => {
  let ctx: TestContext
  const parenting = service('essex', 'Parenting Together', { min: 5, max: 11, postcode: 'CM2 0AA', term: 'parenting' })
  const youth = service('essex', 'Youth Club Nights', { min: 11, max: 19, postcode: 'CO1 1AA', term: 'youth' })
  const closed = service('essex', 'Closed Service', { status: 'inactive' })
  const southend = service('southend', 'Southend Parenting Hub', { min: 0, max: 18, postcode: 'SS1 1AA', term: 'parenting' })

  before(async () => {
    ctx = await createTestContext()
    await ctx.db.asTenant('essex', async (trx) => {
      await saveService(trx, 'essex', exampleService(), emptyExtras(), null)
      for (const s of [parenting, youth, closed]) await saveService(trx, 'essex', s, emptyExtras(), null)
    })
    await ctx.db.asTenant('southend', (trx) => saveService(trx, 'southend', southend, emptyExtras(), null))
  })
  after(async () => {
    await ctx.close()
  })

  async function get(url: string) {
    const response = await ctx.visitor().get(url)
    assert.equal(response.headers['access-control-allow-origin'], '*', url)
    assert.match(String(response.headers['content-type']), /^application\/json/, url)
    return { status: response.statusCode, body: response.json() as Record<string, unknown> & OrukPage<Record<string, unknown>> }
  }

  it('/ describes the API', async () => {
    for (const url of [API, `${API}/`]) {
      const { status, body } = await get(url)
      assert.equal(status, 200)
      assert.equal(body.version, '3.0')
      assert.match(String(body.profile), /^https:\/\//)
      assert.match(String(body.openapi_url), /openapi\.json$/)
    }
  })

  it('/services lists active services of every authority, in name order, each valid', async () => {
    const { status, body } = await get(`${API}/services`)
    assert.equal(status, 200)
    validPage(body, 'compiled/service_list.json')
    assert.deepEqual(body.contents.map((s) => s.name), ['Community Counselling', 'Parenting Together', 'Southend Parenting Hub', 'Youth Club Nights'])
    assert.equal(body.total_items, 4)
    assert.equal(body.total_pages, 1)
    assert.equal(body.first_page, true)
    assert.equal(body.last_page, true)
    assert.equal(body.empty, false)
    assert.equal(body.contents[0]?.service_at_locations, undefined)
  })

  it('/services/{id} gives the full service with every optional part, valid, exactly as imported', async () => {
    const original = exampleService()
    const { status, body } = await get(`${API}/services/${original.id}`)
    assert.equal(status, 200)
    valid('compiled/service.json', body)
    assert.equal(canonicalJson(body), canonicalJson(pruneEmpty(original)))
  })

  it('/services/{id} is 404 JSON for unknown, malformed and unpublished ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', closed.id]) {
      const { status, body } = await get(`${API}/services/${id}`)
      assert.equal(status, 404)
      assert.match(String(body.message), /No service/)
    }
    const unknown = await get(`${API}/nothing-here`)
    assert.equal(unknown.status, 404)
  })

  it('pages with per_page and page', async () => {
    const first = await get(`${API}/services?per_page=3`)
    validPage(first.body, 'compiled/service_list.json')
    assert.deepEqual([first.body.total_items, first.body.total_pages, first.body.page_number, first.body.size, first.body.first_page, first.body.last_page], [4, 2, 1, 3, true, false])
    const second = await get(`${API}/services?per_page=3&page=2`)
    assert.deepEqual(second.body.contents.map((s) => s.name), ['Youth Club Nights'])
    assert.deepEqual([second.body.page_number, second.body.size, second.body.first_page, second.body.last_page], [2, 1, false, true])
    const beyond = await get(`${API}/services?per_page=3&page=9`)
    assert.deepEqual([beyond.body.empty, beyond.body.size, beyond.body.total_items], [true, 0, 4])
  })

  it('filters: search, taxonomy_term_id, ages, postcode', async () => {
    const names = async (query: string) => (await get(`${API}/services?${query}`)).body.contents.map((s) => s.name)
    assert.deepEqual(await names('search=parenting'), ['Parenting Together', 'Southend Parenting Hub'])
    assert.deepEqual(await names('search=counsel'), ['Community Counselling'])
    assert.deepEqual(await names('search=anxiety%20depression'), ['Community Counselling'])
    assert.deepEqual(await names(`taxonomy_term_id=${stableUuid('api-test-term', 'essex', 'youth')}`), ['Youth Club Nights'])
    assert.deepEqual(await names('minimum_age=7&maximum_age=7'), ['Parenting Together', 'Southend Parenting Hub'])
    assert.deepEqual(await names('minimum_age=15'), ['Community Counselling', 'Southend Parenting Hub', 'Youth Club Nights'])
    assert.deepEqual(await names('maximum_age=4'), ['Southend Parenting Hub'])
    assert.deepEqual(await names('postcode=cm2%200aa'), ['Parenting Together'])
    assert.deepEqual(await names('postcode=CO1'), ['Youth Club Nights'])
    assert.deepEqual(await names('search=parenting&minimum_age=7&postcode=CM2'), ['Parenting Together'])
  })

  it('?authority= keeps the authorities apart', async () => {
    const essex = await get(`${API}/services?authority=essex`)
    assert.deepEqual(essex.body.contents.map((s) => s.name), ['Community Counselling', 'Parenting Together', 'Youth Club Nights'])
    const southendList = await get(`${API}/services?authority=southend`)
    assert.deepEqual(southendList.body.contents.map((s) => s.name), ['Southend Parenting Hub'])
    assert.equal((await get(`${API}/services/${southend.id}?authority=essex`)).status, 404)
    assert.equal((await get(`${API}/services/${southend.id}?authority=southend`)).status, 200)
    const terms = await get(`${API}/taxonomy_terms?authority=southend`)
    assert.deepEqual(terms.body.contents.map((t) => t.name), ['parenting'])
  })

  it('400 JSON for parameters it cannot read', async () => {
    for (const query of ['page=0', 'page=x', 'per_page=101', 'per_page=0', 'minimum_age=-1', 'minimum_age=9&maximum_age=3', 'taxonomy_term_id=abc', 'postcode=nowhere', 'authority=kent', 'page=1&page=2']) {
      const { status, body } = await get(`${API}/services?${query}`)
      assert.equal(status, 400, query)
      assert.equal(typeof body.message, 'string')
    }
  })

  it('/service_at_locations lists and gives records, valid', async () => {
    const list = await get(`${API}/service_at_locations`)
    assert.equal(list.status, 200)
    validPage(list.body, 'compiled/service_at_location_list.json')
    assert.equal(list.body.total_items, 4)
    const byPostcode = await get(`${API}/service_at_locations?postcode=SS1`)
    assert.deepEqual(byPostcode.body.contents.map((s) => (s.service as { name: string }).name), ['Southend Parenting Hub'])
    const original = exampleService()
    const salId = original.service_at_locations?.[0]?.id ?? ''
    const one = await get(`${API}/service_at_locations/${salId}`)
    assert.equal(one.status, 200)
    valid('compiled/service_at_location.json', one.body)
    assert.equal(canonicalJson(one.body.location), canonicalJson(original.service_at_locations?.[0]?.location))
    assert.equal((one.body.service as { id: string }).id, original.id)
    assert.ok(Array.isArray((one.body.service as { schedules: unknown[] }).schedules))
    assert.equal((await get(`${API}/service_at_locations/00000000-0000-4000-8000-000000000000`)).status, 404)
  })

  it('/taxonomies and /taxonomy_terms list and give records, valid', async () => {
    const taxonomies = await get(`${API}/taxonomies`)
    validPage(taxonomies.body, 'taxonomy.json')
    assert.equal(taxonomies.body.total_items, 3)
    const essexTaxonomy = stableUuid('api-test-taxonomy', 'essex')
    const one = await get(`${API}/taxonomies/${essexTaxonomy}`)
    assert.equal(one.status, 200)
    valid('taxonomy.json', one.body)
    assert.deepEqual((one.body.taxonomy_terms as { name: string }[]).map((t) => t.name), ['parenting', 'youth'])
    const terms = await get(`${API}/taxonomy_terms`)
    validPage(terms.body, 'taxonomy_term.json')
    assert.equal(terms.body.total_items, 4)
    const byTaxonomy = await get(`${API}/taxonomy_terms?taxonomy_id=${essexTaxonomy}`)
    assert.equal(byTaxonomy.body.total_items, 2)
    const term = await get(`${API}/taxonomy_terms/3f7b145d-84af-42d7-8fae-eaca714b02b2`)
    assert.equal(term.status, 200)
    valid('taxonomy_term.json', term.body)
    assert.equal((await get(`${API}/taxonomy_terms/00000000-0000-4000-8000-000000000000`)).status, 404)
    assert.equal((await get(`${API}/taxonomies/00000000-0000-4000-8000-000000000000`)).status, 404)
  })

  it('answers a CORS preflight', async () => {
    const response = await ctx.app.inject({ method: 'OPTIONS', url: `${API}/services`, headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } })
    assert.equal(response.statusCode, 204)
    assert.equal(response.headers['access-control-allow-origin'], '*')
  })
})
