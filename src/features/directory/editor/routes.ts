import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actorOf, requireRole } from '../../../platform/access/access.ts'
import type { Database } from '../../../platform/db/database.ts'
import { pageNumber, paginationParams, rangeText } from '../../../platform/http/pagination.ts'
import { DIRECTORY_CATEGORIES } from '../find/categories.ts'
import { agesText, levelText } from '../find/present.ts'
import type { OrukService } from '../oruk/types.ts'
import type { ServiceExtras } from '../store.ts'
import { readListQuery, readServiceForm, readVersion, REFERRAL_ROUTES, STATUSES } from './forms.ts'
import {
  createDirectoryService,
  EDITOR_PAGE_SIZE,
  EDITOR_ROLES,
  formValuesOf,
  frameworkOf,
  listDirectoryServices,
  markServiceChecked,
  organizationChoices,
  serviceToEdit,
  updateDirectoryService,
} from './service.ts'

const VIEWS = 'features/directory/editor/views'
const CHECKBOX_FIELDS = ['levels', 'localities', 'categories', 'referralRoutes']

/** What was typed, as strings, with the checkboxes' several values kept as lists. */
function formValues(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === '_csrf') continue
      if (typeof value === 'string') values[key] = CHECKBOX_FIELDS.includes(key) ? [value] : value
      else if (Array.isArray(value) && CHECKBOX_FIELDS.includes(key)) values[key] = value.filter((v): v is string => typeof v === 'string')
    }
  }
  return values
}

const STATUS_TEXT: Record<string, string> = Object.fromEntries(STATUSES.map((s) => [s.value, s.text]))

/** The choices on the form, each marked as the values say. */
async function formContext(db: Database, request: FastifyRequest, values: Record<string, string | string[]>) {
  const actor = actorOf(request)
  const framework = frameworkOf(actor)
  const organizations = await organizationChoices(db, actor)
  const has = (field: string, value: string) => {
    const v = values[field]
    return Array.isArray(v) ? v.includes(value) : v === value
  }
  const single = (field: string) => (typeof values[field] === 'string' ? (values[field] as string) : '')
  return {
    framework,
    values,
    text: single,
    isProvider: actor.role === 'service_provider',
    organizations: [
      { value: '', text: 'Choose an organisation' },
      ...organizations.map((o) => ({ value: o.id, text: o.name, selected: single('organizationId') === o.id })),
      { value: 'new', text: 'A new organisation (give its name below)', selected: single('organizationId') === 'new' },
    ],
    statuses: STATUSES.map((s) => ({ value: s.value, text: s.text, hint: { text: s.hint }, checked: has('status', s.value) })),
    levels: framework.levels.map((l) => ({ value: String(l.level), text: levelText(framework, l.level), checked: has('levels', String(l.level)) })),
    localities: framework.localities.map((l) => ({ value: l.id, text: l.name, checked: has('localities', l.id) })),
    categories: DIRECTORY_CATEGORIES.map((c) => ({ value: c.id, text: c.name, hint: { text: c.description }, checked: has('categories', c.id) })),
    referralRoutes: REFERRAL_ROUTES.map((r) => ({ value: r.value, text: r.text, checked: has('referralRoutes', r.value) })),
  }
}

/** The service as someone else saved it, to compare with the editor's own changes after a conflict. */
function currentSummary(record: OrukService, extras: ServiceExtras) {
  return [
    { key: { text: 'Name' }, value: { text: record.name } },
    { key: { text: 'Organisation' }, value: { text: record.organization?.name ?? 'None' } },
    { key: { text: 'Status' }, value: { text: STATUS_TEXT[record.status] ?? record.status } },
    { key: { text: 'What it does' }, value: { text: record.description ?? '' } },
    { key: { text: 'Ages' }, value: { text: agesText(record.minimum_age, record.maximum_age) } },
    { key: { text: 'Levels of need' }, value: { text: extras.levels.join(', ') || 'None' } },
    { key: { text: 'How to refer' }, value: { text: extras.howToRefer ?? '' } },
    { key: { text: 'Capacity or waiting time' }, value: { text: extras.capacity ?? '' } },
  ]
}

export async function directoryEditorRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, EDITOR_ROLES) }

  app.get('/directory', guard, async (request, reply) => {
    const actor = actorOf(request)
    const filters = readListQuery(request.query)
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const { rows, total } = await listDirectoryServices(db, actor, filters, page, new Date())
    const query = { q: filters.q || undefined, review: filters.review ? '1' : undefined }
    const flash = (request.query as Record<string, unknown>).saved
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      rows: rows.map((row) => ({ ...row, statusText: STATUS_TEXT[row.status] ?? row.status })),
      total,
      filters,
      isProvider: actor.role === 'service_provider',
      range: rangeText(page, rows.length, total, total === 1 ? 'service' : 'services', EDITOR_PAGE_SIZE),
      pagination: paginationParams('/directory', query, page, total, EDITOR_PAGE_SIZE),
      saved: flash === 'created' ? 'Service added to the directory' : flash === 'updated' ? 'Service saved' : null,
    })
  })

  app.get('/directory/new', guard, async (request, reply) =>
    reply.viewAsync(`${VIEWS}/form.njk`, { ...(await formContext(db, request, { status: 'active' })), action: '/directory/new', creating: true }),
  )

  app.post('/directory/new', guard, async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = actorOf(request)
    const values = formValues(request.body)
    const organizations = await organizationChoices(db, actor)
    const form = readServiceForm(request.body, frameworkOf(actor), organizations.map((o) => o.id))
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/form.njk`, { ...(await formContext(db, request, values)), action: '/directory/new', creating: true, errors: form.errors, errorList: form.errorList })
    }
    await createDirectoryService(db, actor, form.value, new Date())
    return reply.redirect('/directory?saved=created', 303)
  })

  app.get('/directory/services/:id', guard, async (request, reply) => {
    const actor = actorOf(request)
    const service = await serviceToEdit(db, actor, (request.params as Record<string, unknown>).id, new Date())
    const checked = (request.query as Record<string, unknown>).checked === '1'
    return reply.viewAsync(`${VIEWS}/form.njk`, {
      ...(await formContext(db, request, formValuesOf(service))),
      action: `/directory/services/${service.id}`,
      service,
      version: service.version,
      checked,
    })
  })

  app.post('/directory/services/:id', guard, async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = actorOf(request)
    const id = (request.params as Record<string, unknown>).id
    // Not found before the form is read: a service the editor may not change is not told apart from none.
    const service = await serviceToEdit(db, actor, id, new Date(), { audit: false })
    const values = formValues(request.body)
    const version = readVersion(request.body)
    const organizations = await organizationChoices(db, actor)
    const form = readServiceForm(request.body, frameworkOf(actor), organizations.map((o) => o.id))
    const context = { action: `/directory/services/${service.id}`, service }
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/form.njk`, { ...(await formContext(db, request, values)), ...context, version: version ?? service.version, errors: form.errors, errorList: form.errorList })
    }
    const result = await updateDirectoryService(db, actor, id, version, form.value, new Date())
    if (!result.ok) {
      reply.code(409)
      return reply.viewAsync(`${VIEWS}/form.njk`, {
        ...(await formContext(db, request, values)),
        ...context,
        // Saving again now means the editor has seen the other change.
        version: result.conflict.version,
        conflict: { rows: currentSummary(result.conflict.record, result.conflict.extras) },
        errorList: [{ text: 'Someone else changed this service while you were editing it. Your changes have not been saved', href: '#conflict' }],
      })
    }
    return reply.redirect('/directory?saved=updated', 303)
  })

  app.post('/directory/services/:id/checked', guard, async (request, reply) => {
    const id = (request.params as Record<string, unknown>).id
    await markServiceChecked(db, actorOf(request), id, new Date())
    return reply.redirect(`/directory/services/${String(id)}?checked=1`, 303)
  })
}
