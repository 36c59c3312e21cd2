import { cadenceText, reviewCadenceFor } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import type { MeetingKind } from '../../platform/db/schema.ts'
import { ReadOnlyError } from '../../platform/http/errors.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { recordChronology } from '../chronology/record.ts'
import { allows, withInvolvement, type LoadedInvolvement } from '../involvements/access.ts'
import { startPlanFromMeeting, type MeetingPlanPrefill } from './plan-link.ts'
import { meetingsRepository as meetings, type TeamMember } from './repository.ts'
import { reviewDateAfterMeeting } from './review-rules.ts'
import { kindsAllowed, localTimeOf, MEETING_KINDS } from './rules.ts'

export type Errors = Record<string, string>
/** A change's outcome: done, or refused with errors; `conflict` when someone else changed the record first (409). */
export type Result<T> = ({ ok: true } & T) | { ok: false; errors: Errors; conflict?: true }

type Involvement = LoadedInvolvement['involvement']

/** Someone invited to, or recorded at, a meeting: a snapshot of the team member at the time. */
export type Invitee = TeamMember

/** What was recorded for one person at a held meeting. */
export interface AttendanceEntry extends Invitee {
  attended: 'yes' | 'no'
  viewsGained?: 'yes' | 'no'
  views?: string
  reportProvided?: 'yes' | 'no'
}

export interface Attendance {
  people?: AttendanceEntry[]
  cancelled?: { reason: string; at: string; by: string }
}

const canChange = (loaded: LoadedInvolvement) => allows(loaded.relation, 'manage') && loaded.involvement.status !== 'closed'

function inviteesOf(value: unknown): Invitee[] {
  return Array.isArray(value) ? (value as Invitee[]) : []
}

/** The people a meeting is recorded for: its invitees, then anyone on the team now who was not invited. */
export function peopleToRecord(invited: Invitee[], team: TeamMember[]): (Invitee & { invited: boolean })[] {
  const ids = new Set(invited.map((i) => i.memberId))
  const current = new Map(team.map((m) => [m.memberId, m]))
  return [
    ...invited.map((i) => ({ ...(current.get(i.memberId) ?? i), invited: true })),
    ...team.filter((m) => !ids.has(m.memberId)).map((m) => ({ ...m, invited: false })),
  ].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'family' ? -1 : 1))
}

export async function meetingsList(db: Database, actor: Actor, involvementId: string, page: number) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const { rows, total } = await meetings.list(trx, involvementId, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'meeting-viewed', recordType: 'involvement', recordId: involvementId, detail: { list: true, page, shown: rows.length } }))
    return { involvement: loaded.involvement, rows, total, canManage: canChange(loaded) }
  })
}

/** What the scheduling form offers: the kinds of meeting allowed now, the team to invite and who can coordinate. */
async function scheduleOptions(trx: Trx, involvementId: string) {
  const team = await meetings.team(trx, involvementId)
  const kinds = kindsAllowed(await meetings.heldCount(trx, involvementId))
  const coordinators = team.filter((m) => m.kind === 'practitioner' && m.accountId)
  return { team, kinds, coordinators }
}

export async function scheduleForm(db: Database, actor: Actor, involvementId: string) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const options = await scheduleOptions(trx, involvementId)
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { page: 'meeting-new' } }))
    return { involvement, ...options }
  })
}

export interface ScheduleInput {
  kind: string
  scheduledAt: Date
  isVirtual: boolean
  venue: string | null
  coordinatorAccountId: string
  inviteeIds: string[]
}

/** Schedules a Team Around the Family meeting; the kind, coordinator and invitees are checked against the family's team as it is now. */
export async function scheduleMeeting(db: Database, actor: Actor, involvementId: string, input: ScheduleInput, now: Date): Promise<Result<{ meetingId: string }>> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx): Promise<Result<{ meetingId: string }>> => {
    const { team, kinds, coordinators } = await scheduleOptions(trx, involvementId)
    const errors: Errors = {}
    if (!kinds.includes(input.kind as MeetingKind)) {
      errors.kind = kinds.length === 1 ? 'The first meeting held is the initial meeting' : 'Select whether this is a review meeting or the final meeting'
    }
    const coordinator = coordinators.find((c) => c.accountId === input.coordinatorAccountId)
    if (!coordinator) errors.coordinator = 'Select who will coordinate the meeting'
    const invited = input.inviteeIds.map((id) => team.find((m) => m.memberId === id))
    if (invited.some((m) => !m)) errors.invitees = 'Select people who are on the Team Around the Family'
    else if (!invited.length) errors.invitees = 'Select who is invited to the meeting'
    if (Object.keys(errors).length) return { ok: false, errors }

    const kind = input.kind as MeetingKind
    const row = await trx
      .insertInto('meetings')
      .values({
        tenant_id: actor.tenantId,
        involvement_id: involvementId,
        kind,
        scheduled_at: input.scheduledAt,
        venue: input.venue,
        is_virtual: input.isVirtual,
        coordinator_account_id: input.coordinatorAccountId,
        invitees: JSON.stringify(invited),
        created_by: actor.accountId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const where = input.isVirtual ? 'online' : `at ${input.venue}`
    await recordChronology(trx, actor, involvementId, {
      kind: 'meeting',
      summary: `${MEETING_KINDS[kind]} Team Around the Family meeting arranged for ${formatDateTime(input.scheduledAt)}, ${where}`,
      detail: `Coordinator: ${coordinator?.name}. Invited: ${invited.map((m) => m?.name).join(', ')}.`,
      occurredAt: now,
    })
    await recordAudit(trx, auditBy(actor, { action: 'meeting-scheduled', recordType: 'meeting', recordId: row.id, detail: { involvementId, kind, invited: invited.length } }))
    return { ok: true, meetingId: row.id }
  })
}

async function loadMeeting(trx: Trx, involvementId: string, meetingId: string) {
  const meeting = await meetings.meeting(trx, involvementId, meetingId)
  if (!meeting) throw new NotFoundError()
  return meeting
}

export async function meetingPage(db: Database, actor: Actor, involvementId: string, meetingId: string) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const meeting = await loadMeeting(trx, involvementId, meetingId)
    const team = meeting.status === 'scheduled' ? await meetings.team(trx, involvementId) : []
    const attendance = (meeting.attendance ?? {}) as Attendance
    const people = meeting.status === 'held' ? (attendance.people ?? []) : peopleToRecord(inviteesOf(meeting.invitees), team)
    const plan = meeting.status === 'held' ? await meetings.planFor(trx, meetingId) : undefined
    await recordAudit(trx, auditBy(actor, { action: 'meeting-viewed', recordType: 'meeting', recordId: meetingId, detail: { involvementId } }))
    return {
      involvement: loaded.involvement,
      meeting,
      attendance,
      people,
      invitees: inviteesOf(meeting.invitees),
      plan,
      canRecord: canChange(loaded) && meeting.status === 'scheduled',
    }
  })
}

export interface RecordInput {
  version: number
  /** Answers by field name, as typed: attended-<memberId>, viewsGained-<memberId>, views-<memberId>, report-<memberId>. */
  answers: Record<string, string>
}

const yesNo = (v: string | undefined) => (v === 'yes' || v === 'no' ? v : undefined)

/** Pure: what was recorded for each person, or the errors, field by field. */
export function readAttendance(people: Invitee[], answers: Record<string, string>): { entries: AttendanceEntry[]; errors: Errors } {
  const errors: Errors = {}
  const entries = people.map((p): AttendanceEntry => {
    const id = p.memberId
    const attended = yesNo(answers[`attended-${id}`])
    if (!attended) errors[`attended-${id}`] = `Select whether ${p.name} attended`
    const entry: AttendanceEntry = { ...p, attended: attended ?? 'no' }
    if (p.kind === 'family') {
      const viewsGained = yesNo(answers[`viewsGained-${id}`])
      if (!viewsGained) errors[`viewsGained-${id}`] = `Select whether ${p.name}’s views were gained`
      const views = (answers[`views-${id}`] ?? '').trim()
      if (views.length > 5000) errors[`views-${id}`] = `${p.name}’s views must be 5000 characters or fewer`
      if (viewsGained === 'yes' && !views) errors[`views-${id}`] = `Enter ${p.name}’s views`
      entry.viewsGained = viewsGained ?? 'no'
      entry.views = views
    } else {
      const report = yesNo(answers[`report-${id}`])
      if (!report) errors[`report-${id}`] = `Select whether ${p.name} provided a report`
      entry.reportProvided = report ?? 'no'
    }
    return entry
  })
  return { entries, errors }
}

/** Pure: the next plan version's meeting details, family members and practitioners, from what the meeting recorded. */
export function planPrefill(
  meeting: { scheduled_at: Date; venue: string | null; is_virtual: boolean; coordinator_name: string | null },
  entries: AttendanceEntry[],
): MeetingPlanPrefill {
  const family = entries.filter((e) => e.kind === 'family')
  return {
    meeting: {
      date: localDateOf(meeting.scheduled_at),
      time: localTimeOf(meeting.scheduled_at),
      venue: meeting.venue ?? '',
      virtual: meeting.is_virtual ? 'yes' : 'no',
      coordinator: meeting.coordinator_name ?? '',
    },
    familyMembers: family.map((e) => ({
      personId: e.personId,
      name: e.name,
      relationship: e.relationship || e.role,
      attended: e.attended,
      viewsGained: e.viewsGained ?? 'no',
      ethnicity: e.ethnicity ?? '',
    })),
    practitioners: entries
      .filter((e) => e.kind === 'practitioner')
      .map((e) => ({
        name: e.name,
        role: [e.role, e.organisation].filter(Boolean).join(', '),
        contact: e.contact ?? '',
        attended: e.attended,
        reportProvided: e.reportProvided ?? 'no',
      })),
    familyViews: family.filter((e) => e.views).map((e) => `${e.name} (${e.relationship || e.role}): ${e.views}`),
  }
}

const STALE = 'Someone else changed this meeting while you were recording it. Check the meeting again, then save.'

/**
 * Records a held meeting in one transaction: attendance and views, the chronology, the next review
 * date from the authority's cadence (after an initial or review meeting), and the next version of
 * the Early Help Plan, prefilled from the meeting.
 */
export async function recordMeeting(
  db: Database,
  actor: Actor,
  involvementId: string,
  meetingId: string,
  input: RecordInput,
  now: Date,
): Promise<Result<{ planNumber: number }>> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }): Promise<Result<{ planNumber: number }>> => {
    const meeting = await loadMeeting(trx, involvementId, meetingId)
    if (meeting.status !== 'scheduled') {
      throw new ReadOnlyError(`/involvements/${involvementId}/meetings/${meetingId}`, `This meeting has been ${meeting.status === 'held' ? 'recorded' : 'cancelled'}, so it can no longer be changed`)
    }
    const people = peopleToRecord(inviteesOf(meeting.invitees), await meetings.team(trx, involvementId))
    const { entries, errors } = readAttendance(people, input.answers)
    if (Object.keys(errors).length) return { ok: false, errors }
    const heldAt = meeting.scheduled_at.getTime() <= now.getTime() ? meeting.scheduled_at : now
    const updated = await trx
      .updateTable('meetings')
      .set({
        status: 'held',
        attendance: JSON.stringify({ people: entries } satisfies Attendance),
        held_at: heldAt,
        recorded_by: actor.accountId,
        version: (eb) => eb('version', '+', 1),
      })
      .where('id', '=', meetingId)
      .where('version', '=', input.version)
      .where('status', '=', 'scheduled')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { form: STALE }, conflict: true }

    let nextReview: string | undefined
    let current: Involvement = involvement
    if (meeting.kind !== 'final') {
      const framework = frameworkById(actor.tenantId)
      nextReview = framework && reviewDateAfterMeeting(framework, involvement.level, involvement.route, localDateOf(heldAt))
      if (nextReview) {
        current = await trx
          .updateTable('involvements')
          .set({ next_review_on: nextReview, version: (eb) => eb('version', '+', 1), updated_at: now })
          .where('id', '=', involvementId)
          .returningAll()
          .executeTakeFirstOrThrow()
      }
    }
    const attended = entries.filter((e) => e.attended === 'yes')
    await recordChronology(trx, actor, involvementId, {
      kind: 'meeting',
      summary: `${MEETING_KINDS[meeting.kind]} Team Around the Family meeting held${nextReview ? `. Next review by ${formatDate(nextReview)}` : ''}`,
      detail: `Attended: ${attended.map((e) => e.name).join(', ') || 'nobody recorded'}. Did not attend: ${entries.filter((e) => e.attended === 'no').map((e) => e.name).join(', ') || 'none'}.`,
      significant: true,
      occurredAt: heldAt,
    })
    // Recording the meeting starts the next plan version: one action, one audit event naming both.
    const plan = await startPlanFromMeeting(trx, actor, current, { id: meetingId, kind: meeting.kind, heldOn: localDateOf(heldAt) }, planPrefill(meeting, entries), now)
    await recordAudit(
      trx,
      auditBy(actor, {
        action: 'meeting-recorded',
        recordType: 'meeting',
        recordId: meetingId,
        detail: { involvementId, kind: meeting.kind, attended: attended.length, of: entries.length, nextReview, planNumber: plan.number },
      }),
    )
    return { ok: true, planNumber: plan.number }
  })
}

export async function cancelMeeting(db: Database, actor: Actor, involvementId: string, meetingId: string, input: { version: number; reason: string }, now: Date): Promise<Result<object>> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx): Promise<Result<object>> => {
    const meeting = await loadMeeting(trx, involvementId, meetingId)
    if (meeting.status !== 'scheduled') {
      throw new ReadOnlyError(`/involvements/${involvementId}/meetings/${meetingId}`, `This meeting has been ${meeting.status === 'held' ? 'recorded' : 'cancelled'}, so it can no longer be changed`)
    }
    const updated = await trx
      .updateTable('meetings')
      .set({
        status: 'cancelled',
        attendance: JSON.stringify({ cancelled: { reason: input.reason, at: now.toISOString(), by: actor.accountId } } satisfies Attendance),
        version: (eb) => eb('version', '+', 1),
      })
      .where('id', '=', meetingId)
      .where('version', '=', input.version)
      .where('status', '=', 'scheduled')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { reason: STALE.replace('recording', 'cancelling') }, conflict: true }
    await recordChronology(trx, actor, involvementId, {
      kind: 'meeting',
      summary: `${MEETING_KINDS[meeting.kind]} Team Around the Family meeting of ${formatDateTime(meeting.scheduled_at)} cancelled`,
      detail: input.reason,
      occurredAt: now,
    })
    await recordAudit(trx, auditBy(actor, { action: 'meeting-cancelled', recordType: 'meeting', recordId: meetingId, detail: { involvementId } }))
    return { ok: true }
  })
}

/** The review date page: the date now, the authority's cadence in words, and the date the cadence gives. */
export async function reviewDatePage(db: Database, actor: Actor, involvementId: string) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const framework = frameworkById(actor.tenantId)
    const cadence = framework ? reviewCadenceFor(framework, involvement.level, involvement.route) : undefined
    const last = await meetings.lastHeldReview(trx, involvementId)
    const from = last?.held_at ? localDateOf(last.held_at) : localDateOf(involvement.allocated_at)
    const suggested = framework ? reviewDateAfterMeeting(framework, involvement.level, involvement.route, from) : undefined
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { page: 'review-date' } }))
    return {
      involvement,
      cadence: cadence ? { text: cadenceText(cadence), appliesTo: cadence.appliesTo, source: cadence.source } : undefined,
      basis: last ? { kind: last.kind, on: from } : { kind: 'opened' as const, on: from },
      suggested,
    }
  })
}

export async function changeReviewDate(
  db: Database,
  actor: Actor,
  involvementId: string,
  input: { date: string; reason: string; version: number },
  now: Date,
): Promise<Result<object>> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }): Promise<Result<object>> => {
    const updated = await trx
      .updateTable('involvements')
      .set({ next_review_on: input.date, version: (eb) => eb('version', '+', 1), updated_at: now })
      .where('id', '=', involvementId)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { date: 'Someone else changed this family’s early help while you were changing the date. Check the date again, then save.' }, conflict: true }
    const from = involvement.next_review_on
    await recordChronology(trx, actor, involvementId, {
      kind: 'review',
      summary: from ? `Next review date changed from ${formatDate(from)} to ${formatDate(input.date)}` : `Next review date set to ${formatDate(input.date)}`,
      detail: input.reason,
      occurredAt: now,
    })
    await recordAudit(trx, auditBy(actor, { action: 'review-date-changed', recordType: 'involvement', recordId: involvementId, detail: { from, to: input.date } }))
    return { ok: true }
  })
}
