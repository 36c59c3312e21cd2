import { z } from 'zod'
import { ORGANISATION_KINDS } from '../../platform/db/schema.ts'

export const ORGANISATION_KIND_LABELS: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  school: 'School or college',
  early_years: 'Early years setting',
  health: 'Health',
  police: 'Police',
  housing: 'Housing',
  voluntary: 'Voluntary or community group',
  council: 'Council team',
  other: 'Other',
}

export const organisationForm = z.object({
  name: z
    .string({ error: 'Enter the name of the organisation' })
    .trim()
    .min(1, 'Enter the name of the organisation')
    .max(200, 'Name must be 200 characters or fewer'),
  kind: z.enum(ORGANISATION_KINDS, { error: 'Select what kind of organisation it is' }),
})
export type OrganisationForm = z.infer<typeof organisationForm>
