import { sql } from 'kysely'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { CASEWORK_ROLES, withInvolvement } from '../involvements/access.ts'
import type { DisclosureForm } from './forms.ts'
import { recordDisclosure, teamSharingBasis } from './record.ts'

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

function requireCasework(actor: Actor): void {
  if (!CASEWORK_ROLES.includes(actor.role)) throw new NotFoundError()
}

async function disclosurePage(trx: Trx, involvementId: string, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    trx
      .selectFrom('disclosures as d')
      .innerJoin('accounts as a', 'a.id', 'd.recorded_by')
      .select(['d.id', 'd.shared_on', 'd.what', 'd.recipient', 'd.reason', 'd.basis', 'd.source', 'd.consent_id', 'd.recorded_at', 'a.name as recorded_by_name'])
      .where('d.involvement_id', '=', involvementId)
      .orderBy('d.recorded_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    trx.selectFrom('disclosures').select(sql<number>`count(*)::int`.as('total')).where('involvement_id', '=', involvementId).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.total) }
}

/** The family's sharing log, newest first, a page at a time: anyone who may see the family may read it. */
export async function sharingLog(db: Database, actor: Actor, involvementId: string, page: number) {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'view', async (trx, { involvement, relation }) => {
    const result = await disclosurePage(trx, involvementId, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'sharing-log-viewed', recordType: 'involvement', recordId: involvementId, detail: { page, shown: result.rows.length } }))
    return { involvement, relation, ...result }
  })
}

/** The form to record a disclosure by hand: the involvement, checked for the contribute need. */
export async function disclosureFormContext(db: Database, actor: Actor, involvementId: string) {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'contribute', async (trx, { involvement }) => {
    await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { form: 'disclosure' } }))
    return { involvement }
  })
}

/** Records a disclosure made outside the system (a phone call, an email, a letter), with its one audit event. */
export async function recordByHand(db: Database, actor: Actor, involvementId: string, form: DisclosureForm, sharedOn: string): Promise<Result<string>> {
  requireCasework(actor)
  return withInvolvement(db, actor, involvementId, 'contribute', async (trx, { involvement }) => {
    if (form.basis === 'consent' && involvement.sharing_stopped_at) {
      return { ok: false, errors: { basis: 'The family withdrew consent to share their information. Select the lawful basis you shared it on.' } }
    }
    const consentId = form.basis === 'consent' ? ((await teamSharingBasis(trx, involvementId)).consentId ?? null) : null
    const id = await recordDisclosure(trx, actor, { involvementId, what: form.what, recipient: form.recipient, reason: form.reason, basis: form.basis, source: 'recorded-by-hand', consentId, sharedOn })
    await recordAudit(trx, auditBy(actor, { action: 'disclosure-recorded', recordType: 'involvement', recordId: involvementId, detail: { disclosure: id, basis: form.basis } }))
    return { ok: true, value: id }
  })
}
