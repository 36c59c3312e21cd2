import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'

const childrenNames = sql<string>`(
  select string_agg(p.given_name || ' ' || p.family_name, ', ' order by p.position)
  from request_people p where p.request_id = requests.id and p.kind = 'child')`

/** The front door's queries; row-level security confines them to one authority. */
export const triageRepository = {
  /** Undecided requests: priority first, then by time left on the decision clock. */
  async queue(trx: Trx, limit: number, offset: number) {
    const total = await trx
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow()
    const rows = await trx
      .selectFrom('requests')
      .leftJoin('accounts as looker', 'looker.id', 'requests.looked_at_by')
      .leftJoin('accounts as referrer', 'referrer.id', 'requests.referrer_account_id')
      .leftJoin('organisations', 'organisations.id', 'referrer.organisation_id')
      .select([
        'requests.id',
        'requests.reference',
        'requests.route',
        'requests.priority',
        'requests.submitted_at',
        'requests.acknowledge_due_at',
        'requests.decision_due_at',
        'requests.acknowledged_at',
        'requests.suggested_level',
        'requests.looked_at_since',
        'looker.name as looked_at_by_name',
        'organisations.name as referrer_organisation',
        childrenNames.as('children'),
      ])
      .where('requests.status', '=', 'submitted')
      .orderBy('requests.priority', 'desc')
      .orderBy('requests.decision_due_at')
      .orderBy('requests.id')
      .limit(limit)
      .offset(offset)
      .execute()
    return { total: Number(total.n), rows }
  },

  request(trx: Trx, id: string) {
    return trx
      .selectFrom('requests')
      .leftJoin('accounts as referrer', 'referrer.id', 'requests.referrer_account_id')
      .leftJoin('organisations', 'organisations.id', 'referrer.organisation_id')
      .leftJoin('accounts as decider', 'decider.id', 'requests.decided_by')
      .selectAll('requests')
      .select(['referrer.name as referrer_name', 'referrer.email as referrer_email', 'organisations.name as referrer_organisation', 'decider.name as decided_by_name'])
      .where('requests.id', '=', id)
      .where('requests.status', '<>', 'draft')
      .executeTakeFirst()
  },

  /**
   * Earlier records of the people in a request, in one query: the same NHS number, or a similar
   * name (trigram) with the same date of birth or the same postcode. Drafts are never searched.
   */
  candidates(trx: Trx, requestId: string) {
    return trx
      .selectFrom('request_people as person')
      .innerJoin('requests as this', 'this.id', 'person.request_id')
      // Looked up for each person (the same NHS number; a similar name), which the NHS number and
      // trigram indexes can answer, so the filter below need not pair every person with every other.
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('request_people as same_number')
            .select('same_number.id')
            .where(sql<boolean>`person.nhs_number is not null and same_number.nhs_number = person.nhs_number`)
            .union(
              eb
                .selectFrom('request_people as similar_name')
                .select('similar_name.id')
                .where(sql<boolean>`(similar_name.given_name || ' ' || similar_name.family_name) % (person.given_name || ' ' || person.family_name)`),
            )
            .as('found'),
        (join) => join.onTrue(),
      )
      .innerJoin('request_people as earlier', (join) => join.onRef('earlier.id', '=', 'found.id').onRef('earlier.request_id', '<>', 'person.request_id'))
      .innerJoin('requests as other', 'other.id', 'earlier.request_id')
      .leftJoin('involvements as involvement', 'involvement.request_id', 'other.id')
      .leftJoin('person_matches as decision', (join) =>
        join.onRef('decision.request_person_id', '=', 'person.id').onRef('decision.matched_person_id', '=', 'earlier.id'),
      )
      .select([
        'person.id as person_id',
        'earlier.id as earlier_id',
        'earlier.given_name',
        'earlier.family_name',
        'earlier.date_of_birth',
        'earlier.nhs_number',
        'other.id as request_id',
        'other.reference',
        'other.postcode',
        'other.status',
        'other.submitted_at',
        'other.outcome',
        'other.decided_level',
        'decision.decision',
        'involvement.id as involvement_id',
        'involvement.reference as involvement_reference',
        'involvement.status as involvement_status',
        'involvement.level as involvement_level',
        sql<boolean>`person.nhs_number is not null and person.nhs_number = earlier.nhs_number`.as('same_nhs_number'),
        sql<number>`similarity(person.given_name || ' ' || person.family_name, earlier.given_name || ' ' || earlier.family_name)`.as('name_similarity'),
      ])
      .where('person.request_id', '=', requestId)
      .where('other.status', '<>', 'draft')
      .where((eb) =>
        eb.or([
          eb.and([eb('person.nhs_number', 'is not', null), eb('earlier.nhs_number', '=', eb.ref('person.nhs_number'))]),
          // The % operator finds similar names through the trigram index; then a similar name with
          // the same date of birth, or a very similar name at the same postcode.
          eb.and([
            sql<boolean>`(earlier.given_name || ' ' || earlier.family_name) % (person.given_name || ' ' || person.family_name)`,
            eb.or([
              eb('earlier.date_of_birth', '=', eb.ref('person.date_of_birth')),
              eb.and([
                eb('other.postcode', '=', eb.ref('this.postcode')),
                sql<boolean>`similarity(earlier.given_name || ' ' || earlier.family_name, person.given_name || ' ' || person.family_name) >= 0.6`,
              ]),
            ]),
          ]),
        ]),
      )
      .orderBy('other.submitted_at', 'desc')
      .limit(200)
      .execute()
  },

  /**
   * Early help the family's people have had without a request for support (a practitioner's own
   * level 2 plan, a step down from social care): a similar name and the same date of birth.
   */
  involvementCandidates(trx: Trx, requestId: string) {
    return trx
      .selectFrom('request_people as person')
      .innerJoin('involvement_people as earlier', (join) =>
        join.onRef('earlier.date_of_birth', '=', 'person.date_of_birth').on(sql<boolean>`(earlier.given_name || ' ' || earlier.family_name) % (person.given_name || ' ' || person.family_name)`),
      )
      .innerJoin('involvements as involvement', 'involvement.id', 'earlier.involvement_id')
      .select([
        'person.id as person_id',
        'earlier.given_name',
        'earlier.family_name',
        'earlier.date_of_birth',
        'involvement.id as involvement_id',
        'involvement.reference',
        'involvement.status',
        'involvement.level',
        'involvement.opened_at',
      ])
      .where('person.request_id', '=', requestId)
      .where('involvement.request_id', 'is', null)
      .orderBy('involvement.opened_at', 'desc')
      .limit(100)
      .execute()
  },
}
