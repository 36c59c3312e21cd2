import { z } from 'zod'
import { TRIAGE_OUTCOMES } from '../../platform/db/schema.ts'

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((v) => v || undefined)

/** The duty manager's decision. What each outcome needs is checked below, field by field. */
export const decisionForm = z
  .object({
    version: z.coerce.number().int().min(1).max(2_147_483_647),
    outcome: z.enum(TRIAGE_OUTCOMES, { error: 'Select the outcome' }),
    level: z.enum(['1', '2', '3', '4'], { error: 'Select the level of need' }),
    reason: z.string({ error: 'Enter the reasons for the decision' }).trim().min(1, 'Enter the reasons for the decision').max(5000, 'Must be 5000 characters or fewer'),
    differenceReason: optional(2000),
    signposted: optional(2000),
    emergingRoute: z.enum(['taf', 'panel']).optional(),
    leadProfessional: optional(254),
    'panelDate-day': optional(10),
    'panelDate-month': optional(20),
    'panelDate-year': optional(10),
    team: optional(200),
    socialCareTo: optional(200),
    socialCareWhen: optional(100),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof v, message: string) => {
      if (!v[field]) ctx.addIssue({ code: 'custom', path: [field], message })
    }
    if (v.outcome === 'emerging-needs') {
      need('emergingRoute', 'Select a Team Around the Family or the Children and Family Panel')
      if (v.emergingRoute === 'taf') need('leadProfessional', 'Enter the email address of the Lead Professional')
    }
    if (v.outcome === 'intensive-support') {
      need('team', 'Enter the team the family is allocated to')
      need('leadProfessional', 'Enter the email address of the Lead Professional')
    }
    if (v.outcome === 'safeguarding') {
      need('socialCareTo', 'Enter who in children’s social care it was passed to')
      need('socialCareWhen', 'Enter when it was passed to children’s social care')
    }
  })
export type DecisionForm = z.infer<typeof decisionForm>
