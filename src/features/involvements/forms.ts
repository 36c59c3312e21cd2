import { z } from 'zod'
import { isEmailAddress } from '../../domain/email-address.ts'

const required = (message: string, max: number) =>
  z
    .string({ error: message })
    .trim()
    .min(1, message)
    .max(max, `Must be ${max} characters or fewer`)
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((v) => v || undefined)
const email = (message: string) => required(message, 254).refine((v) => isEmailAddress(v), 'Enter an email address in the correct format, like name@example.com')
/** Cross-field checks run even when a field has failed, so every problem is listed at once. */
const ALWAYS = { when: () => true }

/** A practitioner starts an Early Help Plan at level 2 without a request: the family's name, one child, and a parent or carer if known. */
export const directStartForm = z
  .object({
    familyName: required('Enter the family’s name', 100),
    childGivenName: required('Enter the child’s first name', 100),
    childFamilyName: required('Enter the child’s last name', 100),
    adultGivenName: optional(100),
    adultFamilyName: optional(100),
    adultRelationship: optional(100),
    consent: z.literal('yes', { error: 'Confirm the family agree to an Early Help Plan' }),
  })
  .superRefine((v, ctx) => {
    const anyAdult = v.adultGivenName || v.adultFamilyName || v.adultRelationship
    if (anyAdult && !v.adultGivenName) ctx.addIssue({ code: 'custom', path: ['adultGivenName'], message: 'Enter the parent or carer’s first name' })
    if (anyAdult && !v.adultFamilyName) ctx.addIssue({ code: 'custom', path: ['adultFamilyName'], message: 'Enter the parent or carer’s last name' })
    if (anyAdult && !v.adultRelationship) ctx.addIssue({ code: 'custom', path: ['adultRelationship'], message: 'Enter their relationship to the child, like mother or grandfather' })
  }, ALWAYS)
export type DirectStartForm = z.infer<typeof directStartForm>

/** A practitioner joins the team by their account's email (and gains access), or by name (and does not). */
export const teamMemberForm = z
  .object({
    email: optional(254).refine((v) => !v || isEmailAddress(v), 'Enter an email address in the correct format, like name@example.com'),
    name: optional(200),
    organisation: optional(200),
    contact: optional(200),
    role: required('Enter their role, like health visitor or school nurse', 100),
  })
  .superRefine((v, ctx) => {
    if (!v.email && !v.name) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter the email address of a practitioner with an account, or their name' })
  }, ALWAYS)
export type TeamMemberForm = z.infer<typeof teamMemberForm>

export const removeMemberForm = z.object({ reason: required('Enter why they are leaving the team', 1000) })

export const handoverForm = z.object({
  version: z.coerce.number().int().min(1),
  email: email('Enter the email address of the new Lead Professional'),
  reason: required('Enter why the Lead Professional is changing', 2000),
})
export type HandoverForm = z.infer<typeof handoverForm>

export const familyMemberForm = z.object({
  kind: z.enum(['child', 'adult'], { error: 'Select whether they are a child or an adult' }),
  givenName: required('Enter their first name', 100),
  familyName: required('Enter their last name', 100),
  relationship: required('Enter their place in the family, like son, mother or grandfather', 100),
  ethnicity: optional(100),
})
export type FamilyMemberForm = z.infer<typeof familyMemberForm>
