import { characterCount } from '../../platform/http/forms.ts'
import { z } from 'zod'

/** Why someone opens a family they have no relationship with: the reference and a real reason. */
export const openForm = z.object({
  reference: z
    .string({ error: 'Enter the family’s early help reference' })
    .trim()
    .min(1, 'Enter the family’s early help reference')
    .max(40, 'Enter a reference like SOU-EH-2026-00001')
    .transform((v) => v.toUpperCase()),
  reason: z
    .string({ error: 'Enter why you need to see this family’s record' })
    .trim()
    .min(1, 'Enter why you need to see this family’s record')
    .max(2000, 'Your reason must be 2,000 characters or fewer')
    .refine((v) => characterCount(v) >= 20, 'Your reason must be at least 20 characters, so a reviewer can understand it'),
})
export type OpenForm = z.infer<typeof openForm>

export const FINDINGS = {
  appropriate: 'Appropriate',
  'not-appropriate': 'Not appropriate',
  'follow-up': 'Needs follow-up',
} as const

/** The reviewer's finding; a note is needed unless the access was appropriate. */
export const findingForm = z
  .object({
    finding: z.enum(['appropriate', 'not-appropriate', 'follow-up'], { error: 'Select whether the access was appropriate' }),
    note: z
      .string()
      .trim()
      .max(2000, 'Your note must be 2,000 characters or fewer')
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((v, ctx) => {
    if (v.finding && v.finding !== 'appropriate' && !v.note) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'Enter a note saying what was wrong or what needs to happen next' })
    }
  })
export type FindingForm = z.infer<typeof findingForm>

/** The cursor of the family's audit trail: the id of the last event on the previous page. */
export const beforeParam = z
  .string()
  .regex(/^[1-9]\d{0,17}$/)
  .optional()
  .catch(undefined)
