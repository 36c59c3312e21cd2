import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { datePartsOf } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, typedValues } from '../../platform/http/forms.ts'
import { idParam as uuidParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { CASEWORK_ROLES, requireNeed } from '../involvements/access.ts'
import { listOf, readReason, readReviewDateForm, readScheduleForm, SCHEDULE_IDS, versionOf, type Body } from './forms.ts'
import { MEETING_KINDS, MEETING_STATUSES } from './rules.ts'
import { cancelMeeting, changeReviewDate, meetingPage, meetingsList, recordMeeting, reviewDatePage, scheduleForm, scheduleMeeting, type Result } from './service.ts'

const VIEWS = 'features/meetings/views'

const bodyOf = (request: FastifyRequest): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {})

export async function meetingsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const casework = { preHandler: requireRole(db, CASEWORK_ROLES) }
  const common = { kinds: MEETING_KINDS, statuses: MEETING_STATUSES }

  app.get('/involvements/:id/meetings', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const view = await meetingsList(db, actorOf(request), id, page)
    const now = Date.now()
    const upcoming = view.rows.filter((m) => m.status === 'scheduled' && m.scheduled_at.getTime() >= now)
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      ...common,
      ...view,
      upcoming,
      past: view.rows.filter((m) => !upcoming.includes(m)),
      range: rangeText(page, view.rows.length, view.total, 'meetings'),
      pagination: paginationParams(`/involvements/${id}/meetings`, {}, page, view.total),
      cancelled: (request.query as Record<string, unknown>).cancelled === '1',
    })
  })

  const renderSchedule = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const id = uuidParam(request, 'id')
    const view = await scheduleForm(db, actorOf(request), id)
    return reply.viewAsync(`${VIEWS}/schedule.njk`, { ...common, ...view, values: { where: '' }, invited: view.team.map((m) => m.memberId), ...extra })
  }

  app.get('/involvements/:id/meetings/new', casework, async (request, reply) => renderSchedule(request, reply))

  app.post('/involvements/:id/meetings/new', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const body = bodyOf(request)
    const now = new Date()
    const form = readScheduleForm(body, localDateOf(now))
    const result = form.ok ? await scheduleMeeting(db, actorOf(request), id, form.value, now) : form
    if (!result.ok) {
      reply.code(400)
      return renderSchedule(request, reply, { values: typedValues(body), invited: listOf(body.invitees), ...errorsToSummary(result.errors, SCHEDULE_IDS) })
    }
    return reply.redirect(`/involvements/${id}/meetings/${result.meetingId}`, 303)
  })

  const renderMeeting = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const id = uuidParam(request, 'id')
    const meetingId = uuidParam(request, 'meetingId')
    const view = await meetingPage(db, actorOf(request), id, meetingId)
    return reply.viewAsync(`${VIEWS}/meeting.njk`, { ...common, ...view, values: {}, cancelValues: {}, ...extra })
  }

  app.get('/involvements/:id/meetings/:meetingId', casework, async (request, reply) => renderMeeting(request, reply))

  app.post('/involvements/:id/meetings/:meetingId', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const meetingId = uuidParam(request, 'meetingId')
    const body = bodyOf(request)
    const answers = typedValues(body)
    const result = await recordMeeting(db, actorOf(request), id, meetingId, { version: versionOf(body), answers }, new Date())
    if (!result.ok) {
      reply.code(result.conflict ? 409 : 400)
      return renderMeeting(request, reply, { values: answers, ...errorsToSummary(result.errors, { form: 'record' }) })
    }
    return reply.redirect(`/involvements/${id}/plans/${result.planNumber}`, 303)
  })

  app.post('/involvements/:id/meetings/:meetingId/cancel', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const meetingId = uuidParam(request, 'meetingId')
    await requireNeed(db, actorOf(request), id, 'manage')
    const body = bodyOf(request)
    const reason = readReason(body, 'for cancelling the meeting')
    const result: Result<object> = reason.error ? { ok: false, errors: { reason: reason.error } } : await cancelMeeting(db, actorOf(request), id, meetingId, { version: versionOf(body), reason: reason.reason }, new Date())
    if (!result.ok) {
      reply.code(result.conflict ? 409 : 400)
      return renderMeeting(request, reply, { cancelValues: typedValues(body), ...errorsToSummary(result.errors, { reason: 'reason' }) })
    }
    return reply.redirect(`/involvements/${id}/meetings?cancelled=1`, 303)
  })

  const renderReviewDate = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const id = uuidParam(request, 'id')
    const view = await reviewDatePage(db, actorOf(request), id)
    const current = view.involvement.next_review_on ? datePartsOf(view.involvement.next_review_on) : { day: '', month: '', year: '' }
    return reply.viewAsync(`${VIEWS}/review-date.njk`, {
      ...view,
      values: { 'date-day': current.day, 'date-month': current.month, 'date-year': current.year },
      ...extra,
    })
  }

  app.get('/involvements/:id/review-date', casework, async (request, reply) => renderReviewDate(request, reply))

  app.post('/involvements/:id/review-date', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const body = bodyOf(request)
    const now = new Date()
    const form = readReviewDateForm(body, localDateOf(now))
    const result: Result<object> = form.ok ? await changeReviewDate(db, actorOf(request), id, { date: form.date, reason: form.reason, version: versionOf(body) }, now) : form
    if (!result.ok) {
      reply.code(result.conflict ? 409 : 400)
      return renderReviewDate(request, reply, { values: typedValues(body), ...errorsToSummary(result.errors, { date: 'date-day' }) })
    }
    return reply.redirect(`/involvements/${id}?done=review-date`, 303)
  })
}
