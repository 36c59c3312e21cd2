import type { z } from 'zod'

export interface FormErrors {
  /** Message by field name, for the inline error on each field. */
  errors: Record<string, string>
  /** For the GOV.UK error summary: each message links to its field. */
  errorList: { text: string; href: string }[]
}

export type FormResult<T> = { ok: true; value: T } | ({ ok: false } & FormErrors)

/**
 * Validates a submitted form with a schema and returns GOV.UK-shaped errors: the first message for
 * each field, in the schema's field order, each linking to the field's id (its name, unless `ids`
 * says otherwise, as for the first radio of a group).
 */
export function validateForm<S extends z.ZodType>(schema: S, body: unknown, ids: Record<string, string> = {}): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return { ok: true, value: parsed.data }
  const errors: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form')
    errors[field] ??= issue.message
  }
  return { ok: false, ...errorsToSummary(errors, ids) }
}

export function errorsToSummary(errors: Record<string, string>, ids: Record<string, string> = {}): FormErrors {
  return {
    errors,
    errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#${ids[field] ?? field}` })),
  }
}

/** Form values as strings, for putting back into the fields exactly as the user typed them. */
export function typedValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {}
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key !== '_csrf' && typeof value === 'string') values[key] = value
    }
  }
  return values
}

/** The largest value of a 32-bit integer column, which every `version` is. */
export const MAX_VERSION = 2_147_483_647

/**
 * The record version a form was read at, from its hidden field. Anything that is not a whole
 * number a version column can hold reads as 0, which matches no record: the save is refused as
 * stale, never sent to the database to fail there.
 */
export function formVersion(value: unknown): number {
  const v = typeof value === 'string' && /^\d{1,10}$/.test(value.trim()) ? Number(value) : NaN
  return Number.isInteger(v) && v >= 1 && v <= MAX_VERSION ? v : 0
}

/**
 * How many characters a person typed, as PostgreSQL's char_length counts them (code points): an
 * emoji or a character outside the basic plane is one, where a JavaScript string's length says two.
 */
export function characterCount(value: string): number {
  let count = 0
  for (const _ of value) count++
  return count
}

/** The three parts of a GOV.UK date input named `<prefix>-day`, `-month` and `-year`, as typed. */
export function dateParts(body: unknown, prefix: string): { day: string | undefined; month: string | undefined; year: string | undefined } {
  const b = (body ?? {}) as Record<string, unknown>
  const part = (k: string) => (typeof b[`${prefix}-${k}`] === 'string' ? String(b[`${prefix}-${k}`]) : undefined)
  return { day: part('day'), month: part('month'), year: part('year') }
}
