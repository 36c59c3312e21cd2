import { z } from 'zod'
import { isValidNhsNumber } from '../../domain/nhs-number.ts'

/**
 * What a practitioner tells the front door, section by section. Each section is validated on its
 * own page and saved into the request's `answers`; the people are rows of their own
 * (request_people) so the duty manager can search for them.
 */
const text = (message: string, max = 5000) => z.string({ error: message }).trim().min(1, message).max(max, `Must be ${max} characters or fewer`)
const optionalText = (max = 5000) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .optional()
    .transform((v) => v || undefined)
const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message })

export const CONSENT_RISK_REASONS = {
  'sexual-abuse': 'Suspected sexual abuse',
  'fabricated-illness': 'Fabricated or induced illness',
  'forced-marriage': 'Forced marriage or honour-based abuse',
  'domestic-abuse': 'Domestic abuse',
  other: 'Another reason',
} as const

/** A UK telephone number the front door can call back. */
export const phoneNumber = (missing: string) =>
  text(missing, 30).refine(
    (v) => /^\+?[0-9 ()-]{10,20}$/.test(v) && v.replace(/\D/g, '').length >= 10,
    'Enter a telephone number, like 01632 960 001 or 07700 900 982',
  )

export const SECTIONS = {
  referrer: z.object({
    phone: phoneNumber('Enter a telephone number the front door can reach you on'),
  }),
  address: z
    .object({
      line1: text('Enter the first line of the address', 200),
      line2: optionalText(200),
      town: text('Enter the town or city', 100),
      postcode: text('Enter the postcode', 10),
      communication: optionalText(),
      interpreter: yesNo('Select yes if the family needs an interpreter'),
      language: optionalText(100),
    })
    .refine((v) => v.interpreter === 'no' || !!v.language, { message: 'Enter the language the family needs', path: ['language'] }),
  worries: z.object({
    familyWords: text('Enter what the family are worried about, in their words'),
    referrerWords: text('Enter what you are worried about'),
  }),
  needs: z.object({
    indicators: z.array(z.string().max(100)).max(200).default([]),
    vulnerabilities: z.array(z.string().max(100)).max(100).default([]),
    difficulties: z.array(z.string().max(100)).max(20).default([]),
  }),
  support: z
    .object({
      levelAskedFor: z.enum(['2', '3', '4'], { error: 'Select the level of support you are asking for' }),
      triedAlready: optionalText(),
    })
    // Evidence of what an Early Help Plan tried comes before a step up to level 3 or 4 (003:185).
    .refine((v) => v.levelAskedFor === '2' || !!v.triedAlready, {
      message: 'Enter what has been tried already: it is needed when you ask for intensive support or social care',
      path: ['triedAlready'],
    }),
  strengths: z.object({
    strengths: text('Enter what is going well for the family'),
    childViews: text("Enter the child's views, or why they could not be gained"),
    parentViews: text("Enter the parents' or carers' views"),
  }),
  consent: z
    .object({
      significantHarm: yesNo('Select yes if a child is at risk of significant harm'),
      consentGiven: yesNo('Select yes if the family has given consent'),
      consentRisk: z.enum(['yes', 'no']).optional(),
      consentRiskReason: z.enum(Object.keys(CONSENT_RISK_REASONS) as [keyof typeof CONSENT_RISK_REASONS]).optional(),
      consentRiskDetail: optionalText(1000),
    })
    .superRefine((v, ctx) => {
      if (v.consentGiven === 'yes') return
      if (v.significantHarm === 'no') {
        ctx.addIssue({
          code: 'custom',
          path: ['consentGiven'],
          message: 'You need the family’s consent to ask for early help when no child is at risk of significant harm',
        })
        return
      }
      if (v.consentRisk === 'yes' && !v.consentRiskReason) {
        ctx.addIssue({ code: 'custom', path: ['consentRiskReason'], message: 'Select why seeking consent would put the child at risk' })
      }
      if (v.consentRiskReason === 'other' && !v.consentRiskDetail) {
        ctx.addIssue({ code: 'custom', path: ['consentRiskDetail'], message: 'Enter why seeking consent would put the child at risk' })
      }
    }),
} as const

export type SectionId = keyof typeof SECTIONS
export type Answers = { [K in SectionId]?: z.infer<(typeof SECTIONS)[K]> }

export const SECTION_TITLES: Record<SectionId | 'children' | 'adults', string> = {
  referrer: 'Your contact details',
  children: 'Children',
  adults: 'Parents, carers and other adults',
  address: 'Address and communication',
  worries: 'Worries',
  needs: 'Indicators of need',
  support: 'Support asked for and what has been tried',
  strengths: 'Strengths and views',
  consent: 'Consent',
}

/** The order of the task list. */
export const TASKS = ['referrer', 'children', 'adults', 'address', 'worries', 'needs', 'support', 'strengths', 'consent'] as const
export type TaskId = (typeof TASKS)[number]

export const SEX = { female: 'Female', male: 'Male', other: 'Another sex', unknown: 'Not known' } as const
export const SEND = { none: 'No additional needs known', 'sen-support': 'SEN support', ehcp: 'Education, health and care plan', unknown: 'Not known' } as const
/** The 2021 census ethnic groups for England, as the Government Statistical Service lists them. */
export const ETHNICITIES = [
  'Asian or Asian British: Bangladeshi',
  'Asian or Asian British: Chinese',
  'Asian or Asian British: Indian',
  'Asian or Asian British: Pakistani',
  'Asian or Asian British: any other Asian background',
  'Black, Black British, Caribbean or African: African',
  'Black, Black British, Caribbean or African: Caribbean',
  'Black, Black British, Caribbean or African: any other Black background',
  'Mixed or multiple ethnic groups: White and Asian',
  'Mixed or multiple ethnic groups: White and Black African',
  'Mixed or multiple ethnic groups: White and Black Caribbean',
  'Mixed or multiple ethnic groups: any other mixed background',
  'White: English, Welsh, Scottish, Northern Irish or British',
  'White: Irish',
  'White: Gypsy or Irish Traveller',
  'White: Roma',
  'White: any other White background',
  'Other ethnic group: Arab',
  'Other ethnic group: any other ethnic group',
  'Not known',
  'Prefer not to say',
] as const

export const childForm = z.object({
  givenName: text('Enter the child’s first name', 100),
  familyName: text('Enter the child’s last name', 100),
  born: z.enum(['yes', 'no'], { error: 'Select whether the child has been born' }),
  sex: z.enum(Object.keys(SEX) as [keyof typeof SEX], { error: 'Select the child’s sex' }),
  ethnicity: z.enum(ETHNICITIES, { error: 'Select the child’s ethnic group' }),
  school: optionalText(200),
  nhsNumber: optionalText(20).refine((v) => !v || isValidNhsNumber(v), 'Enter a valid NHS number, like 943 476 5919'),
  upn: optionalText(13).refine((v) => !v || /^[A-Z]\d{11}[0-9A-Z]$/i.test(v), 'Enter a unique pupil number of 13 characters, like A123456789012'),
  send: z.enum(Object.keys(SEND) as [keyof typeof SEND], { error: 'Select the child’s special educational needs' }),
  youngCarer: z.enum(['yes', 'no', 'unknown'], { error: 'Select whether the child is a young carer' }),
})

export const adultForm = z.object({
  givenName: text('Enter the adult’s first name', 100),
  familyName: text('Enter the adult’s last name', 100),
  livesWithFamily: z.enum(['yes', 'no'], { error: 'Select whether they live with the family' }),
})
