import { z } from 'zod'
import { pageNumber } from '../../platform/http/pagination.ts'

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((v) => v || undefined)

/** The directory search on a signposting page: a keyword and a page. Anything else is ignored. */
export function searchQuery(query: unknown) {
  const q = (query ?? {}) as Record<string, unknown>
  const keyword = typeof q.q === 'string' ? q.q.trim().slice(0, 200) : ''
  return { q: keyword, page: pageNumber(q.page), done: typeof q.done === 'string' ? q.done : undefined }
}

/** Signposting the family to one service of the directory, with a note for the record. */
export const addForm = z.object({
  serviceId: z.uuid({ error: 'Select a service' }),
  note: optional(1000),
  q: z.string().max(200).optional().catch(undefined),
  page: z.string().max(6).optional().catch(undefined),
})
export type AddForm = z.infer<typeof addForm>

/** Monthly keep-in-touch calls for an agreed period (001:385-400): the first call's date is checked by parseDateParts. */
export const callsForm = z.object({
  months: z
    .string({ error: 'Enter the number of months, from 1 to 12' })
    .trim()
    .min(1, 'Enter the number of months, from 1 to 12')
    .regex(/^\d{1,2}$/, 'The number of months must be a number, like 3')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 12, 'The number of months must be from 1 to 12'),
})

export const NEED_MET = ['yes', 'partly', 'no', 'not-reached'] as const
export type NeedMet = (typeof NEED_MET)[number]
export const NEED_MET_TEXT: Record<NeedMet, string> = {
  yes: 'Yes',
  partly: 'Partly',
  no: 'No',
  'not-reached': 'Could not reach the family',
}

/** What a keep-in-touch call found. */
export const recordForm = z.object({
  version: z.coerce.number().int().min(1).max(2_147_483_647),
  needMet: z.enum(NEED_MET, { error: 'Select whether the service met the family’s need' }),
  note: optional(2000),
})
export type RecordForm = z.infer<typeof recordForm>
