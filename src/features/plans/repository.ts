import type { Trx } from '../../platform/db/database.ts'

/** Plain queries for Early Help Plans: versions, their actions, and what a first version is prefilled from. */
export const plansRepository = {
  /** Every version of an involvement's plan, oldest first, without content. */
  versions(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('plan_versions')
      .select(['id', 'number', 'kind', 'status', 'family_score', 'team_score', 'review_on', 'agreed_at', 'created_at', 'updated_at', 'meeting_id'])
      .where('involvement_id', '=', involvementId)
      .orderBy('number')
      .execute()
  },

  version(trx: Trx, involvementId: string, number: number) {
    return trx.selectFrom('plan_versions').selectAll().where('involvement_id', '=', involvementId).where('number', '=', number).executeTakeFirst()
  },

  draft(trx: Trx, involvementId: string) {
    return trx.selectFrom('plan_versions').selectAll().where('involvement_id', '=', involvementId).where('status', '=', 'draft').executeTakeFirst()
  },

  latestAgreed(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('plan_versions')
      .selectAll()
      .where('involvement_id', '=', involvementId)
      .where('status', '=', 'agreed')
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst()
  },

  async nextNumber(trx: Trx, involvementId: string): Promise<number> {
    const row = await trx
      .selectFrom('plan_versions')
      .select((eb) => eb.fn.max('number').as('max'))
      .where('involvement_id', '=', involvementId)
      .executeTakeFirst()
    return Number(row?.max ?? 0) + 1
  },

  /** The actions of the involvement's agreed plans as they stand now, by due date. */
  actions(trx: Trx, involvementId: string, onlyOpen = false) {
    let query = trx
      .selectFrom('plan_actions')
      .select(['id', 'need_id', 'what', 'who', 'due_on', 'status', 'plan_version_id', 'status_changed_at'])
      .where('involvement_id', '=', involvementId)
    if (onlyOpen) query = query.where('status', '=', 'open')
    return query.orderBy('due_on').orderBy('created_at').execute()
  },

  action(trx: Trx, involvementId: string, actionId: string) {
    return trx.selectFrom('plan_actions').selectAll().where('involvement_id', '=', involvementId).where('id', '=', actionId).executeTakeFirst()
  },

  people(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('involvement_people')
      .select(['id', 'kind', 'given_name', 'family_name', 'date_of_birth', 'relationship', 'ethnicity'])
      .where('involvement_id', '=', involvementId)
      .orderBy('kind', 'desc')
      .orderBy('position')
      .execute()
  },

  activePractitioners(trx: Trx, involvementId: string) {
    return trx
      .selectFrom('team_members')
      .select(['name', 'organisation', 'role', 'contact'])
      .where('involvement_id', '=', involvementId)
      .where('kind', '=', 'practitioner')
      .where('left_at', 'is', null)
      .orderBy('joined_at')
      .execute()
  },

  leadContact(trx: Trx, accountId: string) {
    return trx
      .selectFrom('accounts')
      .innerJoin('organisations', 'organisations.id', 'accounts.organisation_id')
      .select(['accounts.name', 'accounts.email', 'accounts.phone', 'organisations.name as organisation'])
      .where('accounts.id', '=', accountId)
      .executeTakeFirst()
  },

  requestAnswers(trx: Trx, requestId: string) {
    return trx.selectFrom('requests').select('answers').where('id', '=', requestId).executeTakeFirst()
  },
}
