import { z } from 'zod'

/** Placing a legal hold: the record's reference (a family's early help or a request) and why. */
export const placeHoldForm = z.object({
  reference: z
    .string({ error: 'Enter the reference of the family’s early help or the request for support' })
    .trim()
    .min(1, 'Enter the reference of the family’s early help or the request for support')
    .max(40, 'Enter a reference like ESS-EH-2026-00001 or ESS-2026-00042')
    .transform((v) => v.toUpperCase()),
  reason: z
    .string({ error: 'Enter why the record must be kept' })
    .trim()
    .min(1, 'Enter why the record must be kept')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})
export type PlaceHoldForm = z.infer<typeof placeHoldForm>

/** Lifting a legal hold: why it is no longer needed. */
export const liftHoldForm = z.object({
  liftReason: z
    .string({ error: 'Enter why the hold is no longer needed' })
    .trim()
    .min(1, 'Enter why the hold is no longer needed')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})
export type LiftHoldForm = z.infer<typeof liftHoldForm>
