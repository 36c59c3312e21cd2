import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

export interface ListFilter {
  /** Only involvements with an overdue review or an overdue open action (the manager's view). */
  overdue?: boolean
  /** Include closed involvements. */
  closed?: boolean
  /** Only closures waiting for a manager's sign-off. */
  closing?: boolean
  /** A practitioner's team's families: those allocated to the council team they work in. */
  team?: boolean
}

/** Queries for involvements and the family's page. Each list is one query; nothing runs per row. */
export const involvementRepository = {
  async list(trx: Trx, scope: { accountId?: string }, filter: ListFilter, today: string, limit: number, offset: number) {
    let query = trx
      .selectFrom('involvements as i')
      .innerJoin('accounts as lead', 'lead.id', 'i.lead_account_id')
      .leftJoin('assessments as a', 'a.involvement_id', 'i.id')
    if (scope.accountId && filter.team) {
      // The families allocated to the council team the practitioner works in.
      const accountId = scope.accountId
      query = query.where('i.allocated_team_id', '=', (eb) => eb.selectFrom('accounts').select('organisation_id').where('id', '=', accountId))
    } else if (scope.accountId) {
      const accountId = scope.accountId
      query = query.where((eb) =>
        eb.or([
          eb('i.lead_account_id', '=', accountId),
          // Team members and the referrer no longer see a family that withdrew consent to share.
          eb.and([eb('i.sharing_stopped_at', 'is', null), eb.or([
          eb.exists(
            eb
              .selectFrom('team_members as m')
              .select('m.id')
              .whereRef('m.involvement_id', '=', 'i.id')
              .where('m.account_id', '=', accountId)
              .where('m.left_at', 'is', null),
          ),
          // The referrer of the request the family's early help came from may follow it (view only).
          eb.exists(eb.selectFrom('requests as r').select('r.id').whereRef('r.id', '=', 'i.request_id').where('r.referrer_account_id', '=', accountId)),
          ])]),
        ]),
      )
    }
    if (!filter.closed) query = query.where('i.status', '<>', 'closed')
    if (filter.closing) query = query.where('i.status', '=', 'closing')
    if (filter.overdue) query = query.where(sql<boolean>`least(i.next_review_on, i.next_action_on) < ${today}::date`)
    const [rows, count] = await Promise.all([
      query
        .select([
          'i.id',
          'i.reference',
          'i.family_name',
          'i.level',
          'i.status',
          'i.lead_account_id',
          'i.next_review_on',
          'i.assessment_due_on',
          'i.opened_at',
          'lead.name as lead_name',
          'a.status as assessment_status',
          'i.next_action_on',
          'i.consent_withdrawn_on',
          // Counted for the page's rows only.
          (eb) =>
            eb
              .selectFrom('plan_actions as late')
              .select(sql<number>`count(*)::int`.as('n'))
              .whereRef('late.involvement_id', '=', 'i.id')
              .where('late.status', '=', 'open')
              .where('late.due_on', '<', today)
              .as('overdue_actions'),
        ])
        // The order of the index involvements_due, so a page is read from the index, not sorted.
        .orderBy(sql`least(i.next_review_on, i.next_action_on)`, (ob) => ob.asc().nullsLast())
        .orderBy('i.id')
        .limit(limit)
        .offset(offset)
        .execute(),
      query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(count.total) }
  },

  people(trx: Trx, id: string) {
    return trx.selectFrom('involvement_people').selectAll().where('involvement_id', '=', id).orderBy('kind', 'desc').orderBy('position').execute()
  },

  team(trx: Trx, id: string) {
    return trx
      .selectFrom('team_members as m')
      .leftJoin('accounts as a', 'a.id', 'm.account_id')
      .select(['m.id', 'm.kind', 'm.account_id', 'm.name', 'm.organisation', 'm.role', 'm.contact', 'm.joined_at', 'm.left_at', 'm.left_reason', 'a.active as account_active'])
      .where('m.involvement_id', '=', id)
      .orderBy(sql`m.role = 'Lead Professional'`, 'desc')
      .orderBy('m.kind', 'desc')
      .orderBy('m.joined_at')
      .orderBy('m.id')
      .execute()
  },

  leads(trx: Trx, id: string) {
    return trx
      .selectFrom('lead_professionals as l')
      .innerJoin('accounts as a', 'a.id', 'l.account_id')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['l.id', 'l.account_id', 'l.started_at', 'l.ended_at', 'l.reason', 'a.name', 'a.email', 'a.phone', 'o.name as organisation'])
      .where('l.involvement_id', '=', id)
      .orderBy('l.started_at')
      .execute()
  },

  planVersions(trx: Trx, id: string) {
    return trx
      .selectFrom('plan_versions')
      .select(['id', 'number', 'kind', 'status', 'family_score', 'team_score', 'agreed_at', 'created_at', 'review_on'])
      .where('involvement_id', '=', id)
      .orderBy('number')
      .execute()
  },

  openActions(trx: Trx, id: string) {
    return trx.selectFrom('plan_actions').select(['id', 'what', 'who', 'due_on', 'status']).where('involvement_id', '=', id).where('status', '=', 'open').orderBy('due_on').limit(50).execute()
  },

  upcomingMeetings(trx: Trx, id: string) {
    return trx.selectFrom('meetings').select(['id', 'kind', 'scheduled_at', 'venue', 'is_virtual', 'status']).where('involvement_id', '=', id).where('status', '=', 'scheduled').orderBy('scheduled_at').limit(10).execute()
  },

  recentChronology(trx: Trx, id: string, limit: number) {
    return trx
      .selectFrom('chronology_entries as c')
      .innerJoin('accounts as a', 'a.id', 'c.author_account_id')
      .select(['c.id', 'c.occurred_at', 'c.kind', 'c.summary', 'c.significant', 'a.name as author'])
      .where('c.involvement_id', '=', id)
      .orderBy('c.occurred_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute()
  },

  levelChanges(trx: Trx, id: string) {
    return trx.selectFrom('level_changes').select(['from_level', 'to_level', 'direction', 'reason', 'decided_at']).where('involvement_id', '=', id).orderBy('decided_at').execute()
  },
}
