import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { localDateOf } from '../../domain/working-calendar.ts'
import type { Framework } from '../../frameworks/schema.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, formVersion, typedValues } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/ids.ts'
import { ReadOnlyError } from '../../platform/http/errors.ts'
import { CASEWORK_ROLES } from '../involvements/access.ts'
import { CLOSURE_REASONS, readClosure, readSocialCareStepDown, readStepDown, readStepUp, type Closure } from './rules.ts'
import {
  closurePage,
  frameworkOf,
  levelText,
  requestClosure,
  signOffClosure,
  SOCIAL_CARE_STEP_DOWN_ROLES,
  stepDown,
  stepDownFromSocialCare,
  stepDownPage,
  stepUp,
  stepUpPage,
  type ChangeResult,
} from './service.ts'

const VIEWS = 'features/transitions/views'

function involvementId(request: FastifyRequest): string {
  const value = (request.params as Record<string, string>).id
  if (!isUuid(value)) throw new NotFoundError()
  return value
}

const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [])

function stepUpItems(framework: Framework, targets: number[], selected: string | undefined) {
  const words: Record<number, string> = { 3: 'To intensive support', 4: 'To children’s social care' }
  return targets.map((level) => ({ value: String(level), text: `${words[level]} (level ${level})`, hint: { text: levelText(framework, level) }, checked: selected === String(level) }))
}

function levelItems(framework: Framework, targets: number[], selected: string | undefined) {
  return targets.map((level) => ({ value: String(level), text: levelText(framework, level).replace(/^l/, 'L'), checked: selected === String(level) }))
}

/** The closure form's choices: reasons, the outcome framework by theme, and the 0-10 scores. */
function closureChoices(framework: Framework, values: Record<string, unknown>) {
  const chosen = new Set(list(values.outcomes))
  const scores = (name: string, extra: { value: string; text: string }[] = []) =>
    [...Array.from({ length: 11 }, (_, n) => ({ value: String(n), text: String(n) })), ...extra].map((item) => ({ ...item, checked: values[name] === item.value }))
  return {
    reasons: Object.entries(CLOSURE_REASONS).map(([value, text]) => ({ value, text, checked: values.reason === value })),
    outcomeFrameworkName: framework.outcomeFramework.name,
    themes: framework.outcomeFramework.themes.map((theme) => ({
      id: theme.id,
      name: theme.name,
      items: theme.outcomes.map((o) => ({ value: o.id, text: o.text, checked: chosen.has(o.id) })),
    })),
    familyScores: scores('familyScore', [{ value: 'unknown', text: 'Not known' }]),
    teamScores: scores('teamScore'),
  }
}

/** A closure in words, for the closure pages and the family's page. */
export function closureSummary(framework: Framework, closure: Closure | null) {
  if (!closure) return null
  const outcomes = new Map(framework.outcomeFramework.themes.flatMap((t) => t.outcomes.map((o) => [o.id, o.text] as const)))
  return {
    ...closure,
    reasonText: CLOSURE_REASONS[closure.reason] ?? closure.reason,
    outcomes: (closure.outcomesAchieved ?? []).map((id) => outcomes.get(id) ?? id),
  }
}

export async function transitionsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, CASEWORK_ROLES) }
  const socialCareGuard = { preHandler: requireRole(db, SOCIAL_CARE_STEP_DOWN_ROLES) }

  // ---- Step up -------------------------------------------------------------------------------
  const renderStepUp = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, string>, errors?: Record<string, string>, ids?: Record<string, string>) => {
    const actor = actorOf(request)
    const framework = frameworkOf(actor)
    // Shown first, the page is a view; shown again with errors, it is not counted twice.
    const page = await stepUpPage(db, actor, involvementId(request), { audit: !values })
    const shown = values ?? { tried: page.tried }
    return reply.viewAsync(`${VIEWS}/step-up.njk`, {
      ...page,
      frontDoor: framework.frontDoor.name,
      currentLevel: levelText(framework, page.involvement.level),
      items: stepUpItems(framework, page.targets, shown.toLevel),
      values: shown,
      ...(errors ? errorsToSummary(errors, ids) : {}),
    })
  }

  app.get('/involvements/:id/step-up', guard, async (request, reply) => renderStepUp(request, reply))

  app.post('/involvements/:id/step-up', guard, async (request, reply) => {
    const id = involvementId(request)
    const actor = actorOf(request)
    const page = await stepUpPage(db, actor, id)
    if (!page.isLead) throw new NotFoundError()
    const read = readStepUp(bodyOf(request), page.involvement.level)
    if (!read.ok) {
      reply.code(400)
      return renderStepUp(request, reply, typedValues(request.body), read.errors, read.ids)
    }
    const { requestId } = await stepUp(db, actor, id, read.value, new Date())
    return reply.redirect(`/requests/${requestId}`, 303)
  })

  // ---- Step down within an involvement -------------------------------------------------------
  const renderStepDown = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, string>, errors?: Record<string, string>, ids?: Record<string, string>) => {
    const actor = actorOf(request)
    const framework = frameworkOf(actor)
    const page = await stepDownPage(db, actor, involvementId(request), { audit: !values })
    const shown = values ?? { version: String(page.involvement.version) }
    return reply.viewAsync(`${VIEWS}/step-down.njk`, {
      ...page,
      currentLevel: levelText(framework, page.involvement.level),
      items: levelItems(framework, page.targets, shown.toLevel),
      values: shown,
      ...(errors ? errorsToSummary(errors, ids) : {}),
    })
  }

  app.get('/involvements/:id/step-down', guard, async (request, reply) => renderStepDown(request, reply))

  app.post('/involvements/:id/step-down', guard, async (request, reply) => {
    const id = involvementId(request)
    const actor = actorOf(request)
    const body = bodyOf(request)
    const page = await stepDownPage(db, actor, id)
    const read = readStepDown(body, page.involvement.level, localDateOf(new Date()))
    const result: ChangeResult = read.ok ? await stepDown(db, actor, id, { ...read.value, version: formVersion(body.version) }, new Date()) : read
    if (!result.ok) {
      reply.code(result.conflict ? 409 : 400)
      return renderStepDown(request, reply, typedValues(body), result.errors, read.ok ? { toLevel: 'toLevel' } : read.ids)
    }
    return reply.redirect(`/involvements/${id}?done=stepped-down`, 303)
  })

  // ---- Step down from children's social care: a new involvement ------------------------------
  const renderSocialCare = (reply: FastifyReply, values: Record<string, string>, errors?: Record<string, string>, ids?: Record<string, string>) =>
    reply.viewAsync(`${VIEWS}/step-down-new.njk`, {
      values,
      levels: [
        { value: '2', text: 'Level 2', checked: values.level === '2' },
        { value: '3', text: 'Level 3', checked: values.level === '3' },
      ],
      ...(errors ? errorsToSummary(errors, ids) : {}),
    })

  app.get('/step-downs/new', socialCareGuard, async (_request, reply) => renderSocialCare(reply, {}))

  app.post('/step-downs/new', socialCareGuard, async (request, reply) => {
    const body = bodyOf(request)
    const read = readSocialCareStepDown(body, localDateOf(new Date()))
    const result = read.ok ? await stepDownFromSocialCare(db, actorOf(request), read.value, new Date()) : read
    if (!result.ok) {
      reply.code(400)
      return renderSocialCare(reply, typedValues(body), result.errors, read.ok ? {} : read.ids)
    }
    return reply.redirect(`/involvements/${result.id}`, 303)
  })

  // ---- Closure -------------------------------------------------------------------------------
  const renderClose = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, unknown>, errors?: Record<string, string>, ids?: Record<string, string>) => {
    const actor = actorOf(request)
    const framework = frameworkOf(actor)
    const page = await closurePage(db, actor, involvementId(request), 'manage', { audit: !values })
    const shown = values ?? { version: String(page.involvement.version) }
    return reply.viewAsync(`${VIEWS}/close.njk`, {
      ...page,
      closure: closureSummary(framework, page.closure),
      isManager: page.relation === 'manager',
      values: shown,
      ...closureChoices(framework, shown),
      ...(errors ? errorsToSummary(errors, ids) : {}),
    })
  }

  app.get('/involvements/:id/close', guard, async (request, reply) => renderClose(request, reply))

  app.post('/involvements/:id/close', guard, async (request, reply) => {
    const id = involvementId(request)
    const actor = actorOf(request)
    const body = bodyOf(request)
    const page = await closurePage(db, actor, id)
    if (page.involvement.status === 'closing') throw new ReadOnlyError(`/involvements/${id}/close`, 'This family’s closure is already waiting for a manager’s sign-off')
    const read = readClosure(body, frameworkOf(actor))
    const result: ChangeResult = read.ok ? await requestClosure(db, actor, id, { ...read.value, version: formVersion(body.version) }, new Date()) : read
    if (!result.ok) {
      reply.code(result.conflict ? 409 : 400)
      const values = { ...typedValues(body), outcomes: list(body.outcomes) }
      return renderClose(request, reply, values, result.errors, read.ok ? { reason: 'reason' } : read.ids)
    }
    return reply.redirect(`/involvements/${id}?done=${'closed' in result && result.closed ? 'closed' : 'closure-requested'}`, 303)
  })

  const renderSignOff = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, string>, errors?: Record<string, string>) => {
    const actor = actorOf(request)
    const framework = frameworkOf(actor)
    const page = await closurePage(db, actor, involvementId(request), 'sign-off', { audit: !values })
    const shown = values ?? { version: String(page.involvement.version) }
    return reply.viewAsync(`${VIEWS}/sign-off.njk`, {
      ...page,
      closure: closureSummary(framework, page.closure),
      values: shown,
      decisions: [
        { value: 'approve', text: 'Yes, sign off the closure', checked: shown.decision === 'approve' },
        { value: 'return', text: 'No, return it to the Lead Professional', checked: shown.decision === 'return' },
      ],
      ...(errors ? errorsToSummary(errors, { decision: 'decision' }) : {}),
    })
  }

  app.get('/involvements/:id/close/sign-off', guard, async (request, reply) => renderSignOff(request, reply))

  app.post('/involvements/:id/close/sign-off', guard, async (request, reply) => {
    const id = involvementId(request)
    const actor = actorOf(request)
    const body = bodyOf(request)
    const decision = body.decision
    const returnReason = typeof body.returnReason === 'string' ? body.returnReason.trim() : ''
    const errors: Record<string, string> = {}
    if (decision !== 'approve' && decision !== 'return') errors.decision = 'Select whether you sign off the closure'
    if (decision === 'return' && !returnReason) errors.returnReason = 'Enter why you are returning the closure'
    if (returnReason.length > 5000) errors.returnReason = 'Must be 5,000 characters or fewer'
    // The relationship first (a practitioner hears 404), then the form.
    await closurePage(db, actor, id, 'sign-off')
    const version = formVersion(body.version)
    const result: ChangeResult = Object.keys(errors).length
      ? { ok: false, errors }
      : await signOffClosure(db, actor, id, decision === 'approve' ? { version, decision: 'approve' } : { version, decision: 'return', returnReason }, new Date())
    if (!result.ok) {
      reply.code(result.conflict ? 409 : 400)
      return renderSignOff(request, reply, typedValues(body), result.errors)
    }
    return reply.redirect(`/involvements/${id}?done=${decision === 'approve' ? 'closed' : 'closure-returned'}`, 303)
  })
}
