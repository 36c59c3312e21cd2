import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, type TestContext } from '../../../test/context.ts'
import { loadDemoData } from '../../../demo/demo-data.ts'
import { demoDirectory, demoTermId, loadDemoDirectory } from '../../../demo/demo-directory.ts'
import { orukValidator } from './schemas.ts'
import type { OrukPage, OrukService } from './types.ts'

describe('demonstration directory', () => {
  let ctx: TestContext
  before(async () => {
    // The demonstration accounts without the directory: this test loads the directory itself.
    ctx = await createTestContext()
    await loadDemoData(ctx.db)
  })
  after(async () => {
    await ctx.close()
  })

  it('loads once, every record valid against the official schema, with fictional contacts', async () => {
    const now = new Date('2026-11-24T12:00:00Z')
    assert.equal(await loadDemoDirectory(ctx.db, now), true)
    assert.equal(await loadDemoDirectory(ctx.db, now), false)
    const validator = orukValidator()
    for (const tenant of ['essex', 'southend']) {
      const services = demoDirectory(tenant, now)
      assert.ok(services.length >= 10)
      for (const { service } of services) {
        assert.deepEqual(validator.check('compiled/service.json', service), [], service.name)
        for (const contact of service.contacts ?? []) for (const phone of contact.phones ?? []) assert.match(phone.number, /^01632 960\d{3}$/)
        assert.match(service.email ?? '', /example\.org$/)
      }
      const stale = services.filter((s) => (s.extras.lastCheckedOn ?? '') < '2025-11-24')
      assert.ok(stale.length >= 2, `${tenant} has services needing review`)
    }
    const count = await ctx.db.system.selectFrom('directory_services').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(count.n), demoDirectory('essex').length + demoDirectory('southend').length)
    const linked = await ctx.db.system.selectFrom('directory_organizations').select('name').where('organisation_id', 'is not', null).orderBy('name').execute()
    assert.deepEqual(linked.map((o) => o.name), ['Chelmer Family Support Trust (demonstration)', 'Estuary Family Network (demonstration)'])
  })

  it('a parenting service for a 7-year-old in Mid Essex is found', async () => {
    const parenting = demoTermId('essex', 'parenting')
    const response = await ctx.visitor().get(`/api/open-referral/services?authority=essex&taxonomy_term_id=${parenting}&minimum_age=7&maximum_age=7&postcode=CM2`)
    const body = response.json() as OrukPage<OrukService>
    assert.ok(body.contents.some((s) => s.name === 'Mid Essex Positive Parenting Group (5 to 11s)'), JSON.stringify(body.contents.map((s) => s.name)))
    const rows = await ctx.db.system
      .selectFrom('directory_services')
      .select('name')
      .where('tenant_id', '=', 'essex')
      .where(sql<boolean>`categories @> array['parenting'] and localities @> array['mid']`)
      .where('minimum_age', '<=', 7)
      .where('maximum_age', '>=', 7)
      .execute()
    assert.ok(rows.some((r) => r.name === 'Mid Essex Positive Parenting Group (5 to 11s)'))
  })

  it('every demonstration service validates through the API', async () => {
    const validator = orukValidator()
    const list = (await ctx.visitor().get('/api/open-referral/services?per_page=100')).json() as OrukPage<OrukService>
    assert.equal(list.total_items, demoDirectory('essex').length + demoDirectory('southend').length)
    for (const item of list.contents) {
      const one = (await ctx.visitor().get(`/api/open-referral/services/${item.id}`)).json() as OrukService
      assert.deepEqual(validator.check('compiled/service.json', one), [], item.name)
    }
  })
})
