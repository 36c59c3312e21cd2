import type { FastifyInstance } from 'fastify'
import { ROLE_LABELS } from '../../domain/roles.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { ROLES } from '../../platform/db/schema.ts'
import { errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { activeOrganisations } from '../organisations/service.ts'
import { accountFilter, accountForm } from './forms.ts'
import { createAccount, listAccounts, setAccountActive, viewAccount } from './service.ts'

const roleItems = (selected?: string) => ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], checked: role === selected }))

export async function accountRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, ['administrator']) }

  app.get('/admin/accounts', guard, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>
    const filter = accountFilter.parse(query)
    const page = pageNumber(query.page)
    const { rows, total } = await listAccounts(db, actorOf(request), filter, page)
    return reply.viewAsync('features/accounts/views/list.njk', {
      rows,
      filter: { q: filter.q ?? '', role: filter.role ?? '', status: filter.status ?? 'active' },
      roles: [{ value: '', text: 'Any role' }, ...ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], selected: role === filter.role }))],
      range: rangeText(page, rows.length, total, 'accounts'),
      pagination: paginationParams('/admin/accounts', { q: filter.q, role: filter.role, status: filter.status }, page, total),
    })
  })

  const renderNew = async (request: Parameters<typeof actorOf>[0], values: Record<string, string>, errors?: Record<string, string>) => {
    const organisations = await activeOrganisations(db, actorOf(request))
    return {
      ...(errors ? errorsToSummary(errors, { role: 'role', organisationId: 'organisationId' }) : {}),
      values,
      roles: roleItems(values.role),
      organisations: [
        { value: '', text: 'Choose an organisation' },
        ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === values.organisationId })),
      ],
    }
  }

  app.get('/admin/accounts/new', guard, async (request, reply) =>
    reply.viewAsync('features/accounts/views/new.njk', await renderNew(request, {})),
  )

  app.post('/admin/accounts/new', guard, async (request, reply) => {
    const values = typedValues(request.body)
    const form = validateForm(accountForm, request.body)
    const result = form.ok ? await createAccount(db, actorOf(request), form.value) : { ok: false as const, errors: form.errors }
    if (!result.ok) {
      delete values.password
      reply.code(400)
      return reply.viewAsync('features/accounts/views/new.njk', await renderNew(request, values, result.errors))
    }
    return reply.redirect(`/admin/accounts/${result.id}?created=1`, 303)
  })

  app.get('/admin/accounts/:id', guard, async (request, reply) => {
    const { id } = request.params as { id: string }
    if (!isUuid(id)) throw new NotFoundError()
    const account = await viewAccount(db, actorOf(request), id)
    const query = request.query as Record<string, string | undefined>
    return reply.viewAsync('features/accounts/views/show.njk', {
      account,
      isSelf: id === request.signedIn?.accountId,
      created: query.created === '1',
      changed: query.changed,
    })
  })

  app.post('/admin/accounts/:id/:change', guard, async (request, reply) => {
    const { id, change } = request.params as { id: string; change: string }
    if (!isUuid(id) || (change !== 'deactivate' && change !== 'reactivate')) throw new NotFoundError()
    const result = await setAccountActive(db, actorOf(request), id, change === 'reactivate')
    if (!result.ok) {
      const account = await viewAccount(db, actorOf(request), id)
      reply.code(400)
      return reply.viewAsync('features/accounts/views/show.njk', { account, isSelf: true, errorList: [{ text: result.error, href: '#status' }] })
    }
    return reply.redirect(`/admin/accounts/${id}?changed=${change}`, 303)
  })
}
