import type { ProtectedDetailKind } from '../../platform/db/schema.ts'

/**
 * Redaction of protected details, without I/O: the one place that decides whether a protected
 * value is hidden from an audience and where it occurs in a piece of text. Pages and PDFs replace
 * it (`redact`); the subject access export marks it for a person to decide on (`segments`).
 */

/** What redaction needs of a protection (a row of `protected_details`, or a test's own). */
export interface Protection {
  kind: ProtectedDetailKind
  value: string
  hiddenFromPeople: readonly string[]
  hiddenFromOrganisations: readonly string[]
  /** A lifted protection redacts nothing. */
  endedAt?: Date | string | null
}

/**
 * Who a text is for: a family member (an involvement person), an agency (an organisation of the
 * authority), both (a practitioner of that agency reading a copy for that family member), or
 * neither (the team's own use: nothing is hidden).
 */
export interface Audience {
  personId?: string | undefined
  organisationId?: string | undefined
}

export const KIND_TEXT: Record<ProtectedDetailKind, string> = { address: 'address', contact: 'contact details', whereabouts: 'whereabouts' }

/** "[withheld: protected address]": what stands in a page or PDF where a protected value was. */
export const withheldText = (kind: ProtectedDetailKind) => `[withheld: protected ${KIND_TEXT[kind]}]`

/** Whether the protection keeps its value from this audience. */
export function hiddenFrom(protection: Protection, audience: Audience): boolean {
  if (protection.endedAt) return false
  return (
    (!!audience.personId && protection.hiddenFromPeople.includes(audience.personId)) ||
    (!!audience.organisationId && protection.hiddenFromOrganisations.includes(audience.organisationId))
  )
}

/** A term to find in text: a protected value, or (for the subject access export) another person's name. */
export interface Term<R extends string = string> {
  value: string
  reason: R
  kind?: ProtectedDetailKind
}

export interface Segment<R extends string = string> {
  text: string
  /** Set on a passage that matched a term. */
  term?: Term<R>
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The pattern for a value: case-insensitive, any run of white space (or none) where the value has
 * white space, and not starting or ending inside a word ("Leo" does not match "Leopard").
 */
function patternOf(value: string): string | null {
  const words = value.trim().split(/\s+/u).filter(Boolean)
  if (!words.length) return null
  return `(?<![\\p{L}\\p{N}])${words.map(escape).join('\\s*')}(?![\\p{L}\\p{N}])`
}

/**
 * Splits text into passages that match none of the terms and passages that match one. Longer
 * terms win where terms overlap (a full address before its postcode). Pure and total: any string
 * in, the same characters out in order.
 */
export function segments<R extends string>(text: string, terms: readonly Term<R>[]): Segment<R>[] {
  const usable = terms
    .map((term) => ({ term, pattern: patternOf(term.value) }))
    .filter((t): t is { term: Term<R>; pattern: string } => t.pattern !== null)
    .sort((a, b) => b.term.value.trim().length - a.term.value.trim().length)
  if (!text || !usable.length) return text ? [{ text }] : []
  const regex = new RegExp(usable.map((t) => `(${t.pattern})`).join('|'), 'giu')
  const out: Segment<R>[] = []
  let last = 0
  for (const match of text.matchAll(regex)) {
    const index = match.index ?? 0
    if (!match[0]) continue
    const which = match.slice(1).findIndex((group) => group !== undefined)
    if (index > last) out.push({ text: text.slice(last, index) })
    out.push({ text: match[0], term: usable[which]!.term })
    last = index + match[0].length
  }
  if (last < text.length) out.push({ text: text.slice(last) })
  return out
}

/** The protected values hidden from an audience, as terms. */
export function hiddenTerms(protections: readonly Protection[], audience: Audience): Term<'protected'>[] {
  return protections.filter((p) => hiddenFrom(p, audience)).map((p) => ({ value: p.value, reason: 'protected', kind: p.kind }))
}

/**
 * The text as the audience may read it: each protected value hidden from them (matched whatever
 * its case or spacing) replaced by "[withheld: protected address]" (or contact details, or
 * whereabouts). Text for the team's own use (an empty audience) comes back unchanged.
 */
export function redact(text: string, protections: readonly Protection[], audience: Audience): string {
  const terms = hiddenTerms(protections, audience)
  if (!terms.length || !text) return text
  return segments(text, terms)
    .map((s) => (s.term ? withheldText(s.term.kind ?? 'address') : s.text))
    .join('')
}

/** Every string in a JSON-like value redacted for each audience in turn (a plan's content, say). */
export function redactDeep<T>(value: T, protections: readonly Protection[], audiences: readonly Audience[]): T {
  const active = audiences.filter((a) => hiddenTerms(protections, a).length)
  if (!active.length) return value
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return active.reduce((text, audience) => redact(text, protections, audience), v)
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  return walk(value) as T
}
