import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from './nhs-number.ts'

test('943 476 5919 is valid, with or without spaces', () => {
  assert.equal(isValidNhsNumber('943 476 5919'), true)
  assert.equal(isValidNhsNumber('9434765919'), true)
  assert.equal(isValidNhsNumber('  943 476 5919 '), true)
  assert.equal(formatNhsNumber('9434765919'), '943 476 5919')
  assert.equal(normaliseNhsNumber('943 476 5919'), '9434765919')
})

test('the check digit', () => {
  assert.equal(nhsCheckDigit('943476591'), 9)
  assert.equal(nhsCheckDigit('401023213'), 7, '401 023 2137')
  assert.equal(isValidNhsNumber('401 023 2137'), true)
  assert.equal(nhsCheckDigit('000000000'), 0, 'a remainder of 0 gives 11, which is a check digit of 0')
  assert.equal(nhsCheckDigit('000000006'), undefined, '6 x 2 = 12, remainder 1, 11 - 1 = 10: no valid number')
  assert.equal(isValidNhsNumber('0000000060'), false)
  assert.throws(() => nhsCheckDigit('12345678'), RangeError)
})

test('invalid shapes and wrong check digits', () => {
  for (const bad of ['', '943 476 5918', '943476591', '94347659190', '943-476-5919', '94 3476 5919', '943  476 5919', 'abc def ghij', '943 476 591O', '９４３４７６５９１９']) {
    assert.equal(isValidNhsNumber(bad), false, JSON.stringify(bad))
    assert.equal(formatNhsNumber(bad), undefined)
  }
})

const nine = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((d) => d.join(''))

test('property: any nine digits plus the computed check digit is valid, unless the check is 10', () => {
  fc.assert(
    fc.property(nine, (digits) => {
      const check = nhsCheckDigit(digits)
      if (check === undefined) {
        for (let d = 0; d <= 9; d++) assert.equal(isValidNhsNumber(`${digits}${d}`), false, 'no check digit makes it valid')
      } else {
        assert.equal(isValidNhsNumber(`${digits}${check}`), true)
        const spaced = `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}${check}`
        assert.equal(formatNhsNumber(`${digits}${check}`), spaced)
        assert.equal(isValidNhsNumber(spaced), true)
      }
    }),
  )
})

test('property: changing one digit of a valid number makes it invalid', () => {
  const valid = nine.filter((d) => nhsCheckDigit(d) !== undefined).map((d) => `${d}${nhsCheckDigit(d)}`)
  fc.assert(
    fc.property(valid, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (number, position, delta) => {
      const changed = number.slice(0, position) + String((Number(number[position]) + delta) % 10) + number.slice(position + 1)
      assert.notEqual(changed, number)
      assert.equal(isValidNhsNumber(changed), false, `${number} -> ${changed}`)
    }),
  )
})
