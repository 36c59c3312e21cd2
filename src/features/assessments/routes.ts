import type { FastifyInstance, FastifyRequest } from 'fastify'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { CASEWORK_ROLES } from '../involvements/access.ts'
import { contentValues, fieldName, personLabel, type AssessmentPerson } from './content.ts'
import { saveAssessment, viewAssessment, type AssessmentView } from './service.ts'

const VIEW = 'features/assessments/views/assessment.njk'

function involvementId(request: FastifyRequest): string {
  const value = (request.params as Record<string, string>).id
  if (!isUuid(value)) throw new NotFoundError()
  return value
}

const DUE_TAGS = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--orange' },
  'not-due': { text: 'Not due yet', classes: 'govuk-tag--blue' },
} as const

function pageContext(view: AssessmentView, values: Record<string, string>, extra: Record<string, unknown> = {}) {
  const people = view.people.map((p: AssessmentPerson) => ({
    ...p,
    label: personLabel(p),
    viewsField: fieldName.views(p.id),
    voiceField: fieldName.voice(p.id),
    notGainedField: fieldName.notGained(p.id),
  }))
  return {
    ...view,
    values,
    people,
    children: people.filter((p) => p.kind === 'child'),
    dueTag: view.assessment.status === 'completed' ? { text: 'Completed', classes: 'govuk-tag--green' } : DUE_TAGS[view.due],
    version: view.assessment.version,
    ...extra,
  }
}

export async function assessmentsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, CASEWORK_ROLES) }

  app.get('/involvements/:id/assessment', guard, async (request, reply) => {
    const id = involvementId(request)
    const view = await viewAssessment(db, actorOf(request), id, new Date())
    const saved = (request.query as Record<string, string>).saved
    return reply.viewAsync(VIEW, pageContext(view, contentValues(view.content, view.people), { saved: saved === 'draft' || saved === 'completed' ? saved : undefined }))
  })

  app.post('/involvements/:id/assessment', guard, async (request, reply) => {
    const id = involvementId(request)
    const actor = actorOf(request)
    const body = (request.body ?? {}) as Record<string, unknown>
    const complete = body.action === 'complete'
    const version = Number(body.version)
    const result = await saveAssessment(db, actor, id, { version, body, complete }, new Date())
    if (result.ok) return reply.redirect(`/involvements/${id}/assessment?saved=${result.completed ? 'completed' : 'draft'}`, 303)
    if (result.reason === 'completed') return reply.redirect(`/involvements/${id}/assessment`, 303)
    const values = contentValues(result.content, result.people)
    const view = await viewAssessment(db, actor, id, new Date())
    if (result.reason === 'stale') {
      // What they typed stays on the page, now against the latest version, so saving again is a deliberate choice.
      reply.code(409)
      return reply.viewAsync(
        VIEW,
        pageContext(view, values, {
          errors: {},
          errorList: [{ text: STALE, href: '#assessment-form' }],
          stale: true,
        }),
      )
    }
    reply.code(400)
    return reply.viewAsync(VIEW, pageContext(view, values, { ...errorsToSummary(result.errors), version: Number.isInteger(version) ? version : view.assessment.version }))
  })
}

const STALE = 'Someone else saved this assessment after you opened it. Your changes are below but have not been saved: check them, then save again.'
