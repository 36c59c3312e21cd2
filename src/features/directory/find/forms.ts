import type { Framework } from '../../../frameworks/schema.ts'
import { normalisePostcode, outwardCode } from '../../../domain/postcode.ts'
import { errorsToSummary, type FormErrors } from '../../../platform/http/forms.ts'
import { pageNumber } from '../../../platform/http/pagination.ts'

/** What a family searched for, checked: every filter narrows the results (AND). */
export interface SearchFilters {
  q: string | undefined
  categories: string[]
  age: number | undefined
  level: number | undefined
  locality: string | undefined
  /** The postcode district (outward code, "CM2") the family gave, from a full postcode or just the district. */
  district: string | undefined
}

export const MAX_AGE = 25

/** The search as typed, to put back into the form and keep in the pagination links. */
export interface SearchValues {
  q: string
  categories: string[]
  age: string
  level: string
  locality: string
  postcode: string
}

const first = (value: unknown): string => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '')
const all = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])

/** "CM2", "cm2 0", "CM2 0JQ": the district of a full postcode or of a district typed alone. */
export function districtOf(input: string): string | undefined {
  const compact = input.replace(/\s+/g, '').toUpperCase()
  if (!compact) return undefined
  // A district alone is checked as the outward code of a made-up full postcode.
  return normalisePostcode(compact) ? outwardCode(compact) : compact.length <= 4 ? outwardCode(`${compact}1AA`) : undefined
}

/**
 * Reads the search from the address. Anything wrong is said in GOV.UK words, each linking to its
 * field; the page is still shown (never a server error) with what was typed kept.
 */
export function readSearch(
  query: unknown,
  framework: Framework,
  knownCategories: readonly string[],
): { values: SearchValues; page: number } & ({ ok: true; filters: SearchFilters } | ({ ok: false } & FormErrors)) {
  const raw = (query ?? {}) as Record<string, unknown>
  const values: SearchValues = {
    q: first(raw.q).slice(0, 500),
    categories: all(raw.category).slice(0, 50),
    age: first(raw.age).slice(0, 20),
    level: first(raw.level).slice(0, 20),
    locality: first(raw.locality).slice(0, 60),
    postcode: first(raw.postcode).slice(0, 20),
  }
  const page = pageNumber(first(raw.page))
  const errors: Record<string, string> = {}

  const q = values.q.trim()
  if (q.length > 200) errors.q = 'Search words must be 200 characters or fewer'

  const categories = [...new Set(values.categories)]
  if (categories.some((c) => !knownCategories.includes(c))) errors.category = 'Select a type of support from the list'

  let age: number | undefined
  const ageText = values.age.trim()
  if (ageText) {
    if (!/^\d{1,3}$/.test(ageText)) errors.age = 'Enter the child’s age as a number, like 7'
    else if (Number(ageText) > MAX_AGE) errors.age = `Enter an age from 0 to ${MAX_AGE}`
    else age = Number(ageText)
  }

  let level: number | undefined
  if (values.level) {
    const found = framework.levels.find((l) => String(l.level) === values.level)
    if (!found) errors.level = 'Select a level of need from the list'
    else level = found.level
  }

  let locality: string | undefined
  if (values.locality) {
    if (!framework.localities.some((l) => l.id === values.locality)) errors.locality = 'Select an area from the list'
    else locality = values.locality
  }

  let district: string | undefined
  if (values.postcode.trim()) {
    district = districtOf(values.postcode)
    if (!district) errors.postcode = 'Enter a real postcode, like CM2 0JQ, or the first part of one, like CM2'
  }

  if (Object.keys(errors).length) {
    return { values, page, ok: false, ...errorsToSummary(errors) }
  }
  return { values, page, ok: true, filters: { q: q || undefined, categories, age, level, locality, district } }
}

/** The search as query parameters, for the pagination links and "clear" links. */
export function searchParams(values: SearchValues): [string, string][] {
  const params: [string, string][] = []
  if (values.q.trim()) params.push(['q', values.q.trim()])
  for (const c of values.categories) params.push(['category', c])
  if (values.age.trim()) params.push(['age', values.age.trim()])
  if (values.level) params.push(['level', values.level])
  if (values.locality) params.push(['locality', values.locality])
  if (values.postcode.trim()) params.push(['postcode', values.postcode.trim()])
  return params
}
