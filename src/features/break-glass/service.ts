import { sql } from 'kysely'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { BREAK_GLASS_MINUTES, BREAK_GLASS_ROLES, involvementFor, OVERSEER_ROLES, RelationshipDeniedError, withInvolvement } from '../involvements/access.ts'
import type { FindingForm, OpenForm } from './forms.ts'
import { eventsDuringGrant, familyAuditPage, grantById, grantPage } from './repository.ts'

/**
 * Who reviews break-glass access: the authority's administrators, who already read its audit log.
 * (A separate privacy officer role would need its own accounts, home page and navigation; the
 * review list moves to it by changing this one line.)
 */
export const REVIEWER_ROLES: readonly Role[] = ['administrator']

export const FAMILY_AUDIT_PAGE_SIZE = 50

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

/**
 * A practitioner opens a family they have no relationship with, giving a reason: a grant for one
 * hour and its audit event, in one transaction. Someone who already has a relationship is simply
 * sent to the family; a reference that does not exist in the authority is said not to.
 */
export async function openBreakGlass(db: Database, actor: Actor, form: OpenForm): Promise<Result<{ involvementId: string; granted: boolean }>> {
  if (!BREAK_GLASS_ROLES.includes(actor.role)) throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx) => {
    const involvement = await trx.selectFrom('involvements').select('id').where('tenant_id', '=', actor.tenantId).where('reference', '=', form.reference).executeTakeFirst()
    if (!involvement) return { ok: false, errors: { reference: `There is no family’s early help with the reference ${form.reference} in your authority. Check the reference.` } }
    try {
      const { relation } = await involvementFor(trx, actor, involvement.id, 'view')
      if (relation !== 'break-glass') return { ok: true, value: { involvementId: involvement.id, granted: false } }
    } catch (error) {
      if (!(error instanceof RelationshipDeniedError)) throw error
    }
    const grant = await trx
      .insertInto('break_glass_grants')
      .values({
        tenant_id: actor.tenantId,
        account_id: actor.accountId,
        involvement_id: involvement.id,
        reason: form.reason,
        expires_at: sql<Date>`now() + make_interval(mins => ${BREAK_GLASS_MINUTES})`,
      })
      .returning(['id', 'expires_at'])
      .executeTakeFirstOrThrow()
    await recordAudit(
      trx,
      auditBy(actor, { action: 'break-glass-opened', recordType: 'involvement', recordId: involvement.id, detail: { grant: grant.id, expiresAt: new Date(grant.expires_at).toISOString() } }),
    )
    return { ok: true, value: { involvementId: involvement.id, granted: true } }
  })
}

function requireReviewer(actor: Actor): void {
  if (!REVIEWER_ROLES.includes(actor.role)) throw new NotFoundError()
}

/** The review list: every break-glass grant of the authority, newest first, a page at a time. */
export async function listGrants(db: Database, actor: Actor, page: number, now: Date) {
  requireReviewer(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await grantPage(trx, actor.tenantId, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'break-glass-list-viewed', recordType: 'break-glass-grant', detail: { page, shown: result.rows.length } }))
    return { total: result.total, rows: result.rows.map((row) => ({ ...row, active: new Date(row.expires_at) > now })) }
  })
}

/** One grant for review, with what its holder looked at while it lasted. */
export async function grantForReview(db: Database, actor: Actor, id: string, now: Date) {
  requireReviewer(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const grant = await grantById(trx, id)
    if (!grant) throw new NotFoundError()
    const events = await eventsDuringGrant(trx, { ...grant, granted_at: new Date(grant.granted_at), expires_at: new Date(grant.expires_at) })
    await recordAudit(trx, auditBy(actor, { action: 'break-glass-viewed', recordType: 'break-glass-grant', recordId: id, detail: { involvementId: grant.involvement_id } }))
    return { grant: { ...grant, active: new Date(grant.expires_at) > now }, events }
  })
}

/** Records the reviewer's finding, once. Returns false when someone had already reviewed it. */
export async function recordFinding(db: Database, actor: Actor, id: string, form: FindingForm, now: Date): Promise<boolean> {
  requireReviewer(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const grant = await trx.selectFrom('break_glass_grants').select(['id', 'involvement_id', 'reviewed_at']).where('id', '=', id).executeTakeFirst()
    if (!grant) throw new NotFoundError()
    if (grant.reviewed_at) return false
    const updated = await trx
      .updateTable('break_glass_grants')
      .set({ finding: form.finding, finding_note: form.note ?? null, reviewed_by: actor.accountId, reviewed_at: now })
      .where('id', '=', id)
      .where('reviewed_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return false
    await recordAudit(trx, auditBy(actor, { action: 'break-glass-reviewed', recordType: 'break-glass-grant', recordId: id, detail: { involvementId: grant.involvement_id, finding: form.finding } }))
    return true
  })
}

/**
 * "Who has seen this family": the audit trail of one involvement (and its meetings and
 * assessment), newest first, for its managers. Reading it is itself audited.
 */
export async function familyAudit(db: Database, actor: Actor, involvementId: string, before: string | undefined) {
  if (!OVERSEER_ROLES.includes(actor.role)) throw new NotFoundError()
  return withInvolvement(db, actor, involvementId, 'oversee', async (trx, { involvement }) => {
    const [meetings, assessments] = await Promise.all([
      trx.selectFrom('meetings').select('id').where('involvement_id', '=', involvementId).execute(),
      trx.selectFrom('assessments').select('id').where('involvement_id', '=', involvementId).execute(),
    ])
    const page = await familyAuditPage(
      trx,
      actor.tenantId,
      involvementId,
      { meetings: meetings.map((m) => m.id), assessments: assessments.map((a) => a.id) },
      before,
      FAMILY_AUDIT_PAGE_SIZE,
    )
    await recordAudit(trx, auditBy(actor, { action: 'family-audit-viewed', recordType: 'involvement', recordId: involvementId, detail: before ? { before } : {} }))
    return { involvement, ...page }
  })
}
