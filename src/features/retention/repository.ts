import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB, RetentionRecordType } from '../../platform/db/schema.ts'
import type { RetentionRuleSetting } from '../../frameworks/schema.ts'
import { addDays, addYears, type RetentionRecord } from './rules.ts'

/**
 * The sweep's SQL. Every statement works on a set (all the candidates of one type in one query,
 * all the records of one run in one statement), never a query per record, and names the tenant
 * even where row-level security would confine it anyway: the applying sweep runs on the owner's
 * connection.
 */

export interface Candidate extends RetentionRecord {
  id: string
  reference: string | null
  held: boolean
}

/** UK calendar date of a timestamp column, as text. */
const ukDay = (column: string) => sql<string>`((${sql.ref(column)} at time zone 'Europe/London')::date)::text`

/**
 * The instant before which a date must fall for `years` after it to have passed by `today`, with
 * a margin of two days (29 February, months of different lengths): the pure rules decide exactly.
 */
function looseCutoff(today: string, rule: RetentionRuleSetting): string {
  if (rule.rule === 'days-after-final') throw new Error(`rule ${rule.rule} counts in days, not years`)
  return addYears(addDays(today, 2), -rule.years)
}
const ukMidnight = (date: string) => sql<Date>`(${date}::date::timestamp at time zone 'Europe/London')`

const heldBy = (column: string) => sql<boolean>`exists (select 1 from legal_holds h where h.record_id = ${sql.ref(column)} and h.lifted_at is null)`

/**
 * Closed involvements not yet anonymised that could be due: the youngest child's date of birth
 * known for each, from one grouped query.
 */
export async function involvementCandidates(db: Kysely<DB>, tenantId: string, rule: RetentionRuleSetting, today: string): Promise<Candidate[]> {
  let query = db
    .selectFrom('involvements as i')
    .leftJoin('involvement_people as p', (join) => join.onRef('p.involvement_id', '=', 'i.id').on('p.kind', '=', 'child'))
    .select([
      'i.id',
      'i.reference',
      ukDay('i.opened_at').as('createdOn'),
      ukDay('i.closed_at').as('closedOn'),
      sql<(string | null)[] | null>`array_agg(p.date_of_birth::text) filter (where p.id is not null)`.as('births'),
      sql<boolean>`(${heldBy('i.id')} or (i.request_id is not null and ${heldBy('i.request_id')}))`.as('held'),
    ])
    .where('i.tenant_id', '=', tenantId)
    .where('i.status', '=', 'closed')
    .where('i.anonymised_at', 'is', null)
    .groupBy('i.id')
  if (rule.rule === 'youngest-child-25') {
    // Due once the youngest known child is 25; the fallback after closure is checked by the rules.
    const born = addYears(addDays(today, 2), -25)
    const closedBefore = ukMidnight(looseCutoff(today, rule))
    query = query.where('i.closed_at', '<', ukMidnight(addDays(today, 2))).having(
      sql<boolean>`max(p.date_of_birth) < ${born}::date
        or ((max(p.date_of_birth) is null or bool_or(p.id is not null and p.date_of_birth is null)) and i.closed_at < ${closedBefore})`,
    )
  } else {
    query = query.where('i.closed_at', '<', ukMidnight(looseCutoff(today, rule)))
  }
  const rows = await query.execute()
  return rows.map((r) => ({
    recordType: 'involvement' as const,
    id: r.id,
    reference: r.reference,
    createdOn: r.createdOn,
    closedOn: r.closedOn,
    childBirthDates: r.births ?? [],
    held: r.held,
  }))
}

/**
 * Requests decided without early help: no involvement came from them, they are not a step up from
 * one (those stay with the family's records), and no change of level refers to them.
 */
export async function requestNotProgressedCandidates(db: Kysely<DB>, tenantId: string, rule: RetentionRuleSetting, today: string): Promise<Candidate[]> {
  const cutoff = ukMidnight(looseCutoff(today, rule))
  const rows = await db
    .selectFrom('requests as r')
    .select(['r.id', 'r.reference', ukDay('r.created_at').as('createdOn'), ukDay('r.decided_at').as('decidedOn'), heldBy('r.id').as('held')])
    .where('r.tenant_id', '=', tenantId)
    .where('r.status', '=', 'decided')
    .where('r.stepped_up_from', 'is', null)
    .where(rule.rule === 'years-after-created' ? 'r.created_at' : 'r.decided_at', '<', cutoff)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('involvements as i')
            .select(sql`1`.as('one'))
            .whereRef('i.request_id', '=', 'r.id'),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('level_changes as l').select(sql`1`.as('one')).whereRef('l.request_id', '=', 'r.id'))))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('panel_items as pi').select(sql`1`.as('one')).whereRef('pi.request_id', '=', 'r.id').where('pi.involvement_id', 'is not', null))),
    )
    .execute()
  return rows.map((r) => ({ recordType: 'request-not-progressed' as const, id: r.id, reference: r.reference, createdOn: r.createdOn, decidedOn: r.decidedOn, held: r.held }))
}

export async function draftRequestCandidates(db: Kysely<DB>, tenantId: string, rule: RetentionRuleSetting, today: string): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('requests as r')
    .select(['r.id', 'r.reference', ukDay('r.created_at').as('createdOn'), heldBy('r.id').as('held')])
    .where('r.tenant_id', '=', tenantId)
    .where('r.status', '=', 'draft')
    .where('r.created_at', '<', ukMidnight(looseCutoff(today, rule)))
    .execute()
  return rows.map((r) => ({ recordType: 'draft-request' as const, id: r.id, reference: r.reference, createdOn: r.createdOn, held: r.held }))
}

export async function consultationCandidates(db: Kysely<DB>, tenantId: string, rule: RetentionRuleSetting, today: string): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('consultations as c')
    .select(['c.id', ukDay('c.recorded_at').as('createdOn')])
    .where('c.tenant_id', '=', tenantId)
    .where('c.recorded_at', '<', ukMidnight(looseCutoff(today, rule)))
    .execute()
  return rows.map((r) => ({ recordType: 'consultation' as const, id: r.id, reference: null, createdOn: r.createdOn, held: false }))
}

/**
 * What the outbox's final states are, written out (not a parameter) so the planner matches the
 * partial index notifications_retention, whose predicate says the same.
 */
export const FINAL_NOTIFICATION = sql<boolean>`n.status in ('sent', 'sent-demonstration', 'failed')`

/**
 * Whether a message is about a record under a legal hold: the record its event key names
 * (`request:<id>:…`, `involvement:<id>:…`) is held, or covered by a hold on its family or request
 * (database functions notification_subject and legal_hold_subjects, migration 2026-11-24T1940).
 * The held records are read once for the statement (an array, so an init plan), not once a row.
 */
const heldSubject = (subject: RawBuilder<unknown>) => sql<boolean>`coalesce(${subject} = any(array(select legal_hold_subjects())), false)`
export const NOTIFICATION_HELD = heldSubject(sql`notification_subject(n.event_key)`)

/**
 * Messages in a final state (sent, or given up as failed) that could be due: the date each became
 * final (when it was sent; when it was queued, for one never delivered), and the reference of the
 * request or family it was about, if any. Queued and sending messages are never read.
 */
export async function notificationCandidates(db: Kysely<DB>, tenantId: string, rule: RetentionRuleSetting, today: string): Promise<Candidate[]> {
  if (rule.rule !== 'days-after-final') return []
  // Due once `days` after the day it became final: became final before the UK midnight that starts the day after.
  const cutoff = ukMidnight(addDays(today, 1 - rule.days))
  // The messages first, through the index, each with the id its event key names; then that
  // record's reference. Materialised, so the joins compare ids (which row-level security lets the
  // planner look up by primary key) rather than an expression over the event key.
  const rows = await sql<{ id: string; reference: string | null; createdOn: string; finalOn: string; held: boolean }>`
    with final as materialized (
      select n.id, n.created_at, coalesce(n.sent_at, n.created_at) as final_at, notification_subject(n.event_key) as subject
        from notifications n
       where n.tenant_id = ${tenantId}
         and ${FINAL_NOTIFICATION}
         and coalesce(n.sent_at, n.created_at) < ${cutoff})
    select f.id, coalesce(r.reference, i.reference) as reference, ${ukDay('f.created_at')} as "createdOn", ${ukDay('f.final_at')} as "finalOn",
           ${heldSubject(sql`f.subject`)} as held
      from final f
      left join requests r on r.id = f.subject
      left join involvements i on i.id = f.subject`.execute(db)
  return rows.rows.map((r) => ({ recordType: 'notification' as const, id: r.id, reference: r.reference, createdOn: r.createdOn, finalOn: r.finalOn, held: r.held }))
}

export interface ItemRow {
  record_type: RetentionRecordType
  record_id: string
  reference: string | null
  action: 'delete' | 'anonymise'
  rule: string
  due_on: string
  held: boolean
}

const BATCH = 10_000

/** Writes a run's items, ten thousand rows to a statement (as arrays, unnested by the database). */
export async function insertItems(db: Kysely<DB>, tenantId: string, runId: string, items: readonly ItemRow[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH)
    const column = <K extends keyof ItemRow>(key: K) => batch.map((item) => item[key])
    await sql`
      insert into retention_run_items (run_id, tenant_id, record_type, record_id, reference, action, rule, due_on, held)
      select ${runId}::uuid, ${tenantId}, t.*
        from unnest(${column('record_type')}::text[], ${column('record_id')}::uuid[], ${column('reference')}::text[], ${column('action')}::text[],
                    ${column('rule')}::text[], ${column('due_on')}::date[], ${column('held')}::boolean[]) as t`.execute(db)
  }
}

export async function latestRun(db: Kysely<DB>, tenantId: string, mode: 'report' | 'apply') {
  return db
    .selectFrom('retention_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('mode', '=', mode)
    .where('finished_at', 'is not', null)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function itemPage(db: Kysely<DB>, runId: string, limit: number, offset: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('retention_run_items')
      .select(['record_type', 'record_id', 'reference', 'action', 'rule', 'due_on', 'held'])
      .where('run_id', '=', runId)
      .orderBy('due_on')
      .orderBy('record_type')
      .orderBy('record_id')
      .limit(limit)
      .offset(offset)
      .execute(),
    db.selectFrom('retention_run_items').select((eb) => eb.fn.countAll<string>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

export async function runHistory(db: Kysely<DB>, tenantId: string, limit: number) {
  return db
    .selectFrom('retention_runs as r')
    .leftJoin('accounts as a', 'a.id', 'r.requested_by')
    .select(['r.id', 'r.mode', 'r.trigger', 'r.today', 'r.started_at', 'r.finished_at', 'r.counts', 'a.name as requested_by_name'])
    .where('r.tenant_id', '=', tenantId)
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute()
}
