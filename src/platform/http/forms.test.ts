import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { accountForm } from '../../features/accounts/forms.ts'
import { organisationForm } from '../../features/organisations/forms.ts'
import { signInForm } from '../../features/sign-in/forms.ts'
import { characterCount, errorsToSummary, formVersion, typedValues, validateForm } from './forms.ts'

test('a valid form gives its parsed values', () => {
  const result = validateForm(organisationForm, { name: '  Riverside Primary  ', kind: 'school', _csrf: 'token' })
  assert.deepEqual(result, { ok: true, value: { name: 'Riverside Primary', kind: 'school' } })
})

test('errors come one per field, in the form\'s field order, each linking to its field', () => {
  const result = validateForm(accountForm, { role: 'wizard', password: 'short' }, { role: 'role', organisationId: 'organisationId' })
  assert.equal(result.ok, false)
  if (result.ok) return
  assert.deepEqual(
    result.errorList.map((error) => error.href),
    ['#name', '#email', '#role', '#organisationId', '#password'],
  )
  assert.equal(result.errors.name, 'Enter their full name')
  assert.equal(result.errors.role, 'Select their role')
  assert.equal(result.errors.password, 'Password must be 12 characters or more')
  assert.deepEqual(
    result.errorList.map((error) => error.text),
    Object.values(result.errors),
  )
})

test('an empty or missing body asks for every required field rather than failing', () => {
  for (const body of [undefined, null, {}]) {
    const result = validateForm(signInForm, body)
    assert.equal(result.ok, false)
    if (result.ok) continue
    assert.deepEqual(result.errors, { email: 'Enter your email address', password: 'Enter your password' })
  }
})

test('a field sent twice (an array) is refused with the field\'s own message, not a crash', () => {
  const result = validateForm(organisationForm, { name: ['A', 'B'], kind: ['school', 'health'] }, { kind: 'kind' })
  assert.equal(result.ok, false)
  if (result.ok) return
  assert.deepEqual(result.errors, { name: 'Enter the name of the organisation', kind: 'Select what kind of organisation it is' })
})

test('the error summary links to the id given for a field, or to the field\'s name', () => {
  assert.deepEqual(errorsToSummary({ kind: 'Select a kind', name: 'Enter a name' }, { kind: 'kind-1' }), {
    errors: { kind: 'Select a kind', name: 'Enter a name' },
    errorList: [
      { text: 'Select a kind', href: '#kind-1' },
      { text: 'Enter a name', href: '#name' },
    ],
  })
})

test('validation never throws and always gives either a value or at least one linked error', () => {
  const schema = z.object({ a: z.string().min(1, 'Enter a'), b: z.enum(['x', 'y'], { error: 'Choose b' }) })
  fc.assert(
    fc.property(fc.anything(), (body) => {
      const result = validateForm(schema, body)
      if (!result.ok) {
        assert.ok(result.errorList.length >= 1)
        for (const error of result.errorList) assert.match(error.href, /^#\S+$/)
      }
    }),
  )
})

test('typed values are kept exactly as typed, without the form token or anything that is not text', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.integer()), { maxKeys: 8 }), (body) => {
      const values = typedValues(body)
      assert.equal(Object.hasOwn(values, '_csrf'), false)
      for (const [key, value] of Object.entries(body)) {
        if (key === '_csrf' || key === '__proto__') continue
        if (typeof value === 'string') assert.equal(values[key], value)
        else assert.equal(Object.hasOwn(values, key), false)
      }
    }),
    { numRuns: 60 },
  )
  assert.deepEqual(typedValues(undefined), {})
  assert.deepEqual(typedValues('a=b'), {})
})

test('a form version is a whole number a 32-bit column holds, or 0, which matches no record', () => {
  for (const [typed, version] of [['1', 1], ['42', 42], [' 7 ', 7], ['2147483647', 2147483647]] as const) assert.equal(formVersion(typed), version, typed)
  for (const typed of ['0', '-1', '1.5', '1e3', 'x', '', '2147483648', '9007199254740993', 'NaN', ' ', '0x10']) assert.equal(formVersion(typed), 0, typed)
  for (const typed of [undefined, null, 3, ['1'], {}]) assert.equal(formVersion(typed), 0, String(typed))
})

test('characters are counted as the database counts them: one for each emoji or astral character', () => {
  assert.equal(characterCount('abc'), 3)
  assert.equal(characterCount('𐀀𐀀   𐀀'), 6)
  assert.equal(characterCount('👍🏽'), 2, 'a thumb and its skin tone are two code points')
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => characterCount(s) === Array.from(s).length))
})
