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
