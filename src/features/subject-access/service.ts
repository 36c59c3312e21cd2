import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import { OVERSEER_ROLES, withInvolvement } from '../involvements/access.ts'
import { parseContent } from '../plans/content.ts'
import { hiddenTerms, KIND_TEXT, segments, type Term } from '../protected-details/redact.ts'
import { protectionOf } from '../protected-details/repository.ts'
import { recordDisclosure } from '../sharing/record.ts'
import { subjectAccessRepository as repo } from './repository.ts'

/**
 * The subject access export for one person in a family (a child or an adult): everything held
 * about them, across every involvement they are in (found through the requests they were named in
 * and the front door's confirmed matches), as JSON and as a readable document. Nothing is removed:
 * third-party details (other family members' details and words) and protected details kept from
 * the person are MARKED for a person to redact before release.
 *
 * Who: team managers and duty managers (the `oversee` need). A practitioner, even the Lead
 * Professional, cannot export: releasing a whole record is a decision for a manager.
 *
 * Cost: a fixed number of queries (about fourteen) however many involvements, plans, meetings and
 * requests the person has: each kind of record is read once for all their involvements.
 */

export type RedactReason = 'third-party' | 'protected'
export interface Marked {
  redact: { reason: RedactReason; detail?: string }
}
/** Free text: a plain string when nothing in it is marked, else its parts with the marked passages. */
export type Passage = string | { parts: ({ text: string } | ({ text: string } & Marked))[] }

export const SUBJECT_ACCESS_ROLES = OVERSEER_ROLES

const REASON_TEXT: Record<RedactReason, string> = { 'third-party': 'third party', protected: 'protected' }

function marker(terms: Term<RedactReason>[]) {
  return (text: string | null | undefined): Passage => {
    if (!text) return text ?? ''
    const parts = segments(text, terms)
    if (!parts.some((p) => p.term)) return text
    return {
      parts: parts.map((p) =>
        p.term ? { text: p.text, redact: { reason: p.term.reason, ...(p.term.kind ? { detail: `protected ${KIND_TEXT[p.term.kind]}` } : {}) } } : { text: p.text },
      ),
    }
  }
}

/** Every string in a JSON-like value marked. */
function markDeep(value: unknown, mark: (s: string) => Passage): unknown {
  if (typeof value === 'string') return mark(value)
  if (Array.isArray(value)) return value.map((v) => markDeep(v, mark))
  if (value instanceof Date) return value.toISOString()
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markDeep(v, mark)]))
  return value
}

const thirdParty = <T extends object>(value: T): T & Marked => ({ ...value, redact: { reason: 'third-party' } })
const iso = (d: Date | string | null | undefined) => (d instanceof Date ? d.toISOString() : (d ?? null))

function requireOverseer(actor: Actor): void {
  if (!SUBJECT_ACCESS_ROLES.includes(actor.role)) throw new NotFoundError()
}

/** The explain-and-choose page: who the person is and what the export will hold. */
export async function subjectAccessPage(db: Database, actor: Actor, involvementId: string, personId: string) {
  requireOverseer(actor)
  return withInvolvement(db, actor, involvementId, 'oversee', async (trx, { involvement }) => {
    const person = await repo.person(trx, involvementId, personId)
    if (!person) throw new NotFoundError()
    await recordAudit(trx, auditBy(actor, { action: 'subject-access-viewed', recordType: 'involvement', recordId: involvementId, detail: { person: personId } }))
    return { involvement, person }
  })
}

/** Gathers the export, and records it: one audit event and one entry in the family's sharing log. */
export async function exportSubjectAccess(db: Database, actor: Actor, involvementId: string, personId: string, form: { requestedBy: string; format: 'document' | 'json' }, now: Date) {
  requireOverseer(actor)
  return withInvolvement(db, actor, involvementId, 'oversee', async (trx, { involvement }) => {
    const person = await repo.person(trx, involvementId, personId)
    if (!person) throw new NotFoundError()
    const record = await gather(trx, person, now, actor)
    await recordAudit(
      trx,
      auditBy(actor, {
        action: 'subject-access-exported',
        recordType: 'involvement',
        recordId: involvementId,
        detail: { person: personId, format: form.format, involvements: record.involvements.length, requests: record.requests.length },
      }),
    )
    await recordDisclosure(trx, actor, {
      involvementId,
      what: `Subject access export for ${person.given_name} ${person.family_name} (${form.format === 'json' ? 'JSON' : 'readable document'}): everything held about them, with third-party and protected details marked for redaction`,
      recipient: form.requestedBy,
      reason: 'A subject access request (UK GDPR Article 15)',
      basis: 'legal-obligation',
      source: 'subject-access-export',
    })
    return { involvement, person, record }
  })
}

type Subject = NonNullable<Awaited<ReturnType<typeof repo.person>>>

async function gather(trx: Trx, subject: Subject, now: Date, actor: Actor) {
  // Who the person is across the authority's records: their request records and confirmed matches.
  const requestPeopleIds = await repo.linkedRequestPeople(trx, subject.request_person_id)
  const selves = await repo.selves(trx, subject.id, requestPeopleIds)
  const selfIds = new Set(selves.map((s) => s.id))
  const involvementIds = [...new Set(selves.map((s) => s.involvement_id))]
  const [involvements, people, plans, actions, assessments, meetings, chronology, signposts, protections, consents, requestPeople] = await Promise.all([
    repo.involvements(trx, involvementIds),
    repo.people(trx, involvementIds),
    repo.plans(trx, involvementIds),
    repo.actions(trx, involvementIds),
    repo.assessments(trx, involvementIds),
    repo.meetings(trx, involvementIds),
    repo.chronology(trx, involvementIds),
    repo.signposts(trx, involvementIds),
    repo.protections(trx, involvementIds),
    repo.consents(trx, [...selfIds]),
    repo.requestPeople(trx, requestPeopleIds),
  ])
  const requestIds = [...new Set([...requestPeople.map((r) => r.request_id), ...involvements.map((i) => i.request_id).filter((v): v is string => !!v)])]
  const [requests, allRequestPeople, requestSignposts] = await Promise.all([repo.requests(trx, requestIds), repo.peopleOfRequests(trx, requestIds), repo.requestSignposts(trx, requestIds)])

  const byInvolvement = <T extends { involvement_id: string | null }>(rows: T[], id: string) => rows.filter((r) => r.involvement_id === id)
  const subjectNames = new Set(selves.flatMap((s) => [s.given_name.toLowerCase(), `${s.given_name} ${s.family_name}`.toLowerCase()]))
  const nameTerms = (others: { given_name: string; family_name: string }[]): Term<RedactReason>[] =>
    others
      .flatMap((o) => [`${o.given_name} ${o.family_name}`, o.given_name])
      .filter((n) => n.trim().length >= 2 && !subjectNames.has(n.toLowerCase()))
      .map((value) => ({ value, reason: 'third-party' as const }))

  const involvementsOut = involvements.map((inv) => {
    const family = people.filter((p) => p.involvement_id === inv.id)
    const self = family.find((p) => selfIds.has(p.id))!
    const others = family.filter((p) => !selfIds.has(p.id))
    const protectionRows = protections.filter((p) => p.involvement_id === inv.id)
    // Marked as protected: details kept from this person, and another person's details kept from
    // any family member (a child's record is often asked for, and read, by a parent).
    const markedProtections = protectionRows.filter((p) => !p.ended_at && (p.hidden_from_people.includes(self.id) || (p.person_id !== self.id && p.hidden_from_people.length > 0)))
    const terms: Term<RedactReason>[] = [...hiddenTerms(markedProtections.map((p) => ({ ...protectionOf(p), hiddenFromPeople: [self.id] })), { personId: self.id }), ...nameTerms(others)]
    const mark = marker(terms)
    const nameOf = new Map(family.map((p) => [p.id, `${p.given_name} ${p.family_name}`]))
    const assessment = assessments.find((a) => a.involvement_id === inv.id)
    const content = (assessment?.content ?? {}) as { strengths?: string; needs?: string; analysis?: string; views?: Record<string, string>; voices?: Record<string, { words?: string; notGained?: string }> }
    const subjectNamesHere = [self.given_name, `${self.given_name} ${self.family_name}`].map((n) => n.toLowerCase())
    return {
      reference: inv.reference,
      familyName: inv.family_name,
      level: inv.level,
      status: inv.status,
      openedAt: iso(inv.opened_at),
      closedAt: iso(inv.closed_at),
      you: { name: `${self.given_name} ${self.family_name}`, kind: self.kind, dateOfBirth: self.date_of_birth, relationship: self.relationship, ethnicity: self.ethnicity, details: markDeep(self.details, mark) },
      otherFamilyMembers: others.map((o) => thirdParty({ name: `${o.given_name} ${o.family_name}`, relationship: o.relationship, dateOfBirth: o.date_of_birth })),
      protectedDetails: protectionRows
        .filter((p) => p.person_id === self.id)
        .map((p) => ({ kind: p.kind, value: p.value, keptFromFamilyMembers: p.hidden_from_people.map((id) => nameOf.get(id) ?? id), recordedAt: iso(p.recorded_at), liftedAt: iso(p.ended_at) })),
      planVersions: plans
        .filter((p) => p.involvement_id === inv.id)
        .map((p) => {
          const c = parseContent(p.content)
          const marked = markDeep({ ...c, familyMembers: [] }, mark) as Record<string, unknown>
          return {
            number: p.number,
            kind: p.kind,
            status: p.status,
            agreedAt: iso(p.agreed_at),
            reviewOn: p.review_on,
            familyScore: p.family_score,
            teamScore: p.team_score,
            ...marked,
            familyMembers: c.familyMembers.map((m) => ((m.personId && selfIds.has(m.personId)) || (!m.personId && subjectNames.has(m.name.trim().toLowerCase())) ? markDeep(m, mark) : thirdParty(m))),
            actionsNow: actions.filter((a) => a.plan_version_id === p.id).map((a) => ({ what: mark(a.what), who: mark(a.who), dueOn: a.due_on, status: a.status })),
          }
        }),
      assessment: assessment
        ? {
            status: assessment.status,
            completedAt: iso(assessment.completed_at),
            strengths: mark(content.strengths),
            needs: mark(content.needs),
            analysis: mark(content.analysis),
            views: Object.entries(content.views ?? {}).map(([id, words]) => (selfIds.has(id) ? { of: nameOf.get(id) ?? 'You', words: mark(words) } : thirdParty({ of: nameOf.get(id) ?? 'Someone else', words }))),
            voices: Object.entries(content.voices ?? {}).map(([id, v]) =>
              selfIds.has(id) ? { of: nameOf.get(id) ?? 'You', words: mark(v.words), notGained: mark(v.notGained) } : thirdParty({ of: nameOf.get(id) ?? 'Someone else', words: v.words ?? '', notGained: v.notGained ?? '' }),
            ),
          }
        : null,
      meetings: byInvolvement(meetings, inv.id)
        .filter((m) => {
          const json = JSON.stringify([m.invitees, m.attendance]).toLowerCase()
          return [...selfIds].some((id) => json.includes(id)) || subjectNamesHere.some((n) => json.includes(n))
        })
        .map((m) => {
          const attendance = ((m.attendance ?? {}) as { people?: { personId?: string | null; name?: string; attended?: string; views?: string }[] }).people ?? []
          return {
            kind: m.kind,
            scheduledAt: iso(m.scheduled_at),
            status: m.status,
            venue: m.is_virtual ? 'Virtual' : m.venue,
            attendance: attendance.map((a) => (a.personId && selfIds.has(a.personId) ? { name: a.name, attended: a.attended, views: mark(a.views) } : a.views ? thirdParty({ name: a.name, attended: a.attended, views: a.views }) : { name: a.name, attended: a.attended })),
          }
        }),
      chronology: byInvolvement(chronology, inv.id).map((c) => ({ occurredAt: iso(c.occurred_at), kind: c.kind, summary: mark(c.summary), detail: mark(c.detail), author: c.author })),
      signposting: byInvolvement(signposts, inv.id).map((s) => ({ service: s.service_name, note: mark(s.note), signpostedAt: iso(s.signposted_at) })),
      consents: consents
        .filter((c) => c.involvement_id === inv.id)
        .map((c) => ({
          about: nameOf.get(c.for_person_id) ?? 'Someone else',
          givenBy: nameOf.get(c.given_by_person_id) ?? 'Someone else',
          purpose: c.purpose,
          agencies: c.agencies,
          how: c.how,
          givenOn: c.given_on,
          withdrawnOn: c.withdrawn_on,
          withdrawalNote: mark(c.withdrawal_note),
        })),
    }
  })

  const requestsOut = requests.map((r) => {
    const named = allRequestPeople.filter((p) => p.request_id === r.id)
    const selvesHere = named.filter((p) => requestPeopleIds.includes(p.id))
    const others = named.filter((p) => !requestPeopleIds.includes(p.id))
    const mark = marker(nameTerms(others))
    return {
      reference: r.reference,
      route: r.route,
      status: r.status,
      submittedAt: iso(r.submitted_at),
      decidedAt: iso(r.decided_at),
      outcome: r.outcome,
      decidedLevel: r.decided_level,
      decisionReason: mark(r.decision_reason),
      you: selvesHere.map((p) => ({ name: `${p.given_name} ${p.family_name}`, kind: p.kind, dateOfBirth: p.date_of_birth, nhsNumber: p.nhs_number, details: markDeep(p.details, mark) })),
      namedWithYou: others.map((p) => thirdParty({ name: `${p.given_name} ${p.family_name}`, kind: p.kind, dateOfBirth: p.date_of_birth })),
      answers: markDeep(r.answers, mark),
      signposting: requestSignposts.filter((s) => s.request_id === r.id).map((s) => ({ service: s.service_name, note: mark(s.note), signpostedAt: iso(s.signposted_at) })),
    }
  })

  return {
    format: 'early-help-subject-access/1',
    exportedAt: now.toISOString(),
    exportedBy: { accountId: actor.accountId, role: actor.role },
    authority: actor.tenantId,
    subject: { name: `${subject.given_name} ${subject.family_name}`, kind: subject.kind, dateOfBirth: subject.date_of_birth },
    howFound:
      'Every family’s early help this person is recorded in, found through the requests for support that named them and the front door’s confirmed matches of the same person; and every request for support naming them.',
    redaction: {
      note: 'Nothing has been removed. Passages marked "redact" must be considered before release: third-party details (other people’s details and words) and protected details kept from this person.',
      reasons: REASON_TEXT,
    },
    involvements: involvementsOut,
    requests: requestsOut,
  }
}

export type SubjectAccessRecord = Awaited<ReturnType<typeof gather>>
