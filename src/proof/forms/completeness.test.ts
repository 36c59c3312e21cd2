import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { routeTable } from '../../platform/http/route-table.ts'
import { createTestContext, type TestContext } from '../../test/context.ts'
import { CATALOGUE, isForm } from './catalogue.ts'

// Every POST route of the app is in the catalogue of the form property tests, and every form in the
// catalogue is run by one of the property test files: a new form cannot slip through untested.

let ctx: TestContext
before(async () => {
  ctx = await createTestContext()
})
after(() => ctx.close())

test('every POST route has an entry in the form catalogue', () => {
  const posts = routeTable(ctx.app)
    .filter((r) => r.method === 'POST')
    .map((r) => `POST ${r.url}`)
  const missing = posts.filter((route) => !CATALOGUE.some((e) => e.route === route))
  assert.deepEqual(missing, [], `POST routes without an entry in src/proof/forms/catalogue.ts: ${missing.join(', ')}`)
  const stale = [...new Set(CATALOGUE.map((e) => e.route))].filter((route) => !posts.includes(route))
  assert.deepEqual(stale, [], `catalogue entries for routes the app no longer has: ${stale.join(', ')}`)
})

test('every form in the catalogue is run by a property test file', () => {
  const dir = new URL('.', import.meta.url)
  const files = readdirSync(dir).filter((f) => /^forms-.*\.test\.ts$/.test(f))
  const run = files.flatMap((f) => [...readFileSync(new URL(f, dir), 'utf8').matchAll(/'(POST [^']+)'/g)].map((m) => m[1]))
  const forms = [...new Set(CATALOGUE.filter(isForm).map((e) => e.route))]
  const notRun = forms.filter((route) => !run.includes(route))
  assert.deepEqual(notRun, [], `forms no property test file runs: ${notRun.join(', ')}`)
})

test('the routes the property tests do not reach yet are listed with a reason', (t) => {
  for (const entry of CATALOGUE) {
    if ('notCovered' in entry) t.diagnostic(`not covered: ${entry.route}: ${entry.notCovered}`)
  }
})
