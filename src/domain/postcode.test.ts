import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { isValidPostcode, normalisePostcode, outwardCode } from './postcode.ts'

test('each format normalises to capitals with one space', () => {
  const cases: [string, string][] = [
    ['ss11aa', 'SS1 1AA'], // Southend
    [' SS1  1AA ', 'SS1 1AA'],
    ['cm1 1qh', 'CM1 1QH'], // Chelmsford, County Hall
    ['M1 1AE', 'M1 1AE'], // A9
    ['B33 8TH', 'B33 8TH'], // A99
    ['CR2 6XH', 'CR2 6XH'], // AA9
    ['DN55 1PT', 'DN55 1PT'], // AA99
    ['W1A 0AX', 'W1A 0AX'], // A9A
    ['EC1A 1BB', 'EC1A 1BB'], // AA9A
    ['SW1A\t2AA', 'SW1A 2AA'],
    ['gir 0aa', 'GIR 0AA'],
    ['GIR0AA', 'GIR 0AA'],
  ]
  for (const [typed, expected] of cases) assert.equal(normalisePostcode(typed), expected, typed)
  assert.equal(outwardCode('ss9 5aa'), 'SS9')
})

test('formats and letters outside the standard pattern are refused', () => {
  const bad = [
    '',
    'SS1',
    'SS1 1A',
    'SS11 1AAA',
    'QA1 1AA', // Q, V, X never first
    'VA1 1AA',
    'XA1 1AA',
    'AI1 1AA', // I, J, Z never second
    'AJ1 1AA',
    'AZ1 1AA',
    'W1I 0AX', // I not allowed third (A9A)
    'EC1C 1BB', // C not allowed fourth (AA9A)
    'SS1 1CA', // C, I, K, M, O, V never in the inward letters
    'SS1 1AV',
    'SS1 AAA', // inward starts with a digit
    '1S1 1AA',
    'SS1-1AA',
    'GIR 0AB',
    'SS1 1ÀA',
  ]
  for (const b of bad) {
    assert.equal(normalisePostcode(b), undefined, b)
    assert.equal(isValidPostcode(b), false)
  }
})

const pick = (chars: string) => fc.constantFrom(...chars.split(''))
const digit = pick('0123456789')
const first = pick('ABCDEFGHIJKLMNOPRSTUWYZ')
const second = pick('ABCDEFGHKLMNOPQRSTUVWXY')
const third = pick('ABCDEFGHJKPSTUW')
const fourth = pick('ABEHMNPRVWXY')
const inwardLetter = pick('ABDEFGHJLNPQRSTUWXYZ')
const outward = fc.oneof(
  fc.tuple(first, digit).map((p) => p.join('')),
  fc.tuple(first, digit, digit).map((p) => p.join('')),
  fc.tuple(first, second, digit).map((p) => p.join('')),
  fc.tuple(first, second, digit, digit).map((p) => p.join('')),
  fc.tuple(first, digit, third).map((p) => p.join('')),
  fc.tuple(first, second, digit, fourth).map((p) => p.join('')),
)
const postcode = fc.tuple(outward, fc.tuple(digit, inwardLetter, inwardLetter).map((p) => p.join(''))).map(([o, i]) => `${o} ${i}`)

/** The same postcode with its case and spacing changed. */
const retyped = fc.tuple(postcode, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.array(fc.constantFrom('', ' ', '  '), { minLength: 9, maxLength: 9 }))
  .map(([p, lower, spaces]) => ({
    canonical: p,
    typed: [...p.replace(' ', '')].map((c, i) => `${spaces[i]}${lower[i] ? c.toLowerCase() : c}`).join('') + spaces[8],
  }))

test('property: any code in the standard pattern, however typed, normalises to its canonical form', () => {
  fc.assert(
    fc.property(retyped, ({ canonical, typed }) => {
      assert.equal(normalisePostcode(typed), canonical, typed)
    }),
  )
})

test('property: normalising is idempotent and always gives the canonical shape', () => {
  fc.assert(
    fc.property(fc.oneof(postcode, fc.string({ maxLength: 10 }), fc.stringMatching(/^[A-Za-z0-9 ]{5,9}$/)), (s) => {
      const once = normalisePostcode(s)
      if (once !== undefined) {
        assert.equal(normalisePostcode(once), once)
        assert.match(once, /^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/)
      }
    }),
  )
})

test('property: a first letter of Q, V or X is always refused', () => {
  fc.assert(
    fc.property(postcode, pick('QVX'), (p, bad) => {
      if (p === 'GIR 0AA') return
      assert.equal(normalisePostcode(bad + p.slice(1)), undefined)
    }),
  )
})
