import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseDateParts } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { dateParts, errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam as uuidParam, isUuid } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText, PAGE_SIZE } from '../../platform/http/pagination.ts'
import { formatDate } from '../../platform/views/format.ts'
import { CASEWORK_ROLES, requireNeed } from '../involvements/access.ts'
import { addForm, callsForm, NEED_MET, NEED_MET_TEXT, recordForm, searchQuery } from './forms.ts'
import type { ServiceContact, Signpost } from './repository.ts'
import {
  addInvolvementSignpost,
  addRequestSignpost,
  involvementSignposting,
  listDueCalls,
  recordCall,
  removeInvolvementSignpost,
  removeRequestSignpost,
  requestSignposting,
  SEARCH_PAGE_SIZE,
  setUpCalls,
  SIGNPOSTING_ROLES,
  viewCall,
  type SearchQuery,
} from './service.ts'

const VIEWS = 'features/signposting/views'

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

type Row = { key: { text: string }; value: { text?: string; html?: string } }

/** A service's contact details as summary list rows, leaving out what the directory does not hold. */
export function contactRows(contact: ServiceContact): Row[] {
  const rows: Row[] = []
  if (contact.organisation) rows.push({ key: { text: 'Run by' }, value: { text: contact.organisation } })
  if (contact.phones.length) rows.push({ key: { text: 'Telephone' }, value: { text: contact.phones.join(', ') } })
  if (contact.email) rows.push({ key: { text: 'Email' }, value: { html: `<a class="govuk-link" href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a>` } })
  if (contact.website) {
    const safe = /^https?:\/\//i.test(contact.website)
    rows.push({ key: { text: 'Website' }, value: safe ? { html: `<a class="govuk-link" href="${escapeHtml(contact.website)}">${escapeHtml(contact.website)}</a>` } : { text: contact.website } })
  }
  if (contact.addresses.length) rows.push({ key: { text: contact.addresses.length > 1 ? 'Addresses' : 'Address' }, value: { html: contact.addresses.map(escapeHtml).join('<br>') } })
  if (contact.howToRefer) rows.push({ key: { text: 'How to refer' }, value: { text: contact.howToRefer } })
  if (!rows.length) rows.push({ key: { text: 'Contact details' }, value: { text: 'The directory holds no contact details for this service' } })
  return rows
}

/** A signpost as its card shows it: the service's contact details, the note, and who signposted when. */
function signpostView(signpost: Signpost) {
  const rows = contactRows(signpost.contact)
  if (signpost.note) rows.push({ key: { text: 'Note' }, value: { text: signpost.note } })
  rows.push({ key: { text: 'Signposted' }, value: { text: `${formatDate(signpost.signpostedAt)}${signpost.signpostedBy ? ` by ${signpost.signpostedBy}` : ''}` } })
  return { ...signpost, rows }
}

/** The search results as the page shows them, with their pagination keeping the keyword. */
function resultsView(path: string, search: SearchQuery, results: { total: number; rows: { id: string; name: string; description: string | null; capacity: string | null; contact: ServiceContact; signposted: boolean }[] } | null) {
  if (!results) return null
  return {
    range: rangeText(search.page, results.rows.length, results.total, 'services found', SEARCH_PAGE_SIZE),
    pagination: paginationParams(path, { q: search.q }, search.page, results.total, SEARCH_PAGE_SIZE),
    rows: results.rows.map((r) => ({
      ...r,
      summary: r.description && r.description.length > 300 ? `${r.description.slice(0, 297).trimEnd()}…` : r.description,
      rows: [...contactRows(r.contact), ...(r.capacity ? [{ key: { text: 'Capacity or waiting time' }, value: { text: r.capacity } }] : [])],
    })),
  }
}

/** Where to go back to after adding or removing: the same search, at the list of signposts. */
function backTo(path: string, search: { q?: string | undefined; page?: string | undefined }, done: string): string {
  const params = new URLSearchParams()
  if (search.q) params.set('q', search.q)
  if (search.page && search.page !== '1') params.set('page', search.page)
  params.set('done', done)
  return `${path}?${params.toString()}#signposted`
}

export async function signpostingRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const frontDoor = { preHandler: requireRole(db, SIGNPOSTING_ROLES) }
  const casework = { preHandler: requireRole(db, CASEWORK_ROLES) }

  // -------------------------------------------------------------------------------------------
  // Signposting from a request decided as outcome 1, and its keep-in-touch calls.

  const renderRequest = async (request: FastifyRequest, search: SearchQuery, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(request)
    const id = uuidParam(request, 'id')
    const path = `/front-door/requests/${id}/signposting`
    const view = await requestSignposting(db, actor, id, search)
    const framework = frameworkById(actor.tenantId)
    return {
      ...view,
      path,
      q: search.q,
      page: search.page,
      outcomeName: framework?.triageOutcomes.find((o) => o.id === 'universal-signposting')?.name ?? 'Universal help and signposting',
      signposts: view.signposts.map(signpostView),
      results: resultsView(path, search, view.results),
      needMetText: NEED_MET_TEXT,
      values: {},
      ...extra,
    }
  }

  app.get('/front-door/requests/:id/signposting', frontDoor, async (request, reply) => {
    const search = searchQuery(request.query)
    return reply.viewAsync(`${VIEWS}/request.njk`, await renderRequest(request, search, { done: search.done }))
  })

  app.post('/front-door/requests/:id/signposting', frontDoor, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const form = validateForm(addForm, request.body)
    if (!form.ok) {
      const refused = refusedNote(request.body, form.errors)
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/request.njk`, await renderRequest(request, refused.search, refused.extra))
    }
    await addRequestSignpost(db, actorOf(request), id, form.value)
    return reply.redirect(backTo(`/front-door/requests/${id}/signposting`, form.value, 'added'), 303)
  })

  app.post('/front-door/requests/:id/signposting/:signpostId/remove', frontDoor, async (request, reply) => {
    const id = uuidParam(request, 'id')
    await removeRequestSignpost(db, actorOf(request), id, uuidParam(request, 'signpostId'))
    const body = typedValues(request.body)
    return reply.redirect(backTo(`/front-door/requests/${id}/signposting`, body, 'removed'), 303)
  })

  app.post('/front-door/requests/:id/signposting/calls', frontDoor, async (request, reply) => {
    const id = uuidParam(request, 'id')
    const values = typedValues(request.body)
    const form = validateForm(callsForm, request.body)
    const start = parseDateParts(dateParts(request.body, 'start'), { label: 'The date of the first call', today: localDateOf(new Date()), allowFuture: true, allowPast: false })
    if (!form.ok || !start.ok) {
      const errors: Record<string, string> = {}
      if (!start.ok) errors.start = start.message
      if (!form.ok && form.errors.months) errors.months = form.errors.months
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/request.njk`, await renderRequest(request, { q: '', page: 1 }, { values, ...errorsToSummary(errors, { start: 'start-day' }) }))
    }
    const added = await setUpCalls(db, actorOf(request), id, start.date, form.value.months)
    return reply.redirect(`/front-door/requests/${id}/signposting?done=calls-${added}#keep-in-touch`, 303)
  })

  app.get('/front-door/calls', frontDoor, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>
    const page = pageNumber(query.page)
    const { rows, total } = await listDueCalls(db, actorOf(request), page, new Date())
    return reply.viewAsync(`${VIEWS}/calls.njk`, {
      rows,
      recorded: query.recorded === '1',
      range: rangeText(page, rows.length, total, 'calls due'),
      pagination: paginationParams('/front-door/calls', {}, page, total, PAGE_SIZE),
    })
  })

  const renderCall = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const view = await viewCall(db, actorOf(request), uuidParam(request, 'callId'))
    return {
      ...view,
      signposts: view.signposts.map(signpostView),
      needMetItems: NEED_MET.map((value) => ({ value, text: NEED_MET_TEXT[value] })),
      needMetText: NEED_MET_TEXT,
      values: { version: String(view.call.version) },
      ...extra,
    }
  }

  app.get('/front-door/calls/:callId', frontDoor, async (request, reply) => reply.viewAsync(`${VIEWS}/call.njk`, await renderCall(request)))

  app.post('/front-door/calls/:callId', frontDoor, async (request, reply) => {
    const callId = uuidParam(request, 'callId')
    const values = typedValues(request.body)
    const form = validateForm(recordForm, request.body, { needMet: 'needMet' })
    const result = form.ok ? await recordCall(db, actorOf(request), callId, form.value, new Date()) : form
    if (!result.ok) {
      reply.code(400)
      const context = await renderCall(request)
      return reply.viewAsync(`${VIEWS}/call.njk`, { ...context, values: { ...values, version: context.values.version }, ...errorsToSummary(result.errors, { needMet: 'needMet' }) })
    }
    return reply.redirect('/front-door/calls?recorded=1', 303)
  })

  // -------------------------------------------------------------------------------------------
  // Signposting from a plan: the family's involvement, by relationship.

  const renderInvolvement = async (request: FastifyRequest, search: SearchQuery, extra: Record<string, unknown> = {}) => {
    const id = uuidParam(request, 'id')
    const path = `/involvements/${id}/signposting`
    const view = await involvementSignposting(db, actorOf(request), id, search)
    return {
      ...view,
      path,
      q: search.q,
      page: search.page,
      signposts: view.signposts.map(signpostView),
      results: resultsView(path, search, view.results),
      values: {},
      ...extra,
    }
  }

  app.get('/involvements/:id/signposting', casework, async (request, reply) => {
    const search = searchQuery(request.query)
    return reply.viewAsync(`${VIEWS}/involvement.njk`, await renderInvolvement(request, search, { done: search.done }))
  })

  app.post('/involvements/:id/signposting', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    await requireNeed(db, actorOf(request), id, 'contribute')
    const form = validateForm(addForm, request.body)
    if (!form.ok) {
      const refused = refusedNote(request.body, form.errors)
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/involvement.njk`, await renderInvolvement(request, refused.search, refused.extra))
    }
    await addInvolvementSignpost(db, actorOf(request), id, form.value, new Date())
    return reply.redirect(backTo(`/involvements/${id}/signposting`, form.value, 'added'), 303)
  })

  app.post('/involvements/:id/signposting/:signpostId/remove', casework, async (request, reply) => {
    const id = uuidParam(request, 'id')
    await removeInvolvementSignpost(db, actorOf(request), id, uuidParam(request, 'signpostId'))
    return reply.redirect(backTo(`/involvements/${id}/signposting`, typedValues(request.body), 'removed'), 303)
  })
}

/** A note refused when adding a signpost: the search to show again, and the note kept beside its service with its error. */
function refusedNote(body: unknown, errors: Record<string, string>) {
  const typed = typedValues(body)
  if (!isUuid(typed.serviceId)) throw new NotFoundError()
  const field = `note-${typed.serviceId}`
  return {
    search: { q: (typed.q ?? '').trim().slice(0, 200), page: pageNumber(typed.page), chosen: typed.serviceId },
    extra: { values: { [field]: typed.note ?? '' }, ...errorsToSummary({ [field]: errors.note ?? 'Check the note' }) },
  }
}
