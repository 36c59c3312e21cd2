import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestContext, type TestContext } from '../../../test/context.ts'
import { DirectoryRecordError, canonicalJson, emptyExtras, pruneEmpty, saveService, serviceExtras, serviceRecord, type ServiceExtras } from '../store.ts'
import { exampleService } from './test-support.ts'

describe('directory store', () => {
  let ctx: TestContext
  before(async () => {
    ctx = await createTestContext()
  })
  after(async () => {
    await ctx.close()
  })

  it('saves the full example and gives it back exactly; saving again changes nothing', async () => {
    const original = exampleService()
    const extras: ServiceExtras = { ...emptyExtras(), levels: [1, 2], localities: ['mid'], categories: ['mental-health'], referralRoutes: ['self'], capacity: 'Short wait', lastCheckedOn: '2026-01-10' }
    const first = await ctx.db.asTenant('essex', (trx) => saveService(trx, 'essex', original, extras, null))
    assert.deepEqual(first, { id: original.id, changed: true })
    const record = await ctx.db.asTenant('essex', (trx) => serviceRecord(trx, original.id))
    assert.equal(canonicalJson(record), canonicalJson(pruneEmpty(original)))
    assert.deepEqual(await ctx.db.asTenant('essex', (trx) => serviceExtras(trx, original.id)), extras)

    const second = await ctx.db.asTenant('essex', (trx) => saveService(trx, 'essex', exampleService(), extras, null))
    assert.deepEqual(second, { id: original.id, changed: false })
    const row = await ctx.db.system.selectFrom('directory_services').select(['version', 'term_ids', 'postcode_districts']).where('id', '=', original.id).executeTakeFirstOrThrow()
    assert.equal(row.version, 1)
    assert.deepEqual(row.term_ids, ['3f7b145d-84af-42d7-8fae-eaca714b02b2'])
    // "ABC 1234" is no UK postcode: no district.
    assert.deepEqual(row.postcode_districts, [])
    const terms = await ctx.db.system.selectFrom('directory_taxonomy_terms').select(['id', 'taxonomy_id']).execute()
    assert.equal(terms.length, 1)
    assert.ok(terms[0]?.taxonomy_id)
  })

  it('a change bumps the version and derives the postcode district', async () => {
    const changed = exampleService()
    changed.name = 'Community Counselling (Chelmsford)'
    const address = changed.service_at_locations?.[0]?.location?.addresses?.[0]
    assert.ok(address)
    address.postal_code = 'cm1 1aa'
    address.address_type = 'physical'
    const result = await ctx.db.asTenant('essex', (trx) => saveService(trx, 'essex', changed, emptyExtras(), null))
    assert.equal(result.changed, true)
    const row = await ctx.db.system.selectFrom('directory_services').select(['version', 'name', 'postcode_districts']).where('id', '=', changed.id).executeTakeFirstOrThrow()
    assert.deepEqual(row, { version: 2, name: 'Community Counselling (Chelmsford)', postcode_districts: ['CM1'] })
    const record = await ctx.db.asTenant('essex', (trx) => serviceRecord(trx, changed.id))
    assert.equal(canonicalJson(record), canonicalJson(pruneEmpty(changed)))
  })

  it('removes a service_at_location the record no longer has', async () => {
    const service = exampleService()
    service.service_at_locations = []
    await ctx.db.asTenant('essex', (trx) => saveService(trx, 'essex', service, emptyExtras(), null))
    const record = await ctx.db.asTenant('essex', (trx) => serviceRecord(trx, service.id))
    assert.equal(record?.service_at_locations, undefined)
  })

  it('keeps authorities apart: another authority cannot see the service or reuse its ids', async () => {
    assert.equal(await ctx.db.asTenant('southend', (trx) => serviceRecord(trx, exampleService().id)), undefined)
    await assert.rejects(
      ctx.db.asTenant('southend', (trx) => saveService(trx, 'southend', exampleService(), emptyExtras(), null)),
      (error: unknown) => error instanceof DirectoryRecordError && /another authority/.test(error.message),
    )
  })

  it('unknown or malformed ids give undefined', async () => {
    assert.equal(await ctx.db.asTenant('essex', (trx) => serviceRecord(trx, 'not-a-uuid')), undefined)
    assert.equal(await ctx.db.asTenant('essex', (trx) => serviceRecord(trx, '00000000-0000-4000-8000-000000000000')), undefined)
  })
})
