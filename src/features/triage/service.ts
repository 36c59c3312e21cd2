import { decisionNeedsReason } from '../../domain/level-suggestion.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import type { DecisionForm } from './forms.ts'
import { triageRepository as triage } from './repository.ts'
import { tellReferrer } from '../requests/notify.ts'
import { signpostsForRequest } from '../signposting/service.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { parseDateParts } from '../../domain/dates.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import type { Trx } from '../../platform/db/database.ts'
import { formatDate } from '../../platform/views/format.ts'
import { recordChronology } from '../chronology/record.ts'
import { changeLevel, handOverLead } from '../involvements/lead.ts'
import { activePractitioner, familyFromRequest, openInvolvement } from '../involvements/open.ts'

export const FRONT_DOOR_ROLES: readonly Role[] = ['front_door_officer', 'duty_manager']

function requireFrontDoor(actor: Actor): void {
  if (!FRONT_DOOR_ROLES.includes(actor.role)) throw new NotFoundError()
}

export async function frontDoorQueue(db: Database, actor: Actor, page: number) {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await triage.queue(trx, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'queue-viewed', recordType: 'request', detail: { page, shown: result.rows.length } }))
    return result
  })
}

const TWELVE_MONTHS_MS = 365 * 24 * 60 * 60 * 1000

/**
 * Opens a request for triage: its people, each with their earlier records and whether the duty
 * manager has confirmed or rejected each match, and marks who is looking at it.
 */
export async function openRequest(db: Database, actor: Actor, id: string, now: Date) {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const request = await triage.request(trx, id)
    if (!request) throw new NotFoundError()
    const people = await trx.selectFrom('request_people').selectAll().where('request_id', '=', id).orderBy('kind', 'desc').orderBy('position').execute()
    const candidates = await triage.candidates(trx, id)
    const earlierHelp = await triage.involvementCandidates(trx, id)
    if (request.status === 'submitted') {
      await trx.updateTable('requests').set({ looked_at_by: actor.accountId, looked_at_since: now }).where('id', '=', id).execute()
    }
    await recordAudit(trx, auditBy(actor, { action: 'request-viewed', recordType: 'request', recordId: id }))
    const submittedAt = request.submitted_at ?? now
    const history = people.map((person) => {
      const matches = candidates
        .filter((c) => c.person_id === person.id && c.decision !== 'rejected')
        .map((c) => ({
          ...c,
          reReferral: !!c.submitted_at && submittedAt.getTime() - c.submitted_at.getTime() < TWELVE_MONTHS_MS && c.submitted_at < submittedAt,
        }))
      return {
        person,
        matches,
        earlierHelp: earlierHelp.filter((h) => h.person_id === person.id),
        rejected: candidates.filter((c) => c.person_id === person.id && c.decision === 'rejected').length,
      }
    })
    const reReferral = history.some((h) => h.matches.some((m) => m.decision === 'confirmed' && m.reReferral))
    const signposts = request.status === 'submitted' || request.outcome === 'universal-signposting' ? await signpostsForRequest(trx, id) : []
    const involvement = await trx
      .selectFrom('involvements')
      .select(['id', 'reference'])
      .where((eb) => eb.or([eb('request_id', '=', id), eb('id', 'in', eb.selectFrom('level_changes').select('involvement_id').where('request_id', '=', id))]))
      .executeTakeFirst()
    const panelItem = await trx.selectFrom('panel_items').select(['panel_on', 'status']).where('request_id', '=', id).executeTakeFirst()
    return { request, people, history, reReferral, involvement, panelItem, signposts }
  })
}

export async function acknowledgeRequest(db: Database, actor: Actor, id: string, now: Date): Promise<void> {
  requireFrontDoor(actor)
  await db.asTenant(actor.tenantId, async (trx) => {
    const updated = await trx
      .updateTable('requests')
      .set({ acknowledged_at: now, acknowledged_by: actor.accountId, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', id)
      .where('status', '<>', 'draft')
      .where('acknowledged_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!updated) {
      if (!(await triage.request(trx, id))) throw new NotFoundError()
      return
    }
    await recordAudit(trx, auditBy(actor, { action: 'request-acknowledged', recordType: 'request', recordId: id }))
  })
}

/** Only a duty manager confirms that two records are one person; nothing is ever merged silently. */
export async function decideMatch(db: Database, actor: Actor, requestId: string, personId: string, matchedId: string, decision: 'confirmed' | 'rejected') {
  if (actor.role !== 'duty_manager') throw new NotFoundError()
  await db.asTenant(actor.tenantId, async (trx) => {
    const candidate = (await triage.candidates(trx, requestId)).find((c) => c.person_id === personId && c.earlier_id === matchedId)
    if (!candidate) throw new NotFoundError()
    await trx
      .insertInto('person_matches')
      .values({ tenant_id: actor.tenantId, request_person_id: personId, matched_person_id: matchedId, decision, decided_by: actor.accountId })
      .onConflict((oc) => oc.columns(['request_person_id', 'matched_person_id']).doUpdateSet({ decision, decided_by: actor.accountId, decided_at: new Date() }))
      .execute()
    await recordAudit(
      trx,
      auditBy(actor, { action: decision === 'confirmed' ? 'match-confirmed' : 'match-rejected', recordType: 'request-person', recordId: personId, detail: { matched: matchedId } }),
    )
  })
}

/** A refusal; `conflict` when someone else decided or changed the request first (409, with what was typed kept). */
export type DecideResult = { ok: true; involvementId?: string } | { ok: false; errors: Record<string, string>; conflict?: boolean }

/**
 * The duty manager's decision: one of the four outcomes, the level and the reasons; a level that
 * differs from the suggestion needs its own reason. A decision made on a stale page is refused.
 * In the same transaction, a Team Around the Family or intensive support opens the family's
 * involvement with its Lead Professional (or continues the one a step-up came from), and the panel
 * route puts the family on that panel's agenda.
 */
export async function decideRequest(db: Database, actor: Actor, id: string, form: DecisionForm, now: Date): Promise<DecideResult> {
  if (actor.role !== 'duty_manager') throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx): Promise<DecideResult> => {
    const request = await triage.request(trx, id)
    if (!request) throw new NotFoundError()
    if (request.status === 'decided') return { ok: false, conflict: true, errors: { outcome: 'This request has already been decided, so your decision was not saved' } }
    const level = Number(form.level)
    if (request.suggested_level && decisionNeedsReason(request.suggested_level, level) && !form.differenceReason) {
      return { ok: false, errors: { differenceReason: `Enter why the level differs from the suggested level ${request.suggested_level}` } }
    }
    const framework = frameworkById(actor.tenantId)
    const toPanel = form.outcome === 'emerging-needs' && form.emergingRoute === 'panel'
    let panelOn: string | undefined
    if (toPanel) {
      const parsed = parseDateParts(
        { day: form['panelDate-day'], month: form['panelDate-month'], year: form['panelDate-year'] },
        { label: 'The panel date', today: localDateOf(now), allowFuture: true, allowPast: false },
      )
      if (!parsed.ok) return { ok: false, errors: { panelDate: parsed.message } }
      panelOn = parsed.date
    }
    const needsLead = form.outcome === 'intensive-support' || (form.outcome === 'emerging-needs' && form.emergingRoute === 'taf')
    const lead = needsLead ? await activePractitioner(trx, { email: form.leadProfessional ?? '' }) : undefined
    if (needsLead && !lead) {
      return {
        ok: false,
        errors: { leadProfessional: `There is no practitioner with the email address ${form.leadProfessional ?? ''} in ${framework?.shortName ?? 'this authority'}. Check the address, or ask an administrator to add them.` },
      }
    }
    const details: Record<string, string | undefined> = { ...outcomeDetails(form, lead?.name, panelOn), differenceReason: form.differenceReason }
    const updated = await trx
      .updateTable('requests')
      .set({
        status: 'decided',
        outcome: form.outcome,
        decided_level: level,
        decision_reason: form.reason,
        outcome_details: JSON.stringify(details),
        decided_at: now,
        decided_by: actor.accountId,
        acknowledged_at: request.acknowledged_at ?? now,
        acknowledged_by: request.acknowledged_by ?? actor.accountId,
        looked_at_by: null,
        looked_at_since: null,
        version: (eb) => eb('version', '+', 1),
      })
      .where('id', '=', id)
      .where('version', '=', form.version)
      .where('status', '=', 'submitted')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, conflict: true, errors: { outcome: 'Someone else changed this request while you were deciding. Check it again, then decide.' } }
    await recordAudit(trx, auditBy(actor, { action: 'request-decided', recordType: 'request', recordId: id, detail: { outcome: form.outcome, level } }))
    const outcomeName = framework?.triageOutcomes.find((o) => o.id === form.outcome)?.name ?? form.outcome
    const involvementId = await followDecision(trx, actor, { id, reference: request.reference ?? '', steppedUpFrom: request.stepped_up_from }, { outcomeName, level, leadId: lead?.id, panelOn, form }, now)
    await tellReferrer(trx, request, 'decided', 'request-decided', {
      reference: request.reference ?? '',
      outcome: outcomeName,
      level: level,
      reasons: form.reason,
      next: details.summary ?? '',
    })
    return { ok: true, ...(involvementId ? { involvementId } : {}) }
  })
}

/** What a decision starts: an involvement, the next step of the one it stepped up from, or a place on a panel's agenda. */
async function followDecision(
  trx: Trx,
  actor: Actor,
  request: { id: string; reference: string; steppedUpFrom: string | null },
  decision: { outcomeName: string; level: number; leadId: string | undefined; panelOn: string | undefined; form: DecisionForm },
  now: Date,
): Promise<string | undefined> {
  const summary = `Decided at the front door (${request.reference}): ${decision.outcomeName}, level ${decision.level}`
  const current = request.steppedUpFrom
    ? await trx.selectFrom('involvements').select(['id', 'lead_account_id', 'level', 'route', 'status']).where('id', '=', request.steppedUpFrom).executeTakeFirst()
    : undefined
  const continuing = current && current.status !== 'closed' ? current : undefined
  if (decision.panelOn) {
    await trx.insertInto('panel_items').values({ tenant_id: actor.tenantId, request_id: request.id, panel_on: decision.panelOn }).execute()
    return undefined
  }
  if (continuing) {
    if (decision.leadId) {
      await changeLevel(trx, actor, continuing, { toLevel: decision.level, reason: summary, requestId: request.id }, now)
      await handOverLead(trx, actor, continuing, decision.leadId, summary, now)
    } else {
      await recordChronology(trx, actor, continuing.id, { kind: 'decision', summary: `${summary}. ${decision.form.reason}`, occurredAt: now, significant: true })
    }
    return continuing.id
  }
  if (!decision.leadId) return undefined
  const family = await familyFromRequest(trx, request.id)
  const opened = await openInvolvement(trx, actor, { ...family, level: decision.level, route: 'triage', requestId: request.id, leadAccountId: decision.leadId, summary }, now)
  return opened.id
}

/** What the referrer is told beside the outcome, in words: no ids, no codes. */
function outcomeDetails(form: DecisionForm, leadName: string | undefined, panelOn: string | undefined): Record<string, string | undefined> {
  switch (form.outcome) {
    case 'universal-signposting':
      return {
        signposted: form.signposted,
        summary: `Signposted to services that can help the family${form.signposted ? `: ${form.signposted}` : ''}.`,
      }
    case 'emerging-needs':
      return form.emergingRoute === 'taf'
        ? { route: 'taf', leadProfessional: leadName, summary: `A Team Around the Family with ${leadName ?? ''} as Lead Professional.` }
        : { route: 'panel', panelDate: panelOn, summary: `To the Children and Family Panel on ${panelOn ? formatDate(panelOn) : ''}, which will appoint a Lead Professional.` }
    case 'intensive-support':
      return { team: form.team, leadProfessional: leadName, summary: `Allocated to ${form.team}, with ${leadName ?? ''} as Lead Professional.` }
    case 'safeguarding':
      return { socialCareTo: form.socialCareTo, socialCareWhen: form.socialCareWhen, summary: `Passed to children’s social care (${form.socialCareTo}) on ${form.socialCareWhen}.` }
  }
}
