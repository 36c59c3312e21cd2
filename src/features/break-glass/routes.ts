import type { FastifyInstance } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import { AUDIT_ACTIONS } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { BREAK_GLASS_MINUTES, BREAK_GLASS_ROLES, OVERSEER_ROLES } from '../involvements/access.ts'
import { beforeParam, FINDINGS, findingForm, openForm } from './forms.ts'
import { familyAudit, grantForReview, listGrants, openBreakGlass, recordFinding, REVIEWER_ROLES } from './service.ts'

const VIEWS = 'features/break-glass/views'

const findingItems = (selected: string | undefined) => Object.entries(FINDINGS).map(([value, text]) => ({ value, text, checked: value === selected }))

/**
 * Break-glass access to a family without a relationship, the review list where each opening gets a
 * finding, and "who has seen this family" for its managers.
 */
export async function breakGlassRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const opener = { preHandler: requireRole(db, BREAK_GLASS_ROLES) }
  const reviewer = { preHandler: requireRole(db, REVIEWER_ROLES) }
  const overseer = { preHandler: requireRole(db, OVERSEER_ROLES) }

  app.get('/break-glass', opener, async (_request, reply) => reply.viewAsync(`${VIEWS}/open.njk`, { values: {}, minutes: BREAK_GLASS_MINUTES }))

  app.post('/break-glass', opener, async (request, reply) => {
    const values = typedValues(request.body)
    const form = validateForm(openForm, request.body)
    const result = form.ok ? await openBreakGlass(db, actorOf(request), form.value) : form
    if (!result.ok) {
      reply.code(400)
      const errors = result.errors
      const errorList = Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }))
      return reply.viewAsync(`${VIEWS}/open.njk`, { values, errors, errorList, minutes: BREAK_GLASS_MINUTES })
    }
    return reply.redirect(`/involvements/${result.value.involvementId}`, 303)
  })

  app.get('/privacy/break-glass', reviewer, async (request, reply) => {
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const { rows, total } = await listGrants(db, actorOf(request), page, new Date())
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      rows: rows.map((row) => ({ ...row, findingText: row.finding ? FINDINGS[row.finding] : undefined })),
      range: rangeText(page, rows.length, total, 'break-glass accesses'),
      pagination: paginationParams('/privacy/break-glass', {}, page, total),
    })
  })

  app.get('/privacy/break-glass/:id', reviewer, async (request, reply) => {
    const view = await grantForReview(db, actorOf(request), idParam(request), new Date())
    return reply.viewAsync(`${VIEWS}/review.njk`, { ...reviewContext(view), values: {}, findingItems: findingItems(undefined), done: (request.query as Record<string, unknown>).done })
  })

  app.post('/privacy/break-glass/:id', reviewer, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(findingForm, request.body, { finding: 'finding' })
    if (!form.ok) {
      reply.code(400)
      const view = await grantForReview(db, actor, id, new Date())
      return reply.viewAsync(`${VIEWS}/review.njk`, { ...reviewContext(view), values, findingItems: findingItems(values.finding), errors: form.errors, errorList: form.errorList })
    }
    const recorded = await recordFinding(db, actor, id, form.value, new Date())
    return reply.redirect(`/privacy/break-glass/${id}?done=${recorded ? 'reviewed' : 'already'}`, 303)
  })

  app.get('/involvements/:id/audit', overseer, async (request, reply) => {
    const id = idParam(request)
    const before = beforeParam.parse((request.query as Record<string, unknown>).before)
    const { involvement, rows, more } = await familyAudit(db, actorOf(request), id, before)
    const base = `/involvements/${id}/audit`
    const last = rows.at(-1)
    return reply.viewAsync(`${VIEWS}/family-audit.njk`, {
      involvement,
      rows: rows.map((row) => ({ ...row, actionLabel: AUDIT_ACTIONS[row.action as keyof typeof AUDIT_ACTIONS] ?? row.action })),
      olderHref: more && last ? `${base}?before=${last.id}` : null,
      newestHref: before ? base : null,
    })
  })
}

function reviewContext(view: Awaited<ReturnType<typeof grantForReview>>) {
  return {
    grant: { ...view.grant, findingText: view.grant.finding ? FINDINGS[view.grant.finding] : undefined },
    events: view.events.map((e) => ({ ...e, actionLabel: AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action })),
  }
}
