import { characterCount } from '../../platform/http/forms.ts'
import { z } from 'zod'
import { OVERRIDE_BASES } from '../sharing/record.ts'

const uuid = (message: string) => z.string({ error: message }).regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message)
const optional = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || undefined)
/** Cross-field checks run even when a field has failed, so every problem is listed at once. */
const ALWAYS = { when: () => true }

/** Named agencies, one a line (or separated by commas), trimmed, without repeats. */
export function agencyList(typed: string | undefined): string[] {
  return [...new Set((typed ?? '').split(/[\n,]/).map((a) => a.trim()).filter(Boolean))]
}

/** Recording consent: for whom, given by whom, for what, with which agencies, how (the date is read separately). */
export const consentForm = z
  .object({
    forPerson: uuid('Select whose consent this is'),
    givenBy: uuid('Select who gave consent'),
    purpose: z.enum(['early-help', 'information-sharing'], { error: 'Select what the consent is for' }),
    agencies: optional(2000, 'The agencies must be 2,000 characters or fewer'),
    how: z.enum(['verbal', 'written', 'digital'], { error: 'Select how consent was given' }),
  })
  .superRefine((v, ctx) => {
    if (v.purpose === 'information-sharing' && agencyList(v.agencies).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['agencies'], message: 'Enter the agencies the family agreed to share information with' })
    }
    if (agencyList(v.agencies).some((a) => a.length > 200)) ctx.addIssue({ code: 'custom', path: ['agencies'], message: 'Each agency’s name must be 200 characters or fewer' })
  }, ALWAYS)
export type ConsentForm = z.infer<typeof consentForm>
export const CONSENT_FIELDS = ['forPerson', 'givenBy', 'purpose', 'agencies', 'how', 'date']

const overrideFields = {
  basis: z.enum(OVERRIDE_BASES).optional().catch(undefined),
  reason: optional(2000, 'Your reason must be 2,000 characters or fewer'),
}

function checkOverride(v: { basis?: string | undefined; reason?: string | undefined }, ctx: z.RefinementCtx) {
  if (!v.basis) ctx.addIssue({ code: 'custom', path: ['basis'], message: 'Select the lawful basis for continuing' })
  if (!v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why you are continuing without consent' })
  else if (characterCount(v.reason) < 20) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Your reason must be at least 20 characters, so others can understand the decision' })
}

/**
 * Withdrawing consent, and what happens next on the same form: for information sharing, stop
 * sharing or continue under a lawful basis; for early help, close or continue under a lawful
 * basis. The basis and reason are needed only to continue (the date is read separately).
 */
export const withdrawForm = z
  .object({
    version: z.coerce.number().int().min(1),
    effect: z.enum(['stop-sharing', 'close', 'override'], { error: 'Select what happens next' }),
    note: optional(2000, 'The note must be 2,000 characters or fewer'),
    ...overrideFields,
  })
  .superRefine((v, ctx) => {
    if (v.effect === 'override') checkOverride(v, ctx)
  }, ALWAYS)
export type WithdrawForm = z.infer<typeof withdrawForm>
export const WITHDRAW_FIELDS = ['date', 'note', 'effect', 'basis', 'reason']

/** A lawful basis recorded after sharing stopped, so that sharing goes on. */
export const overrideForm = z.object(overrideFields).superRefine((v, ctx) => checkOverride(v, ctx), ALWAYS)
export type OverrideForm = z.infer<typeof overrideForm>
export const OVERRIDE_FIELDS = ['basis', 'reason']
