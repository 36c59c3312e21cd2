import { z } from 'zod'

const uuid = z.uuid()
/** A checkbox group arrives as nothing, one string or several: always a list of ids here. */
const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(uuid, { error: 'Select from the list' }).max(100))

export const KINDS = ['address', 'contact', 'whereabouts'] as const

/** Recording a protection: whose detail, what kind, the value, who it is hidden from, and why. */
export const protectionForm = z
  .object({
    personId: z.uuid({ error: 'Select whose details are protected' }),
    kind: z.enum(KINDS, { error: 'Select what is protected' }),
    value: z
      .string({ error: 'Enter the details to protect' })
      .trim()
      .min(1, 'Enter the details to protect')
      .max(2000, 'The details must be 2,000 characters or fewer'),
    hiddenFromPeople: ids,
    hiddenFromOrganisations: ids,
    reason: z
      .string({ error: 'Enter why these details are protected' })
      .trim()
      .min(1, 'Enter why these details are protected')
      .max(2000, 'The reason must be 2,000 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (!v.hiddenFromPeople.length && !v.hiddenFromOrganisations.length) {
      ctx.addIssue({ code: 'custom', path: ['hiddenFromPeople'], message: 'Select at least one family member or agency the details must be kept from' })
    }
  })
export type ProtectionForm = z.infer<typeof protectionForm>

/** Lifting a protection: always with a reason, kept with the record. */
export const liftForm = z.object({
  reason: z
    .string({ error: 'Enter why the protection is no longer needed' })
    .trim()
    .min(1, 'Enter why the protection is no longer needed')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})
export type LiftForm = z.infer<typeof liftForm>

/** Where error messages link: the first radio or checkbox of a group. */
export const FIELD_IDS = { personId: 'personId', kind: 'kind', hiddenFromPeople: 'hiddenFromPeople', hiddenFromOrganisations: 'hiddenFromOrganisations' }
