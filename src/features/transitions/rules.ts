/**
 * Step up, step down and closure, as rules without I/O. Stepping up goes through the front door
 * as a new request carrying the evidence of what was tried (Southend 003:185: the plan gives "the
 * evidence needed to demonstrate what support has been provided as a pre-requisite to a family
 * being escalated to Level 3 or 4"); stepping down moves an intensive family to a lower level with
 * a handover; closing records why, what was achieved and the final scores, and at level 3 or above
 * waits for a manager's sign-off.
 */
import { parseDateParts } from '../../domain/dates.ts'
import type { Framework } from '../../frameworks/schema.ts'
import { isEmailAddress } from '../../domain/email-address.ts'

export const CLOSURE_REASONS = {
  'needs-met': 'The family’s needs have been met',
  moved: 'The family has moved away',
  'consent-withdrawn': 'The family withdrew their consent',
  'stepped-up': 'Stepped up to a higher level of support',
  disengaged: 'The family stopped taking part',
  other: 'Another reason',
} as const
export type ClosureReason = keyof typeof CLOSURE_REASONS

/** Intensive involvements (level 3) and above need a manager's sign-off to close. */
export function closureNeedsSignOff(level: number): boolean {
  return level >= 3
}

/** The levels a family can be stepped up to from its level: intensive support (3), children's social care (4). */
export function stepUpTargets(level: number): number[] {
  return [3, 4].filter((to) => to > level)
}

/** The levels a family can be stepped down to: only from intensive (3) or social care (4), to any lower level from 1. */
export function stepDownTargets(level: number): number[] {
  if (level < 3) return []
  return [1, 2, 3].filter((to) => to < level)
}

export interface Closure {
  reason: ClosureReason
  details: string | null
  outcomesAchieved: string[]
  finalScores: { family: number | null; team: number }
  summary: string
  requestedBy: string
  requestedAt: string
  signedOffBy?: string
  signedOffAt?: string
}

export type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string>; ids: Record<string, string> }

const text = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '')
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [])

/** Every outcome id of the authority's outcome framework. */
export function outcomeIds(framework: Framework): Set<string> {
  return new Set(framework.outcomeFramework.themes.flatMap((t) => t.outcomes.map((o) => o.id)))
}

export type ClosureInput = Omit<Closure, 'requestedBy' | 'requestedAt' | 'signedOffBy' | 'signedOffAt'>

/** The closure form: a reason (details needed for "other"), outcomes achieved, the final family and team scores (0-10; the family's may be "not known"), and a summary. */
export function readClosure(body: Record<string, unknown>, framework: Framework): Read<ClosureInput> {
  const errors: Record<string, string> = {}
  const reason = text(body.reason)
  if (!(reason in CLOSURE_REASONS)) errors.reason = 'Select why early help is ending'
  const details = text(body.details)
  if (reason === 'other' && !details) errors.details = 'Enter why early help is ending'
  if (details.length > 5000) errors.details = 'The details must be 5,000 characters or fewer'
  const known = outcomeIds(framework)
  const outcomesAchieved = list(body.outcomes).filter((id) => known.has(id))
  const score = (value: unknown) => (/^(10|[0-9])$/.test(text(value)) ? Number(text(value)) : undefined)
  const family = text(body.familyScore) === 'unknown' ? null : score(body.familyScore)
  if (family === undefined) errors.familyScore = 'Select the family’s final score, or that it is not known'
  const team = score(body.teamScore)
  if (team === undefined) errors.teamScore = 'Select the team’s final score'
  const summary = text(body.summary)
  if (!summary) errors.summary = 'Enter a closing summary'
  else if (summary.length > 10_000) errors.summary = 'The summary must be 10,000 characters or fewer'
  if (Object.keys(errors).length) return { ok: false, errors, ids: { reason: 'reason', familyScore: 'familyScore', teamScore: 'teamScore' } }
  return {
    ok: true,
    value: { reason: reason as ClosureReason, details: details || null, outcomesAchieved, finalScores: { family: family ?? null, team: team! }, summary },
  }
}

export interface StepUpInput {
  toLevel: number
  whyNow: string
  tried: string
}

export function readStepUp(body: Record<string, unknown>, level: number): Read<StepUpInput> {
  const errors: Record<string, string> = {}
  const toLevel = Number(text(body.toLevel))
  if (!stepUpTargets(level).includes(toLevel)) errors.toLevel = 'Select what the family is to be stepped up to'
  const whyNow = text(body.whyNow)
  if (!whyNow) errors.whyNow = 'Enter why the family needs more support now'
  else if (whyNow.length > 5000) errors.whyNow = 'Must be 5,000 characters or fewer'
  const tried = text(body.tried)
  if (!tried) errors.tried = 'Enter what has been tried already'
  else if (tried.length > 5000) errors.tried = 'Must be 5,000 characters or fewer'
  if (Object.keys(errors).length) return { ok: false, errors, ids: { toLevel: 'toLevel' } }
  return { ok: true, value: { toLevel, whyNow, tried } }
}

export interface StepDownInput {
  toLevel: number
  reason: string
  leadEmail: string | null
  handoverOn: string
  notes: string
}

export function readStepDown(body: Record<string, unknown>, level: number, today: string): Read<StepDownInput> {
  const errors: Record<string, string> = {}
  const toLevel = Number(text(body.toLevel))
  if (!stepDownTargets(level).includes(toLevel)) errors.toLevel = 'Select the level the family is stepping down to'
  const reason = text(body.reason)
  if (!reason) errors.reason = 'Enter why the family is stepping down'
  else if (reason.length > 5000) errors.reason = 'Must be 5,000 characters or fewer'
  const leadEmail = text(body.leadEmail).toLowerCase()
  if (leadEmail && !isEmailAddress(leadEmail)) errors.leadEmail = 'Enter an email address in the correct format, like name@example.com'
  const date = parseDateParts({ day: text(body['handover-day']), month: text(body['handover-month']), year: text(body['handover-year']) }, { label: 'The handover date', today, allowFuture: true })
  if (!date.ok) errors.handover = date.message
  const notes = text(body.notes)
  if (!notes) errors.notes = 'Enter the handover notes'
  else if (notes.length > 10_000) errors.notes = 'Must be 10,000 characters or fewer'
  if (Object.keys(errors).length || !date.ok) {
    const handover = !date.ok ? `handover-${date.fields[0] ?? 'day'}` : 'handover-day'
    return { ok: false, errors, ids: { toLevel: 'toLevel', handover } }
  }
  return { ok: true, value: { toLevel, reason, leadEmail: leadEmail || null, handoverOn: date.date, notes } }
}

export interface SocialCareStepDownInput {
  familyName: string
  child: { givenName: string; familyName: string; dateOfBirth: string }
  adult: { givenName: string; familyName: string; relationship: string } | null
  level: 2 | 3
  leadEmail: string
  socialCareTeam: string
  notes: string
}

/** A family stepped down from children's social care: one child, optionally one parent or carer, the level, the Lead Professional and the handover. */
export function readSocialCareStepDown(body: Record<string, unknown>, today: string): Read<SocialCareStepDownInput> {
  const errors: Record<string, string> = {}
  const need = (name: string, message: string, max = 100) => {
    const value = text(body[name])
    if (!value) errors[name] = message
    else if (value.length > max) errors[name] = `Must be ${max} characters or fewer`
    return value
  }
  const familyName = need('familyName', 'Enter the family’s name, like Smith')
  const childGiven = need('childGivenName', 'Enter the child’s first name')
  const childFamily = need('childFamilyName', 'Enter the child’s last name')
  const dob = parseDateParts({ day: text(body['dob-day']), month: text(body['dob-month']), year: text(body['dob-year']) }, { label: 'Date of birth', today })
  if (!dob.ok) errors.dob = dob.message
  const adultGiven = text(body.adultGivenName)
  const adultFamily = text(body.adultFamilyName)
  const relationship = text(body.adultRelationship)
  let adult: SocialCareStepDownInput['adult'] = null
  if (adultGiven || adultFamily || relationship) {
    if (!adultGiven) errors.adultGivenName = 'Enter the parent or carer’s first name'
    if (!adultFamily) errors.adultFamilyName = 'Enter the parent or carer’s last name'
    if (!relationship) errors.adultRelationship = 'Enter their relationship to the child, like mother or grandfather'
    if ([adultGiven, adultFamily, relationship].some((v) => v.length > 100)) errors.adultGivenName ??= 'Each name must be 100 characters or fewer'
    adult = { givenName: adultGiven, familyName: adultFamily, relationship }
  }
  const level = text(body.level)
  if (level !== '2' && level !== '3') errors.level = 'Select the level of early help the family steps down to'
  const leadEmail = need('leadEmail', 'Enter the Lead Professional’s email address', 200).toLowerCase()
  if (leadEmail && !errors.leadEmail && !isEmailAddress(leadEmail)) errors.leadEmail = 'Enter an email address in the correct format, like name@example.com'
  const socialCareTeam = need('socialCareTeam', 'Enter the social care team handing the family over', 200)
  const notes = need('notes', 'Enter the handover notes', 10_000)
  if (Object.keys(errors).length || !dob.ok) {
    return { ok: false, errors, ids: { dob: !dob.ok ? `dob-${dob.fields[0] ?? 'day'}` : 'dob-day', level: 'level' } }
  }
  return {
    ok: true,
    value: {
      familyName,
      child: { givenName: childGiven, familyName: childFamily, dateOfBirth: dob.date },
      adult,
      level: level === '2' ? 2 : 3,
      leadEmail,
      socialCareTeam,
      notes,
    },
  }
}

export interface PlanEvidence {
  number: number
  agreedAt: Date | null
  needs: string[]
  actions: { what: string; who: string; dueOn: string; status: string }[]
}

const ACTION_STATUS: Record<string, string> = { open: 'To do', done: 'Done', dropped: 'No longer needed' }

/** The evidence of what was tried, in words, from the latest agreed plan: its actions with their status, and what needs to change. */
export function triedText(plan: PlanEvidence | undefined, formatDate: (date: string) => string): string {
  if (!plan) return ''
  const lines = [`From Early Help Plan version ${plan.number}${plan.agreedAt ? `, agreed ${formatDate(plan.agreedAt.toISOString())}` : ''}.`]
  if (plan.actions.length) {
    lines.push('', 'Actions in the plan:')
    for (const action of plan.actions) lines.push(`- ${action.what} (${action.who}, by ${formatDate(action.dueOn)}): ${ACTION_STATUS[action.status] ?? action.status}`)
  }
  if (plan.needs.length) {
    lines.push('', 'What needs to change:')
    for (const need of plan.needs) lines.push(`- ${need}`)
  }
  return lines.join('\n').slice(0, 5000)
}
