import { z } from 'zod'
import { errorsToSummary, validateForm, type FormResult } from '../../platform/http/forms.ts'

const text = (message: string, max: number) =>
  z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(max, `Must be ${max} characters or fewer`)
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((v) => v || undefined)

/**
 * One call to the Consultation Line (004:87-95): a worried practitioner asks the front door for
 * advice, with or without naming a family. Who the family is needs saying only when one was named.
 */
const fields = z.object({
  callerName: text('Enter the caller’s name', 200),
  callerOrganisation: optionalText(200),
  familyNamed: z.enum(['yes', 'no'], { error: 'Select yes if the caller named a family' }),
  familyDescription: optionalText(1000),
  concern: text('Enter the concern the caller raised', 5000),
  advice: text('Enter the advice you gave', 5000),
  requestAdvised: z.enum(['yes', 'no'], { error: 'Select yes if you advised the caller to make a request for support' }),
})

export type ConsultationForm = z.infer<typeof fields>

/** Where the radios' errors link to: the first radio of each group. */
export const CONSULTATION_FIELD_IDS: Record<string, string> = { familyNamed: 'familyNamed', requestAdvised: 'requestAdvised' }

/**
 * Reads the form. The rule that depends on another answer (who the family is, when one was named)
 * is checked alongside the others rather than after them, as a zod refinement would be, so the
 * first submission shows every problem at once, in the order of the page.
 */
export function readConsultation(body: unknown): FormResult<ConsultationForm> {
  const form = validateForm(fields, body)
  const raw = (body ?? {}) as Record<string, unknown>
  const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
  const described = typeof raw.familyDescription === 'string' && raw.familyDescription.trim() !== ''
  if (raw.familyNamed === 'yes' && !described) errors.familyDescription = 'Enter who the family is'
  if (!form.ok || Object.keys(errors).length) {
    const ordered = Object.fromEntries(Object.keys(fields.shape).flatMap((field) => (errors[field] ? [[field, errors[field]]] : [])))
    return { ok: false, ...errorsToSummary(ordered, CONSULTATION_FIELD_IDS) }
  }
  // A description typed before the caller was marked as not naming a family is not kept.
  return { ok: true, value: { ...form.value, familyDescription: form.value.familyNamed === 'yes' ? form.value.familyDescription : undefined } }
}

/** The cursor for the next page: the id of the last consultation shown. Anything else is ignored. */
export const listQuery = z.object({
  before: z.uuid().optional().catch(undefined),
  recorded: z.literal('1').optional().catch(undefined),
})
