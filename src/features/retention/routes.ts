import type { FastifyInstance, FastifyRequest } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { liftHoldForm, placeHoldForm } from './forms.ts'
import { periodOf, RECORD_TYPE_SHORT, ruleShort } from './rules.ts'
import { retentionSettings } from './sweep.ts'
import { legalHold, legalHoldsPage, liftHold, placeHold, RETENTION_ROLES, retentionPage, rulesInWords, runReportNow } from './service.ts'

const VIEWS = 'features/retention/views'

const query = (request: FastifyRequest) => request.query as Record<string, unknown>

/**
 * Retention and legal holds, for administrators: the authority's rules in words, the latest report
 * of what the sweep would remove, running the report now, and placing and lifting legal holds.
 */
export async function retentionRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const administrator = { preHandler: requireRole(db, RETENTION_ROLES) }

  app.get('/privacy/retention', administrator, async (request, reply) => {
    const actor = actorOf(request)
    const page = pageNumber(query(request).page)
    const view = await retentionPage(db, actor, page)
    const periods = new Map(retentionSettings(actor.tenantId).rules.map((r) => [r.recordType, periodOf(r)]))
    return reply.viewAsync(`${VIEWS}/retention.njk`, {
      ...rulesInWords(actor.tenantId),
      report: view.report,
      items: view.items.map((item) => ({
        ...item,
        typeText: RECORD_TYPE_SHORT[item.record_type],
        why: ruleShort(item.rule as Parameters<typeof ruleShort>[0], periods.get(item.record_type) ?? 0),
      })),
      history: view.history,
      range: rangeText(page, view.items.length, view.total, 'records'),
      pagination: paginationParams('/privacy/retention', {}, page, view.total),
      done: query(request).done,
    })
  })

  app.post('/privacy/retention/report', administrator, async (request, reply) => {
    await runReportNow(db, actorOf(request), new Date())
    return reply.redirect('/privacy/retention?done=report', 303)
  })

  app.get('/privacy/legal-holds', administrator, async (request, reply) => {
    const page = pageNumber(query(request).page)
    const { rows, total } = await legalHoldsPage(db, actorOf(request), page)
    return reply.viewAsync(`${VIEWS}/legal-holds.njk`, {
      rows,
      values: {},
      range: rangeText(page, rows.length, total, 'legal holds'),
      pagination: paginationParams('/privacy/legal-holds', {}, page, total),
      done: query(request).done,
    })
  })

  app.post('/privacy/legal-holds', administrator, async (request, reply) => {
    const actor = actorOf(request)
    const values = typedValues(request.body)
    const form = validateForm(placeHoldForm, request.body)
    const result = form.ok ? await placeHold(db, actor, form.value) : form
    if (!result.ok) {
      reply.code(400)
      const { rows, total } = await legalHoldsPage(db, actor, 1)
      const errors = result.errors
      return reply.viewAsync(`${VIEWS}/legal-holds.njk`, {
        rows,
        values,
        errors,
        errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
        range: rangeText(1, rows.length, total, 'legal holds'),
        pagination: paginationParams('/privacy/legal-holds', {}, 1, total),
      })
    }
    return reply.redirect('/privacy/legal-holds?done=placed', 303)
  })

  app.get('/privacy/legal-holds/:id', administrator, async (request, reply) => {
    const hold = await legalHold(db, actorOf(request), idParam(request))
    return reply.viewAsync(`${VIEWS}/legal-hold.njk`, { hold, values: {}, done: query(request).done })
  })

  app.post('/privacy/legal-holds/:id', administrator, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(liftHoldForm, request.body)
    if (!form.ok) {
      reply.code(400)
      const hold = await legalHold(db, actor, id)
      return reply.viewAsync(`${VIEWS}/legal-hold.njk`, { hold, values, errors: form.errors, errorList: form.errorList })
    }
    const lifted = await liftHold(db, actor, id, form.value, new Date())
    return reply.redirect(`/privacy/legal-holds/${id}?done=${lifted ? 'lifted' : 'already'}`, 303)
  })
}
