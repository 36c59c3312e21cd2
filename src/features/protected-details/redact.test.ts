import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { hiddenFrom, redact, redactDeep, segments, withheldText, type Protection } from './redact.ts'

const FATHER = '00000000-0000-4000-8000-000000000001'
const MOTHER = '00000000-0000-4000-8000-000000000002'
const AGENCY = '00000000-0000-4000-8000-0000000000a1'
const OTHER_AGENCY = '00000000-0000-4000-8000-0000000000a2'

const address: Protection = { kind: 'address', value: '14 Larch Close, Basildon SS14 3PD', hiddenFromPeople: [FATHER], hiddenFromOrganisations: [AGENCY] }
const phone: Protection = { kind: 'contact', value: '07700 900123', hiddenFromPeople: [FATHER], hiddenFromOrganisations: [] }

describe('redact', () => {
  test('replaces a protected value hidden from the audience, whatever its case and spacing', () => {
    const text = 'Dana has moved to 14 larch close,  BASILDON\nSS14 3PD and her number is 07700900123.'
    assert.equal(redact(text, [address, phone], { personId: FATHER }), 'Dana has moved to [withheld: protected address] and her number is [withheld: protected contact details].')
  })

  test('leaves the text alone for an audience the value is not hidden from, and for the team', () => {
    const text = 'Dana lives at 14 Larch Close, Basildon SS14 3PD.'
    assert.equal(redact(text, [address], { personId: MOTHER }), text)
    assert.equal(redact(text, [address], { organisationId: OTHER_AGENCY }), text)
    assert.equal(redact(text, [address], {}), text)
  })

  test('hides from a named agency', () => {
    assert.equal(redact('At 14 Larch Close, Basildon SS14 3PD', [address], { organisationId: AGENCY }), `At ${withheldText('address')}`)
  })

  test('a lifted protection hides nothing', () => {
    const lifted = { ...address, endedAt: new Date() }
    assert.equal(hiddenFrom(lifted, { personId: FATHER }), false)
    assert.equal(redact('14 Larch Close, Basildon SS14 3PD', [lifted], { personId: FATHER }), '14 Larch Close, Basildon SS14 3PD')
  })

  test('does not match inside a word, and treats regular-expression characters as text', () => {
    const name: Protection = { kind: 'whereabouts', value: 'Leo', hiddenFromPeople: [FATHER], hiddenFromOrganisations: [] }
    assert.equal(redact('Leopard, Leo and leo.', [name], { personId: FATHER }), 'Leopard, [withheld: protected whereabouts] and [withheld: protected whereabouts].')
    const odd: Protection = { kind: 'contact', value: 'a+b (c)*', hiddenFromPeople: [FATHER], hiddenFromOrganisations: [] }
    assert.equal(redact('call a+b (c)* now; aab c', [odd], { personId: FATHER }), 'call [withheld: protected contact details] now; aab c')
  })

  test('segments mark the passages instead of removing them', () => {
    const parts = segments('Moved to 14 Larch Close, Basildon SS14 3PD last week', [{ value: address.value, reason: 'protected', kind: 'address' }])
    assert.deepEqual(
      parts.map((p) => [p.text, p.term?.reason]),
      [
        ['Moved to ', undefined],
        ['14 Larch Close, Basildon SS14 3PD', 'protected'],
        [' last week', undefined],
      ],
    )
  })

  test('redactDeep redacts every string of a plan for each audience', () => {
    const content = { child: { address: '14 Larch Close, Basildon SS14 3PD' }, notes: ['ring 07700 900123'], score: 4 }
    assert.deepEqual(redactDeep(content, [address, phone], [{ organisationId: AGENCY }, { personId: FATHER }]), {
      child: { address: '[withheld: protected address]' },
      notes: ['ring [withheld: protected contact details]'],
      score: 4,
    })
  })
})

// Values drawn from letters, digits and spaces, at least one word of three or more characters, and
// never something the marker itself contains.
const word = fc.stringMatching(/^[A-Za-z0-9]{3,12}$/)
const value = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '))
const marker = withheldText('address').toLowerCase()
const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '')
const withOddSpacingAndCase = (v: string, seed: number) =>
  v
    .split(' ')
    .map((w, i) => ((seed >> i) & 1 ? w.toUpperCase() : w.toLowerCase()))
    .join(seed % 3 === 0 ? '\n ' : seed % 3 === 1 ? '  ' : ' ')

describe('redact (properties)', () => {
  test('a value hidden from the audience never survives, however it is cased or spaced', () => {
    fc.assert(
      fc.property(fc.string(), value, fc.string(), fc.nat(255), (before, v, after, seed) => {
        fc.pre(!marker.includes(v.toLowerCase()) && !squash(marker).includes(squash(v)))
        const p: Protection = { kind: 'address', value: v, hiddenFromPeople: [FATHER], hiddenFromOrganisations: [] }
        const text = `${before} ${withOddSpacingAndCase(v, seed)} ${after}`
        const out = redact(text, [p], { personId: FATHER })
        // Whole-word occurrences are gone: what remains, markers taken out, has none.
        const left = out.split(withheldText('address')).join('\u0000')
        const again = redact(left, [p], { personId: FATHER })
        assert.equal(again, left)
        assert.ok(out.includes(withheldText('address')))
      }),
      { numRuns: 1000 },
    )
  })

  test('text for an audience the value is not hidden from comes back exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), value, fc.uuid(), (text, v, someone) => {
        fc.pre(someone !== FATHER)
        const p: Protection = { kind: 'contact', value: v, hiddenFromPeople: [FATHER], hiddenFromOrganisations: [AGENCY] }
        assert.equal(redact(text, [p], { personId: someone }), text)
        assert.equal(redact(text, [p], {}), text)
      }),
      { numRuns: 1000 },
    )
  })

  test('any text and any value: never throws, and segments keep every character in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (text, v) => {
        const p: Protection = { kind: 'whereabouts', value: v, hiddenFromPeople: [FATHER], hiddenFromOrganisations: [] }
        assert.equal(typeof redact(text, [p], { personId: FATHER }), 'string')
        assert.equal(
          segments(text, [{ value: v, reason: 'protected' }])
            .map((s) => s.text)
            .join(''),
          text,
        )
      }),
      { numRuns: 1000 },
    )
  })

  test('redacting twice is redacting once', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), value, (text, v) => {
        fc.pre(segments(withheldText('whereabouts'), [{ value: v, reason: 'protected' }]).every((s) => !s.term))
        const p: Protection = { kind: 'whereabouts', value: v, hiddenFromPeople: [FATHER], hiddenFromOrganisations: [] }
        const once = redact(`${text} ${v} ${text}`, [p], { personId: FATHER })
        assert.equal(redact(once, [p], { personId: FATHER }), once)
      }),
      { numRuns: 1000 },
    )
  })
})
