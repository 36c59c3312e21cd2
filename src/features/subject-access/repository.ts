import type { Trx } from '../../platform/db/database.ts'

const none = <T>() => Promise.resolve([] as T[])

/**
 * The subject access export's queries. Each reads one kind of record for all of a person's
 * involvements (or requests) at once, so the export costs the same number of queries however many
 * there are.
 */
export const subjectAccessRepository = {
  person(trx: Trx, involvementId: string, personId: string) {
    return trx.selectFrom('involvement_people').selectAll().where('involvement_id', '=', involvementId).where('id', '=', personId).executeTakeFirst()
  },

  /** The person's request records: their own, and those the front door confirmed are the same person (either way round). */
  async linkedRequestPeople(trx: Trx, requestPersonId: string | null): Promise<string[]> {
    if (!requestPersonId) return []
    const matches = await trx
      .selectFrom('person_matches')
      .select(['request_person_id', 'matched_person_id'])
      .where('decision', '=', 'confirmed')
      .where((eb) => eb.or([eb('request_person_id', '=', requestPersonId), eb('matched_person_id', '=', requestPersonId)]))
      .execute()
    return [...new Set([requestPersonId, ...matches.flatMap((m) => [m.request_person_id, m.matched_person_id])])]
  },

  /** The person as a member of each family's early help: this record, and those from the same request records. */
  selves(trx: Trx, personId: string, requestPeopleIds: string[]) {
    return trx
      .selectFrom('involvement_people')
      .select(['id', 'involvement_id', 'given_name', 'family_name'])
      .where((eb) => eb.or([eb('id', '=', personId), ...(requestPeopleIds.length ? [eb('request_person_id', 'in', requestPeopleIds)] : [])]))
      .execute()
  },

  involvements(trx: Trx, ids: string[]) {
    return ids.length ? trx.selectFrom('involvements').selectAll().where('id', 'in', ids).orderBy('opened_at').execute() : none<never>()
  },
  people(trx: Trx, ids: string[]) {
    return trx.selectFrom('involvement_people').selectAll().where('involvement_id', 'in', ids).orderBy('kind', 'desc').orderBy('position').execute()
  },
  plans(trx: Trx, ids: string[]) {
    return trx.selectFrom('plan_versions').selectAll().where('involvement_id', 'in', ids).orderBy('number').execute()
  },
  actions(trx: Trx, ids: string[]) {
    return trx.selectFrom('plan_actions').select(['plan_version_id', 'what', 'who', 'due_on', 'status']).where('involvement_id', 'in', ids).orderBy('due_on').execute()
  },
  assessments(trx: Trx, ids: string[]) {
    return trx.selectFrom('assessments').selectAll().where('involvement_id', 'in', ids).execute()
  },
  meetings(trx: Trx, ids: string[]) {
    return trx.selectFrom('meetings').selectAll().where('involvement_id', 'in', ids).orderBy('scheduled_at').execute()
  },
  chronology(trx: Trx, ids: string[]) {
    return trx
      .selectFrom('chronology_entries as c')
      .leftJoin('accounts as a', 'a.id', 'c.author_account_id')
      .select(['c.involvement_id', 'c.occurred_at', 'c.kind', 'c.summary', 'c.detail', 'a.name as author'])
      .where('c.involvement_id', 'in', ids)
      .orderBy('c.occurred_at')
      .orderBy('c.id')
      .execute()
  },
  signposts(trx: Trx, ids: string[]) {
    return trx
      .selectFrom('signposts as sp')
      .innerJoin('directory_services as s', 's.id', 'sp.service_id')
      .select(['sp.involvement_id', 'sp.request_id', 's.name as service_name', 'sp.note', 'sp.signposted_at'])
      .where('sp.involvement_id', 'in', ids)
      .orderBy('sp.signposted_at')
      .execute()
  },
  requestSignposts(trx: Trx, requestIds: string[]) {
    if (!requestIds.length) return none<{ involvement_id: string | null; request_id: string | null; service_name: string; note: string | null; signposted_at: Date }>()
    return trx
      .selectFrom('signposts as sp')
      .innerJoin('directory_services as s', 's.id', 'sp.service_id')
      .select(['sp.involvement_id', 'sp.request_id', 's.name as service_name', 'sp.note', 'sp.signposted_at'])
      .where('sp.request_id', 'in', requestIds)
      .orderBy('sp.signposted_at')
      .execute()
  },
  protections(trx: Trx, ids: string[]) {
    return trx.selectFrom('protected_details').selectAll().where('involvement_id', 'in', ids).orderBy('recorded_at').execute()
  },
  consents(trx: Trx, personIds: string[]) {
    return trx
      .selectFrom('consents')
      .selectAll()
      .where((eb) => eb.or([eb('for_person_id', 'in', personIds), eb('given_by_person_id', 'in', personIds)]))
      .orderBy('given_on')
      .execute()
  },
  requestPeople(trx: Trx, ids: string[]) {
    return ids.length ? trx.selectFrom('request_people').select(['id', 'request_id']).where('id', 'in', ids).execute() : none<{ id: string; request_id: string }>()
  },
  requests(trx: Trx, ids: string[]) {
    return ids.length ? trx.selectFrom('requests').selectAll().where('id', 'in', ids).where('status', '!=', 'draft').orderBy('submitted_at').execute() : none<never>()
  },
  peopleOfRequests(trx: Trx, ids: string[]) {
    return ids.length ? trx.selectFrom('request_people').selectAll().where('request_id', 'in', ids).orderBy('position').execute() : none<never>()
  },
}
