import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { CATALOGUE, isForm } from './catalogue.ts'
import { Fixtures } from './fixtures.ts'
import { checkForm, NUM_RUNS } from './harness.ts'

/**
 * Registers the property tests of the form routes named, over one app and database for the file.
 * A route with several forms (the sections of a request or a plan) shares its cases between them,
 * so each route gets NUM_RUNS cases in all. To work on one route, narrow the run with node's own
 * `--test-name-pattern`.
 */
export function formTests(routes: readonly string[]): void {
  let ctx: TestContext
  let fixtures: Fixtures
  before(async () => {
    ctx = await createTestContext()
    fixtures = new Fixtures(ctx)
  })
  after(() => ctx.close())
  for (const route of routes) {
    const entries = CATALOGUE.filter((e) => e.route === route)
    if (!entries.length) throw new Error(`no catalogue entry for ${route}`)
    for (const entry of entries) {
      if (!isForm(entry)) throw new Error(`${route} is not a form the property tests reach`)
      const runs = Math.ceil(NUM_RUNS / entries.length)
      const name = `${route}${entry.variant ? ` (${entry.variant})` : ''}`
      test(`${name}: ${runs} hostile submissions`, async (t) => {
        const started = Date.now()
        const { statuses, saves } = await checkForm(fixtures, entry, runs)
        t.diagnostic(`${name}: replies ${JSON.stringify(statuses)}, ${saves} saves read back, ${Date.now() - started} ms`)
      })
    }
  }
}
