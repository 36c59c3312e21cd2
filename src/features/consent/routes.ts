import type { FastifyInstance, FastifyReply } from 'fastify'
import { parseDateParts } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { actorOf, requireRole } from '../../platform/access/access.ts'
import type { Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { dateParts, errorsToSummary, typedValues, validateForm } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { formatDate, formatDateTime } from '../../platform/views/format.ts'
import { CASEWORK_ROLES } from '../involvements/access.ts'
import { DISCLOSURE_BASES, OVERRIDE_BASES } from '../sharing/record.ts'
import { CONSENT_FIELDS, consentForm, OVERRIDE_FIELDS, overrideForm, WITHDRAW_FIELDS, withdrawForm } from './forms.ts'
import { CONSENT_HOW, CONSENT_PURPOSES, EARLY_HELP_EFFECTS, SHARING_EFFECTS, WITHDRAWAL_EFFECTS } from './rules.ts'
import { consentFormContext, consentPage, overrideContext, overrideWithdrawal, recordConsent, withdrawConsent, withdrawContext } from './service.ts'

const VIEWS = 'features/consent/views'

const items = (labels: Record<string, string>, selected: string | undefined) => Object.entries(labels).map(([value, text]) => ({ value, text, checked: value === selected }))
const basisItems = (selected: string | undefined) => items(Object.fromEntries(OVERRIDE_BASES.map((b) => [b, DISCLOSURE_BASES[b]])), selected)
const order = (errors: Record<string, string>, fields: string[]) => Object.fromEntries(fields.filter((f) => errors[f]).map((f) => [f, errors[f] as string]))
const name = (p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`

const TAG = { given: '<strong class="govuk-tag govuk-tag--green">Given</strong>', withdrawn: '<strong class="govuk-tag govuk-tag--red">Withdrawn</strong>' }

/** The rows of one consent's summary card: text values only (escaped by the component), the status a fixed tag. */
function summaryRows(c: {
  withdrawn_on: string | null
  byName: string
  agencies: string[]
  howText: string
  given_on: string
  recorded_by_name: string
  recorded_at: Date
  effectText: string | undefined
  withdrawal_recorded_by_name: string | null
  withdrawal_recorded_at: Date | string | null
  withdrawal_note: string | null
  overrides: { basisText: string; reason: string; decided_by_name: string; decided_at: Date }[]
}) {
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } })
  const rows: { key: { text: string }; value: { text?: string; html?: string } }[] = [
    { key: { text: 'Status' }, value: { html: c.withdrawn_on ? TAG.withdrawn : TAG.given } },
    row('Given by', c.byName),
    row('Agencies named', c.agencies.length ? c.agencies.join(', ') : 'Not applicable'),
    row('How', c.howText),
    row('Given on', formatDate(c.given_on)),
    row('Recorded by', `${c.recorded_by_name} on ${formatDateTime(c.recorded_at)}`),
  ]
  if (c.withdrawn_on) {
    rows.push(row('Withdrawn on', formatDate(c.withdrawn_on)))
    rows.push(row('What happened next', c.effectText ?? ''))
    rows.push(row('Withdrawal recorded by', `${c.withdrawal_recorded_by_name ?? 'Unknown'} on ${c.withdrawal_recorded_at ? formatDateTime(c.withdrawal_recorded_at) : ''}${c.withdrawal_note ? `. ${c.withdrawal_note}` : ''}`))
    for (const o of c.overrides) rows.push(row('Lawful basis to continue', `${o.basisText}: ${o.reason} (${o.decided_by_name}, ${formatDateTime(o.decided_at)})`))
  }
  return rows
}

/** Consent per person and purpose, recording it, withdrawing it with its effect, and a lawful basis to go on. */
export async function consentRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const casework = { preHandler: requireRole(db, CASEWORK_ROLES) }

  app.get('/involvements/:id/consent', casework, async (request, reply) => {
    const view = await consentPage(db, actorOf(request), idParam(request))
    const personName = new Map(view.people.map((p) => [p.id, name(p)]))
    const rows = view.consents.map((c) => ({
      ...c,
      forName: personName.get(c.for_person_id) ?? 'Unknown',
      byName: c.given_by_person_id === c.for_person_id ? 'Themselves' : (personName.get(c.given_by_person_id) ?? 'Unknown'),
      purposeText: CONSENT_PURPOSES[c.purpose],
      howText: CONSENT_HOW[c.how],
      effectText: c.withdrawal_effect ? WITHDRAWAL_EFFECTS[c.withdrawal_effect] : undefined,
      overrides: view.overrides.filter((o) => o.consent_id === c.id).map((o) => ({ ...o, basisText: DISCLOSURE_BASES[o.basis] })),
      canOverride: c.purpose === 'information-sharing' && !!c.withdrawn_on && !!view.involvement.sharing_stopped_at,
    })).map((c) => ({ ...c, rows: summaryRows(c) }))
    return reply.viewAsync(`${VIEWS}/index.njk`, {
      ...view,
      open: view.involvement.status !== 'closed',
      people: view.people.map((p) => ({ ...p, name: name(p), consents: rows.filter((r) => r.for_person_id === p.id) })),
      done: (request.query as Record<string, unknown>).done,
    })
  })

  const renderNew = async (reply: FastifyReply, actor: Actor, id: string, values: Record<string, string>, errors?: Record<string, string>) => {
    const context = await consentFormContext(db, actor, id)
    const personItems = (selected: string | undefined) => context.people.map((p) => ({ value: p.id, text: name(p), hint: { text: p.relationship ?? (p.kind === 'child' ? 'Child' : 'Adult') }, checked: p.id === selected }))
    return reply.viewAsync(`${VIEWS}/new.njk`, {
      ...context,
      values,
      forItems: personItems(values.forPerson),
      byItems: personItems(values.givenBy),
      purposeItems: items(CONSENT_PURPOSES, values.purpose),
      howItems: items(CONSENT_HOW, values.how),
      ...(errors ? errorsToSummary(order(errors, CONSENT_FIELDS), { date: 'date-day' }) : {}),
    })
  }

  app.get('/involvements/:id/consent/new', casework, async (request, reply) => renderNew(reply, actorOf(request), idParam(request), {}))

  app.post('/involvements/:id/consent/new', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const values = typedValues(request.body)
    const form = validateForm(consentForm, request.body)
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
    const given = parseDateParts(dateParts(request.body, 'date'), { label: 'The date consent was given', today: localDateOf(new Date()) })
    if (!given.ok) errors.date = given.message
    const result = form.ok && given.ok ? await recordConsent(db, actor, id, form.value, given.date, new Date()) : { ok: false as const, errors }
    if (!result.ok) {
      reply.code(400)
      return renderNew(reply, actor, id, values, result.errors)
    }
    return reply.redirect(`/involvements/${id}/consent?done=recorded`, 303)
  })

  const renderWithdraw = async (reply: FastifyReply, actor: Actor, id: string, consentId: string, values: Record<string, string> | undefined, errors?: Record<string, string>) => {
    const context = await withdrawContext(db, actor, id, consentId)
    const shown = values ?? {}
    return reply.viewAsync(`${VIEWS}/withdraw.njk`, {
      ...context,
      forName: `${context.consent.for_given_name} ${context.consent.for_family_name}`,
      purposeText: CONSENT_PURPOSES[context.consent.purpose],
      values: { ...shown, version: String(context.consent.version) },
      effectItems: items(context.consent.purpose === 'information-sharing' ? SHARING_EFFECTS : EARLY_HELP_EFFECTS, shown.effect),
      basisItems: basisItems(shown.basis),
      ...(errors ? errorsToSummary(order(errors, WITHDRAW_FIELDS), { date: 'date-day', effect: 'effect', basis: 'basis' }) : {}),
    })
  }

  app.get('/involvements/:id/consent/:consentId/withdraw', casework, async (request, reply) => renderWithdraw(reply, actorOf(request), idParam(request), idParam(request, 'consentId'), undefined))

  app.post('/involvements/:id/consent/:consentId/withdraw', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const consentId = idParam(request, 'consentId')
    const values = typedValues(request.body)
    const form = validateForm(withdrawForm, request.body)
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors }
    const withdrawn = parseDateParts(dateParts(request.body, 'date'), { label: 'The date consent was withdrawn', today: localDateOf(new Date()) })
    if (!withdrawn.ok) errors.date = withdrawn.message
    const result = form.ok && withdrawn.ok ? await withdrawConsent(db, actor, id, consentId, form.value, withdrawn.date, new Date()) : { ok: false as const, errors }
    if (!result.ok) {
      reply.code(400)
      return renderWithdraw(reply, actor, id, consentId, values, result.errors)
    }
    if (result.value === 'closed') return reply.redirect(`/involvements/${id}?done=closed`, 303)
    if (result.value === 'closing') return reply.redirect(`/involvements/${id}?done=closure-requested`, 303)
    return reply.redirect(`/involvements/${id}/consent?done=${result.value === 'override' ? 'override' : 'withdrawn'}`, 303)
  })

  const renderOverride = async (reply: FastifyReply, actor: Actor, id: string, consentId: string, values: Record<string, string>, errors?: Record<string, string>) => {
    const context = await overrideContext(db, actor, id, consentId)
    return reply.viewAsync(`${VIEWS}/override.njk`, {
      ...context,
      forName: `${context.consent.for_given_name} ${context.consent.for_family_name}`,
      values,
      basisItems: basisItems(values.basis),
      ...(errors ? errorsToSummary(order(errors, OVERRIDE_FIELDS), { basis: 'basis' }) : {}),
    })
  }

  app.get('/involvements/:id/consent/:consentId/override', casework, async (request, reply) => renderOverride(reply, actorOf(request), idParam(request), idParam(request, 'consentId'), {}))

  app.post('/involvements/:id/consent/:consentId/override', casework, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const consentId = idParam(request, 'consentId')
    const values = typedValues(request.body)
    const form = validateForm(overrideForm, request.body)
    const result = form.ok ? await overrideWithdrawal(db, actor, id, consentId, form.value, new Date()) : form
    if (!result.ok) {
      reply.code(400)
      return renderOverride(reply, actor, id, consentId, values, result.errors)
    }
    return reply.redirect(`/involvements/${id}/consent?done=override`, 303)
  })
}
