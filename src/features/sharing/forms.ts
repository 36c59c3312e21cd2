import { z } from 'zod'
import { DISCLOSURE_BASES } from './record.ts'

const required = (message: string, max: number) =>
  z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(max, `Must be ${max.toLocaleString('en-GB')} characters or fewer`)

/** A disclosure made outside the system, recorded by hand: what, to whom, why, on which basis (the date is read separately). */
export const disclosureForm = z.object({
  what: required('Enter what was shared', 2000),
  recipient: required('Enter who it was shared with', 500),
  reason: required('Enter why it was shared', 2000),
  basis: z.enum(Object.keys(DISCLOSURE_BASES) as [keyof typeof DISCLOSURE_BASES, ...(keyof typeof DISCLOSURE_BASES)[]], { error: 'Select the lawful basis for sharing' }),
})
export type DisclosureForm = z.infer<typeof disclosureForm>

/** The fields in the order they appear on the page, so the error summary reads top to bottom. */
export const DISCLOSURE_FIELDS = ['what', 'recipient', 'reason', 'basis', 'date']
