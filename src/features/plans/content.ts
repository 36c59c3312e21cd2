import { z } from 'zod'
import { SUPPORTING_FAMILIES_HEADLINES } from '../../domain/supporting-families.ts'
import { frameworkById } from '../../frameworks/index.ts'

/**
 * What a version of an Early Help Plan holds, field by field from the Family Early Help Plan
 * template (seeds 003:404-482): the meeting, the named child, the family members and
 * practitioners at the Team Around the Family, additional information, what we are worried
 * about, what is going well, what needs to change (each need linked to the authority's outcome
 * framework and the Supporting Families headlines), how we will know the plan has worked, the
 * next step, the family plan of actions and the Lead Professional's contact details.
 *
 * Stored as the `content` jsonb of `plan_versions`. The scaling scores, the review date, consent
 * and the signatures are columns of `plan_versions`, not content.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/
const text = (max: number) => z.string().max(max).default('')

/** The longest "What are we worried about?" a plan holds. */
export const WORRIES_MAX = 10000
const yesNo = z.enum(['yes', 'no']).nullable().default(null)
const isoDate = z.string().regex(DATE).nullable().default(null)

export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]
export const ACTION_STATUS_TEXT: Record<ActionStatus, string> = { open: 'To do', done: 'Done', dropped: 'No longer needed' }

export const NEXT_STEPS = ['create-plan', 'universal', 'additional-support', 'end-other'] as const
export type NextStep = (typeof NEXT_STEPS)[number]

export const PLAN_KINDS = ['initial', 'review', 'final'] as const
export type PlanKind = (typeof PLAN_KINDS)[number]
export const PLAN_KIND_TEXT: Record<PlanKind, string> = { initial: 'Initial', review: 'Review', final: 'Final' }

/** The template's next steps in its words; the front door's name comes from the authority's data. */
export function nextStepText(tenantId: string): Record<NextStep, string> {
  const frontDoor = frameworkById(tenantId)?.frontDoor.name ?? 'the front door'
  return {
    'create-plan': 'Create an early help plan',
    universal: 'Support to continue at universal level',
    'additional-support': `Additional support required: a request for support to the ${frontDoor}`,
    'end-other': 'Support to end for another reason (moved, consent denied, etc)',
  }
}

export const familyMemberSchema = z.object({
  personId: z.string().max(64).nullable().default(null),
  // A first and a last name of up to 100 characters each, as a meeting records them.
  name: text(201),
  relationship: text(100),
  attended: yesNo,
  viewsGained: yesNo,
  ethnicity: text(100),
})
export type FamilyMember = z.output<typeof familyMemberSchema>

export const practitionerSchema = z.object({
  name: text(200),
  // "Role, organisation", as a meeting records a member of the team (100 and 200 characters).
  role: text(302),
  contact: text(300),
  attended: yesNo,
  reportProvided: yesNo,
})
export type Practitioner = z.output<typeof practitionerSchema>

export const needSchema = z.object({
  id: z.string().min(1).max(64),
  text: text(5000),
  /** Ids from the authority's outcomeFramework and additionalOutcomeFrameworks. */
  outcomeIds: z.array(z.string().max(100)).default([]),
  /** Supporting Families headline outcome ids (src/domain/supporting-families.ts). */
  headlineIds: z.array(z.string().max(100)).default([]),
})
export type Need = z.output<typeof needSchema>

export const actionSchema = z.object({
  id: z.uuid(),
  needId: z.string().max(64).nullable().default(null),
  what: z.string().max(2000),
  who: z.string().max(200),
  dueOn: z.string().regex(DATE),
  status: z.enum(ACTION_STATUSES).default('open'),
})
export type PlanAction = z.output<typeof actionSchema>

export const planContentSchema = z.object({
  meeting: z
    .object({ date: isoDate, time: text(20), venue: text(300), virtual: yesNo, coordinator: text(200) })
    .prefault({}),
  child: z.object({ name: text(200), dateOfBirth: isoDate, address: text(500), postcode: text(10) }).prefault({}),
  familyMembers: z.array(familyMemberSchema).max(30).default([]),
  communicationNeeds: text(5000),
  practitioners: z.array(practitionerSchema).max(30).default([]),
  /** Do any of the children have additional needs or disabilities? */
  additionalNeeds: text(5000),
  /** Are the children young carers? */
  youngCarers: text(5000),
  /** Other people who support our family. */
  otherSupport: text(5000),
  /** What are we worried about? Why an early help plan would help, with the family's views. */
  worries: text(WORRIES_MAX),
  /** What is going well, who supports the family and what that looks like, and the family's views. */
  goingWell: text(10000),
  /** What needs to change to make things better or safer for the children. */
  needs: z.array(needSchema).max(30).default([]),
  /** How we will know the plan has worked and can be ended, with the family's views. */
  howWeWillKnow: text(10000),
  nextStep: z.enum(NEXT_STEPS).nullable().default(null),
  nextStepDetails: text(5000),
  actions: z.array(actionSchema).max(60).default([]),
  leadProfessionalContact: text(1000),
})

export type PlanContent = z.output<typeof planContentSchema>

/** A plan's content as stored, with every field present (missing ones empty). */
export function parseContent(stored: unknown): PlanContent {
  return planContentSchema.parse(stored ?? {})
}

export function emptyContent(): PlanContent {
  return parseContent({})
}

/** The sections a draft is edited in, one page each, in the template's order. */
export const SECTIONS = [
  { id: 'meeting-and-family', title: 'Meeting, child and family members' },
  { id: 'practitioners', title: 'Practitioners' },
  { id: 'additional-information', title: 'Additional information' },
  { id: 'worries', title: 'What are we worried about?' },
  { id: 'going-well', title: 'What is going well?' },
  { id: 'needs', title: 'What needs to change?' },
  { id: 'how-we-will-know', title: 'How will we know the plan has worked?' },
  { id: 'scores', title: 'Scaling scores' },
  { id: 'next-steps', title: 'Next steps' },
  { id: 'actions', title: 'Family plan: actions' },
  { id: 'review-date', title: 'Review date and Lead Professional' },
] as const
export type SectionId = (typeof SECTIONS)[number]['id']
export const SECTION_IDS: readonly string[] = SECTIONS.map((s) => s.id)
export const isSectionId = (value: unknown): value is SectionId => typeof value === 'string' && SECTION_IDS.includes(value)

/** The columns of a plan version that sit beside its content. */
export interface PlanColumns {
  family_score: number | null
  team_score: number | null
  review_on: string | null
}

/** Whether a section has been filled in (for the task list); every section is optional until agreed. */
export function sectionComplete(section: SectionId, content: PlanContent, columns: PlanColumns): boolean {
  switch (section) {
    case 'meeting-and-family':
      return !!content.meeting.date && !!content.child.name && content.familyMembers.length > 0
    case 'practitioners':
      return content.practitioners.length > 0
    case 'additional-information':
      return !!(content.additionalNeeds || content.youngCarers || content.otherSupport)
    case 'worries':
      return !!content.worries
    case 'going-well':
      return !!content.goingWell
    case 'needs':
      return content.needs.length > 0
    case 'how-we-will-know':
      return !!content.howWeWillKnow
    case 'scores':
      return columns.family_score !== null && columns.team_score !== null
    case 'next-steps':
      return !!content.nextStep
    case 'actions':
      return content.actions.length > 0
    case 'review-date':
      return !!columns.review_on
  }
}

/**
 * What a plan must hold before the family and the assessor sign it: the worries, at least one
 * need, at least one action (what, who and when) and both scaling scores. Each missing part, as the
 * message the agree page shows, keyed by its section.
 */
export function missingForAgreement(content: PlanContent, columns: PlanColumns): Partial<Record<SectionId, string>> {
  const missing: Partial<Record<SectionId, string>> = {}
  if (!sectionComplete('worries', content, columns)) missing.worries = 'Record what you are worried about before the plan is agreed'
  if (!sectionComplete('needs', content, columns)) missing.needs = 'Record at least one thing that needs to change before the plan is agreed'
  if (!sectionComplete('actions', content, columns)) missing.actions = 'Record at least one action, who will do it and by when, before the plan is agreed'
  if (!sectionComplete('scores', content, columns)) missing.scores = 'Record the family’s and the team’s scaling scores before the plan is agreed'
  return missing
}

export interface OutcomeOption {
  id: string
  text: string
  theme: string
}

/** The authority's outcomes a need can link to: its outcome framework, then any additional ones. */
export function outcomeOptions(tenantId: string): { name: string; outcomes: OutcomeOption[] }[] {
  const framework = frameworkById(tenantId)
  if (!framework) return []
  return [framework.outcomeFramework, ...(framework.additionalOutcomeFrameworks ?? [])]
    .map((f) => ({ name: f.name, outcomes: f.themes.flatMap((t) => t.outcomes.map((o) => ({ id: o.id, text: o.text, theme: t.name }))) }))
    .filter((f) => f.outcomes.length > 0)
}

/** Words for every outcome id a need can hold: the authority's outcomes and the national headlines. */
export function outcomeLabels(tenantId: string): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const f of outcomeOptions(tenantId)) for (const o of f.outcomes) labels[o.id] = o.text
  for (const h of SUPPORTING_FAMILIES_HEADLINES) labels[h.id] = h.text
  return labels
}

/** The consent statement the family agrees to, in the template's words (003:463). */
export const CONSENT_STATEMENT =
  'I can confirm that the family have read and consented to the information in this plan and have also consented to this information being shared with the above agencies. Parents/Carers are in agreement with the contents of this plan.'

/** The template's information sharing notice (003:469-478), shown with the consent question. */
export const INFORMATION_SHARING = [
  'Information is collected as part of this Early Help plan so that we can understand the level of help and support you may need and also to inform services what may be useful for other families.',
  'To ensure that you and your family are provided with the most effective support, it may be necessary to share or collect personal information about you and your family with our partner agencies and community groups, such as Children’s Services, the NHS and other health providers (including GPs), Housing, the Department for Work and Pensions, Police, Probation Services, Education, the Youth Offending Team, the Office for National Statistics and Central Government.',
  'In some circumstances, information can be shared between agencies without consent, for example where sharing information might help to prevent a crime or safeguard the welfare of a child or young person.',
]
