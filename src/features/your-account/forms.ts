import { z } from 'zod'
import { MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH } from '../../platform/auth/passwords.ts'

/** Changing your own password: the current one proves it is you (ASVS 2.1.6). */
export const changePasswordForm = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(1000, 'Enter your current password'),
    newPassword: z
      .string({ error: 'Enter a new password' })
      .min(1, 'Enter a new password')
      .min(MINIMUM_PASSWORD_LENGTH, `New password must be ${MINIMUM_PASSWORD_LENGTH} characters or more`)
      .max(MAXIMUM_PASSWORD_LENGTH, `New password must be ${MAXIMUM_PASSWORD_LENGTH} characters or fewer`),
    confirmPassword: z.string({ error: 'Enter the new password again' }).min(1, 'Enter the new password again'),
  })
  .superRefine((form, ctx) => {
    if (form.confirmPassword && form.newPassword && form.confirmPassword !== form.newPassword) {
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The passwords do not match: enter the same new password twice' })
    }
    if (form.newPassword && form.newPassword === form.currentPassword) {
      ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'Choose a new password that is different from your current one' })
    }
  })
export type ChangePasswordForm = z.infer<typeof changePasswordForm>
