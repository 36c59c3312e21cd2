import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { localDateOf } from '../../domain/working-calendar.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, typedValues } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { isIsoDate, PANEL_DECISIONS } from './rules.ts'
import { decidePanelItem, PANEL_ROLES, panelAgenda, panelList } from './service.ts'

const VIEWS = 'features/panels/views'

function dateParam(request: FastifyRequest): string {
  const value = (request.params as Record<string, string>).date
  if (!isIsoDate(value)) throw new NotFoundError()
  return value
}

export async function panelsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const panel = { preHandler: requireRole(db, PANEL_ROLES) }

  app.get('/panels', panel, async (request, reply) => {
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const view = await panelList(db, actorOf(request), page, localDateOf(new Date()))
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      ...view,
      range: rangeText(page, view.rows.length, view.total, 'panels'),
      pagination: paginationParams('/panels', {}, page, view.total),
    })
  })

  const renderAgenda = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(request)
    const date = dateParam(request)
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const view = await panelAgenda(db, actor, date, page, localDateOf(new Date()))
    return reply.viewAsync(`${VIEWS}/agenda.njk`, {
      ...view,
      date,
      decisions: PANEL_DECISIONS,
      canOpenRequests: actor.role === 'duty_manager',
      range: rangeText(page, view.items.length, view.total, 'families on this panel’s agenda'),
      pagination: paginationParams(`/panels/${date}`, {}, page, view.total),
      values: {},
      errorItem: null,
      ...extra,
    })
  }

  app.get('/panels/:date', panel, async (request, reply) => renderAgenda(request, reply))

  app.post('/panels/:date/items/:itemId', panel, async (request, reply) => {
    const date = dateParam(request)
    const itemId = (request.params as Record<string, string>).itemId
    if (!isUuid(itemId)) throw new NotFoundError()
    const values = typedValues(request.body)
    const result = await decidePanelItem(
      db,
      actorOf(request),
      date,
      itemId,
      { decision: values.decision ?? '', leadEmail: values.leadEmail ?? '', reason: values.reason ?? '' },
      new Date(),
    )
    if (!result.ok) {
      reply.code(400)
      const ids = Object.fromEntries(Object.keys(result.errors).map((field) => [field, `${field}-${itemId}`]))
      return renderAgenda(request, reply, { values, errorItem: itemId, ...errorsToSummary(result.errors, ids) })
    }
    return reply.redirect(`/panels/${date}#family-${itemId}`, 303)
  })
}
