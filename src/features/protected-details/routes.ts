import type { FastifyInstance } from 'fastify'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { CASEWORK_ROLES } from '../involvements/access.ts'
import { FIELD_IDS, KINDS, liftForm, protectionForm } from './forms.ts'
import { KIND_TEXT } from './redact.ts'
import { liftProtection, listProtections, protectionFormContext, protectionToLift, recordProtection } from './service.ts'

const VIEWS = 'features/protected-details/views'

/** What was typed, as strings and lists of strings, to put back in the form. */
function typed(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === '_csrf') continue
      if (typeof value === 'string') values[key] = value
      else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string')
    }
  }
  return values
}
const FIELD_ORDER = ['personId', 'kind', 'value', 'hiddenFromPeople', 'hiddenFromOrganisations', 'reason']
/** Errors in the order of the fields on the page, as the error summary lists them. */
const inFieldOrder = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).sort(([a], [b]) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b)))
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

type FormContext = Awaited<ReturnType<typeof protectionFormContext>>

function formView(context: FormContext, values: Record<string, string | string[]>) {
  const name = (p: FormContext['people'][number]) => `${p.given_name} ${p.family_name}`
  const hiddenPeople = asList(values.hiddenFromPeople)
  const hiddenOrganisations = asList(values.hiddenFromOrganisations)
  return {
    involvement: context.involvement,
    values,
    personItems: context.people.map((p) => ({ value: p.id, text: name(p), hint: { text: p.relationship ?? (p.kind === 'child' ? 'Child' : 'Adult') }, checked: values.personId === p.id })),
    kindItems: KINDS.map((k) => ({ value: k, text: k === 'address' ? 'Address' : k === 'contact' ? 'Contact details (telephone, email)' : 'Whereabouts (school, work, where they can be found)', checked: values.kind === k })),
    peopleItems: context.people.map((p) => ({ value: p.id, text: name(p), checked: hiddenPeople.includes(p.id) })),
    organisationItems: context.organisations.map((o) => ({ value: o.id, text: o.name, checked: hiddenOrganisations.includes(o.id) })),
  }
}

/**
 * Protected details of a family's people: the list (current and lifted), recording one and lifting
 * one. The family page, the plan's PDF and family page, and the subject access export respect them.
 */
export async function protectedDetailsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const casework = { preHandler: requireRole(db, CASEWORK_ROLES) }

  app.get('/involvements/:id/protected-details', casework, async (request, reply) => {
    const view = await listProtections(db, actorOf(request), idParam(request))
    const nameOf = new Map(view.people.map((p) => [p.id, `${p.given_name} ${p.family_name}`]))
    const orgOf = new Map(view.organisations.map((o) => [o.id, o.name]))
    const describe = (p: (typeof view.current)[number]) => ({
      ...p,
      personName: nameOf.get(p.personId) ?? 'Someone no longer in the family',
      hiddenFrom: [...p.hiddenFromPeople.map((id) => nameOf.get(id) ?? 'a family member'), ...p.hiddenFromOrganisations.map((id) => orgOf.get(id) ?? 'an agency')],
    })
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      ...view,
      current: view.current.map(describe),
      lifted: view.lifted.map(describe),
      done: (request.query as Record<string, unknown>).done,
    })
  })

  app.get('/involvements/:id/protected-details/new', casework, async (request, reply) => {
    const context = await protectionFormContext(db, actorOf(request), idParam(request))
    return reply.viewAsync(`${VIEWS}/new.njk`, formView(context, {}))
  })

  app.post('/involvements/:id/protected-details/new', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typed(request.body)
    const form = validateForm(protectionForm, request.body, FIELD_IDS)
    const result = form.ok ? await recordProtection(db, actor, id, form.value) : form
    if (!result.ok) {
      reply.code(400)
      const context = await protectionFormContext(db, actor, id, false)
      return reply.viewAsync(`${VIEWS}/new.njk`, { ...formView(context, values), ...errorsToSummary(inFieldOrder(result.errors), FIELD_IDS) })
    }
    return reply.redirect(`/involvements/${id}/protected-details?done=recorded`, 303)
  })

  app.get('/involvements/:id/protected-details/:protectionId/lift', casework, async (request, reply) => {
    const view = await protectionToLift(db, actorOf(request), idParam(request), idParam(request, 'protectionId'))
    return reply.viewAsync(`${VIEWS}/lift.njk`, { ...view, kindText: KIND_TEXT[view.protection.kind], values: {} })
  })

  app.post('/involvements/:id/protected-details/:protectionId/lift', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const protectionId = idParam(request, 'protectionId')
    const form = validateForm(liftForm, request.body)
    if (!form.ok) {
      reply.code(400)
      const view = await protectionToLift(db, actor, id, protectionId, false)
      return reply.viewAsync(`${VIEWS}/lift.njk`, { ...view, kindText: KIND_TEXT[view.protection.kind], values: typed(request.body), errors: form.errors, errorList: form.errorList })
    }
    const lifted = await liftProtection(db, actor, id, protectionId, form.value, new Date())
    return reply.redirect(`/involvements/${id}/protected-details?done=${lifted ? 'lifted' : 'already-lifted'}`, 303)
  })
}
