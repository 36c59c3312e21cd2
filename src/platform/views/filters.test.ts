import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import nunjucks from 'nunjucks'
import { trim } from './filters.ts'
import { configureEnvironment } from './plugin.ts'

test('trim gives what nunjucks’ own trim gives, safe strings staying safe', () => {
  const env = new nunjucks.Environment(undefined, { autoescape: true })
  const theirs = env.getFilter('trim') as (value: unknown) => unknown
  const text = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u3000', 'a', '<', '&') })
  fc.assert(
    fc.property(text, fc.boolean(), (value, safe) => {
      const input = safe ? new nunjucks.runtime.SafeString(value) : value
      const ours = trim(input)
      const expected = theirs(input)
      assert.equal(String(ours), String(expected))
      assert.equal(ours instanceof nunjucks.runtime.SafeString, expected instanceof nunjucks.runtime.SafeString)
    }),
  )
})

test('the app’s templates use this trim, not nunjucks’ quadratic one', () => {
  const env = new nunjucks.Environment(undefined, { autoescape: true })
  configureEnvironment(env)
  assert.equal(env.getFilter('trim'), trim)
  const spaces = `x${' '.repeat(100_000)}x`
  assert.equal(env.renderString('{% set block %}  {{ value }}  {% endset %}[{{ block | trim }}]', { value: spaces }), `[${spaces}]`)
})
