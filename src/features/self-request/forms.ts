import { z } from 'zod'
import { parseDateParts, type DateField } from '../../domain/dates.ts'
import { normalisePostcode } from '../../domain/postcode.ts'
import { errorsToSummary, type FormResult } from '../../platform/http/forms.ts'

/** A family may tell the front door about this many children on the form; more can be given when the front door calls. */
export const MAX_CHILDREN = 6
/** The oldest a "child" on the form may be: early help reaches young people with special needs up to 25. */
export const MAX_AGE_YEARS = 25

export interface SelfRequestChild {
  givenName: string
  familyName: string
  /** "YYYY-MM-DD" */
  dateOfBirth: string
}

/** What a family tells the front door, checked and tidied: the postcode normalised ("SS1 1AA"). */
export interface SelfRequestInput {
  contactName: string
  phone: string | null
  email: string | null
  children: SelfRequestChild[]
  postcode: string
  worries: string
  goingWell: string | null
}

const MESSAGES = {
  contactName: 'Enter your name',
  contact: 'Enter a telephone number or an email address, so the front door can contact you',
  phone: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
  email: 'Enter an email address in the correct format, like name@example.com',
  postcode: 'Enter your postcode',
  realPostcode: 'Enter a real postcode, like SS1 1AA',
  worries: 'Enter what you need help with',
  agree: 'Select to confirm you agree to the front door using this information',
} as const

const emailSchema = z.email()

/**
 * A UK telephone number as people write it: spaces, brackets, dashes and dots are ignored, and
 * +44 or 0044 stands for the leading 0 ("+44 (0)7700 900982" included). What remains must be a UK
 * number's length: 11 digits, or 10 for some geographic (01) and freephone (08) numbers.
 */
export function isUkPhoneNumber(typed: string): boolean {
  const compact = typed.replace(/\(0\)/g, '').replace(/[\s().-]/g, '')
  const national = compact.replace(/^(\+44|0044)/, '0')
  return /^0[1-9]\d{9}$/.test(national) || /^0[18]\d{8}$/.test(national)
}

/** A form value as text: anything else (a repeated field arrives as a list) counts as not given. */
function field(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  return typeof value === 'string' ? value.trim() : ''
}

/** Today's date in the UK, "YYYY-MM-DD", whatever the server's time zone. */
export function ukDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

function yearsBefore(date: string, years: number): string {
  const [y = '0', m = '01', d = '01'] = date.split('-')
  // 29 February less 25 years is 1 March in a common year: Date rolls it over.
  const then = new Date(Date.UTC(Number(y) - years, Number(m) - 1, Number(d)))
  return then.toISOString().slice(0, 10)
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth']

/** How messages name child `n`: "the child" when there is one, "the second child" when there are several. */
function childCalled(n: number, several: boolean): string {
  return several ? `the ${ORDINALS[n - 1] ?? `number ${n}`} child` : 'the child'
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** Field names for child `n` (1-based), as the page names its inputs. */
export const childField = (n: number, part: 'givenName' | 'familyName' | 'dob') => `child${n}-${part}`

/** Whether the family typed anything at all for child `n`. */
export function childTouched(body: Record<string, unknown>, n: number): boolean {
  return ['givenName', 'familyName', 'dob-day', 'dob-month', 'dob-year'].some((part) => field(body, `child${n}-${part}`) !== '')
}

/** Whether anything was typed for a child after the first: the children are then "first", "second"... */
export function hasSeveralChildren(body: Record<string, unknown>): boolean {
  for (let n = 2; n <= MAX_CHILDREN; n++) if (childTouched(body, n)) return true
  return false
}

export type SelfRequestForm = FormResult<SelfRequestInput> & {
  /** For a date of birth with errors, which of its three inputs to mark. */
  dateFields?: Record<string, DateField[]>
}

/**
 * Reads the family's form. Every problem is found at once, in the order of the page, each linked
 * to its field. The first child is required; the others only when something was typed for them.
 */
export function readSelfRequest(body: unknown, now: Date): SelfRequestForm {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const errors: Record<string, string> = {}
  const ids: Record<string, string> = {}
  const dateFields: Record<string, DateField[]> = {}
  const tooLong = (name: string, value: string, max: number) => {
    if (value.length > max) errors[name] = `Must be ${max} characters or fewer`
  }

  const contactName = field(form, 'contactName')
  if (!contactName) errors.contactName = MESSAGES.contactName
  tooLong('contactName', contactName, 200)

  const phone = field(form, 'phone')
  const email = field(form, 'email')
  if (!phone && !email) errors.phone = MESSAGES.contact
  if (phone && (phone.length > 30 || !isUkPhoneNumber(phone))) errors.phone = MESSAGES.phone
  if (email && (email.length > 254 || !emailSchema.safeParse(email).success)) errors.email = MESSAGES.email

  const today = ukDate(now)
  const oldest = yearsBefore(today, MAX_AGE_YEARS)
  const children: SelfRequestChild[] = []
  const several = hasSeveralChildren(form)
  for (let n = 1; n <= MAX_CHILDREN; n++) {
    if (n > 1 && !childTouched(form, n)) continue
    const who = childCalled(n, several)
    const givenName = field(form, childField(n, 'givenName'))
    const familyName = field(form, childField(n, 'familyName'))
    if (!givenName) errors[childField(n, 'givenName')] = `Enter ${who}’s first name`
    tooLong(childField(n, 'givenName'), givenName, 100)
    if (!familyName) errors[childField(n, 'familyName')] = `Enter ${who}’s last name`
    tooLong(childField(n, 'familyName'), familyName, 100)
    const dob = childField(n, 'dob')
    const label = capitalised(`${who}’s date of birth`)
    const parsed = parseDateParts(
      { day: field(form, `${dob}-day`), month: field(form, `${dob}-month`), year: field(form, `${dob}-year`) },
      { label, today },
    )
    if (!parsed.ok) {
      errors[dob] = parsed.message
      dateFields[dob] = parsed.fields
      ids[dob] = `${dob}-${parsed.fields[0] ?? 'day'}`
    } else if (parsed.date < oldest) {
      errors[dob] = `${label} must be after ${longDate(oldest)}`
      dateFields[dob] = ['day', 'month', 'year']
      ids[dob] = `${dob}-day`
    }
    children.push({ givenName, familyName, dateOfBirth: parsed.ok ? parsed.date : '' })
  }

  const typedPostcode = field(form, 'postcode')
  const postcode = typedPostcode.length <= 10 ? normalisePostcode(typedPostcode) : undefined
  if (!typedPostcode) errors.postcode = MESSAGES.postcode
  else if (!postcode) errors.postcode = MESSAGES.realPostcode

  const worries = field(form, 'worries')
  if (!worries) errors.worries = MESSAGES.worries
  tooLong('worries', worries, 5000)
  const goingWell = field(form, 'goingWell')
  tooLong('goingWell', goingWell, 5000)

  if (form.agree !== 'yes') errors.agree = MESSAGES.agree

  if (Object.keys(errors).length || !postcode) return { ok: false, ...errorsToSummary(errors, ids), dateFields }
  return {
    ok: true,
    value: { contactName, phone: phone || null, email: email || null, children, postcode, worries, goingWell: goingWell || null },
  }
}
