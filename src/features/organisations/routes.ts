import type { FastifyInstance } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { ORGANISATION_KINDS } from '../../platform/db/schema.ts'
import { errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { ORGANISATION_KIND_LABELS, organisationForm } from './forms.ts'
import { createOrganisation, listOrganisations, setOrganisationActive } from './service.ts'

const STATUSES = ['active', 'inactive', 'all'] as const
const kindItems = (selected?: string) =>
  ORGANISATION_KINDS.map((kind) => ({ value: kind, text: ORGANISATION_KIND_LABELS[kind], checked: kind === selected }))

export async function organisationRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, ['administrator']) }

  app.get('/admin/organisations', guard, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>
    const status = STATUSES.find((s) => s === query.status) ?? 'active'
    const page = pageNumber(query.page)
    const { rows, total } = await listOrganisations(db, actorOf(request), { status, page })
    return reply.viewAsync('features/organisations/views/list.njk', {
      rows: rows.map((row) => ({ ...row, kindLabel: ORGANISATION_KIND_LABELS[row.kind] })),
      status,
      range: rangeText(page, rows.length, total, 'organisations'),
      pagination: paginationParams('/admin/organisations', { status }, page, total),
      created: query.created === '1',
      changed: query.changed === 'deactivate' || query.changed === 'reactivate' ? query.changed : null,
    })
  })

  app.get('/admin/organisations/new', guard, async (_request, reply) =>
    reply.viewAsync('features/organisations/views/new.njk', { values: {}, kinds: kindItems() }),
  )

  app.post('/admin/organisations/new', guard, async (request, reply) => {
    const values = typedValues(request.body)
    const form = validateForm(organisationForm, request.body, { kind: 'kind' })
    const result = form.ok ? await createOrganisation(db, actorOf(request), form.value) : form
    if (!result.ok) {
      reply.code(400)
      return reply.viewAsync('features/organisations/views/new.njk', { ...errorsToSummary(result.errors), values, kinds: kindItems(values.kind) })
    }
    return reply.redirect('/admin/organisations?created=1', 303)
  })

  app.post('/admin/organisations/:id/:change', guard, async (request, reply) => {
    const { id, change } = request.params as { id: string; change: string }
    if (!isUuid(id) || (change !== 'deactivate' && change !== 'reactivate')) throw new NotFoundError()
    await setOrganisationActive(db, actorOf(request), id, change === 'reactivate')
    return reply.redirect(`/admin/organisations?status=${change === 'reactivate' ? 'active' : 'inactive'}&changed=${change}`, 303)
  })
}
