import { z } from 'zod'
import type { Framework } from '../../../frameworks/schema.ts'
import { normalisePostcode } from '../../../domain/postcode.ts'
import type { ReferralRoute } from '../../../platform/db/schema.ts'
import { errorsToSummary, type FormResult } from '../../../platform/http/forms.ts'
import { isUuid } from '../../../platform/http/ids.ts'
import { DIRECTORY_CATEGORIES } from '../find/categories.ts'

export const STATUSES = [
  { value: 'active', text: 'Open', hint: 'Shown to families and practitioners' },
  { value: 'temporarily closed', text: 'Temporarily closed', hint: 'Not shown in the search until it opens again' },
  { value: 'inactive', text: 'Not running', hint: 'Not shown in the search' },
  { value: 'defunct', text: 'Closed for good', hint: 'Not shown in the search' },
] as const

export const REFERRAL_ROUTES: { value: ReferralRoute; text: string }[] = [
  { value: 'self', text: 'Families can contact the service themselves' },
  { value: 'professional', text: 'A professional can refer a family' },
  { value: 'request-for-support', text: 'Through a request for support to the early help front door' },
]

/** The oldest age a service may give: some are for whole families, adults too. */
export const MAX_SERVICE_AGE = 120

/** What the editor's form holds, checked. */
export interface ServiceForm {
  name: string
  organizationId: string | 'new'
  newOrganisationName: string | undefined
  description: string
  status: (typeof STATUSES)[number]['value']
  minimumAge: number | undefined
  maximumAge: number | undefined
  levels: number[]
  localities: string[]
  categories: string[]
  referralRoutes: ReferralRoute[]
  howToRefer: string | undefined
  capacity: string | undefined
  location: { name: string | undefined; address: string; town: string; postcode: string } | undefined
  phone: string | undefined
  email: string | undefined
  website: string | undefined
}

const trimmed = (max: number, message = `Must be ${max} characters or fewer`) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || undefined)
const list = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
const ageField = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, c) => {
      if (!v) return undefined
      if (!/^\d{1,3}$/.test(v) || Number(v) > MAX_SERVICE_AGE) {
        c.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return Number(v)
    })

/** The form, field by field, in the order of the page. */
function fieldsFor(framework: Framework, organizationIds: readonly string[]) {
  return z.object({
    name: z.string({ error: 'Enter the name of the service' }).trim().min(1, 'Enter the name of the service').max(200, 'The name must be 200 characters or fewer'),
    organizationId: z
      .string({ error: 'Select the organisation that runs the service' })
      .refine((v) => v === 'new' || (isUuid(v) && organizationIds.includes(v)), 'Select the organisation that runs the service'),
    newOrganisationName: trimmed(200, 'The organisation’s name must be 200 characters or fewer'),
    description: z.string({ error: 'Enter what the service does' }).trim().min(1, 'Enter what the service does').max(5000, 'The description must be 5,000 characters or fewer'),
    status: z.enum(STATUSES.map((s) => s.value) as [ServiceForm['status'], ...ServiceForm['status'][]], { error: 'Select whether the service is open' }),
    minimumAge: ageField(`Enter the youngest age as a number from 0 to ${MAX_SERVICE_AGE}`),
    maximumAge: ageField(`Enter the oldest age as a number from 0 to ${MAX_SERVICE_AGE}`),
    levels: list.refine((v) => v.every((l) => framework.levels.some((f) => String(f.level) === l)), 'Select levels of need from the list'),
    localities: list.refine((v) => v.every((l) => framework.localities.some((f) => f.id === l)), 'Select areas from the list'),
    categories: list.refine((v) => v.every((c) => DIRECTORY_CATEGORIES.some((d) => d.id === c)), 'Select types of support from the list'),
    referralRoutes: list.refine((v) => v.every((r) => REFERRAL_ROUTES.some((d) => d.value === r)), 'Select how families get help from the list'),
    howToRefer: trimmed(2000),
    capacity: trimmed(500),
    locationName: trimmed(200),
    address: trimmed(200),
    town: trimmed(100),
    postcode: trimmed(20),
    phone: trimmed(40).refine((v) => !v || /^\+?[0-9 ()-]{6,30}$/.test(v), 'Enter a telephone number, like 01632 960 001'),
    email: trimmed(200).refine((v) => !v || z.email().safeParse(v).success, 'Enter an email address in the correct format, like name@example.org'),
    website: trimmed(500).refine((v) => !v || /^https?:\/\/[^\s/$.?#][^\s.]*\.\S+$/i.test(v), 'Enter the website address in full, starting https://'),
  })
}

/** Where each error links to: the first box of a group of checkboxes or radios is named after it. */
const IDS: Record<string, string> = { levels: 'levels', localities: 'localities', categories: 'categories', referralRoutes: 'referralRoutes', status: 'status' }

/**
 * Reads the form. Rules across fields (a new organisation's name; the ages in order; an address
 * given whole) are checked alongside the others, so every problem shows at once, in page order.
 */
export function readServiceForm(body: unknown, framework: Framework, organizationIds: readonly string[]): FormResult<ServiceForm> {
  const fields = fieldsFor(framework, organizationIds)
  const parsed = fields.safeParse(body ?? {})
  const errors: Record<string, string> = {}
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message
  const raw = (body ?? {}) as Record<string, unknown>
  const given = (name: string) => typeof raw[name] === 'string' && (raw[name] as string).trim() !== ''
  if (raw.organizationId === 'new' && !given('newOrganisationName')) errors.newOrganisationName ??= 'Enter the name of the new organisation'
  const value = parsed.success ? parsed.data : undefined
  const ageOf = (name: string) => (typeof raw[name] === 'string' && /^\d{1,3}$/.test((raw[name] as string).trim()) ? Number((raw[name] as string).trim()) : undefined)
  const [youngest, oldest] = [ageOf('minimumAge'), ageOf('maximumAge')]
  if (youngest !== undefined && oldest !== undefined && youngest > oldest) {
    errors.maximumAge ??= 'The oldest age must be the same as or more than the youngest age'
  }
  const addressGiven = ['locationName', 'address', 'town', 'postcode'].some(given)
  if (addressGiven) {
    if (!given('address')) errors.address ??= 'Enter the first line of the address'
    if (!given('town')) errors.town ??= 'Enter the town or city'
    if (!given('postcode')) errors.postcode ??= 'Enter the postcode'
    else if (!normalisePostcode(String(raw.postcode))) errors.postcode ??= 'Enter a real postcode, like CM2 0JQ'
  }
  if (!value || Object.keys(errors).length) {
    const ordered = Object.fromEntries(Object.keys(fields.shape).flatMap((field) => (errors[field] ? [[field, errors[field]]] : [])))
    return { ok: false, ...errorsToSummary(ordered, IDS) }
  }
  return {
    ok: true,
    value: {
      name: value.name,
      organizationId: value.organizationId,
      newOrganisationName: value.organizationId === 'new' ? value.newOrganisationName : undefined,
      description: value.description,
      status: value.status,
      minimumAge: value.minimumAge,
      maximumAge: value.maximumAge,
      levels: [...new Set(value.levels.map(Number))].sort((a, b) => a - b),
      localities: framework.localities.map((l) => l.id).filter((id) => value.localities.includes(id)),
      categories: DIRECTORY_CATEGORIES.map((c) => c.id as string).filter((id) => value.categories.includes(id)),
      referralRoutes: REFERRAL_ROUTES.map((r) => r.value).filter((r) => value.referralRoutes.includes(r)),
      howToRefer: value.howToRefer,
      capacity: value.capacity,
      location:
        value.address && value.town && value.postcode
          ? { name: value.locationName, address: value.address, town: value.town, postcode: normalisePostcode(value.postcode) ?? value.postcode }
          : undefined,
      phone: value.phone,
      email: value.email,
      website: value.website,
    },
  }
}

/** The version the editor's form was opened at; anything else is no version at all. */
export function readVersion(body: unknown): number | undefined {
  const raw = (body ?? {}) as Record<string, unknown>
  return typeof raw.version === 'string' && /^\d{1,9}$/.test(raw.version) ? Number(raw.version) : undefined
}

/** The list's search: a name, whether only those needing review, and the page. */
export function readListQuery(query: unknown): { q: string; review: boolean } {
  const raw = (query ?? {}) as Record<string, unknown>
  const q = typeof raw.q === 'string' ? raw.q.trim().slice(0, 200) : ''
  return { q, review: raw.review === '1' }
}
