import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { getFrameworks } from '../../frameworks/index.ts'
import type { Framework } from '../../frameworks/schema.ts'
import type { DateField } from '../../domain/dates.ts'
import type { Database } from '../../platform/db/database.ts'
import { typedValues } from '../../platform/http/forms.ts'
import { childField, hasSeveralChildren, MAX_CHILDREN, readSelfRequest } from './forms.ts'
import { authorityFor, selfRequestAllowance, SELF_REQUEST_LIMIT, submitSelfRequest, takeSelfRequestAllowance } from './service.ts'

const VIEWS = 'features/self-request/views'
const ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth']

/** A reference as issueReference makes them, for this authority: "ESS-2026-00042". */
function isReferenceOf(framework: Framework, value: unknown): value is string {
  const prefix = framework.shortName.slice(0, 3).toUpperCase()
  return typeof value === 'string' && value.length <= 30 && new RegExp(`^${prefix}-\\d{4}-\\d{5,}$`).test(value)
}

/** "2 working days", "24 hours": how long the front door has to decide, in the authority's terms. */
export function timescaleText(timescale: { value: number; unit: string } | undefined): string | null {
  if (!timescale) return null
  const one = timescale.value === 1
  const noun = { 'working-days': one ? 'working day' : 'working days', 'working-hours': one ? 'working hour' : 'working hours', hours: one ? 'hour' : 'hours' }[timescale.unit]
  return noun ? `${timescale.value} ${noun}` : null
}

/** The header and title carry the authority the family is asking, as they would when signed in. */
function branding(framework: Framework) {
  return { authorityName: framework.name, serviceName: framework.serviceName, framework, frontDoor: framework.frontDoor }
}

interface FormView {
  values: Record<string, string>
  errors?: Record<string, string>
  errorList?: { text: string; href?: string }[]
  dateFields?: Record<string, DateField[]>
}

/** The form's context: one block per child, with the date input's three fields marked where wrong. */
function formContext(framework: Framework, view: FormView) {
  const { values, errors = {}, dateFields = {} } = view
  const several = hasSeveralChildren(values)
  const children = Array.from({ length: MAX_CHILDREN }, (_, i) => {
    const n = i + 1
    const dob = childField(n, 'dob')
    const wrong = dateFields[dob] ?? []
    const item = (name: DateField, width: number) => ({
      name,
      label: name === 'day' ? 'Day' : name === 'month' ? 'Month' : 'Year',
      value: values[`${dob}-${name}`],
      classes: `govuk-input--width-${width}${wrong.includes(name) ? ' govuk-input--error' : ''}`,
      autocomplete: 'off',
    })
    return {
      n,
      legend: n === 1 && !several ? 'Your child' : `${ORDINALS[i]} child`,
      givenName: { name: childField(n, 'givenName'), value: values[childField(n, 'givenName')], error: errors[childField(n, 'givenName')] },
      familyName: { name: childField(n, 'familyName'), value: values[childField(n, 'familyName')], error: errors[childField(n, 'familyName')] },
      dob: { id: dob, error: errors[dob], items: [item('day', 2), item('month', 2), item('year', 4)] },
    }
  })
  return {
    ...branding(framework),
    ...view,
    children,
    maxChildren: MAX_CHILDREN,
    moreChildrenOpen: several,
  }
}

export async function selfRequestRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/help', async (_request, reply) =>
    reply.viewAsync(`${VIEWS}/start.njk`, { authorities: getFrameworks().map((f) => ({ id: f.id, name: f.name, frontDoor: f.frontDoor })) }),
  )

  app.get('/help/:authority', async (request, reply) => {
    const framework = authorityFor((request.params as Record<string, unknown>).authority)
    return reply.viewAsync(`${VIEWS}/form.njk`, formContext(framework, { values: {} }))
  })

  app.post('/help/:authority', async (request: FastifyRequest, reply: FastifyReply) => {
    const framework = authorityFor((request.params as Record<string, unknown>).authority)
    const values = typedValues(request.body)
    const now = new Date()
    const ip = request.ip || 'unknown'
    const limited = (retryAfter: Date) => {
      request.log.warn({ authority: framework.id }, 'self-request refused: too many from one address')
      reply.code(429)
      reply.header('Retry-After', String(Math.max(1, Math.ceil((retryAfter.getTime() - now.getTime()) / 1000))))
      return reply.viewAsync(`${VIEWS}/form.njk`, {
        ...formContext(framework, { values }),
        limited: { retryAfter, limit: SELF_REQUEST_LIMIT },
        errorList: [{ text: `You cannot send more than ${SELF_REQUEST_LIMIT} requests for help in an hour from this internet connection`, href: '#limited' }],
      })
    }

    // Refused before the form is read, so a blocked address learns at once and keeps what it typed.
    const before = await selfRequestAllowance(db.system, ip, now)
    if (!before.ok) return limited(before.retryAfter)

    const form = readSelfRequest(request.body, now)
    if (!form.ok) {
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/form.njk`, formContext(framework, { values, errors: form.errors, errorList: form.errorList, dateFields: form.dateFields }))
    }
    // Counted as it is sent, in one statement, so requests sent at the same moment are all counted.
    const taken = await takeSelfRequestAllowance(db.system, ip, now)
    if (!taken.ok) return limited(taken.retryAfter)

    const { reference } = await submitSelfRequest(db, framework.id, form.value, now, { ip: request.ip, requestId: request.id })
    return reply.redirect(`/help/${framework.id}/sent?reference=${encodeURIComponent(reference)}`, 303)
  })

  // The reference comes back in the address so that reloading the page cannot send the request twice.
  app.get('/help/:authority/sent', async (request, reply) => {
    const framework = authorityFor((request.params as Record<string, unknown>).authority)
    const reference = (request.query as Record<string, unknown>).reference
    if (!isReferenceOf(framework, reference)) return reply.redirect(`/help/${framework.id}`, 303)
    return reply.viewAsync(`${VIEWS}/sent.njk`, {
      ...branding(framework),
      reference,
      decisionTime: timescaleText(framework.timescales.decisionWithin),
      acknowledgeTime: timescaleText(framework.timescales.acknowledgeWithin),
    })
  })
}
