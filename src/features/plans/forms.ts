import { randomUUID } from 'node:crypto'
import { parseDateParts, datePartsOf, type DateParts } from '../../domain/dates.ts'
import { normalisePostcode } from '../../domain/postcode.ts'
import { HEADLINE_IDS } from '../../domain/supporting-families.ts'
import { errorsToSummary, type FormErrors } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { ACTION_STATUSES, NEXT_STEPS, outcomeOptions, type PlanColumns, type PlanContent, type SectionId } from './content.ts'

/**
 * Each section of a draft plan as a form: the model the page shows (what is stored, or exactly
 * what the person typed when it comes back with errors), read from the stored plan or from the
 * submitted body, and checked into a change to the plan's content and columns.
 *
 * Lists (family members, practitioners, needs, actions) are rows of fields named `<list>-<n>-<field>`:
 * the page shows every saved row plus one empty row to add another; a row left empty is ignored
 * and a row ticked "Remove" is dropped. No JavaScript is needed.
 */

export type Body = Record<string, unknown>

export interface SectionContext {
  tenantId: string
  /** Today's date in the UK, "YYYY-MM-DD". */
  today: string
  content: PlanContent
  columns: PlanColumns
}

export interface SectionChange {
  content: Partial<PlanContent>
  columns: Partial<PlanColumns>
}

export type SectionResult = { ok: true; change: SectionChange } | ({ ok: false } & FormErrors)

type Model = Record<string, unknown>

interface SectionForm {
  fromPlan(ctx: SectionContext): Model
  fromBody(body: Body, ctx: SectionContext): Model
  validate(model: Model, ctx: SectionContext): SectionResult
}

const str = (body: Body, key: string): string => (typeof body[key] === 'string' ? (body[key] as string) : '')
/** Checkboxes arrive as a string for one, an array for several, nothing for none. */
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [])
const parts = (body: Body, prefix: string): Required<DateParts> => ({ day: str(body, `${prefix}-day`), month: str(body, `${prefix}-month`), year: str(body, `${prefix}-year`) })
const noParts = (): Required<DateParts> => ({ day: '', month: '', year: '' })
const partsOf = (date: string | null): Required<DateParts> => (date ? datePartsOf(date) : noParts())
const blankParts = (p: DateParts) => !p.day?.trim() && !p.month?.trim() && !p.year?.trim()
const yesNoOf = (value: string): 'yes' | 'no' | null => (value === 'yes' || value === 'no' ? value : null)

/** The row numbers present in a body for a list, from its fields' names, in order. */
function rowNumbers(body: Body, list: string): number[] {
  const numbers = new Set<number>()
  const pattern = new RegExp(`^${list}-(\\d{1,2})-`)
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key)
    if (match) numbers.add(Number(match[1]))
  }
  return [...numbers].sort((a, b) => a - b)
}

class Errors {
  readonly errors: Record<string, string> = {}
  readonly ids: Record<string, string> = {}
  add(field: string, message: string, id = field): void {
    if (this.errors[field]) return
    this.errors[field] = message
    this.ids[field] = id
  }
  tooLong(field: string, value: string, max: number, what: string): void {
    if (value.trim().length > max) this.add(field, `${what} must be ${max} characters or fewer`)
  }
  /** A GOV.UK date input's value: undefined (and an error) when wrong, null when left empty and optional. */
  date(field: string, value: DateParts, options: { label: string; today: string; allowFuture?: boolean; allowPast?: boolean; required?: boolean }): string | null | undefined {
    if (!options.required && blankParts(value)) return null
    const parsed = parseDateParts(value, options)
    if (parsed.ok) return parsed.date
    this.add(field, parsed.message, `${field}-${parsed.fields[0] ?? 'day'}`)
    return undefined
  }
  get any(): boolean {
    return Object.keys(this.errors).length > 0
  }
  result(change: SectionChange): SectionResult {
    return this.any ? { ok: false, ...errorsToSummary(this.errors, this.ids) } : { ok: true, change }
  }
}

// ---------------------------------------------------------------------------------------------

interface MemberRow {
  personId: string
  name: string
  relationship: string
  attended: string
  viewsGained: string
  ethnicity: string
  remove: boolean
}
const blankMember = (): MemberRow => ({ personId: '', name: '', relationship: '', attended: '', viewsGained: '', ethnicity: '', remove: false })

const meetingAndFamily: SectionForm = {
  fromPlan: ({ content }) => ({
    meetingDate: partsOf(content.meeting.date),
    time: content.meeting.time,
    venue: content.meeting.venue,
    virtual: content.meeting.virtual ?? '',
    coordinator: content.meeting.coordinator,
    childName: content.child.name,
    childDob: partsOf(content.child.dateOfBirth),
    address: content.child.address,
    postcode: content.child.postcode,
    communicationNeeds: content.communicationNeeds,
    members: [
      ...content.familyMembers.map((m): MemberRow => ({ ...m, personId: m.personId ?? '', attended: m.attended ?? '', viewsGained: m.viewsGained ?? '', remove: false })),
      blankMember(),
    ],
  }),
  fromBody: (body) => ({
    meetingDate: parts(body, 'meetingDate'),
    time: str(body, 'time'),
    venue: str(body, 'venue'),
    virtual: str(body, 'virtual'),
    coordinator: str(body, 'coordinator'),
    childName: str(body, 'childName'),
    childDob: parts(body, 'childDob'),
    address: str(body, 'address'),
    postcode: str(body, 'postcode'),
    communicationNeeds: str(body, 'communicationNeeds'),
    members: rowNumbers(body, 'members').map(
      (n): MemberRow => ({
        personId: str(body, `members-${n}-personId`),
        name: str(body, `members-${n}-name`),
        relationship: str(body, `members-${n}-relationship`),
        attended: str(body, `members-${n}-attended`),
        viewsGained: str(body, `members-${n}-viewsGained`),
        ethnicity: str(body, `members-${n}-ethnicity`),
        remove: str(body, `members-${n}-remove`) === 'yes',
      }),
    ),
  }),
  validate: (model, { today }) => {
    const m = model as ReturnType<typeof meetingAndFamily.fromPlan> & { members: MemberRow[] }
    const e = new Errors()
    const meetingDate = e.date('meetingDate', m.meetingDate as DateParts, { label: 'Date of the meeting', today, allowFuture: true })
    e.tooLong('time', m.time as string, 20, 'Time')
    e.tooLong('venue', m.venue as string, 300, 'Venue')
    e.tooLong('coordinator', m.coordinator as string, 200, 'Co-ordinator')
    e.tooLong('childName', m.childName as string, 200, 'Name of the child')
    const childDob = e.date('childDob', m.childDob as DateParts, { label: 'Date of birth', today })
    e.tooLong('address', m.address as string, 500, 'Address')
    const typedPostcode = (m.postcode as string).trim()
    const postcode = typedPostcode ? normalisePostcode(typedPostcode) : ''
    if (postcode === undefined) e.add('postcode', 'Enter a real postcode, like SS1 1AA')
    e.tooLong('communicationNeeds', m.communicationNeeds as string, 5000, 'Communication needs')
    const members = m.members
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => !row.remove && (row.name.trim() || row.relationship.trim() || row.ethnicity.trim() || row.attended || row.viewsGained))
    for (const { row, i } of members) {
      if (!row.name.trim()) e.add(`members-${i}-name`, `Enter the name of family member ${i + 1}`)
      e.tooLong(`members-${i}-name`, row.name, 201, 'Name')
      e.tooLong(`members-${i}-relationship`, row.relationship, 100, 'Relationship')
      e.tooLong(`members-${i}-ethnicity`, row.ethnicity, 100, 'Ethnicity')
    }
    return e.result({
      content: {
        meeting: { date: meetingDate ?? null, time: (m.time as string).trim(), venue: (m.venue as string).trim(), virtual: yesNoOf(m.virtual as string), coordinator: (m.coordinator as string).trim() },
        child: { name: (m.childName as string).trim(), dateOfBirth: childDob ?? null, address: (m.address as string).trim(), postcode: postcode ?? '' },
        communicationNeeds: (m.communicationNeeds as string).trim(),
        familyMembers: members.map(({ row }) => ({
          personId: isUuid(row.personId) ? row.personId : null,
          name: row.name.trim(),
          relationship: row.relationship.trim(),
          attended: yesNoOf(row.attended),
          viewsGained: yesNoOf(row.viewsGained),
          ethnicity: row.ethnicity.trim(),
        })),
      },
      columns: {},
    })
  },
}

// ---------------------------------------------------------------------------------------------

interface PractitionerRow {
  name: string
  role: string
  contact: string
  attended: string
  reportProvided: string
  remove: boolean
}
const blankPractitioner = (): PractitionerRow => ({ name: '', role: '', contact: '', attended: '', reportProvided: '', remove: false })

const practitioners: SectionForm = {
  fromPlan: ({ content }) => ({
    practitioners: [
      ...content.practitioners.map((p): PractitionerRow => ({ ...p, attended: p.attended ?? '', reportProvided: p.reportProvided ?? '', remove: false })),
      blankPractitioner(),
    ],
  }),
  fromBody: (body) => ({
    practitioners: rowNumbers(body, 'practitioners').map(
      (n): PractitionerRow => ({
        name: str(body, `practitioners-${n}-name`),
        role: str(body, `practitioners-${n}-role`),
        contact: str(body, `practitioners-${n}-contact`),
        attended: str(body, `practitioners-${n}-attended`),
        reportProvided: str(body, `practitioners-${n}-reportProvided`),
        remove: str(body, `practitioners-${n}-remove`) === 'yes',
      }),
    ),
  }),
  validate: (model) => {
    const e = new Errors()
    const rows = (model.practitioners as PractitionerRow[])
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => !row.remove && (row.name.trim() || row.role.trim() || row.contact.trim() || row.attended || row.reportProvided))
    for (const { row, i } of rows) {
      if (!row.name.trim()) e.add(`practitioners-${i}-name`, `Enter the name of practitioner ${i + 1}`)
      if (!row.role.trim()) e.add(`practitioners-${i}-role`, `Enter the role of ${row.name.trim() || `practitioner ${i + 1}`}`)
      e.tooLong(`practitioners-${i}-name`, row.name, 200, 'Name')
      e.tooLong(`practitioners-${i}-role`, row.role, 302, 'Role')
      e.tooLong(`practitioners-${i}-contact`, row.contact, 300, 'Contact details')
    }
    return e.result({
      content: {
        practitioners: rows.map(({ row }) => ({
          name: row.name.trim(),
          role: row.role.trim(),
          contact: row.contact.trim(),
          attended: yesNoOf(row.attended),
          reportProvided: yesNoOf(row.reportProvided),
        })),
      },
      columns: {},
    })
  },
}

// ---------------------------------------------------------------------------------------------

type TextField = 'additionalNeeds' | 'youngCarers' | 'otherSupport' | 'worries' | 'goingWell' | 'howWeWillKnow'

/** A section of free-text answers; `required` gives the message when one is left empty. */
function textSection(fields: { name: TextField; what: string; max: number; required?: string }[]): SectionForm {
  return {
    fromPlan: ({ content }) => Object.fromEntries(fields.map((f) => [f.name, content[f.name]])),
    fromBody: (body) => Object.fromEntries(fields.map((f) => [f.name, str(body, f.name)])),
    validate: (model) => {
      const e = new Errors()
      const content: Partial<Record<TextField, string>> = {}
      for (const f of fields) {
        const value = String(model[f.name] ?? '').trim()
        if (!value && f.required) e.add(f.name, f.required)
        e.tooLong(f.name, value, f.max, f.what)
        content[f.name] = value
      }
      return e.result({ content, columns: {} })
    },
  }
}

// ---------------------------------------------------------------------------------------------

interface NeedRow {
  id: string
  text: string
  outcomeIds: string[]
  headlineIds: string[]
  remove: boolean
}
const blankNeed = (): NeedRow => ({ id: '', text: '', outcomeIds: [], headlineIds: [], remove: false })

const needs: SectionForm = {
  fromPlan: ({ content }) => ({ needs: [...content.needs.map((n): NeedRow => ({ ...n, remove: false })), blankNeed()] }),
  fromBody: (body) => ({
    needs: rowNumbers(body, 'needs').map(
      (n): NeedRow => ({
        id: str(body, `needs-${n}-id`),
        text: str(body, `needs-${n}-text`),
        outcomeIds: list(body[`needs-${n}-outcomes`]),
        headlineIds: list(body[`needs-${n}-headlines`]),
        remove: str(body, `needs-${n}-remove`) === 'yes',
      }),
    ),
  }),
  validate: (model, { tenantId, content }) => {
    const e = new Errors()
    const known = new Set(outcomeOptions(tenantId).flatMap((f) => f.outcomes.map((o) => o.id)))
    const existing = new Set(content.needs.map((n) => n.id))
    const rows = (model.needs as NeedRow[])
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => !row.remove && (row.text.trim() || row.outcomeIds.length || row.headlineIds.length))
    for (const { row, i } of rows) {
      if (!row.text.trim()) e.add(`needs-${i}-text`, `Enter what needs to change for need ${i + 1}`)
      e.tooLong(`needs-${i}-text`, row.text, 5000, 'What needs to change')
    }
    const kept = rows.map(({ row }) => ({
      id: existing.has(row.id) ? row.id : randomUUID(),
      text: row.text.trim(),
      outcomeIds: [...new Set(row.outcomeIds.filter((id) => known.has(id)))],
      headlineIds: [...new Set(row.headlineIds.filter((id) => HEADLINE_IDS.includes(id)))],
    }))
    const keptIds = new Set(kept.map((n) => n.id))
    // An action linked to a need that has been removed stays in the plan, linked to no need.
    const actions = content.actions.map((a) => (a.needId && !keptIds.has(a.needId) ? { ...a, needId: null } : a))
    return e.result({ content: { needs: kept, actions }, columns: {} })
  },
}

// ---------------------------------------------------------------------------------------------

const SCORES = Array.from({ length: 11 }, (_, i) => String(i))

const scores: SectionForm = {
  fromPlan: ({ columns }) => ({ familyScore: columns.family_score === null ? '' : String(columns.family_score), teamScore: columns.team_score === null ? '' : String(columns.team_score) }),
  fromBody: (body) => ({ familyScore: str(body, 'familyScore'), teamScore: str(body, 'teamScore') }),
  validate: (model) => {
    const e = new Errors()
    if (!SCORES.includes(model.familyScore as string)) e.add('familyScore', 'Select the family’s score from 0 to 10')
    if (!SCORES.includes(model.teamScore as string)) e.add('teamScore', 'Select the Team Around the Family’s score from 0 to 10')
    return e.result({ content: {}, columns: { family_score: Number(model.familyScore), team_score: Number(model.teamScore) } })
  },
}

const nextSteps: SectionForm = {
  fromPlan: ({ content }) => ({ nextStep: content.nextStep ?? '', nextStepDetails: content.nextStepDetails }),
  fromBody: (body) => ({ nextStep: str(body, 'nextStep'), nextStepDetails: str(body, 'nextStepDetails') }),
  validate: (model) => {
    const e = new Errors()
    const nextStep = NEXT_STEPS.find((s) => s === model.nextStep) ?? null
    const details = String(model.nextStepDetails).trim()
    if (!nextStep) e.add('nextStep', 'Select the next step')
    if (nextStep === 'end-other' && !details) e.add('nextStepDetails', 'Enter why support is ending')
    e.tooLong('nextStepDetails', details, 5000, 'Details')
    return e.result({ content: { nextStep, nextStepDetails: details }, columns: {} })
  },
}

// ---------------------------------------------------------------------------------------------

interface ActionRow {
  id: string
  needId: string
  what: string
  who: string
  due: Required<DateParts>
  status: string
  remove: boolean
}
const blankAction = (): ActionRow => ({ id: '', needId: '', what: '', who: '', due: noParts(), status: 'open', remove: false })

const actions: SectionForm = {
  fromPlan: ({ content }) => ({
    actions: [...content.actions.map((a): ActionRow => ({ id: a.id, needId: a.needId ?? '', what: a.what, who: a.who, due: partsOf(a.dueOn), status: a.status, remove: false })), blankAction()],
  }),
  fromBody: (body) => ({
    actions: rowNumbers(body, 'actions').map(
      (n): ActionRow => ({
        id: str(body, `actions-${n}-id`),
        needId: str(body, `actions-${n}-needId`),
        what: str(body, `actions-${n}-what`),
        who: str(body, `actions-${n}-who`),
        due: parts(body, `actions-${n}-due`),
        status: str(body, `actions-${n}-status`) || 'open',
        remove: str(body, `actions-${n}-remove`) === 'yes',
      }),
    ),
  }),
  validate: (model, { content, today }) => {
    const e = new Errors()
    const needIds = new Set(content.needs.map((n) => n.id))
    const existing = new Set(content.actions.map((a) => a.id))
    const rows = (model.actions as ActionRow[]).map((row, i) => ({ row, i })).filter(({ row }) => !row.remove && (row.what.trim() || row.who.trim() || !blankParts(row.due)))
    const kept = rows.map(({ row, i }) => {
      if (!row.what.trim()) e.add(`actions-${i}-what`, `Enter what will be done for action ${i + 1}`)
      e.tooLong(`actions-${i}-what`, row.what, 2000, 'What will be done')
      if (!row.who.trim()) e.add(`actions-${i}-who`, `Enter who will do action ${i + 1}`)
      e.tooLong(`actions-${i}-who`, row.who, 200, 'Who')
      const dueOn = e.date(`actions-${i}-due`, row.due, { label: `The date for action ${i + 1}`, today, allowFuture: true, required: true })
      const status = ACTION_STATUSES.find((s) => s === row.status)
      if (!status) e.add(`actions-${i}-status`, `Select whether action ${i + 1} is to do, done or no longer needed`)
      return {
        id: isUuid(row.id) && existing.has(row.id) ? row.id : randomUUID(),
        needId: needIds.has(row.needId) ? row.needId : null,
        what: row.what.trim(),
        who: row.who.trim(),
        dueOn: dueOn ?? '',
        status: status ?? 'open',
      }
    })
    return e.result({ content: { actions: kept }, columns: {} })
  },
}

const reviewDate: SectionForm = {
  fromPlan: ({ content, columns }) => ({ reviewOn: partsOf(columns.review_on), leadProfessionalContact: content.leadProfessionalContact }),
  fromBody: (body) => ({ reviewOn: parts(body, 'reviewOn'), leadProfessionalContact: str(body, 'leadProfessionalContact') }),
  validate: (model, { today }) => {
    const e = new Errors()
    const reviewOn = e.date('reviewOn', model.reviewOn as DateParts, { label: 'Review date', today, allowFuture: true, allowPast: false, required: true })
    const contact = String(model.leadProfessionalContact).trim()
    e.tooLong('leadProfessionalContact', contact, 1000, 'Contact details')
    return e.result({ content: { leadProfessionalContact: contact }, columns: { review_on: reviewOn ?? null } })
  },
}

export const SECTION_FORMS: Record<SectionId, SectionForm> = {
  'meeting-and-family': meetingAndFamily,
  practitioners,
  'additional-information': textSection([
    { name: 'additionalNeeds', what: 'Additional needs or disabilities', max: 5000 },
    { name: 'youngCarers', what: 'Young carers', max: 5000 },
    { name: 'otherSupport', what: 'Other people who support the family', max: 5000 },
  ]),
  worries: textSection([{ name: 'worries', what: 'What we are worried about', max: 10000, required: 'Enter what you are worried about' }]),
  'going-well': textSection([{ name: 'goingWell', what: 'What is going well', max: 10000, required: 'Enter what is going well for this family' }]),
  needs,
  'how-we-will-know': textSection([{ name: 'howWeWillKnow', what: 'How we will know', max: 10000, required: 'Enter how you will know the plan has worked' }]),
  scores,
  'next-steps': nextSteps,
  actions,
  'review-date': reviewDate,
}

// ---------------------------------------------------------------------------------------------

export interface AgreeForm {
  consentGiven: boolean
  assessorName: string
  assessorSignedOn: string
  familySignatoryName: string
  familySignedOn: string
}

export function agreeModelFromBody(body: Body) {
  return {
    consent: str(body, 'consent'),
    assessorName: str(body, 'assessorName'),
    assessorSigned: parts(body, 'assessorSigned'),
    familySignatoryName: str(body, 'familySignatoryName'),
    familySigned: parts(body, 'familySigned'),
  }
}

export function emptyAgreeModel(): ReturnType<typeof agreeModelFromBody> {
  return agreeModelFromBody({})
}

/** Consent, and the typed names and dates of the assessor's and the family's signatures. */
export function validateAgree(model: ReturnType<typeof agreeModelFromBody>, today: string): { ok: true; value: AgreeForm } | ({ ok: false } & FormErrors) {
  const e = new Errors()
  if (model.consent !== 'yes' && model.consent !== 'no') e.add('consent', 'Select yes if the family have read and consented to the plan')
  else if (model.consent === 'no') e.add('consent', 'A plan is agreed only with the family’s consent. Keep it as a draft, or record in Next steps that support is ending because consent was not given')
  const assessorName = model.assessorName.trim()
  if (!assessorName) e.add('assessorName', 'Enter the assessor’s name')
  e.tooLong('assessorName', assessorName, 200, 'Assessor’s name')
  const assessorSignedOn = e.date('assessorSigned', model.assessorSigned, { label: 'Date the assessor signed', today, required: true })
  const familySignatoryName = model.familySignatoryName.trim()
  if (!familySignatoryName) e.add('familySignatoryName', 'Enter the name of the parent, carer, child or young person who signed')
  e.tooLong('familySignatoryName', familySignatoryName, 200, 'Name')
  const familySignedOn = e.date('familySigned', model.familySigned, { label: 'Date the parent, carer, child or young person signed', today, required: true })
  if (e.any) return { ok: false, ...errorsToSummary(e.errors, e.ids) }
  return { ok: true, value: { consentGiven: model.consent === 'yes', assessorName, assessorSignedOn: assessorSignedOn ?? '', familySignatoryName, familySignedOn: familySignedOn ?? '' } }
}
