import { frameworkById } from '../../frameworks/index.ts'
import type { Framework } from '../../frameworks/schema.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { ReadOnlyError } from '../../platform/http/errors.ts'
import { formatDate } from '../../platform/views/format.ts'
import { RelationshipDeniedError, withInvolvement, type LoadedInvolvement } from '../involvements/access.ts'
import { changeLevel, handOverLead } from '../involvements/lead.ts'
import { activePractitioner, openInvolvement } from '../involvements/open.ts'
import { recordChronology } from '../chronology/record.ts'
import { SECTIONS, type Answers } from '../requests/answers.ts'
import {
  closureNeedsSignOff,
  CLOSURE_REASONS,
  stepDownTargets,
  stepUpTargets,
  triedText,
  type Closure,
  type ClosureInput,
  type PlanEvidence,
  type SocialCareStepDownInput,
  type StepDownInput,
  type StepUpInput,
} from './rules.ts'

export const SOCIAL_CARE_STEP_DOWN_ROLES: readonly Role[] = ['duty_manager', 'team_manager']

export function frameworkOf(actor: Actor): Framework {
  const framework = frameworkById(actor.tenantId)
  if (!framework) throw new Error(`No framework for ${actor.tenantId}`)
  return framework
}

/** "level 3 (Complex/Intensive)" */
export function levelText(framework: Framework, level: number): string {
  const name = framework.levels.find((l) => l.level === level)?.name
  return name ? `level ${level} (${name})` : `level ${level}`
}

/** A change's outcome; `conflict` when someone else changed the family's early help first (409). */
export type ChangeResult = { ok: true } | { ok: false; errors: Record<string, string>; conflict?: true }

const STALE = 'Someone else changed this family’s early help while you were on this page. Check the details, then try again.'
const CLOSING = 'This family’s closure is waiting for a manager’s sign-off, so it cannot be changed until the manager signs it off or returns it'

/** Takes the involvement for a change if nobody has changed it since the page was shown. */
async function claim(trx: Trx, involvement: LoadedInvolvement['involvement'], version: number, now: Date): Promise<boolean> {
  if (!Number.isInteger(version)) return false
  const row = await trx
    .updateTable('involvements')
    .set({ updated_at: now })
    .where('id', '=', involvement.id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst()
  return !!row
}

// ---------------------------------------------------------------------------------------------
// Step up: a new request for support to the front door, prefilled from the involvement and plan.

/** The latest agreed plan: its number, when agreed, what needs to change, and its actions with their status now. */
async function latestAgreedPlan(trx: Trx, involvementId: string) {
  const plan = await trx
    .selectFrom('plan_versions')
    .select(['id', 'number', 'agreed_at', 'content'])
    .where('involvement_id', '=', involvementId)
    .where('status', '=', 'agreed')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!plan) return undefined
  const actions = await trx
    .selectFrom('plan_actions')
    .select(['what', 'who', 'due_on', 'status'])
    .where('plan_version_id', '=', plan.id)
    .orderBy('due_on')
    .orderBy('created_at')
    .execute()
  const content = (plan.content ?? {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
  const needs = Array.isArray(content.needs) ? content.needs.map((n) => str((n as Record<string, unknown>)?.text)).filter(Boolean) : []
  const evidence: PlanEvidence = {
    number: plan.number,
    agreedAt: plan.agreed_at,
    needs,
    actions: actions.map((a) => ({ what: a.what, who: a.who, dueOn: a.due_on, status: a.status })),
  }
  return { evidence, worries: str(content.worries), goingWell: str(content.goingWell) }
}

/** Looking at a page of the family's record is a view: audited when the page is first shown (`audit`). */
async function auditView(trx: Trx, actor: Actor, involvementId: string, page: string, audit: boolean | undefined): Promise<void> {
  if (audit) await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { page } }))
}

export async function stepUpPage(db: Database, actor: Actor, involvementId: string, options: { audit?: boolean } = {}) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement, relation }) => {
    const plan = relation === 'lead' ? await latestAgreedPlan(trx, involvementId) : undefined
    await auditView(trx, actor, involvementId, 'step-up', options.audit)
    return {
      involvement,
      isLead: relation === 'lead',
      targets: stepUpTargets(involvement.level),
      planNumber: plan?.evidence.number,
      tried: triedText(plan?.evidence, formatDate),
    }
  })
}

/**
 * Starts a draft request for support from the involvement, for the Lead Professional to check and
 * send through the usual journey: the family's people (adults related to every child), the
 * address and needs from the request that opened the involvement, the worries, strengths and
 * views from the plan and the assessment, and what has been tried with why now.
 */
export async function stepUp(db: Database, actor: Actor, involvementId: string, input: StepUpInput, now: Date): Promise<{ requestId: string }> {
  const framework = frameworkOf(actor)
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement, relation }) => {
    // Only a practitioner sends a request for support: the Lead Professional steps the family up.
    if (relation !== 'lead') throw new RelationshipDeniedError('manage')
    if (involvement.status !== 'open') throw new ReadOnlyError(`/involvements/${involvementId}`, CLOSING)
    if (!stepUpTargets(involvement.level).includes(input.toLevel)) throw new NotFoundError()

    const plan = await latestAgreedPlan(trx, involvementId)
    const original = involvement.request_id ? await trx.selectFrom('requests').select(['answers']).where('id', '=', involvement.request_id).executeTakeFirst() : undefined
    const before = (original?.answers ?? {}) as Answers
    const account = await trx.selectFrom('accounts').select('phone').where('id', '=', actor.accountId).executeTakeFirst()
    const assessment = await trx.selectFrom('assessments').select('content').where('involvement_id', '=', involvementId).executeTakeFirst()
    const people = await trx.selectFrom('involvement_people').selectAll().where('involvement_id', '=', involvementId).orderBy('position').orderBy('created_at').execute()

    const answers: Answers = {}
    if (account?.phone && SECTIONS.referrer.safeParse({ phone: account.phone }).success) answers.referrer = { phone: account.phone }
    if (before.address) answers.address = before.address
    answers.worries = { familyWords: before.worries?.familyWords || plan?.worries || '', referrerWords: input.whyNow }
    if (before.needs) answers.needs = before.needs
    answers.support = {
      levelAskedFor: String(input.toLevel) as '3' | '4',
      triedAlready: `Asking to step up from ${levelText(framework, involvement.level)} to ${levelText(framework, input.toLevel)}.\n\n${input.tried}`.slice(0, 5000),
    }
    const content = (assessment?.content ?? {}) as { strengths?: string; views?: Record<string, string>; voices?: Record<string, { words?: string; notGained?: string }> }
    const named = (p: (typeof people)[number], said: string | undefined) => (said ? `${p.given_name}: ${said}` : '')
    const childViews = people
      .filter((p) => p.kind === 'child')
      .map((p) => {
        const voice = content.voices?.[p.id]
        return named(p, voice?.words || (voice?.notGained ? `their views could not be gained (${voice.notGained})` : ''))
      })
      .filter(Boolean)
      .join('\n')
    const parentViews = people
      .filter((p) => p.kind === 'adult')
      .map((p) => named(p, content.views?.[p.id]))
      .filter(Boolean)
      .join('\n')
    answers.strengths = {
      strengths: (plan?.goingWell || content.strengths || before.strengths?.strengths || '').slice(0, 5000),
      childViews: (childViews || before.strengths?.childViews || '').slice(0, 5000),
      parentViews: (parentViews || before.strengths?.parentViews || '').slice(0, 5000),
    }

    const request = await trx
      .insertInto('requests')
      .values({
        tenant_id: actor.tenantId,
        route: 'practitioner',
        referrer_account_id: actor.accountId,
        referrer_phone: answers.referrer?.phone ?? null,
        postcode: answers.address?.postcode ?? null,
        answers: JSON.stringify(answers),
        stepped_up_from: involvementId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await copyPeople(trx, actor, request.id, people)

    await recordChronology(trx, actor, involvementId, {
      kind: 'level-change',
      summary: `Asked the front door to step up to level ${input.toLevel}: request started`,
      detail: input.whyNow,
      significant: true,
      occurredAt: now,
    })
    await recordAudit(trx, auditBy(actor, { action: 'stepped-up', recordType: 'involvement', recordId: involvementId, detail: { requestId: request.id, toLevel: input.toLevel } }))
    return { requestId: request.id }
  })
}

type InvolvementPerson = { id: string; kind: 'child' | 'adult'; given_name: string; family_name: string; date_of_birth: string | null; relationship: string | null; ethnicity: string | null; request_person_id: string | null }

/**
 * The family into the new request: children first, then adults, each adult related to every
 * child (from the original request where the person came from one, else their relationship in
 * the involvement), with the original request's details (sex, school, NHS number) where known.
 */
async function copyPeople(trx: Trx, actor: Actor, requestId: string, people: InvolvementPerson[]): Promise<void> {
  const originIds = people.map((p) => p.request_person_id).filter((id): id is string => !!id)
  const origins = originIds.length ? await trx.selectFrom('request_people').selectAll().where('id', 'in', originIds).execute() : []
  const originOf = (p: InvolvementPerson) => origins.find((o) => o.id === p.request_person_id)
  const newIdByOrigin = new Map<string, string>()
  const children: { id: string; origin: string | null }[] = []
  let position = 0
  for (const child of people.filter((p) => p.kind === 'child')) {
    const origin = originOf(child)
    const details = { ...(origin?.details ?? {}) } as Record<string, unknown>
    if (child.ethnicity && !details.ethnicity) details.ethnicity = child.ethnicity
    const row = await trx
      .insertInto('request_people')
      .values({
        tenant_id: actor.tenantId,
        request_id: requestId,
        kind: 'child',
        given_name: child.given_name,
        family_name: child.family_name,
        date_of_birth: child.date_of_birth,
        due_date: child.date_of_birth ? null : (origin?.due_date ?? null),
        nhs_number: origin?.nhs_number ?? null,
        details: JSON.stringify(details),
        position: position++,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (origin) newIdByOrigin.set(origin.id, row.id)
    children.push({ id: row.id, origin: origin?.id ?? null })
  }
  for (const adult of people.filter((p) => p.kind === 'adult')) {
    const origin = originOf(adult)
    const { relationships: before, ...rest } = (origin?.details ?? {}) as Record<string, unknown>
    const known = (before ?? {}) as Record<string, string>
    const relationships: Record<string, string> = {}
    for (const child of children) {
      relationships[child.id] = (child.origin && known[child.origin]) || adult.relationship || 'Family member'
    }
    await trx
      .insertInto('request_people')
      .values({
        tenant_id: actor.tenantId,
        request_id: requestId,
        kind: 'adult',
        given_name: adult.given_name,
        family_name: adult.family_name,
        date_of_birth: adult.date_of_birth,
        nhs_number: origin?.nhs_number ?? null,
        details: JSON.stringify({ ...rest, relationships }),
        position: position++,
      })
      .execute()
  }
}

// ---------------------------------------------------------------------------------------------
// Step down from intensive support or social care within an involvement.

export async function stepDownPage(db: Database, actor: Actor, involvementId: string, options: { audit?: boolean } = {}) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const lead = await trx.selectFrom('accounts').select(['name', 'email']).where('id', '=', involvement.lead_account_id).executeTakeFirst()
    await auditView(trx, actor, involvementId, 'step-down', options.audit)
    return { involvement, lead, targets: stepDownTargets(involvement.level) }
  })
}

/**
 * Steps a family down in one transaction: the level change (with the review cadence and next
 * review date for the new level, reached by step-down), the Lead Professional's handover when
 * it changes hands, the handover notes in the chronology, and the audit event.
 */
export async function stepDown(db: Database, actor: Actor, involvementId: string, input: StepDownInput & { version: number }, now: Date): Promise<ChangeResult> {
  const framework = frameworkOf(actor)
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }): Promise<ChangeResult> => {
    if (involvement.status !== 'open') return { ok: false, errors: { toLevel: `${CLOSING}.` } }
    if (!stepDownTargets(involvement.level).includes(input.toLevel)) return { ok: false, errors: { toLevel: 'Select the level the family is stepping down to' } }
    const newLead = input.leadEmail ? await activePractitioner(trx, { email: input.leadEmail }) : undefined
    if (input.leadEmail && !newLead) return { ok: false, errors: { leadEmail: `There is no active practitioner at ${framework.shortName} with the email address ${input.leadEmail}` } }
    if (!(await claim(trx, involvement, input.version, now))) return { ok: false, errors: { toLevel: STALE }, conflict: true }
    const fromLevel = involvement.level
    await changeLevel(trx, actor, involvement, { toLevel: input.toLevel, reason: input.reason, route: 'step-down' }, now)
    if (newLead && newLead.id !== involvement.lead_account_id) {
      // One audit event for the step down, which names the new Lead Professional.
      await handOverLead(
        trx,
        actor,
        { ...involvement, level: input.toLevel },
        newLead.id,
        `Handover on stepping down to level ${input.toLevel}, from ${formatDate(input.handoverOn)}: ${input.reason}`.slice(0, 2000),
        now,
        { audit: false },
      )
    }
    await recordChronology(trx, actor, involvementId, {
      kind: 'level-change',
      summary: `Handover notes for the step down to level ${input.toLevel}: handover on ${formatDate(input.handoverOn)}`,
      detail: input.notes,
      occurredAt: now,
    })
    await recordAudit(
      trx,
      auditBy(actor, {
        action: 'stepped-down',
        recordType: 'involvement',
        recordId: involvementId,
        detail: { fromLevel, toLevel: input.toLevel, handoverOn: input.handoverOn, newLead: newLead && newLead.id !== involvement.lead_account_id ? newLead.id : null },
      }),
    )
    return { ok: true }
  })
}

/**
 * A family stepped down from children's social care, where no involvement exists yet: opens one
 * at level 2 or 3 by step-down, with the named Lead Professional, the change of level recorded
 * from level 4, and the social care team's handover notes in the chronology.
 */
export async function stepDownFromSocialCare(db: Database, actor: Actor, input: SocialCareStepDownInput, now: Date): Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string> }> {
  if (!SOCIAL_CARE_STEP_DOWN_ROLES.includes(actor.role)) throw new NotFoundError()
  const framework = frameworkOf(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const lead = await activePractitioner(trx, { email: input.leadEmail })
    if (!lead) return { ok: false as const, errors: { leadEmail: `There is no active practitioner at ${framework.shortName} with the email address ${input.leadEmail}` } }
    const people = [
      { kind: 'child' as const, givenName: input.child.givenName, familyName: input.child.familyName, dateOfBirth: input.child.dateOfBirth, relationship: 'Child' },
      ...(input.adult ? [{ kind: 'adult' as const, givenName: input.adult.givenName, familyName: input.adult.familyName, relationship: input.adult.relationship }] : []),
    ]
    const opened = await openInvolvement(
      trx,
      actor,
      {
        familyName: input.familyName,
        level: input.level,
        route: 'step-down',
        leadAccountId: lead.id,
        summary: `Stepped down from children’s social care: ${input.socialCareTeam}`,
        people,
      },
      now,
    )
    await trx
      .insertInto('level_changes')
      .values({
        tenant_id: actor.tenantId,
        involvement_id: opened.id,
        from_level: 4,
        to_level: input.level,
        direction: 'down',
        reason: `Stepped down from children’s social care (${input.socialCareTeam})`.slice(0, 2000),
        decided_by: actor.accountId,
        decided_at: now,
      })
      .execute()
    await recordChronology(trx, actor, opened.id, {
      kind: 'level-change',
      summary: `Handover from children’s social care (${input.socialCareTeam}) to early help at ${levelText(framework, input.level)}`,
      detail: input.notes,
      significant: true,
      occurredAt: now,
    })
    return { ok: true as const, id: opened.id }
  })
}

// ---------------------------------------------------------------------------------------------
// Closure.

async function accountName(trx: Trx, id: unknown): Promise<string | undefined> {
  if (typeof id !== 'string') return undefined
  return (await trx.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirst())?.name
}

export async function closurePage(db: Database, actor: Actor, involvementId: string, need: 'manage' | 'sign-off' = 'manage', options: { audit?: boolean } = {}) {
  return withInvolvement(db, actor, involvementId, need, async (trx, { involvement, relation }) => {
    const closure = (involvement.closure ?? null) as unknown as Closure | null
    await auditView(trx, actor, involvementId, need === 'sign-off' ? 'close-sign-off' : 'close', options.audit)
    return {
      involvement,
      relation,
      closure,
      requestedByName: await accountName(trx, closure?.requestedBy),
      needsSignOff: closureNeedsSignOff(involvement.level),
    }
  })
}

/**
 * Closes the family's early help, or at level 3 and above asks a manager to sign the closure
 * off. A closure already waiting for sign-off is not asked for twice.
 */
export async function requestClosure(db: Database, actor: Actor, involvementId: string, input: ClosureInput & { version: number }, now: Date): Promise<ChangeResult & { closed?: boolean }> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    if (involvement.status === 'closing') throw new ReadOnlyError(`/involvements/${involvementId}/close`, CLOSING)
    const { version, ...fields } = input
    const closure: Closure = { ...fields, requestedBy: actor.accountId, requestedAt: now.toISOString() }
    const signOff = closureNeedsSignOff(involvement.level)
    const updated = await trx
      .updateTable('involvements')
      .set(
        signOff
          ? { status: 'closing', closure: JSON.stringify(closure), version: (eb) => eb('version', '+', 1), updated_at: now }
          : { status: 'closed', closure: JSON.stringify(closure), closed_at: now, closed_by: actor.accountId, version: (eb) => eb('version', '+', 1), updated_at: now },
      )
      .where('id', '=', involvementId)
      .where('version', '=', version)
      .where('status', '=', 'open')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { reason: STALE }, conflict: true }
    const reason = CLOSURE_REASONS[closure.reason]
    if (signOff) {
      await recordChronology(trx, actor, involvementId, { kind: 'closure', summary: `Closure asked for, waiting for a manager’s sign-off: ${reason}`, detail: closure.summary, occurredAt: now })
      await recordAudit(trx, auditBy(actor, { action: 'closure-requested', recordType: 'involvement', recordId: involvementId, detail: { reason: closure.reason } }))
    } else {
      await recordChronology(trx, actor, involvementId, { kind: 'closure', summary: `Early help closed: ${reason}`, detail: closure.summary, significant: true, occurredAt: now })
      await recordAudit(trx, auditBy(actor, { action: 'involvement-closed', recordType: 'involvement', recordId: involvementId, detail: { reason: closure.reason } }))
    }
    return { ok: true, closed: !signOff }
  })
}

export type SignOffInput = { version: number; decision: 'approve' } | { version: number; decision: 'return'; returnReason: string }

/** A team manager signs off the closure of an intensive involvement, or returns it to the Lead Professional with a reason. */
export async function signOffClosure(db: Database, actor: Actor, involvementId: string, input: SignOffInput, now: Date): Promise<ChangeResult> {
  return withInvolvement(db, actor, involvementId, 'sign-off', async (trx, { involvement }): Promise<ChangeResult> => {
    if (involvement.status !== 'closing') throw new ReadOnlyError(`/involvements/${involvementId}`, 'There is no closure waiting for sign-off for this family')
    const closure = (involvement.closure ?? {}) as unknown as Closure
    if (input.decision === 'approve') {
      const signed: Closure = { ...closure, signedOffBy: actor.accountId, signedOffAt: now.toISOString() }
      const updated = await trx
        .updateTable('involvements')
        .set({ status: 'closed', closure: JSON.stringify(signed), closed_at: now, closed_by: actor.accountId, version: (eb) => eb('version', '+', 1), updated_at: now })
        .where('id', '=', involvementId)
        .where('version', '=', input.version)
        .where('status', '=', 'closing')
        .returning('id')
        .executeTakeFirst()
      if (!updated) return { ok: false, errors: { decision: STALE }, conflict: true }
      await recordChronology(trx, actor, involvementId, {
        kind: 'closure',
        summary: `Early help closed, signed off by a manager: ${CLOSURE_REASONS[closure.reason] ?? closure.reason}`,
        detail: closure.summary,
        significant: true,
        occurredAt: now,
      })
      await recordAudit(trx, auditBy(actor, { action: 'involvement-closed', recordType: 'involvement', recordId: involvementId, detail: { reason: closure.reason, signedOff: true } }))
      return { ok: true }
    }
    const updated = await trx
      .updateTable('involvements')
      .set({ status: 'open', closure: null, version: (eb) => eb('version', '+', 1), updated_at: now })
      .where('id', '=', involvementId)
      .where('version', '=', input.version)
      .where('status', '=', 'closing')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { decision: STALE }, conflict: true }
    await recordChronology(trx, actor, involvementId, { kind: 'closure', summary: 'Closure returned by a manager without sign-off', detail: input.returnReason, significant: true, occurredAt: now })
    await recordAudit(trx, auditBy(actor, { action: 'closure-returned', recordType: 'involvement', recordId: involvementId }))
    return { ok: true }
  })
}
