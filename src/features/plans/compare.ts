import { ACTION_STATUS_TEXT, PLAN_KIND_TEXT, type PlanAction, type PlanContent, type PlanKind } from './content.ts'

/**
 * What changed between two versions of an Early Help Plan, field by field, in words a reader can
 * follow: each changed field with what it said before and after, the scaling scores, and the
 * actions added, removed or changed (matched by id, since open actions carry forward).
 *
 * Pure: outcome words and next-step words are passed in.
 */

export interface PlanSnapshot {
  number: number
  kind: PlanKind
  content: PlanContent
  familyScore: number | null
  teamScore: number | null
  reviewOn: string | null
}

export interface FieldChange {
  field: string
  before: string
  after: string
}

export interface ActionChange {
  what: string
  changes: FieldChange[]
}

export interface PlanComparison {
  fields: FieldChange[]
  scores: { family: { before: number | null; after: number | null }; team: { before: number | null; after: number | null } }
  actions: { added: PlanAction[]; removed: PlanAction[]; changed: ActionChange[] }
  unchanged: boolean
}

export interface CompareLabels {
  /** Words for outcome and Supporting Families headline ids. */
  outcomes: Record<string, string>
  nextSteps: Record<string, string>
}

const yesNo = (v: 'yes' | 'no' | null) => (v === 'yes' ? 'yes' : v === 'no' ? 'no' : 'not recorded')
const score = (v: number | null) => (v === null ? '' : String(v))

/** Every field of the plan, as lines of text, in the template's order. */
function fieldsOf(plan: PlanSnapshot, labels: CompareLabels): [string, string][] {
  const c = plan.content
  return [
    ['Kind of meeting', PLAN_KIND_TEXT[plan.kind]],
    ['Date of the meeting', c.meeting.date ?? ''],
    ['Time', c.meeting.time],
    ['Venue', c.meeting.venue],
    ['Virtual meeting', c.meeting.virtual ? yesNo(c.meeting.virtual) : ''],
    ['Co-ordinator', c.meeting.coordinator],
    ['Name of the child', c.child.name],
    ['Date of birth of the child', c.child.dateOfBirth ?? ''],
    ['Address', [c.child.address, c.child.postcode].filter(Boolean).join(', ')],
    [
      'Family members',
      c.familyMembers
        .map((m) => `${m.name} (${m.relationship || 'relationship not recorded'}; attended: ${yesNo(m.attended)}; views gained: ${yesNo(m.viewsGained)}${m.ethnicity ? `; ${m.ethnicity}` : ''})`)
        .join('\n'),
    ],
    ['Communication needs', c.communicationNeeds],
    ['Practitioners', c.practitioners.map((p) => `${p.name}, ${p.role}${p.contact ? `, ${p.contact}` : ''} (attended: ${yesNo(p.attended)}; report: ${yesNo(p.reportProvided)})`).join('\n')],
    ['Additional needs or disabilities', c.additionalNeeds],
    ['Young carers', c.youngCarers],
    ['Other people who support the family', c.otherSupport],
    ['What we are worried about', c.worries],
    ['What is going well', c.goingWell],
    [
      'What needs to change',
      c.needs
        .map((n) => {
          const links = [...n.outcomeIds, ...n.headlineIds].map((id) => labels.outcomes[id] ?? id)
          return links.length ? `${n.text} (outcomes: ${links.join('; ')})` : n.text
        })
        .join('\n'),
    ],
    ['How we will know the plan has worked', c.howWeWillKnow],
    ['Next step', c.nextStep ? (labels.nextSteps[c.nextStep] ?? c.nextStep) : ''],
    ['Next step details', c.nextStepDetails],
    ['Review date', plan.reviewOn ?? ''],
    ['Lead Professional’s contact details', c.leadProfessionalContact],
  ]
}

function actionFields(a: PlanAction): [string, string][] {
  return [
    ['What', a.what],
    ['Who', a.who],
    ['By when', a.dueOn],
    ['Status', ACTION_STATUS_TEXT[a.status]],
  ]
}

export function comparePlans(from: PlanSnapshot, to: PlanSnapshot, labels: CompareLabels): PlanComparison {
  const after = new Map(fieldsOf(to, labels))
  const fields = fieldsOf(from, labels)
    .map(([field, before]) => ({ field, before, after: after.get(field) ?? '' }))
    .filter((f) => f.before !== f.after)

  const fromActions = new Map(from.content.actions.map((a) => [a.id, a]))
  const toActions = new Map(to.content.actions.map((a) => [a.id, a]))
  const added = to.content.actions.filter((a) => !fromActions.has(a.id))
  const removed = from.content.actions.filter((a) => !toActions.has(a.id))
  const changed = to.content.actions.flatMap((a): ActionChange[] => {
    const earlier = fromActions.get(a.id)
    if (!earlier) return []
    const was = new Map(actionFields(earlier))
    const changes = actionFields(a)
      .map(([field, now]) => ({ field, before: was.get(field) ?? '', after: now }))
      .filter((c) => c.before !== c.after)
    return changes.length ? [{ what: a.what, changes }] : []
  })

  const scores = { family: { before: from.familyScore, after: to.familyScore }, team: { before: from.teamScore, after: to.teamScore } }
  const scoresChanged = score(from.familyScore) !== score(to.familyScore) || score(from.teamScore) !== score(to.teamScore)
  return {
    fields,
    scores,
    actions: { added, removed, changed },
    unchanged: !fields.length && !scoresChanged && !added.length && !removed.length && !changed.length,
  }
}
