import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createTestContext, type TestContext } from '../../../test/context.ts'
import { canonicalJson, pruneEmpty, stableUuid } from '../store.ts'
import { exportCommand, importCommand, type Io } from './cli.ts'
import { OFFICIAL_STANDARD_DIR, VENDORED_SERVICE_SCHEMA } from './schemas.ts'
import { exampleService } from './test-support.ts'
import { exportServices, importServices, readImport, withoutImpliedLinks } from './transfer.ts'
import type { OrukService } from './types.ts'

const EXAMPLE = join(OFFICIAL_STANDARD_DIR, 'examples', 'service_full.json')

function capture(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = []
  const errors: string[] = []
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), tty: false }
}

function small(tenant: string, name: string, postcode: string): OrukService {
  return {
    id: stableUuid('transfer-test', tenant, name),
    name,
    description: `${name}: fictional`,
    status: 'active',
    minimum_age: 0,
    maximum_age: 18,
    organization: { id: stableUuid('transfer-test-org', tenant), name: 'Fictional Trust', description: 'A fictional charity' },
    contacts: [{ id: stableUuid('transfer-test-contact', tenant, name), name: 'Duty desk', phones: [{ id: stableUuid('transfer-test-phone', tenant, name), number: '01632 960123' }] }],
    service_at_locations: [{
      id: stableUuid('transfer-test-sal', tenant, name),
      location: {
        id: stableUuid('transfer-test-location', tenant, name),
        location_type: 'physical',
        name: 'Hall',
        latitude: 51.54,
        longitude: 0.71,
        addresses: [{ id: stableUuid('transfer-test-address', tenant, name), address_1: '2 Example Street', city: 'Southend-on-Sea', state_province: 'Essex', postal_code: postcode, country: 'GB', address_type: 'physical' }],
      },
    }],
  }
}

describe('directory import and export', () => {
  let ctx: TestContext
  let dir: string
  before(async () => {
    ctx = await createTestContext()
    dir = mkdtempSync(join(tmpdir(), 'directory-transfer-'))
  })
  after(async () => {
    await ctx.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('our copy of compiled/service.json is the official one', () => {
    assert.equal(readFileSync(VENDORED_SERVICE_SCHEMA, 'utf8'), readFileSync(join(OFFICIAL_STANDARD_DIR, 'schema', 'compiled', 'service.json'), 'utf8'))
  })

  it('imports examples/service_full.json and exports it back exactly; a second import changes nothing', async () => {
    const io = capture()
    assert.equal(await importCommand(['--authority', 'essex', EXAMPLE], io, ctx.db), 0)
    assert.deepEqual(io.lines, ['Created 1, updated 0, unchanged 0, rejected 0.'])
    const again = capture()
    assert.equal(await importCommand(['--authority', 'essex', EXAMPLE], again, ctx.db), 0)
    assert.deepEqual(again.lines, ['Created 0, updated 0, unchanged 1, rejected 0.'])

    const out = join(dir, 'essex.json')
    const exported = capture()
    assert.equal(await exportCommand(['--authority', 'essex', '--format', 'json', out], exported, ctx.db), 0)
    const services = JSON.parse(readFileSync(out, 'utf8')) as OrukService[]
    assert.equal(services.length, 1)
    assert.equal(canonicalJson(services[0]), canonicalJson(pruneEmpty(exampleService())))
  })

  it('rejects a broken record with its id and the reasons, and imports the others', async () => {
    const good = small('essex', 'Good Service', 'CM1 1AA')
    const broken = { ...small('essex', 'Broken Service', 'CM1 1AA'), status: 'open', email: 'not an email' }
    const nameless = { id: stableUuid('nameless'), status: 'active' }
    const file = join(dir, 'page.json')
    writeFileSync(file, JSON.stringify({ total_items: 3, contents: [good, broken, nameless] }))
    const io = capture()
    assert.equal(await importCommand(['--authority', 'essex', file], io, ctx.db), 1)
    assert.deepEqual(io.lines, ['Created 1, updated 0, unchanged 0, rejected 2.'])
    const errors = io.errors.join('\n')
    assert.match(errors, new RegExp(`Rejected ${broken.id}:`))
    assert.match(errors, /\/status: must be equal to one of the allowed values/)
    assert.match(errors, /\/email: must match format "email"/)
    assert.match(errors, new RegExp(`Rejected ${nameless.id}:\\n  - \\(the record\\): must have required property 'name'`))
  })

  it('refuses an id already in another authority’s directory, naming it', async () => {
    const io = capture()
    assert.equal(await importCommand(['--authority', 'southend', EXAMPLE], io, ctx.db), 1)
    assert.match(io.errors.join('\n'), /already in another authority’s directory/)
  })

  it('CSV export and import round-trip', async () => {
    const southendService = small('southend', 'Southend Family Hub', 'SS1 1AA')
    await importServices(ctx.db, 'southend', { services: [southendService], taxonomies: [], terms: [] })
    const folder = join(dir, 'essex-csv')
    assert.equal(await exportCommand(['--authority', 'essex', '--format', 'csv', folder], capture(), ctx.db), 0)
    const before = await exportServices(ctx.db, 'essex')
    assert.equal(before.length, 2)

    // Read back from the CSV files: the same services, less the links that nesting implies.
    const input = readImport(folder)
    assert.deepEqual(
      input.services.map((s) => canonicalJson(withoutImpliedLinks(s))),
      before.map((s) => canonicalJson(withoutImpliedLinks(s))),
    )
    // Importing them into the same directory changes nothing.
    const io = capture()
    assert.equal(await importCommand(['--authority', 'essex', folder], io, ctx.db), 0)
    assert.deepEqual(io.lines, ['Created 0, updated 0, unchanged 2, rejected 0.'])
    assert.equal(input.terms.length, 1)
  })

  it('CSV import into an empty directory gives the same records', async () => {
    const other = await createTestContext()
    try {
      const folder = join(dir, 'essex-csv')
      const io = capture()
      assert.equal(await importCommand(['--authority', 'essex', folder], io, other.db), 0)
      assert.deepEqual(io.lines, ['Created 2, updated 0, unchanged 0, rejected 0.'])
      const original = await exportServices(ctx.db, 'essex')
      const copied = await exportServices(other.db, 'essex')
      assert.deepEqual(copied.map((s) => canonicalJson(withoutImpliedLinks(s))), original.map((s) => canonicalJson(withoutImpliedLinks(s))))
      assert.equal(canonicalJson(withoutImpliedLinks(copied.find((s) => s.id === exampleService().id))), canonicalJson(withoutImpliedLinks(exampleService())))
    } finally {
      await other.close()
    }
  })

  it('explains usage mistakes', async () => {
    await assert.rejects(importCommand(['--authority', 'kent', EXAMPLE], capture(), ctx.db), /--authority must be one of: essex, southend/)
    await assert.rejects(importCommand(['--authority', 'essex'], capture(), ctx.db), /Usage/)
    await assert.rejects(importCommand(['--authority', 'essex', join(dir, 'missing.json')], capture(), ctx.db), /No such file/)
    await assert.rejects(exportCommand(['--authority', 'essex', '--format', 'xml', 'x'], capture(), ctx.db), /Usage/)
  })
})
