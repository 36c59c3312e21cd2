import type { FastifyInstance, FastifyRequest } from 'fastify'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam as uuidParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { CONSENT_RISK_REASONS, SEND, SEX } from '../requests/answers.ts'
import { ageOf, clocksFor } from './clocks.ts'
import { decisionForm } from './forms.ts'
import { acknowledgeRequest, decideMatch, decideRequest, FRONT_DOOR_ROLES, frontDoorQueue, openRequest } from './service.ts'

const VIEWS = 'features/triage/views'

export async function triageRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const frontDoor = { preHandler: requireRole(db, FRONT_DOOR_ROLES) }
  const dutyManager = { preHandler: requireRole(db, ['duty_manager']) }

  app.get('/front-door', frontDoor, async (request, reply) => {
    const actor = actorOf(request)
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const { rows, total } = await frontDoorQueue(db, actor, page)
    const framework = frameworkById(actor.tenantId)
    const now = new Date()
    return reply.viewAsync(`${VIEWS}/queue.njk`, {
      rows: rows.map((row) => ({ ...row, age: ageOf(row.submitted_at, now), clocks: framework ? clocksFor(framework, row, now) : null })),
      range: rangeText(page, rows.length, total, 'requests waiting for a decision'),
      pagination: paginationParams('/front-door', {}, page, total),
    })
  })

  const renderRequest = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(request)
    const id = uuidParam(request, 'id')
    const view = await openRequest(db, actor, id, new Date())
    const framework = frameworkById(actor.tenantId)
    const answers = view.request.answers as Record<string, Record<string, unknown> | undefined>
    const label = (list: { id: string; text: string }[] | undefined, ids: unknown) =>
      (Array.isArray(ids) ? ids : []).map((i) => list?.find((x) => x.id === i)?.text ?? String(i))
    const indicatorsByDomain = (framework?.indicatorDomains ?? [])
      .map((d) => ({ name: d.name, indicators: label(d.indicators, answers.needs?.indicators).filter((t) => d.indicators.some((i) => i.text === t)) }))
      .filter((d) => d.indicators.length)
    return {
      ...view,
      answers,
      framework,
      canDecide: actor.role === 'duty_manager',
      clocks: framework ? clocksFor(framework, view.request, new Date()) : null,
      indicatorsByDomain,
      vulnerabilities: label(framework?.vulnerabilities, answers.needs?.vulnerabilities),
      difficulties: label(framework?.familySolutions?.difficulties, answers.needs?.difficulties),
      outcomes: framework?.triageOutcomes ?? [],
      outcomeNames: Object.fromEntries((framework?.triageOutcomes ?? []).map((o) => [o.id, o.name])),
      consentRiskReasons: CONSENT_RISK_REASONS,
      sex: SEX,
      send: SEND,
      values: { level: String(view.request.suggested_level ?? '') },
      ...extra,
    }
  }

  app.get('/front-door/requests/:id', frontDoor, async (request, reply) => reply.viewAsync(`${VIEWS}/request.njk`, await renderRequest(request)))

  app.post('/front-door/requests/:id/acknowledge', frontDoor, async (request, reply) => {
    const id = uuidParam(request, 'id')
    await acknowledgeRequest(db, actorOf(request), id, new Date())
    return reply.redirect(`/front-door/requests/${id}`, 303)
  })

  app.post('/front-door/requests/:id/matches/:personId/:matchedId', dutyManager, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const decision = (request.body as Record<string, unknown>)?.decision
    if (decision !== 'confirmed' && decision !== 'rejected') throw new NotFoundError()
    await decideMatch(db, actorOf(request), id, uuidParam(request, 'personId'), uuidParam(request, 'matchedId'), decision)
    return reply.redirect(`/front-door/requests/${id}#history`, 303)
  })

  app.post('/front-door/requests/:id/decision', dutyManager, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const values = typedValues(request.body)
    const form = validateForm(decisionForm, request.body, { outcome: 'outcome', level: 'level', emergingRoute: 'emergingRoute' })
    const result = form.ok ? await decideRequest(db, actorOf(request), id, form.value, new Date()) : { ok: false as const, errors: form.errors }
    if (!result.ok) {
      const conflict = 'conflict' in result && result.conflict === true
      reply.code(conflict ? 409 : 400)
      // On a conflict the page may no longer hold the form: the error links to what was typed, kept on the page.
      const ids = { outcome: conflict ? 'not-saved' : 'outcome', level: 'level', panelDate: 'panelDate-day' }
      return reply.viewAsync(`${VIEWS}/request.njk`, await renderRequest(request, { values, notSaved: conflict ? values : undefined, ...errorsToSummary(result.errors, ids) }))
    }
    // Outcome 1 goes straight on to signposting the family to services in the directory.
    if (form.ok && form.value.outcome === 'universal-signposting') return reply.redirect(`/front-door/requests/${id}/signposting`, 303)
    return reply.redirect(`/front-door/requests/${id}?decided=1`, 303)
  })
}
