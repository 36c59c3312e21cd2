import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import type { ConsultationForm } from './forms.ts'
import { consultationRepository as consultations } from './repository.ts'

/** The front door answers the Consultation Line: its officers and duty managers keep the log. */
export const CONSULTATION_ROLES: readonly Role[] = ['front_door_officer', 'duty_manager']
export const CONSULTATION_PAGE_SIZE = 25

function requireFrontDoor(actor: Actor): void {
  if (!CONSULTATION_ROLES.includes(actor.role)) throw new NotFoundError()
}

/** The log, newest first; looking at it is audited like any other view of personal data. */
export async function listConsultations(db: Database, actor: Actor, before: string | undefined) {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const page = await consultations.page(trx, before, CONSULTATION_PAGE_SIZE)
    await recordAudit(
      trx,
      auditBy(actor, { action: 'consultation-list-viewed', recordType: 'consultation', detail: { before: before ?? null, shown: page.rows.length } }),
    )
    return page
  })
}

/** Records one call, and its audit event in the same transaction. */
export async function recordConsultation(db: Database, actor: Actor, input: ConsultationForm, now: Date): Promise<string> {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const id = await consultations.insert(trx, actor.tenantId, actor.accountId, input, now)
    await recordAudit(
      trx,
      auditBy(actor, {
        action: 'consultation-recorded',
        recordType: 'consultation',
        recordId: id,
        detail: { familyNamed: input.familyNamed === 'yes', requestAdvised: input.requestAdvised === 'yes' },
      }),
    )
    return id
  })
}
