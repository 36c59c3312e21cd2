import { after, before, test } from 'node:test'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { CATALOGUE, isForm } from './catalogue.ts'
import { Fixtures } from './fixtures.ts'
import { checkForm, NUM_RUNS } from './harness.ts'

/**
 * Registers the property tests of the form routes named, over one app and database for the file.
 * A route with several forms (the sections of a request or a plan) shares its cases between them,
 * so each route gets NUM_RUNS cases in all. FORMS=substring narrows the routes (for working on one).
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
    const only = process.env.FORMS
    for (const entry of entries) {
      if (!isForm(entry)) throw new Error(`${route} is not a form the property tests reach`)
      const runs = Math.ceil(NUM_RUNS / entries.length)
      const name = `${route}${entry.variant ? ` (${entry.variant})` : ''}`
      test(`${name}: ${runs} hostile submissions`, { skip: only !== undefined && !name.includes(only) }, async (t) => {
        const started = Date.now()
        const { statuses, saves, known } = await checkForm(fixtures, entry, runs)
        t.diagnostic(`${name}: replies ${JSON.stringify(statuses)}, ${saves} saves read back, ${Date.now() - started} ms`)
        for (const k of entry.known ?? []) t.diagnostic(`${name}: known finding, ${known} cases left out: ${k.finding}`)
      })
    }
  }
}
