import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { parseDateParts } from '../../domain/dates.ts'
import { normalisePostcode } from '../../domain/postcode.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { pageNumber, paginationParams, rangeText } from '../../platform/http/pagination.ts'
import { adultForm, childForm, phoneNumber, CONSENT_RISK_REASONS, ETHNICITIES, SECTION_TITLES, SECTIONS, SEND, SEX, TASKS, type Answers, type SectionId } from './answers.ts'
import { suggestionFor } from './rules.ts'
import { discardDraft, myRequests, type PersonInput, removePerson, requireOwnRequest, savePerson, saveSection, startRequest, submitPriorityRequest, submitRequest, viewOwnRequest } from './service.ts'

const VIEWS = 'features/requests/views'
const SECTION_IDS = Object.keys(SECTIONS) as SectionId[]

const STALE = 'This request was saved in another tab or window while you were editing it, so your changes have not been saved. What you typed is below: save again to keep it, or go back to the request to see what was saved.'

/** The version a section form was read at, if it carries one. */
function versionOf(body: Record<string, unknown>): number | undefined {
  return typeof body.version === 'string' && /^\d{1,9}$/.test(body.version) ? Number(body.version) : undefined
}

export const OUTCOME_NAMES = (tenantId: string) =>
  Object.fromEntries((frameworkById(tenantId)?.triageOutcomes ?? []).map((o) => [o.id, o.name])) as Record<string, string>

/** Checkboxes arrive as a string for one, an array for several, nothing for none. */
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [])

export async function requestRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, ['practitioner']) }

  app.get('/requests', guard, async (request, reply) => {
    const page = pageNumber((request.query as Record<string, unknown>).page)
    const { rows, total } = await myRequests(db, actorOf(request), page)
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      rows,
      outcomeNames: OUTCOME_NAMES(actorOf(request).tenantId),
      range: rangeText(page, rows.length, total, 'requests for support'),
      pagination: paginationParams('/requests', {}, page, total),
    })
  })

  app.get('/requests/new', guard, async (request, reply) => reply.viewAsync(`${VIEWS}/new.njk`, { frontDoor: frontDoorOf(request) }))

  app.post('/requests/new', guard, async (request, reply) => {
    const risk = (request.body as Record<string, unknown>)?.immediateRisk
    if (risk === 'yes') return reply.redirect('/requests/priority', 303)
    if (risk !== 'no') {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/new.njk`, {
        frontDoor: frontDoorOf(request),
        ...errorsToSummary({ immediateRisk: 'Select yes if a child is at immediate risk of significant harm' }),
      })
    }
    const phone = await accountPhone(db, request)
    const id = await startRequest(db, actorOf(request), phone)
    return reply.redirect(`/requests/${id}`, 303)
  })

  app.get('/requests/priority', guard, async (request, reply) =>
    reply.viewAsync(`${VIEWS}/priority.njk`, { frontDoor: frontDoorOf(request), values: { phone: (await accountPhone(db, request)) ?? '' } }),
  )

  app.post('/requests/priority', guard, async (request, reply) => {
    const values = typedValues(request.body)
    const form = validateForm(priorityForm, request.body)
    const postcode = form.ok ? normalisePostcode(form.value.postcode) : undefined
    if (!form.ok || !postcode) {
      const errors = form.ok ? { postcode: 'Enter a real postcode, like SS1 1AA' } : form.errors
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/priority.njk`, { frontDoor: frontDoorOf(request), values, ...errorsToSummary(errors) })
    }
    const result = await submitPriorityRequest(db, actorOf(request), { ...form.value, postcode }, new Date())
    return reply.redirect(`/requests/${result.id}/sent`, 303)
  })

  app.get('/requests/:id', guard, async (request, reply) => {
    const id = idParam(request)
    const view = await viewOwnRequest(db, actorOf(request), id)
    if (view.request.status !== 'draft') {
      return reply.viewAsync(`${VIEWS}/sent-request.njk`, { ...view, outcomeNames: OUTCOME_NAMES(view.request.tenant_id) })
    }
    return reply.viewAsync(`${VIEWS}/task-list.njk`, { ...view, titles: SECTION_TITLES, completed: view.tasks.filter((t) => t.complete).length })
  })

  // One page per section of answers.
  app.get('/requests/:id/section/:section', guard, async (request, reply) => {
    const id = idParam(request)
    const section = sectionParam(request)
    const view = await viewOwnRequest(db, actorOf(request), id)
    if (view.request.status !== 'draft') return reply.redirect(`/requests/${id}`, 303)
    return reply.viewAsync(`${VIEWS}/sections/${section}.njk`, sectionContext(request, id, section, formValues(view.answers[section]), view.request.version))
  })

  app.post('/requests/:id/section/:section', guard, async (request, reply) => {
    const id = idParam(request)
    const section = sectionParam(request)
    // Someone else's request, or another authority's, is refused before its form is read.
    await requireOwnRequest(db, actorOf(request), id)
    const body = (request.body ?? {}) as Record<string, unknown>
    const input = section === 'needs' ? { indicators: asList(body.indicators), vulnerabilities: asList(body.vulnerabilities), difficulties: asList(body.difficulties) } : body
    const form = validateForm(SECTIONS[section], input)
    let errors = form.ok ? undefined : form.errors
    let value = form.ok ? form.value : undefined
    if (form.ok && section === 'address') {
      const address = form.value as NonNullable<Answers['address']>
      const postcode = normalisePostcode(address.postcode)
      if (!postcode) errors = { postcode: 'Enter a real postcode, like SS1 1AA' }
      else value = { ...address, postcode }
    }
    if (form.ok && section === 'needs') {
      const known = knownNeeds(request)
      const needs = form.value as NonNullable<Answers['needs']>
      value = {
        indicators: needs.indicators.filter((i) => known.indicators.has(i)),
        vulnerabilities: needs.vulnerabilities.filter((i) => known.vulnerabilities.has(i)),
        difficulties: needs.difficulties.filter((i) => known.difficulties.has(i)),
      }
    }
    if (errors || value === undefined) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/sections/${section}.njk`, { ...sectionContext(request, id, section, formValues(input), versionOf(body)), ...errorsToSummary(errors ?? {}) })
    }
    // A request sent from another tab is no longer a draft: the task list then shows it as sent.
    const saved = await saveSection(db, actorOf(request), id, section, value as never, versionOf(body))
    if (!saved.ok && saved.reason === 'stale') {
      // What they typed is kept, against the version now stored, so saving again is their choice.
      reply.code(409)
      return reply.viewAsync(`${VIEWS}/sections/${section}.njk`, { ...sectionContext(request, id, section, formValues(input), saved.version), errorList: [{ text: STALE, href: '#section-form' }] })
    }
    return reply.redirect(`/requests/${id}`, 303)
  })

  // Children and adults: a list per kind, and a page per person.
  app.get('/requests/:id/people/:kind/new', guard, async (request, reply) => {
    const id = idParam(request)
    const kind = kindParam(request)
    const view = await viewOwnRequest(db, actorOf(request), id)
    if (view.request.status !== 'draft') return reply.redirect(`/requests/${id}`, 303)
    return reply.viewAsync(`${VIEWS}/person.njk`, personContext(id, kind, null, view.people, {}))
  })

  app.get('/requests/:id/people/:kind/:personId', guard, async (request, reply) => {
    const id = idParam(request)
    const kind = kindParam(request)
    const personId = idParam(request, 'personId')
    const view = await viewOwnRequest(db, actorOf(request), id)
    const person = view.people.find((p) => p.id === personId && p.kind === kind)
    if (!person) throw new NotFoundError()
    if (view.request.status !== 'draft') return reply.redirect(`/requests/${id}`, 303)
    return reply.viewAsync(`${VIEWS}/person.njk`, personContext(id, kind, personId, view.people, personValues(person)))
  })

  app.post('/requests/:id/people/:kind/:personId', guard, async (request, reply) => {
    const id = idParam(request)
    const kind = kindParam(request)
    const rawPersonId = (request.params as Record<string, string>).personId
    const personId = rawPersonId === 'new' ? null : idParam(request, 'personId')
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = typedValues(body)
    const view = await viewOwnRequest(db, actorOf(request), id)
    const children = view.people.filter((p) => p.kind === 'child' && p.id !== personId)
    const parsed = readPerson(kind, body, children)
    if (!parsed.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/person.njk`, { ...personContext(id, kind, personId, view.people, values), ...errorsToSummary(parsed.errors, parsed.ids) })
    }
    await savePerson(db, actorOf(request), id, personId, parsed.value)
    return reply.redirect(`/requests/${id}`, 303)
  })

  app.post('/requests/:id/people/:kind/:personId/remove', guard, async (request, reply) => {
    const id = idParam(request)
    await removePerson(db, actorOf(request), id, idParam(request, 'personId'))
    return reply.redirect(`/requests/${id}`, 303)
  })

  app.get('/requests/:id/check', guard, async (request, reply) => {
    const id = idParam(request)
    const view = await viewOwnRequest(db, actorOf(request), id)
    if (view.request.status !== 'draft') return reply.redirect(`/requests/${id}`, 303)
    return reply.viewAsync(`${VIEWS}/check.njk`, { ...view, ...checkContext(request, view.answers) })
  })

  app.post('/requests/:id/submit', guard, async (request, reply) => {
    const id = idParam(request)
    const result = await submitRequest(db, actorOf(request), id, new Date())
    if (!result.ok && result.incomplete.length) {
      const view = await viewOwnRequest(db, actorOf(request), id)
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/check.njk`, {
        ...view,
        ...checkContext(request, view.answers),
        errorList: result.incomplete.map((task) => ({ text: `Complete “${SECTION_TITLES[task]}”`, href: `/requests/${id}` })),
      })
    }
    return reply.redirect(`/requests/${id}/sent`, 303)
  })

  app.get('/requests/:id/sent', guard, async (request, reply) => {
    const id = idParam(request)
    const view = await viewOwnRequest(db, actorOf(request), id)
    if (view.request.status === 'draft') return reply.redirect(`/requests/${id}`, 303)
    return reply.viewAsync(`${VIEWS}/sent.njk`, { ...view, frontDoor: frontDoorOf(request) })
  })

  app.post('/requests/:id/discard', guard, async (request, reply) => {
    await discardDraft(db, actorOf(request), idParam(request))
    return reply.redirect('/requests', 303)
  })
}

const priorityForm = z.object({
  childName: z.string({ error: 'Enter the child’s name' }).trim().min(1, 'Enter the child’s name').max(200, 'Must be 200 characters or fewer'),
  postcode: z.string({ error: 'Enter the postcode' }).trim().min(1, 'Enter the postcode').max(10, 'Enter a real postcode, like SS1 1AA'),
  address: z.string({ error: 'Enter the address' }).trim().min(1, 'Enter the address').max(500, 'Must be 500 characters or fewer'),
  happening: z.string({ error: 'Enter what is happening' }).trim().min(1, 'Enter what is happening').max(5000, 'Must be 5000 characters or fewer'),
  phone: phoneNumber('Enter your telephone number'),
})

function frontDoorOf(request: FastifyRequest) {
  return frameworkById(actorOf(request).tenantId)?.frontDoor
}

async function accountPhone(db: Database, request: FastifyRequest): Promise<string | null> {
  const actor = actorOf(request)
  return db.asTenant(actor.tenantId, async (trx) => {
    const row = await trx.selectFrom('accounts').select('phone').where('id', '=', actor.accountId).executeTakeFirst()
    return row?.phone ?? null
  })
}

function sectionParam(request: FastifyRequest): SectionId {
  const section = (request.params as Record<string, string>).section as SectionId
  if (!SECTION_IDS.includes(section)) throw new NotFoundError()
  return section
}

function kindParam(request: FastifyRequest): 'child' | 'adult' {
  const kind = (request.params as Record<string, string>).kind
  if (kind !== 'child' && kind !== 'adult') throw new NotFoundError()
  return kind
}

/** Saved answers back into form fields: lists stay lists, everything else becomes text. */
function formValues(saved: unknown): Record<string, unknown> {
  return saved && typeof saved === 'object' ? { ...saved } : {}
}

function knownNeeds(request: FastifyRequest) {
  const framework = frameworkById(actorOf(request).tenantId)
  return {
    indicators: new Set(framework?.indicatorDomains.flatMap((d) => d.indicators.map((i) => i.id)) ?? []),
    vulnerabilities: new Set(framework?.vulnerabilities.map((v) => v.id) ?? []),
    difficulties: new Set(framework?.familySolutions?.difficulties.map((d) => d.id) ?? []),
  }
}

function sectionContext(request: FastifyRequest, id: string, section: SectionId, values: Record<string, unknown>, version: number | undefined) {
  const framework = frameworkById(actorOf(request).tenantId)
  return {
    id,
    section,
    version,
    title: SECTION_TITLES[section],
    values,
    framework,
    consentRiskReasons: Object.entries(CONSENT_RISK_REASONS).map(([value, text]) => ({ value, text, checked: values.consentRiskReason === value })),
    selected: {
      indicators: asList(values.indicators),
      vulnerabilities: asList(values.vulnerabilities),
      difficulties: asList(values.difficulties),
    },
  }
}

function personContext(id: string, kind: 'child' | 'adult', personId: string | null, people: { id: string; kind: string; given_name: string; family_name: string }[], values: Record<string, string>) {
  return {
    id,
    kind,
    personId,
    values,
    children: people.filter((p) => p.kind === 'child').map((p) => ({ id: p.id, name: `${p.given_name} ${p.family_name}` })),
    sexItems: Object.entries(SEX).map(([value, text]) => ({ value, text, checked: values.sex === value })),
    sendItems: Object.entries(SEND).map(([value, text]) => ({ value, text, checked: values.send === value })),
    ethnicityItems: [{ value: '', text: 'Choose an ethnic group' }, ...ETHNICITIES.map((e) => ({ value: e, text: e, selected: values.ethnicity === e }))],
  }
}

type PersonRow = { kind: string; given_name: string; family_name: string; date_of_birth: string | null; due_date: string | null; nhs_number: string | null; details: Record<string, unknown> }

function personValues(person: PersonRow): Record<string, string> {
  const date = person.date_of_birth ?? person.due_date
  const [year, month, day] = date ? date.split('-') : []
  const details = Object.fromEntries(Object.entries(person.details).map(([k, v]) => [k, String(v)]))
  const relationships = (person.details.relationships ?? {}) as Record<string, string>
  return {
    ...details,
    ...Object.fromEntries(Object.entries(relationships).map(([childId, text]) => [`relationship-${childId}`, text])),
    givenName: person.given_name,
    familyName: person.family_name,
    nhsNumber: person.nhs_number ?? '',
    born: person.kind === 'child' ? (person.due_date ? 'no' : 'yes') : '',
    'date-day': day ? String(Number(day)) : '',
    'date-month': month ? String(Number(month)) : '',
    'date-year': year ?? '',
  }
}

type ReadPerson =
  | { ok: true; value: PersonInput }
  | { ok: false; errors: Record<string, string>; ids: Record<string, string> }

/** A child or adult from the person page: the schema, the date, and each adult's relationship to each child. */
function readPerson(kind: 'child' | 'adult', body: Record<string, unknown>, children: { id: string; given_name: string }[]): ReadPerson {
  const today = new Date().toISOString().slice(0, 10)
  const form = validateForm(kind === 'child' ? childForm : adultForm, body)
  const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
  const parts = { day: String(body['date-day'] ?? ''), month: String(body['date-month'] ?? ''), year: String(body['date-year'] ?? '') }
  const dateGiven = parts.day || parts.month || parts.year
  const born = body.born !== 'no'
  let date: string | null = null
  if (kind === 'child' || dateGiven) {
    const label = kind === 'child' && !born ? 'Due date' : 'Date of birth'
    const parsed = parseDateParts(parts, { label, today, allowFuture: kind === 'child' && !born })
    if (parsed.ok) date = parsed.date
    else errors.date = parsed.message
  }
  const relationships: Record<string, string> = {}
  if (kind === 'adult') {
    for (const child of children) {
      const value = String(body[`relationship-${child.id}`] ?? '').trim().slice(0, 100)
      if (!value) errors[`relationship-${child.id}`] = `Enter their relationship to ${child.given_name}, like mother or grandfather`
      relationships[child.id] = value
    }
  }
  if (!form.ok || Object.keys(errors).length) return { ok: false, errors, ids: { date: 'date-day', born: 'born', sex: 'sex', send: 'send', youngCarer: 'youngCarer', livesWithFamily: 'livesWithFamily' } }
  const value = form.value as Record<string, string | undefined>
  const { givenName, familyName, nhsNumber, ...details } = value
  delete details.born
  return {
    ok: true,
    value: {
      kind,
      givenName: givenName ?? '',
      familyName: familyName ?? '',
      dateOfBirth: kind === 'child' && !born ? null : date,
      dueDate: kind === 'child' && !born ? date : null,
      nhsNumber: nhsNumber ? nhsNumber.replace(/\s/g, '') : null,
      details: kind === 'adult' ? { ...details, relationships } : details,
    },
  }
}

function checkContext(request: FastifyRequest, answers: Answers) {
  const framework = frameworkById(actorOf(request).tenantId)
  // What the front door will see suggested, so the practitioner knows before sending.
  const suggestion = framework ? suggestionFor(framework, answers, answers.consent?.significantHarm === 'yes') : undefined
  const label = (list: { id: string; text: string }[] | undefined, ids: string[] | undefined) =>
    (ids ?? []).map((id) => list?.find((x) => x.id === id)?.text ?? id)
  return {
    titles: SECTION_TITLES,
    tasks: TASKS,
    needs: {
      indicators: label(framework?.indicatorDomains.flatMap((d) => d.indicators), answers.needs?.indicators),
      vulnerabilities: label(framework?.vulnerabilities, answers.needs?.vulnerabilities),
      difficulties: label(framework?.familySolutions?.difficulties, answers.needs?.difficulties),
    },
    consentRiskReasons: CONSENT_RISK_REASONS,
    suggestion,
    sex: SEX,
    send: SEND,
  }
}

