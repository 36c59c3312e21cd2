import { z } from 'zod'
import { MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH } from '../../platform/auth/passwords.ts'
import { ROLES } from '../../platform/db/schema.ts'

const optionalPhone = z
  .string()
  .trim()
  .max(30, 'Telephone number must be 30 characters or fewer')
  .refine((value) => value === '' || /^\+?[0-9 ()-]{10,20}$/.test(value) && value.replace(/\D/g, '').length >= 10, {
    message: 'Enter a telephone number, like 01632 960 001 or 07700 900 982',
  })
  .optional()
  .transform((value) => (value ? value : null))

export const accountForm = z.object({
  name: z.string({ error: 'Enter their full name' }).trim().min(1, 'Enter their full name').max(200, 'Full name must be 200 characters or fewer'),
  email: z
    .string({ error: 'Enter their work email address' })
    .trim()
    .min(1, 'Enter their work email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' })),
  phone: optionalPhone,
  role: z.enum(ROLES, { error: 'Select their role' }),
  organisationId: z.uuid({ error: 'Select their organisation' }),
  password: z
    .string({ error: 'Enter a first password' })
    .min(1, 'Enter a first password')
    .min(MINIMUM_PASSWORD_LENGTH, `Password must be ${MINIMUM_PASSWORD_LENGTH} characters or more`)
    .max(MAXIMUM_PASSWORD_LENGTH, `Password must be ${MAXIMUM_PASSWORD_LENGTH} characters or fewer`),
})
export type AccountForm = z.infer<typeof accountForm>

export const accountFilter = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(['active', 'inactive', 'all']).optional().catch(undefined),
})
export type AccountFilter = z.infer<typeof accountFilter>
