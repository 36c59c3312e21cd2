/**
 * NHS numbers: ten digits, the last a modulus 11 check digit.
 *
 * Accepted as typed: ten digits, or 3-3-4 groups separated by single spaces ("943 476 5919"),
 * with surrounding whitespace ignored. The check: multiply the first nine digits by 10 down to 2,
 * sum, take the remainder on dividing by 11 and subtract it from 11; 11 means a check digit of 0,
 * and 10 means the number cannot be valid.
 */

const TYPED = /^(\d{3}) ?(\d{3}) ?(\d{4})$/

/** The check digit for nine digits, or undefined when the check comes out as 10 (no valid number). */
export function nhsCheckDigit(nineDigits: string): number | undefined {
  if (!/^\d{9}$/.test(nineDigits)) throw new RangeError('nhsCheckDigit needs exactly nine digits')
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i)
  const check = 11 - (sum % 11)
  if (check === 10) return undefined
  return check === 11 ? 0 : check
}

/** The ten digits with no spaces ("9434765919") when valid, else undefined. */
export function normaliseNhsNumber(input: string): string | undefined {
  const match = TYPED.exec(input.trim())
  if (match === null) return undefined
  const digits = `${match[1]}${match[2]}${match[3]}`
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]) ? digits : undefined
}

/** True for a valid NHS number: 10 digits (optionally "943 476 5919") whose check digit is right. */
export function isValidNhsNumber(input: string): boolean {
  return normaliseNhsNumber(input) !== undefined
}

/** "943 476 5919" for a valid NHS number, else undefined. */
export function formatNhsNumber(input: string): string | undefined {
  const digits = normaliseNhsNumber(input)
  return digits === undefined ? undefined : `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`
}
