import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

/** The authority's break-glass grants, newest first, with who opened which family and who reviewed it. */
export async function grantPage(trx: Trx, tenantId: string, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    trx
      .selectFrom('break_glass_grants as g')
      .innerJoin('accounts as a', 'a.id', 'g.account_id')
      .innerJoin('involvements as i', 'i.id', 'g.involvement_id')
      .leftJoin('accounts as r', 'r.id', 'g.reviewed_by')
      .select(['g.id', 'g.reason', 'g.granted_at', 'g.expires_at', 'g.finding', 'g.reviewed_at', 'a.name as account_name', 'a.role as account_role', 'i.reference', 'r.name as reviewer_name'])
      .where('g.tenant_id', '=', tenantId)
      .orderBy('g.granted_at', 'desc')
      .orderBy('g.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    trx.selectFrom('break_glass_grants').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

export async function grantById(trx: Trx, id: string) {
  return trx
    .selectFrom('break_glass_grants as g')
    .innerJoin('accounts as a', 'a.id', 'g.account_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .innerJoin('involvements as i', 'i.id', 'g.involvement_id')
    .leftJoin('accounts as r', 'r.id', 'g.reviewed_by')
    .select([
      'g.id',
      'g.account_id',
      'g.involvement_id',
      'g.reason',
      'g.granted_at',
      'g.expires_at',
      'g.finding',
      'g.finding_note',
      'g.reviewed_at',
      'a.name as account_name',
      'a.email as account_email',
      'a.role as account_role',
      'o.name as organisation_name',
      'i.reference',
      'r.name as reviewer_name',
    ])
    .where('g.id', '=', id)
    .executeTakeFirst()
}

/** What the person did with the family while the grant lasted: the reviewer's evidence. */
export async function eventsDuringGrant(trx: Trx, grant: { account_id: string; involvement_id: string; granted_at: Date; expires_at: Date }) {
  return trx
    .selectFrom('audit_events')
    .select(['id', 'at', 'action', 'outcome'])
    .where('actor_account_id', '=', grant.account_id)
    .where('record_type', '=', 'involvement')
    .where('record_id', '=', grant.involvement_id)
    .where('at', '>=', grant.granted_at)
    .where('at', '<', grant.expires_at)
    .orderBy('at')
    .orderBy('id')
    .limit(200)
    .execute()
}

/**
 * One page of a family's audit trail, newest first by keyset (at, id): every event whose record is
 * the involvement, its meetings or its assessment. Each row says whether it happened under a
 * break-glass grant the actor held at the time.
 */
export async function familyAuditPage(
  trx: Trx,
  tenantId: string,
  involvementId: string,
  related: { meetings: string[]; assessments: string[] },
  before: string | undefined,
  limit: number,
) {
  let query = trx
    .selectFrom('audit_events as e')
    .leftJoin('accounts as a', 'a.id', 'e.actor_account_id')
    .select(['e.id', 'e.at', 'e.action', 'e.actor_account_id', 'e.actor_role', 'e.record_type', 'e.outcome', 'a.name as actor_name'])
    .select(
      sql<boolean>`exists (
        select 1 from break_glass_grants g
        where g.involvement_id = ${involvementId}::uuid and g.account_id = e.actor_account_id
          and e.at >= g.granted_at and e.at < g.expires_at)`.as('break_glass'),
    )
    .where('e.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb.and([eb('e.record_type', '=', 'involvement'), eb('e.record_id', '=', involvementId)]),
        ...(related.meetings.length ? [eb.and([eb('e.record_type', '=', 'meeting'), eb('e.record_id', 'in', related.meetings)])] : []),
        ...(related.assessments.length ? [eb.and([eb('e.record_type', '=', 'assessment'), eb('e.record_id', 'in', related.assessments)])] : []),
      ]),
    )
  if (before) {
    query = query.where(sql<boolean>`(e.at, e.id) < (select c.at, c.id from audit_events c where c.id = ${before}::bigint)`)
  }
  const rows = await query.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(limit + 1).execute()
  return { rows: rows.slice(0, limit), more: rows.length > limit }
}
