import { nextReviewOn, reviewCadenceFor } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { frameworkById } from '../../frameworks/index.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Trx } from '../../platform/db/database.ts'
import type { InvolvementRoute } from '../../platform/db/schema.ts'
import { recordChronology } from '../chronology/record.ts'
import { activePractitioner, allocatedTeamOf, joinTeamAsLead } from './open.ts'

interface InvolvementRef {
  id: string
  lead_account_id: string
  level: number
  route: InvolvementRoute
}

/**
 * Hands the Lead Professional role to another active practitioner: the current holder's period
 * ends, the new one's starts with the reason, the new Lead Professional joins the Team Around the
 * Family if not already on it, and the handover is in the chronology and the audit log. The old
 * Lead Professional stays on the team as a practitioner until someone removes them.
 */
export async function handOverLead(
  trx: Trx,
  actor: Actor,
  involvement: InvolvementRef,
  newLeadId: string,
  reason: string,
  now: Date,
  /** `audit: false` when the handover is part of a change that writes its own event (a step down). */
  options: { audit?: boolean } = {},
): Promise<void> {
  if (newLeadId === involvement.lead_account_id) return
  const lead = await activePractitioner(trx, { id: newLeadId })
  if (!lead) throw new Error('The Lead Professional must be an active practitioner of the authority')
  await trx.updateTable('lead_professionals').set({ ended_at: now }).where('involvement_id', '=', involvement.id).where('ended_at', 'is', null).execute()
  await trx
    .insertInto('lead_professionals')
    .values({ tenant_id: actor.tenantId, involvement_id: involvement.id, account_id: lead.id, started_at: now, reason, recorded_by: actor.accountId })
    .execute()
  await trx
    .updateTable('team_members')
    .set({ role: 'Practitioner' })
    .where('involvement_id', '=', involvement.id)
    .where('account_id', '=', involvement.lead_account_id)
    .where('left_at', 'is', null)
    .where('role', '=', 'Lead Professional')
    .execute()
  const existing = await trx
    .updateTable('team_members')
    .set({ role: 'Lead Professional' })
    .where('involvement_id', '=', involvement.id)
    .where('account_id', '=', lead.id)
    .where('left_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (!existing) await joinTeamAsLead(trx, actor, involvement.id, lead, now)
  await trx
    .updateTable('involvements')
    // A new Lead Professional in a council team brings the family to their team; from a school or a health service the allocation stays.
    .set((eb) => ({ lead_account_id: lead.id, allocated_team_id: allocatedTeamOf(lead) ?? eb.ref('allocated_team_id'), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', involvement.id)
    .execute()
  await recordChronology(trx, actor, involvement.id, { kind: 'lead-professional', summary: `${lead.name} became Lead Professional. ${reason}`, occurredAt: now, significant: true })
  if (options.audit !== false) await recordAudit(trx, auditBy(actor, { action: 'lead-professional-changed', recordType: 'involvement', recordId: involvement.id, detail: { to: lead.id } }))
}

/**
 * Moves an involvement to another level: the change is recorded with its reason (and the request
 * that stepped it up), the review cadence and next review date follow the new level, and the
 * chronology says so. The caller writes the audit event for the step itself.
 */
export async function changeLevel(
  trx: Trx,
  actor: Actor,
  involvement: InvolvementRef,
  change: { toLevel: number; reason: string; requestId?: string | null; route?: InvolvementRoute },
  now: Date,
): Promise<void> {
  if (change.toLevel === involvement.level) return
  const framework = frameworkById(actor.tenantId)
  const cadence = framework ? reviewCadenceFor(framework, change.toLevel, change.route ?? involvement.route) : undefined
  const direction = change.toLevel > involvement.level ? 'up' : 'down'
  await trx
    .insertInto('level_changes')
    .values({
      tenant_id: actor.tenantId,
      involvement_id: involvement.id,
      from_level: involvement.level,
      to_level: change.toLevel,
      direction,
      reason: change.reason,
      request_id: change.requestId ?? null,
      decided_by: actor.accountId,
      decided_at: now,
    })
    .execute()
  await trx
    .updateTable('involvements')
    .set({
      level: change.toLevel,
      review_cadence_id: cadence?.id ?? null,
      next_review_on: cadence ? nextReviewOn(cadence, localDateOf(now)) : null,
      version: (eb) => eb('version', '+', 1),
      updated_at: now,
    })
    .where('id', '=', involvement.id)
    .execute()
  const levelName = framework?.levels.find((l) => l.level === change.toLevel)?.name
  await recordChronology(trx, actor, involvement.id, {
    kind: 'level-change',
    summary: `${direction === 'up' ? 'Stepped up' : 'Stepped down'} from level ${involvement.level} to level ${change.toLevel}${levelName ? ` (${levelName})` : ''}. ${change.reason}`,
    occurredAt: now,
    significant: true,
  })
}
