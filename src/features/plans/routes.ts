import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SUPPORTING_FAMILIES_HEADLINES } from '../../domain/supporting-families.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { actorOf, NotFoundError, requireRole } from '../../platform/access/access.ts'
import type { Database } from '../../platform/db/database.ts'
import { errorsToSummary, formVersion } from '../../platform/http/forms.ts'
import { idParam } from '../../platform/http/ids.ts'
import { CASEWORK_ROLES } from '../involvements/access.ts'
import {
  ACTION_STATUS_TEXT,
  ACTION_STATUSES,
  CONSENT_STATEMENT,
  INFORMATION_SHARING,
  isSectionId,
  NEXT_STEPS,
  nextStepText,
  outcomeLabels,
  outcomeOptions,
  PLAN_KIND_TEXT,
  PLAN_KINDS,
  SECTIONS,
  sectionComplete,
  type PlanKind,
  type SectionId,
} from './content.ts'
import { agreeModelFromBody, emptyAgreeModel, SECTION_FORMS, validateAgree, type Body, type SectionContext } from './forms.ts'
import { pdfFileName, renderPlanPdf } from './pdf.ts'
import { copyRedaction, redactForCopy } from '../protected-details/service.ts'
import {
  agreePlan,
  compareVersions,
  discardDraft,
  listPlans,
  openSection,
  planForDownload,
  saveSection,
  startNewVersion,
  updateActionStatus,
  viewAction,
  viewPlan,
  type PlanView,
} from './service.ts'

const VIEWS = 'features/plans/views'

const STALE = 'Someone else changed this plan while you were editing it. Your changes have not been saved: check what is below, then save again.'

/** A version number in a URL: a whole number from 1, else 404. */
function positiveInt(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,5}$/.test(value)) throw new NotFoundError()
  return Number(value)
}
const numberParam = (request: FastifyRequest) => positiveInt((request.params as Record<string, string>).number)

function sectionParam(request: FastifyRequest): SectionId {
  const value = (request.params as Record<string, string>).section
  if (!isSectionId(value)) throw new NotFoundError()
  return value
}

const body = (request: FastifyRequest): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {})
const versionOf = (request: FastifyRequest) => formVersion(body(request).version)

/** What every plan page shows beside its own data: the words for outcomes, next steps and kinds. */
function labels(tenantId: string) {
  return {
    outcomeText: outcomeLabels(tenantId),
    nextSteps: nextStepText(tenantId),
    kindText: PLAN_KIND_TEXT,
    statusText: ACTION_STATUS_TEXT,
  }
}

function tasksOf(plan: PlanView) {
  return SECTIONS.map((s) => ({ ...s, complete: sectionComplete(s.id, plan.content, plan) }))
}

/** Asks who a copy of the plan is for, when the family has protected details (a GET form). */
function askWhoFor(
  reply: FastifyReply,
  id: string,
  number: number,
  copy: Extract<Awaited<ReturnType<typeof copyRedaction>>, { ask: true }>,
  page: 'family' | 'plan.pdf',
) {
  if (copy.invalid) reply.code(400)
  return reply.viewAsync('features/protected-details/views/copy-for.njk', {
    involvement: copy.involvement,
    backHref: `/involvements/${id}/plans/${number}`,
    action: `/involvements/${id}/plans/${number}/${page}`,
    buttonText: page === 'family' ? 'Show the family’s page' : 'Download the PDF',
    invalid: copy.invalid,
    errorList: copy.invalid ? [{ text: 'Select who the copy is for', href: '#for' }] : [],
    items: [
      { value: 'team', text: 'The team’s own use', hint: { text: 'Nothing is left out, except what is kept from your own agency' } },
      { divider: 'or a family member' },
      ...copy.people.map((p) => ({ value: `person:${p.id}`, text: `${p.given_name} ${p.family_name}`, hint: p.relationship ? { text: p.relationship } : undefined })),
      ...(copy.organisations.length ? [{ divider: 'or an agency' }] : []),
      ...copy.organisations.map((o) => ({ value: `organisation:${o.id}`, text: o.name })),
    ],
  })
}

export async function plansRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const guard = { preHandler: requireRole(db, CASEWORK_ROLES) }

  app.get('/involvements/:id/plans', guard, async (request, reply) => {
    const actor = actorOf(request)
    const view = await listPlans(db, actor, idParam(request))
    const agreed = view.versions.filter((v) => v.status === 'agreed')
    return reply.viewAsync(`${VIEWS}/list.njk`, {
      ...view,
      ...labels(actor.tenantId),
      compareFrom: agreed.length >= 2 ? agreed[agreed.length - 2]!.number : view.versions[0]?.number,
      compareTo: view.versions.at(-1)?.number,
    })
  })

  app.post('/involvements/:id/plans', guard, async (request, reply) => {
    const id = idParam(request)
    const kind = PLAN_KINDS.find((k) => k === body(request).kind) ?? 'review'
    const { number } = await startNewVersion(db, actorOf(request), id, kind as PlanKind, new Date())
    return reply.redirect(`/involvements/${id}/plans/${number}`, 303)
  })

  app.get('/involvements/:id/plans/compare', guard, async (request, reply) => {
    const actor = actorOf(request)
    const query = request.query as Record<string, unknown>
    const view = await compareVersions(db, actor, idParam(request), positiveInt(query.from), positiveInt(query.to))
    return reply.viewAsync(`${VIEWS}/compare.njk`, { ...view, ...labels(actor.tenantId) })
  })

  app.get('/involvements/:id/plans/:number', guard, async (request, reply) => {
    const actor = actorOf(request)
    const view = await viewPlan(db, actor, idParam(request), numberParam(request))
    const agreedNow = (request.query as Record<string, unknown>).agreed === '1'
    return reply.viewAsync(`${VIEWS}/version.njk`, { ...view, ...labels(actor.tenantId), tasks: tasksOf(view.plan), agreedNow })
  })

  app.get('/involvements/:id/plans/:number/family', guard, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const number = numberParam(request)
    // With protected details in the family, the page is redacted for whoever it is for.
    const copy = await copyRedaction(db, actor, id, (request.query as Record<string, unknown>).for)
    if (copy.ask) return askWhoFor(reply, id, number, copy, 'family')
    const view = await viewPlan(db, actor, id, number, 'family')
    const plan = { ...view.plan, content: redactForCopy(view.plan.content, copy.protections, copy.viewerOrganisationId, copy.recipient) }
    return reply.viewAsync(`${VIEWS}/family.njk`, { ...view, plan, ...labels(actor.tenantId), copyFor: copy.label })
  })

  app.get('/involvements/:id/plans/:number/plan.pdf', guard, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const number = numberParam(request)
    // With protected details in the family, the copy is redacted for whoever it is for.
    const copy = await copyRedaction(db, actor, id, (request.query as Record<string, unknown>).for)
    if (copy.ask) return askWhoFor(reply, id, number, copy, 'plan.pdf')
    const { involvement, plan: stored } = await planForDownload(db, actor, id, number, copy.label, new Date())
    const plan = { ...stored, content: redactForCopy(stored.content, copy.protections, copy.viewerOrganisationId, copy.recipient) }
    const pdf = await renderPlanPdf({
      authorityName: frameworkById(actor.tenantId)?.name ?? '',
      familyName: involvement.family_name,
      reference: involvement.reference,
      number: plan.number,
      kind: plan.kind,
      status: plan.status,
      agreedAt: plan.agreed_at,
      content: plan.content,
      familyScore: plan.family_score,
      teamScore: plan.team_score,
      reviewOn: plan.review_on,
      consentGiven: plan.consent_given,
      assessorName: plan.assessor_name,
      assessorSignedOn: plan.assessor_signed_on,
      familySignatoryName: plan.family_signatory_name,
      familySignedOn: plan.family_signed_on,
      outcomes: outcomeLabels(actor.tenantId),
      nextSteps: nextStepText(actor.tenantId),
    })
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${pdfFileName(involvement.reference, plan.number)}"`)
      .header('cache-control', 'no-store')
      .send(pdf)
  })

  // Agreeing and signing.
  const renderAgree = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown>) => {
    const actor = actorOf(request)
    return reply.viewAsync(`${VIEWS}/agree.njk`, {
      ...labels(actor.tenantId),
      consentStatement: CONSENT_STATEMENT,
      informationSharing: INFORMATION_SHARING,
      ...extra,
    })
  }

  app.get('/involvements/:id/plans/:number/agree', guard, async (request, reply) => {
    const view = await openSection(db, actorOf(request), idParam(request), numberParam(request), 'agree')
    return renderAgree(request, reply, { ...view, model: emptyAgreeModel(), version: view.plan.version })
  })

  app.post('/involvements/:id/plans/:number/agree', guard, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const number = numberParam(request)
    const model = agreeModelFromBody(body(request))
    const now = new Date()
    const form = validateAgree(model, localDateOf(now))
    if (!form.ok) {
      const view = await openSection(db, actor, id, number, 'agree')
      reply.code(400)
      return renderAgree(request, reply, { ...view, model, version: versionOf(request), errors: form.errors, errorList: form.errorList })
    }
    const result = await agreePlan(db, actor, id, number, versionOf(request), form.value, now)
    if (!result.ok && !result.stale) {
      reply.code(400)
      // Each missing part links to the section where it is filled in.
      const errorList = Object.entries(result.missing).map(([section, text]) => ({ text, href: `/involvements/${id}/plans/${number}/${section}` }))
      return renderAgree(request, reply, { involvement: result.involvement, plan: result.plan, model, version: result.plan.version, errors: {}, errorList })
    }
    if (!result.ok) {
      reply.code(409)
      return renderAgree(request, reply, { involvement: result.involvement, plan: result.plan, model, version: result.plan.version, ...errorsToSummary({ form: STALE }, { form: 'consent' }) })
    }
    return reply.redirect(`/involvements/${id}/plans/${number}?agreed=1`, 303)
  })

  app.post('/involvements/:id/plans/:number/discard', guard, async (request, reply) => {
    const id = idParam(request)
    await discardDraft(db, actorOf(request), id, numberParam(request))
    return reply.redirect(`/involvements/${id}/plans?discarded=1`, 303)
  })

  // One section of a draft.
  const sectionContext = (tenantId: string, plan: PlanView): SectionContext => ({ tenantId, today: localDateOf(new Date()), content: plan.content, columns: plan })
  const renderSection = async (request: FastifyRequest, reply: FastifyReply, section: SectionId, extra: Record<string, unknown>) => {
    const actor = actorOf(request)
    return reply.viewAsync(`${VIEWS}/section.njk`, {
      ...labels(actor.tenantId),
      section,
      title: SECTIONS.find((s) => s.id === section)?.title,
      outcomeFrameworks: outcomeOptions(actor.tenantId),
      headlines: SUPPORTING_FAMILIES_HEADLINES,
      nextStepIds: NEXT_STEPS,
      scores: Array.from({ length: 11 }, (_, i) => String(i)),
      actionStatuses: ACTION_STATUSES,
      needs: (extra.plan as PlanView).content.needs,
      ...extra,
    })
  }

  app.get('/involvements/:id/plans/:number/:section', guard, async (request, reply) => {
    const actor = actorOf(request)
    const section = sectionParam(request)
    const view = await openSection(db, actor, idParam(request), numberParam(request), section)
    const model = SECTION_FORMS[section].fromPlan(sectionContext(actor.tenantId, view.plan))
    return renderSection(request, reply, section, { ...view, model, version: view.plan.version })
  })

  app.post('/involvements/:id/plans/:number/:section', guard, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const number = numberParam(request)
    const section = sectionParam(request)
    const form = SECTION_FORMS[section]
    let model: Record<string, unknown> = {}
    const saved = await saveSection(
      db,
      actor,
      id,
      number,
      section,
      versionOf(request),
      (plan) => {
        const context = sectionContext(actor.tenantId, plan)
        model = form.fromBody(body(request), context)
        return form.validate(model, context)
      },
      new Date(),
    )
    if (!saved.ok && saved.stale) {
      // Keep what they typed, against the version now stored, so saving again is their choice.
      const typed = form.fromBody(body(request), sectionContext(actor.tenantId, saved.plan))
      reply.code(409)
      return renderSection(request, reply, section, { involvement: saved.involvement, plan: saved.plan, model: typed, version: saved.plan.version, stale: true, ...errorsToSummary({ form: STALE }, { form: 'plan-form' }) })
    }
    if (!saved.ok) {
      reply.code(400)
      return renderSection(request, reply, section, { involvement: saved.involvement, plan: saved.plan, model, version: versionOf(request), errors: saved.errors, errorList: saved.errorList })
    }
    if (body(request).add === 'yes') return reply.redirect(`/involvements/${id}/plans/${number}/${section}#add-another`, 303)
    return reply.redirect(`/involvements/${id}/plans/${number}#sections`, 303)
  })

  // An action's status between meetings.
  app.get('/involvements/:id/actions/:actionId', guard, async (request, reply) => {
    const actor = actorOf(request)
    const view = await viewAction(db, actor, idParam(request), idParam(request, 'actionId'))
    return reply.viewAsync(`${VIEWS}/action.njk`, { ...view, ...labels(actor.tenantId), actionStatuses: ACTION_STATUSES, values: { status: view.action.status } })
  })

  app.post('/involvements/:id/actions/:actionId', guard, async (request, reply) => {
    const actor = actorOf(request)
    const id = idParam(request)
    const actionId = idParam(request, 'actionId')
    const status = ACTION_STATUSES.find((s) => s === body(request).status)
    if (!status) {
      const view = await viewAction(db, actor, id, actionId)
      reply.code(400)
      return reply.viewAsync(`${VIEWS}/action.njk`, {
        ...view,
        ...labels(actor.tenantId),
        actionStatuses: ACTION_STATUSES,
        values: {},
        ...errorsToSummary({ status: 'Select whether the action is to do, done or no longer needed' }),
      })
    }
    await updateActionStatus(db, actor, id, actionId, status, new Date())
    return reply.redirect(`/involvements/${id}/plans?action=updated#actions`, 303)
  })
}
