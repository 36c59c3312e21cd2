import type { FastifyInstance } from 'fastify'
import { parseDateParts } from '../../domain/dates.ts'
import { cadenceText } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { dateParts, errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import type { Closure } from '../transitions/rules.ts'
import { closureSummary } from '../transitions/routes.ts'
import { CASEWORK_ROLES } from './access.ts'
import { scoreChart } from './chart.ts'
import { directStartForm, familyMemberForm, handoverForm, removeMemberForm, teamMemberForm } from './forms.ts'
import { addFamilyMember, addTeamMember, formContext, handOver, listInvolvements, overview, removeTeamMember, startDirect } from './service.ts'

const VIEWS = 'features/involvements/views'

const anyPart = (parts: { day?: string | undefined; month?: string | undefined; year?: string | undefined }) => !!(parts.day?.trim() || parts.month?.trim() || parts.year?.trim())

export async function involvementRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const casework = { preHandler: requireRole(db, CASEWORK_ROLES) }
  const practitioner = { preHandler: requireRole(db, ['practitioner']) }

  app.get('/involvements', casework, async (request, reply) => {
    const actor = actorOf(request)
    const query = request.query as Record<string, unknown>
    const page = pageNumber(query.page)
    const filter = { overdue: query.overdue === 'yes', closed: query.closed === 'yes', closing: query.closing === 'yes', team: query.team === 'yes' && actor.role === 'practitioner' }
    const { rows, total } = await listInvolvements(db, actor, filter, page, new Date())
    const params: Record<string, string> = {}
    if (filter.overdue) params.overdue = 'yes'
    if (filter.closed) params.closed = 'yes'
    if (filter.closing) params.closing = 'yes'
    if (filter.team) params.team = 'yes'
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      rows,
      filter,
      mine: actor.role === 'practitioner',
      canStepDown: actor.role === 'duty_manager' || actor.role === 'team_manager',
      framework: frameworkById(actor.tenantId),
      range: rangeText(page, rows.length, total, 'families'),
      pagination: paginationParams('/involvements', params, page, total),
    })
  })

  app.get('/involvements/new', practitioner, async (request, reply) => reply.viewAsync(`${VIEWS}/new.njk`, { framework: frameworkById(actorOf(request).tenantId), values: {} }))

  app.post('/involvements/new', practitioner, async (request, reply) => {
    const actor = actorOf(request)
    const values = typedValues(request.body)
    const today = localDateOf(new Date())
    const form = validateForm(directStartForm, request.body, { consent: 'consent' })
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
    const child = parseDateParts(dateParts(request.body, 'childDate'), { label: 'The child’s date of birth', today })
    if (!child.ok) errors.childDate = child.message
    const adultParts = dateParts(request.body, 'adultDate')
    const adult = anyPart(adultParts) ? parseDateParts(adultParts, { label: 'Their date of birth', today }) : undefined
    if (adult && !adult.ok) errors.adultDate = adult.message
    if (!form.ok || !child.ok || (adult && !adult.ok)) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/new.njk`, { framework: frameworkById(actor.tenantId), values, ...errorsToSummary(order(errors, NEW_FIELDS), { childDate: 'childDate-day', adultDate: 'adultDate-day' }) })
    }
    const { id } = await startDirect(db, actor, form.value, { child: child.date, adult: adult?.ok ? adult.date : null }, new Date())
    return reply.redirect(`/involvements/${id}`, 303)
  })

  app.get('/involvements/:id', casework, async (request, reply) => {
    const actor = actorOf(request)
    const view = await overview(db, actor, idParam(request), new Date())
    const framework = frameworkById(actor.tenantId)
    const cadence = framework?.reviewCadences.find((c) => c.id === view.involvement.review_cadence_id)
    const scores = view.scores.map((v) => ({ label: `Version ${v.number}`, family: v.family_score, team: v.team_score }))
    return reply.viewAsync(`${VIEWS}/overview.njk`, {
      ...view,
      framework,
      levelName: framework?.levels.find((l) => l.level === view.involvement.level)?.name,
      assessmentName: framework?.assessmentName.name ?? 'Family assessment',
      cadence: cadence ? { text: cadenceText(cadence), appliesTo: cadence.appliesTo } : undefined,
      chart: scores.length ? scoreChart(scores) : undefined,
      closure: framework ? closureSummary(framework, view.involvement.closure as Closure | null) : null,
      done: (request.query as Record<string, unknown>).done,
    })
  })

  // The Team Around the Family.
  app.get('/involvements/:id/team', casework, async (request, reply) => {
    const context = await formContext(db, actorOf(request), idParam(request))
    return reply.viewAsync(`${VIEWS}/team.njk`, { ...context, values: {} })
  })

  app.post('/involvements/:id/team', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(teamMemberForm, request.body)
    const result = form.ok ? await addTeamMember(db, actor, id, form.value, new Date()) : form
    if (!result.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/team.njk`, { ...(await formContext(db, actor, id)), values, ...errorsToSummary(order(result.errors, TEAM_FIELDS)) })
    }
    return reply.redirect(`/involvements/${id}?done=team-added#team`, 303)
  })

  app.post('/involvements/:id/team/:memberId/remove', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const memberId = idParam(request, 'memberId')
    const form = validateForm(removeMemberForm, request.body, { reason: `reason-${memberId}` })
    const result = form.ok ? await removeTeamMember(db, actor, id, memberId, form.value.reason, new Date()) : form
    if (!result.ok) {
      reply.code(400)
      const errors = Object.fromEntries(Object.entries(result.errors).map(([, message]) => [`reason-${memberId}`, message]))
      return reply.viewAsync(`${VIEWS}/team.njk`, { ...(await formContext(db, actor, id)), values: { [`reason-${memberId}`]: typedValues(request.body).reason ?? '' }, ...errorsToSummary(errors) })
    }
    return reply.redirect(`/involvements/${id}?done=team-removed#team`, 303)
  })

  // The Lead Professional.
  app.get('/involvements/:id/lead-professional', casework, async (request, reply) => {
    const context = await formContext(db, actorOf(request), idParam(request))
    return reply.viewAsync(`${VIEWS}/lead-professional.njk`, { ...context, values: { version: String(context.involvement.version) } })
  })

  app.post('/involvements/:id/lead-professional', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(handoverForm, request.body)
    const result = form.ok ? await handOver(db, actor, id, form.value, new Date()) : form
    if (!result.ok) {
      reply.code(400)
      const context = await formContext(db, actor, id)
      return reply.viewAsync(`${VIEWS}/lead-professional.njk`, { ...context, values: { ...values, version: String(context.involvement.version) }, ...errorsToSummary(result.errors) })
    }
    return reply.redirect(`/involvements/${id}?done=lead-changed`, 303)
  })

  // Family members beyond those the involvement opened with.
  app.get('/involvements/:id/people/new', casework, async (request, reply) => {
    const context = await formContext(db, actorOf(request), idParam(request))
    return reply.viewAsync(`${VIEWS}/person-new.njk`, { ...context, values: {} })
  })

  app.post('/involvements/:id/people/new', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(familyMemberForm, request.body, { kind: 'kind' })
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
    const parts = dateParts(request.body, 'date')
    const born = anyPart(parts) ? parseDateParts(parts, { label: 'Date of birth', today: localDateOf(new Date()) }) : undefined
    if (born && !born.ok) errors.date = born.message
    if (!form.ok || (born && !born.ok)) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/person-new.njk`, { ...(await formContext(db, actor, id)), values, ...errorsToSummary(order(errors, PERSON_FIELDS), { date: 'date-day' }) })
    }
    await addFamilyMember(db, actor, id, form.value, born?.ok ? born.date : null, new Date())
    return reply.redirect(`/involvements/${id}?done=person-added#family`, 303)
  })
}

const NEW_FIELDS = ['familyName', 'childGivenName', 'childFamilyName', 'childDate', 'adultGivenName', 'adultFamilyName', 'adultRelationship', 'adultDate', 'consent']
const TEAM_FIELDS = ['email', 'name', 'organisation', 'contact', 'role']
const PERSON_FIELDS = ['kind', 'givenName', 'familyName', 'relationship', 'date', 'ethnicity']

/** Errors in the order the fields appear on the page, so the summary reads top to bottom. */
function order(errors: Record<string, string>, fields: string[]): Record<string, string> {
  return Object.fromEntries(fields.filter((f) => errors[f]).map((f) => [f, errors[f] as string]))
}
