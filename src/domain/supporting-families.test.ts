import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HEADLINE_IDS, headlineText, qualifiesForSupportingFamilies, SUPPORTING_FAMILIES_HEADLINES } from './supporting-families.ts'

test('the ten national headline outcomes, each with a unique kebab-case id', () => {
  assert.equal(SUPPORTING_FAMILIES_HEADLINES.length, 10)
  assert.equal(new Set(HEADLINE_IDS).size, 10)
  for (const id of HEADLINE_IDS) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/)
  assert.equal(headlineText('secure-housing'), 'Secure housing')
  assert.equal(headlineText('nope'), undefined)
})

test('a family qualifies with needs under at least three different headlines', () => {
  assert.equal(qualifiesForSupportingFamilies(['secure-housing', 'financial-stability']), false)
  assert.equal(qualifiesForSupportingFamilies(['secure-housing', 'secure-housing', 'financial-stability', 'unknown']), false)
  assert.equal(qualifiesForSupportingFamilies(['secure-housing', 'financial-stability', 'good-education']), true)
})
