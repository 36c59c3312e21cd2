import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import { ReadOnlyError } from '../../platform/http/errors.ts'
import { recordChronology } from '../chronology/record.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { recordPlanDownload } from '../sharing/record.ts'
import { allows, withInvolvement, type LoadedInvolvement } from '../involvements/access.ts'
import { comparePlans, type PlanSnapshot } from './compare.ts'
import { emptyContent, missingForAgreement, nextStepText, outcomeLabels, parseContent, PLAN_KIND_TEXT, type ActionStatus, type PlanAction, type PlanContent, type PlanKind, type SectionId } from './content.ts'
import type { FormErrors } from '../../platform/http/forms.ts'
import type { AgreeForm, SectionResult } from './forms.ts'
import { plansRepository as plans } from './repository.ts'

/**
 * Early Help Plans, versioned per Team Around the Family meeting: a draft is built section by
 * section, then agreed and signed, after which it never changes (the database refuses); the next
 * version starts from the latest agreed one. Every view and change writes one audit event.
 */

type PlanRow = NonNullable<Awaited<ReturnType<typeof plans.version>>>
type Involvement = LoadedInvolvement['involvement']

const canManage = (loaded: LoadedInvolvement) => allows(loaded.relation, 'manage') && loaded.involvement.status !== 'closed'
const canContribute = (loaded: LoadedInvolvement) => allows(loaded.relation, 'contribute') && loaded.involvement.status !== 'closed'

const planLink = (involvementId: string, number: number) => `/involvements/${involvementId}/plans/${number}`

function agreedIsFinal(involvementId: string, number: number): ReadOnlyError {
  return new ReadOnlyError(planLink(involvementId, number), 'This version of the plan has been agreed and signed, so it can no longer be changed. Start a new version to change the plan')
}

async function versionOrNotFound(trx: Trx, involvementId: string, number: number): Promise<PlanRow> {
  const plan = await plans.version(trx, involvementId, number)
  if (!plan) throw new NotFoundError()
  return plan
}

async function draftOrReadOnly(trx: Trx, involvementId: string, number: number): Promise<PlanRow> {
  const plan = await versionOrNotFound(trx, involvementId, number)
  if (plan.status !== 'draft') throw agreedIsFinal(involvementId, number)
  return plan
}

const audit = (trx: Trx, actor: Actor, action: Parameters<typeof auditBy>[1]['action'], recordId: string, detail: Record<string, unknown> = {}) =>
  recordAudit(trx, auditBy(actor, { action, recordType: 'involvement', recordId, detail }))

// ---------------------------------------------------------------------------------------------
// Starting a version.

export interface StartOptions {
  kind: PlanKind
  meetingId?: string | null
  /** From a meeting: its details, who attended and their views. Overrides what is carried forward. */
  prefill?: Partial<PlanContent>
  /** `false` when starting the version is part of a change that writes its own audit event (recording a meeting). */
  audit?: boolean
}

/** Per-meeting answers are cleared when a plan is carried into the next meeting. */
function carriedForward(content: PlanContent, openActions: PlanAction[]): PlanContent {
  return {
    ...content,
    meeting: { ...content.meeting, date: null, time: '' },
    familyMembers: content.familyMembers.map((m) => ({ ...m, attended: null, viewsGained: null })),
    practitioners: content.practitioners.map((p) => ({ ...p, attended: null, reportProvided: null })),
    actions: openActions,
  }
}

function withPrefill(content: PlanContent, prefill: Partial<PlanContent> | undefined): PlanContent {
  if (!prefill) return content
  return parseContent({
    ...content,
    ...prefill,
    meeting: { ...content.meeting, ...prefill.meeting },
    child: { ...content.child, ...prefill.child },
  })
}

/** The first version, from the family's people, the team's practitioners and the Lead Professional. */
async function firstContent(trx: Trx, involvement: Pick<Involvement, 'id' | 'lead_account_id' | 'request_id'>): Promise<PlanContent> {
  const [people, practitioners, lead, request] = await Promise.all([
    plans.people(trx, involvement.id),
    plans.activePractitioners(trx, involvement.id),
    plans.leadContact(trx, involvement.lead_account_id),
    involvement.request_id ? plans.requestAnswers(trx, involvement.request_id) : Promise.resolve(undefined),
  ])
  const content = emptyContent()
  const child = people.find((p) => p.kind === 'child')
  const address = ((request?.answers ?? {}) as Record<string, Record<string, unknown> | undefined>).address ?? {}
  const line = (key: string) => (typeof address[key] === 'string' ? (address[key] as string) : '')
  content.child = {
    name: child ? `${child.given_name} ${child.family_name}` : '',
    dateOfBirth: child?.date_of_birth ?? null,
    address: [line('line1'), line('line2'), line('town')].filter(Boolean).join(', '),
    postcode: line('postcode'),
  }
  content.familyMembers = people.map((p) => ({
    personId: p.id,
    name: `${p.given_name} ${p.family_name}`,
    relationship: p.relationship ?? (p.kind === 'child' ? 'Child' : ''),
    attended: null,
    viewsGained: null,
    ethnicity: p.ethnicity ?? '',
  }))
  content.practitioners = practitioners.map((p) => ({
    name: p.name,
    role: [p.role, p.organisation].filter(Boolean).join(', '),
    contact: p.contact ?? '',
    attended: null,
    reportProvided: null,
  }))
  content.leadProfessionalContact = lead ? [lead.name, lead.organisation, lead.email, lead.phone].filter(Boolean).join(', ') : ''
  return content
}

/**
 * Starts the next draft version of the plan inside the caller's transaction (also used when a
 * meeting is recorded). The draft starts from the latest agreed version (its content and scores,
 * with the actions still open carried forward under the same ids), or for the first version from
 * the family, the team and the Lead Professional; `prefill` from a meeting overrides. When a draft
 * already exists it is returned, with the meeting and prefill attached.
 */
export async function startPlanVersion(
  trx: Trx,
  actor: Actor,
  involvement: Pick<Involvement, 'id' | 'lead_account_id' | 'request_id'>,
  options: StartOptions,
  now: Date,
): Promise<{ id: string; number: number }> {
  const existing = await plans.draft(trx, involvement.id)
  if (existing) {
    if (options.meetingId || options.prefill) {
      await trx
        .updateTable('plan_versions')
        .set({
          meeting_id: options.meetingId ?? existing.meeting_id,
          content: JSON.stringify(withPrefill(parseContent(existing.content), options.prefill)),
          updated_at: now,
          version: (eb) => eb('version', '+', 1),
        })
        .where('id', '=', existing.id)
        .execute()
    }
    return { id: existing.id, number: existing.number }
  }
  const [agreed, number] = await Promise.all([plans.latestAgreed(trx, involvement.id), plans.nextNumber(trx, involvement.id)])
  let content: PlanContent
  if (agreed) {
    const open = await plans.actions(trx, involvement.id, true)
    const actions = open.map((a): PlanAction => ({ id: a.id, needId: a.need_id, what: a.what, who: a.who, dueOn: a.due_on, status: 'open' }))
    content = carriedForward(parseContent(agreed.content), actions)
  } else {
    content = await firstContent(trx, involvement)
  }
  content = withPrefill(content, options.prefill)
  const row = await trx
    .insertInto('plan_versions')
    .values({
      tenant_id: actor.tenantId,
      involvement_id: involvement.id,
      number,
      kind: options.kind,
      meeting_id: options.meetingId ?? null,
      content: JSON.stringify(content),
      family_score: agreed?.family_score ?? null,
      team_score: agreed?.team_score ?? null,
      created_by: actor.accountId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await recordChronology(trx, actor, involvement.id, { kind: 'plan', summary: `Early Help Plan version ${number} (${PLAN_KIND_TEXT[options.kind].toLowerCase()}) started`, occurredAt: now })
  if (options.audit !== false) await audit(trx, actor, 'plan-started', involvement.id, { number, kind: options.kind, planVersionId: row.id })
  return { id: row.id, number }
}

// ---------------------------------------------------------------------------------------------
// The overview page's summary.

/**
 * The plan as the family's overview page shows it: every version, the current agreed one, the
 * draft, and the open actions. Two queries.
 */
export async function planSummary(trx: Trx, involvementId: string) {
  const [versions, openActions] = await Promise.all([plans.versions(trx, involvementId), plans.actions(trx, involvementId, true)])
  const agreed = versions.filter((v) => v.status === 'agreed')
  const draft = versions.find((v) => v.status === 'draft')
  return {
    versions: versions.map((v) => ({ number: v.number, kind: v.kind, status: v.status, agreedAt: v.agreed_at, familyScore: v.family_score, teamScore: v.team_score })),
    currentAgreed: agreed.length ? { number: agreed[agreed.length - 1]!.number } : undefined,
    draft: draft ? { number: draft.number } : undefined,
    openActions: openActions.map((a) => ({ id: a.id, what: a.what, who: a.who, dueOn: a.due_on, status: a.status })),
  }
}

// ---------------------------------------------------------------------------------------------
// Pages.

export async function listPlans(db: Database, actor: Actor, involvementId: string) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const [versions, actions] = await Promise.all([plans.versions(trx, involvementId), plans.actions(trx, involvementId)])
    await audit(trx, actor, 'plan-viewed', involvementId, { page: 'versions' })
    const draft = versions.find((v) => v.status === 'draft')
    return {
      involvement: loaded.involvement,
      versions,
      actions,
      draft,
      canManage: canManage(loaded),
      canContribute: canContribute(loaded),
      nextKind: (versions.some((v) => v.status === 'agreed') ? 'review' : 'initial') as PlanKind,
    }
  })
}

function viewOf(plan: PlanRow) {
  return { ...plan, content: parseContent(plan.content) }
}
export type PlanView = ReturnType<typeof viewOf>

export async function viewPlan(db: Database, actor: Actor, involvementId: string, number: number, page: 'version' | 'family' = 'version') {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const plan = await versionOrNotFound(trx, involvementId, number)
    const actions = await plans.actions(trx, involvementId)
    await audit(trx, actor, 'plan-viewed', involvementId, { number, page })
    return { involvement: loaded.involvement, plan: viewOf(plan), currentActions: actions, canManage: canManage(loaded) }
  })
}

export async function startNewVersion(db: Database, actor: Actor, involvementId: string, kind: PlanKind, now: Date) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const agreed = await plans.latestAgreed(trx, involvementId)
    return startPlanVersion(trx, actor, involvement, { kind: agreed ? (kind === 'initial' ? 'review' : kind) : 'initial' }, now)
  })
}

export async function openSection(db: Database, actor: Actor, involvementId: string, number: number, section: SectionId | 'agree') {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, loaded) => {
    const plan = await draftOrReadOnly(trx, involvementId, number)
    await audit(trx, actor, 'plan-viewed', involvementId, { number, section })
    return { involvement: loaded.involvement, plan: viewOf(plan) }
  })
}

export type SaveResult =
  | { ok: true }
  | { ok: false; stale: true; involvement: Involvement; plan: PlanView }
  | ({ ok: false; stale: false; involvement: Involvement; plan: PlanView } & FormErrors)

/**
 * Saves one section of a draft: `check` turns what was typed into a change against the stored
 * plan. Refused as stale if someone else saved the draft since the person read it.
 */
export async function saveSection(
  db: Database,
  actor: Actor,
  involvementId: string,
  number: number,
  section: SectionId,
  version: number,
  check: (plan: PlanView) => SectionResult,
  now: Date,
): Promise<SaveResult> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, loaded): Promise<SaveResult> => {
    const plan = viewOf(await draftOrReadOnly(trx, involvementId, number))
    const stale = { ok: false as const, stale: true as const, involvement: loaded.involvement, plan }
    if (plan.version !== version) {
      await audit(trx, actor, 'plan-viewed', involvementId, { number, section, stale: true })
      return stale
    }
    const result = check(plan)
    if (!result.ok) {
      await audit(trx, actor, 'plan-viewed', involvementId, { number, section, invalid: true })
      return { ok: false, stale: false, involvement: loaded.involvement, plan, errors: result.errors, errorList: result.errorList }
    }
    const content = parseContent({ ...plan.content, ...result.change.content })
    const updated = await trx
      .updateTable('plan_versions')
      .set({ ...result.change.columns, content: JSON.stringify(content), updated_at: now, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', plan.id)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .returning('id')
      .executeTakeFirst()
    if (!updated) {
      // Another save committed between reading and writing: show the plan as it is now, with its version.
      const current = viewOf(await draftOrReadOnly(trx, involvementId, number))
      await audit(trx, actor, 'plan-viewed', involvementId, { number, section, stale: true })
      return { ...stale, plan: current }
    }
    await audit(trx, actor, 'plan-saved', involvementId, { number, section })
    return { ok: true }
  })
}

export async function discardDraft(db: Database, actor: Actor, involvementId: string, number: number): Promise<void> {
  await withInvolvement(db, actor, involvementId, 'manage', async (trx) => {
    const plan = await draftOrReadOnly(trx, involvementId, number)
    await trx.deleteFrom('plan_versions').where('id', '=', plan.id).where('status', '=', 'draft').execute()
    await audit(trx, actor, 'plan-discarded', involvementId, { number })
  })
}

export type AgreeResult =
  | { ok: true }
  | { ok: false; stale: true; involvement: Involvement; plan: PlanView }
  | { ok: false; stale: false; involvement: Involvement; plan: PlanView; missing: Record<string, string> }

/**
 * Agrees and signs a draft: it becomes immutable, its actions become the family's current
 * actions (new ones added, carried ones updated; an open action left out of the plan is no longer
 * needed), the involvement's next review follows the plan's review date, and the chronology says so.
 */
export async function agreePlan(db: Database, actor: Actor, involvementId: string, number: number, version: number, form: AgreeForm, now: Date): Promise<AgreeResult> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, loaded): Promise<AgreeResult> => {
    const plan = await draftOrReadOnly(trx, involvementId, number)
    const stale = { ok: false as const, stale: true as const, involvement: loaded.involvement, plan: viewOf(plan) }
    if (plan.version !== version) return stale
    const missing = missingForAgreement(parseContent(plan.content), plan)
    if (Object.keys(missing).length) return { ...stale, stale: false, missing }
    const updated = await trx
      .updateTable('plan_versions')
      .set({
        status: 'agreed',
        consent_given: form.consentGiven,
        assessor_name: form.assessorName,
        assessor_signed_on: form.assessorSignedOn,
        family_signatory_name: form.familySignatoryName,
        family_signed_on: form.familySignedOn,
        agreed_at: now,
        agreed_by: actor.accountId,
        updated_at: now,
        version: (eb) => eb('version', '+', 1),
      })
      .where('id', '=', plan.id)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .returning('id')
      .executeTakeFirst()
    // Another save committed between reading and writing: the plan as it is now (or, agreed, read-only).
    if (!updated) return { ...stale, plan: viewOf(await draftOrReadOnly(trx, involvementId, number)) }

    const content = parseContent(plan.content)
    const current = new Map((await plans.actions(trx, involvementId)).map((a) => [a.id, a]))
    const inPlan = new Set(content.actions.map((a) => a.id))
    const added = content.actions.filter((a) => !current.has(a.id))
    if (added.length) {
      await trx
        .insertInto('plan_actions')
        .values(
          added.map((a) => ({
            id: a.id,
            tenant_id: actor.tenantId,
            involvement_id: involvementId,
            plan_version_id: plan.id,
            need_id: a.needId,
            what: a.what,
            who: a.who,
            due_on: a.dueOn,
            status: a.status,
            status_changed_at: a.status === 'open' ? null : now,
            status_changed_by: a.status === 'open' ? null : actor.accountId,
          })),
        )
        .execute()
    }
    for (const a of content.actions) {
      const was = current.get(a.id)
      if (!was) continue
      // A status changed between meetings stands unless the plan itself closes the action.
      const status: ActionStatus = a.status === 'open' ? was.status : a.status
      if (was.what === a.what && was.who === a.who && was.due_on === a.dueOn && was.need_id === a.needId && was.status === status) continue
      await trx
        .updateTable('plan_actions')
        .set({
          what: a.what,
          who: a.who,
          due_on: a.dueOn,
          need_id: a.needId,
          status,
          ...(status !== was.status ? { status_changed_at: now, status_changed_by: actor.accountId } : {}),
        })
        .where('id', '=', a.id)
        .execute()
    }
    const leftOut = [...current.values()].filter((a) => a.status === 'open' && !inPlan.has(a.id)).map((a) => a.id)
    if (leftOut.length) {
      await trx.updateTable('plan_actions').set({ status: 'dropped', status_changed_at: now, status_changed_by: actor.accountId }).where('id', 'in', leftOut).execute()
    }

    if (plan.review_on) {
      await trx
        .updateTable('involvements')
        .set({ next_review_on: plan.review_on, updated_at: now, version: (eb) => eb('version', '+', 1) })
        .where('id', '=', involvementId)
        .execute()
    }
    const scores = plan.family_score !== null && plan.team_score !== null ? ` Scaling scores: family ${plan.family_score}, team ${plan.team_score}.` : ''
    await recordChronology(trx, actor, involvementId, {
      kind: 'plan',
      summary: `Early Help Plan version ${number} (${PLAN_KIND_TEXT[plan.kind].toLowerCase()}) agreed and signed.${scores}`,
      detail: `Signed by ${form.assessorName} and ${form.familySignatoryName}. Consent ${form.consentGiven ? 'given' : 'not given'}.`,
      significant: true,
      occurredAt: now,
    })
    await audit(trx, actor, 'plan-agreed', involvementId, { number, planVersionId: plan.id, actions: content.actions.length })
    return { ok: true }
  })
}

// ---------------------------------------------------------------------------------------------

export function snapshotOf(plan: PlanView): PlanSnapshot {
  return { number: plan.number, kind: plan.kind, content: plan.content, familyScore: plan.family_score, teamScore: plan.team_score, reviewOn: plan.review_on }
}

export async function compareVersions(db: Database, actor: Actor, involvementId: string, from: number, to: number) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const [a, b] = await Promise.all([versionOrNotFound(trx, involvementId, from), versionOrNotFound(trx, involvementId, to)])
    const versions = await plans.versions(trx, involvementId)
    await audit(trx, actor, 'plans-compared', involvementId, { from, to })
    const comparison = comparePlans(snapshotOf(viewOf(a)), snapshotOf(viewOf(b)), { outcomes: outcomeLabels(actor.tenantId), nextSteps: nextStepText(actor.tenantId) })
    return { involvement: loaded.involvement, from: viewOf(a), to: viewOf(b), versions, comparison }
  })
}

/** A plan to download as a PDF: one audit event, and an entry in the sharing log saying whom the copy is for. */
export async function planForDownload(db: Database, actor: Actor, involvementId: string, number: number, copyFor: string, now: Date) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const plan = await versionOrNotFound(trx, involvementId, number)
    await audit(trx, actor, 'plan-downloaded', involvementId, { number })
    await recordPlanDownload(trx, actor, loaded.involvement, number, copyFor, localDateOf(now))
    return { involvement: loaded.involvement, plan: viewOf(plan) }
  })
}

// ---------------------------------------------------------------------------------------------
// An action's status between meetings.

export async function viewAction(db: Database, actor: Actor, involvementId: string, actionId: string) {
  return withInvolvement(db, actor, involvementId, 'contribute', async (trx, loaded) => {
    const action = await plans.action(trx, involvementId, actionId)
    if (!action) throw new NotFoundError()
    await audit(trx, actor, 'plan-viewed', involvementId, { action: actionId })
    return { involvement: loaded.involvement, action, canContribute: canContribute(loaded) }
  })
}

export async function updateActionStatus(db: Database, actor: Actor, involvementId: string, actionId: string, status: ActionStatus, now: Date): Promise<void> {
  await withInvolvement(db, actor, involvementId, 'contribute', async (trx) => {
    const action = await plans.action(trx, involvementId, actionId)
    if (!action) throw new NotFoundError()
    if (action.status === status) return
    await trx.updateTable('plan_actions').set({ status, status_changed_at: now, status_changed_by: actor.accountId }).where('id', '=', actionId).execute()
    if (status === 'done') {
      await recordChronology(trx, actor, involvementId, { kind: 'plan', summary: `Action done: ${action.what} (${action.who})`, occurredAt: now })
    }
    await audit(trx, actor, 'action-updated', involvementId, { action: actionId, from: action.status, to: status })
  })
}

