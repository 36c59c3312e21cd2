import { frameworkById } from '../../frameworks/index.ts'
/**
 * The whole-family assessment's content and its rules, without I/O: the family's strengths and
 * needs, the views of every family member, each child's voice in their own words (or why it could
 * not be gained), and the practitioner's analysis (Southend 001:419-421; Essex 000:351-374: "every
 * member of the family, including young children, siblings and parents contribute their views").
 */

export interface AssessmentPerson {
  id: string
  kind: 'child' | 'adult'
  given_name: string
  family_name: string
  relationship: string | null
}

export interface ChildVoice {
  words?: string
  notGained?: string
}

export interface AssessmentContent {
  strengths?: string
  needs?: string
  analysis?: string
  /** Each family member's views, by involvement person id. */
  views?: Record<string, string>
  /** Each child's own voice, by involvement person id. */
  voices?: Record<string, ChildVoice>
}

export const MAX_TEXT = 10_000

/** What the authority calls its whole-family assessment, from its framework (Family Story, Shared Family Assessment). */
export function assessmentName(frameworkId: string): string {
  return frameworkById(frameworkId)?.assessmentName.name ?? 'Family assessment'
}

export const fieldName = {
  views: (personId: string) => `views-${personId}`,
  voice: (personId: string) => `voice-${personId}`,
  notGained: (personId: string) => `notGained-${personId}`,
}

const clean = (value: unknown): string => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '')

export type ReadResult = { ok: true; content: AssessmentContent } | { ok: false; content: AssessmentContent; errors: Record<string, string> }

/** The assessment as submitted: only fields for the family's own people are kept; each is at most MAX_TEXT characters. */
export function readAssessment(body: Record<string, unknown>, people: readonly AssessmentPerson[]): ReadResult {
  const errors: Record<string, string> = {}
  const take = (name: string): string => {
    const value = clean(body[name])
    if (value.length > MAX_TEXT) errors[name] = `Must be ${MAX_TEXT.toLocaleString('en-GB')} characters or fewer`
    return value
  }
  const content: AssessmentContent = { strengths: take('strengths'), needs: take('needs'), views: {}, voices: {} }
  for (const person of people) {
    content.views![person.id] = take(fieldName.views(person.id))
    if (person.kind === 'child') content.voices![person.id] = { words: take(fieldName.voice(person.id)), notGained: take(fieldName.notGained(person.id)) }
  }
  content.analysis = take('analysis')
  return Object.keys(errors).length ? { ok: false, content, errors } : { ok: true, content }
}

/** What must be there before the assessment can be completed: strengths, needs, and every child's voice or why it could not be gained. */
export function completionErrors(content: AssessmentContent, people: readonly AssessmentPerson[]): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!content.strengths) errors.strengths = 'Enter the family’s strengths'
  if (!content.needs) errors.needs = 'Enter the family’s needs'
  for (const child of people.filter((p) => p.kind === 'child')) {
    const voice = content.voices?.[child.id]
    if (!voice?.words && !voice?.notGained) errors[fieldName.voice(child.id)] = `Enter ${child.given_name}’s views in their own words, or why they could not be gained`
  }
  return errors
}

/** The content as form values, field by field, for putting back into the page. */
export function contentValues(content: AssessmentContent, people: readonly AssessmentPerson[]): Record<string, string> {
  const values: Record<string, string> = { strengths: content.strengths ?? '', needs: content.needs ?? '', analysis: content.analysis ?? '' }
  for (const person of people) {
    values[fieldName.views(person.id)] = content.views?.[person.id] ?? ''
    if (person.kind === 'child') {
      values[fieldName.voice(person.id)] = content.voices?.[person.id]?.words ?? ''
      values[fieldName.notGained(person.id)] = content.voices?.[person.id]?.notGained ?? ''
    }
  }
  return values
}

/** "Dana Testfamily (Mother)" */
export function personLabel(person: AssessmentPerson): string {
  const name = `${person.given_name} ${person.family_name}`.trim()
  return person.relationship ? `${name} (${person.relationship})` : name
}
