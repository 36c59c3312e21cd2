import type { Trx } from '../../platform/db/database.ts'

/** A member of the Team Around the Family as a meeting sees them. */
export interface TeamMember {
  memberId: string
  kind: 'family' | 'practitioner'
  name: string
  role: string
  organisation: string | null
  contact: string | null
  accountId: string | null
  personId: string | null
  relationship: string | null
  ethnicity: string | null
}

/** Meetings' queries; row-level security confines them to one authority. */
export const meetingsRepository = {
  /** The active Team Around the Family: family members first, then practitioners, in the order they joined. */
  async team(trx: Trx, involvementId: string): Promise<TeamMember[]> {
    const rows = await trx
      .selectFrom('team_members')
      .leftJoin('involvement_people', 'involvement_people.id', 'team_members.involvement_person_id')
      .select([
        'team_members.id',
        'team_members.kind',
        'team_members.name',
        'team_members.role',
        'team_members.organisation',
        'team_members.contact',
        'team_members.account_id',
        'team_members.involvement_person_id',
        'involvement_people.relationship',
        'involvement_people.ethnicity',
      ])
      .where('team_members.involvement_id', '=', involvementId)
      .where('team_members.left_at', 'is', null)
      .orderBy('team_members.kind')
      .orderBy('team_members.joined_at')
      .orderBy('team_members.id')
      .execute()
    return rows.map((r) => ({
      memberId: r.id,
      kind: r.kind,
      name: r.name,
      role: r.role,
      organisation: r.organisation,
      contact: r.contact,
      accountId: r.account_id,
      personId: r.involvement_person_id,
      relationship: r.relationship,
      ethnicity: r.ethnicity,
    }))
  },

  async list(trx: Trx, involvementId: string, limit: number, offset: number) {
    const total = await trx
      .selectFrom('meetings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('involvement_id', '=', involvementId)
      .executeTakeFirstOrThrow()
    const rows = await trx
      .selectFrom('meetings')
      .leftJoin('accounts as coordinator', 'coordinator.id', 'meetings.coordinator_account_id')
      .select([
        'meetings.id',
        'meetings.kind',
        'meetings.scheduled_at',
        'meetings.venue',
        'meetings.is_virtual',
        'meetings.status',
        'meetings.held_at',
        'coordinator.name as coordinator_name',
      ])
      .where('meetings.involvement_id', '=', involvementId)
      .orderBy('meetings.scheduled_at', 'desc')
      .orderBy('meetings.id')
      .limit(limit)
      .offset(offset)
      .execute()
    return { total: Number(total.n), rows }
  },

  heldCount(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('meetings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('involvement_id', '=', involvementId)
      .where('status', '=', 'held')
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n))
  },

  meeting(trx: Trx, involvementId: string, meetingId: string) {
    return trx
      .selectFrom('meetings')
      .leftJoin('accounts as coordinator', 'coordinator.id', 'meetings.coordinator_account_id')
      .leftJoin('accounts as recorder', 'recorder.id', 'meetings.recorded_by')
      .selectAll('meetings')
      .select(['coordinator.name as coordinator_name', 'recorder.name as recorded_by_name'])
      .where('meetings.id', '=', meetingId)
      .where('meetings.involvement_id', '=', involvementId)
      .executeTakeFirst()
  },

  /** The last initial or review meeting held, from which the next review is counted. */
  lastHeldReview(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('meetings')
      .select(['id', 'kind', 'held_at'])
      .where('involvement_id', '=', involvementId)
      .where('status', '=', 'held')
      .where('kind', 'in', ['initial', 'review'])
      .orderBy('held_at', 'desc')
      .limit(1)
      .executeTakeFirst()
  },

  /** The plan version a held meeting produced, if any. */
  planFor(trx: Trx, meetingId: string) {
    return trx.selectFrom('plan_versions').select(['number', 'status']).where('meeting_id', '=', meetingId).orderBy('number', 'desc').limit(1).executeTakeFirst()
  },
}
