import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import { setActive } from '../../platform/db/activation.ts'
import type { Database } from '../../platform/db/database.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import type { OrganisationForm } from './forms.ts'
import { organisationRepository as organisations } from './repository.ts'

/** Only administrators manage organisations. Routes check the role too; services never rely on that. */
function requireAdministrator(actor: Actor): void {
  if (actor.role !== 'administrator') throw new NotFoundError()
}

export async function listOrganisations(db: Database, actor: Actor, filter: { status: 'active' | 'inactive' | 'all'; page: number }) {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, (trx) => organisations.page(trx, filter, PAGE_SIZE, (filter.page - 1) * PAGE_SIZE))
}

export async function activeOrganisations(db: Database, actor: Actor) {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, (trx) => organisations.active(trx))
}

export type CreateResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> }

export async function createOrganisation(db: Database, actor: Actor, input: OrganisationForm): Promise<CreateResult> {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const inserted = await organisations.insert(trx, actor.tenantId, input)
    if (!inserted) return { ok: false, errors: { name: 'An organisation with this name already exists' } }
    await recordAudit(trx, auditBy(actor, { action: 'organisation-created', recordType: 'organisation', recordId: inserted.id }))
    return { ok: true, id: inserted.id }
  })
}

export async function setOrganisationActive(db: Database, actor: Actor, id: string, active: boolean): Promise<void> {
  requireAdministrator(actor)
  await db.asTenant(actor.tenantId, async (trx) => {
    if (!(await organisations.byId(trx, id))) throw new NotFoundError()
    // Already in that state (a double click, or a second tab): nothing changes and nothing is recorded.
    if (!(await setActive(trx, 'organisations', id, active))) return
    await recordAudit(
      trx,
      auditBy(actor, { action: active ? 'organisation-reactivated' : 'organisation-deactivated', recordType: 'organisation', recordId: id }),
    )
  })
}
