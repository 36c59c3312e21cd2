import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { VIEWS_SHORTENED, worriesWithViews } from './plan-link.ts'

const HEADING = 'The family’s views at the review meeting on 24 November 2026:'

test('the family’s views are added under a heading after what the plan said before', () => {
  assert.equal(worriesWithViews('Maisie misses school.', HEADING, ['Dana (Mother): mornings are hard']), `Maisie misses school.\n\n${HEADING}\nDana (Mother): mornings are hard`)
  assert.equal(worriesWithViews('', HEADING, ['Leo (Son): fine']), `${HEADING}\nLeo (Son): fine`)
})

test('views too long for the plan are shortened by the same share, and the plan says so', () => {
  const views = ['a'.repeat(4900), 'b'.repeat(4900), 'c'.repeat(4900)]
  const worries = worriesWithViews('Before.', HEADING, views, 10_000)
  assert.ok(worries.length <= 10_000)
  assert.ok(worries.startsWith(`Before.\n\n${HEADING}\n`))
  assert.ok(worries.endsWith(VIEWS_SHORTENED))
  for (const letter of ['a', 'b', 'c']) assert.ok(worries.includes(`${letter.repeat(3000)}`), letter)
})

test('worries already full are left as they were; the meeting’s record keeps the views', () => {
  const full = 'w'.repeat(9_990)
  assert.equal(worriesWithViews(full, HEADING, ['x'.repeat(5000)], 10_000), full)
})

test('whatever the views, the worries fit the plan and no character is split', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 10_000, unit: 'grapheme' }), fc.array(fc.string({ maxLength: 5000, unit: 'grapheme' }), { maxLength: 6 }), (before, views) => {
      const worries = worriesWithViews(before.slice(0, 10_000).toWellFormed(), HEADING, views, 10_000)
      assert.ok(worries.length <= 10_000 || worries === before.slice(0, 10_000).toWellFormed())
      assert.ok(worries.isWellFormed())
    }),
    { numRuns: 200 },
  )
})
