/**
 * UK postcodes: normalised to capitals with one space before the inward code ("SS1 1AA").
 *
 * The standard pattern (as in the Royal Mail Programmers' Guide and BS 7666):
 * outward code A9, A99, AA9, AA99, A9A or AA9A; inward code a digit and two letters.
 * - 1st letter: not Q, V or X;
 * - 2nd letter (AA9, AA99, AA9A): not I, J or Z;
 * - 3rd-position letter (A9A): A B C D E F G H J K P S T U W;
 * - 4th-position letter (AA9A): A B E H M N P R V W X Y;
 * - inward letters: not C, I, K, M, O or V.
 * GIR 0AA (Girobank) is the one exception. Spaces anywhere and lower case are accepted as typed.
 */

const FIRST = '[A-PR-UWYZ]'
const SECOND = '[A-HK-Y]'
const THIRD = '[A-HJKPSTUW]'
const FOURTH = '[ABEHMNPRVWXY]'
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}'

const OUTWARD = new RegExp(`^(${FIRST}[0-9]{1,2}|${FIRST}${SECOND}[0-9]{1,2}|${FIRST}[0-9]${THIRD}|${FIRST}${SECOND}[0-9]${FOURTH})$`)
const INWARD_CODE = new RegExp(`^${INWARD}$`)

/** "SS1 1AA" for a valid UK postcode however it was typed ("ss11aa", " SS1  1AA "), else undefined. */
export function normalisePostcode(input: string): string | undefined {
  const compact = input.replace(/\s+/g, '').toUpperCase()
  if (compact.length < 5 || compact.length > 7) return undefined
  const outward = compact.slice(0, -3)
  const inward = compact.slice(-3)
  if (compact === 'GIR0AA') return 'GIR 0AA'
  return OUTWARD.test(outward) && INWARD_CODE.test(inward) ? `${outward} ${inward}` : undefined
}

export function isValidPostcode(input: string): boolean {
  return normalisePostcode(input) !== undefined
}

/** The outward code ("SS1") of a valid postcode, e.g. to match a locality; else undefined. */
export function outwardCode(input: string): string | undefined {
  return normalisePostcode(input)?.split(' ')[0]
}
