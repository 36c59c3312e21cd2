import { sql, type Kysely } from 'kysely'
import { frameworkById } from '../../frameworks/index.ts'
import type { RetentionSettings } from '../../frameworks/schema.ts'
import { recordAudit } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { DB, RetentionRecordType } from '../../platform/db/schema.ts'
import {
  consultationCandidates,
  draftRequestCandidates,
  insertItems,
  involvementCandidates,
  latestRun,
  NOTIFICATION_HELD,
  notificationCandidates,
  FINAL_NOTIFICATION,
  requestNotProgressedCandidates,
  type Candidate,
  type ItemRow,
} from './repository.ts'
import { addDays, due, ukDate } from './rules.ts'

/**
 * The retention sweep for one authority: a report of every record due under its rules (written
 * each day, and whenever an administrator asks), then applying what is due: a record is deleted or
 * anonymised only when a report at least the grace period before had listed it, it is still due,
 * and it is not under a legal hold.
 */

/** What replaces free text the database requires to be present, once a family is anonymised. */
export const REMOVED_TEXT = 'Removed under the retention schedule'
export const ANONYMISED_NAME = 'Anonymised'

const CANDIDATES: Record<RetentionRecordType, typeof involvementCandidates> = {
  involvement: involvementCandidates,
  'request-not-progressed': requestNotProgressedCandidates,
  consultation: consultationCandidates,
  'draft-request': draftRequestCandidates,
  notification: notificationCandidates,
}

export type RetentionCounts = Partial<Record<RetentionRecordType, number>> & { total: number; held: number }

export function retentionSettings(tenantId: string): RetentionSettings {
  const framework = frameworkById(tenantId)
  if (!framework) throw new Error(`No framework for authority ${tenantId}`)
  return framework.retention
}

function countItems(items: readonly Pick<ItemRow, 'record_type' | 'held'>[]): RetentionCounts {
  const counts: RetentionCounts = { total: items.length, held: 0 }
  for (const item of items) {
    counts[item.record_type] = (counts[item.record_type] ?? 0) + 1
    if (item.held) counts.held += 1
  }
  return counts
}

/** Every record of the authority due on `today`, held ones marked: read set by set, decided by the pure rules. */
export async function dueItems(db: Kysely<DB>, tenantId: string, settings: RetentionSettings, today: string): Promise<ItemRow[]> {
  const items: ItemRow[] = []
  for (const rule of settings.rules) {
    const candidates: Candidate[] = await CANDIDATES[rule.recordType](db, tenantId, rule, today)
    for (const candidate of candidates) {
      const verdict = due(candidate, settings.rules, today)
      if (!verdict.due || !verdict.dueOn || !verdict.action) continue
      items.push({
        record_type: candidate.recordType,
        record_id: candidate.id,
        reference: candidate.reference,
        action: verdict.action,
        rule: rule.rule,
        due_on: verdict.dueOn,
        held: candidate.held,
      })
    }
  }
  return items
}

export interface ReportResult {
  runId: string
  counts: RetentionCounts
}

/**
 * Writes a report run and its items. Works in whatever transaction it is given: the
 * administrator's (as the application role, under row-level security) or the job's.
 */
export async function writeReport(
  db: Kysely<DB>,
  tenantId: string,
  settings: RetentionSettings,
  now: Date,
  trigger: 'schedule' | 'manual',
  requestedBy: string | null,
): Promise<ReportResult> {
  const today = ukDate(now)
  const run = await db
    .insertInto('retention_runs')
    .values({ tenant_id: tenantId, mode: 'report', trigger, requested_by: requestedBy, today, started_at: now, counts: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const items = await dueItems(db, tenantId, settings, today)
  await insertItems(db, tenantId, run.id, items)
  const counts = countItems(items)
  await db.updateTable('retention_runs').set({ finished_at: now, counts: JSON.stringify(counts) }).where('id', '=', run.id).execute()
  return { runId: run.id, counts }
}

export interface ApplyResult {
  runId: string | null
  counts: RetentionCounts
}

const idsOf = (runId: string, types: readonly RetentionRecordType[]) =>
  sql`(select record_id from retention_run_items where run_id = ${runId} and record_type in (${sql.join(types)}))`

/**
 * Applies the latest report, if it was made today: the items due and not held that a report at
 * least the grace period before had also listed. One transaction on the owner's connection, with
 * `app.retention_sweep` set so the database lets agreed plan versions and reviewed break-glass
 * grants be anonymised; every statement works on the whole set at once; one audit event per record.
 */
export async function applyDue(db: Database, tenantId: string, settings: RetentionSettings, now: Date): Promise<ApplyResult> {
  const today = ukDate(now)
  const listedBy = addDays(today, -settings.graceDays.value)
  return db.system.transaction().execute(async (trx) => {
    await sql`select set_config('app.retention_sweep', 'on', true)`.execute(trx)
    const report = await latestRun(trx, tenantId, 'report')
    if (!report || report.today !== today) return { runId: null, counts: { total: 0, held: 0 } }
    const run = await trx
      .insertInto('retention_runs')
      .values({ tenant_id: tenantId, mode: 'apply', trigger: 'schedule', requested_by: null, today, started_at: now, counts: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow()

    // What goes: listed today and not held; listed, not held, by a report the grace period ago or
    // earlier (so lifting a hold starts the grace period again); still there, still in the state
    // the rule is about, and under no hold now (on the record, or for a family its request).
    await sql`
      insert into retention_run_items (run_id, tenant_id, record_type, record_id, reference, action, rule, due_on, held)
      select ${run.id}, i.tenant_id, i.record_type, i.record_id, i.reference, i.action, i.rule, i.due_on, false
        from retention_run_items i
       where i.run_id = ${report.id}
         and not i.held
         and not legal_hold_active(i.record_id)
         and case i.record_type
               when 'involvement' then exists (
                 select 1 from involvements inv
                  where inv.id = i.record_id and inv.status = 'closed' and inv.anonymised_at is null
                    and (inv.request_id is null or not legal_hold_active(inv.request_id)))
               when 'request-not-progressed' then exists (
                 select 1 from requests r where r.id = i.record_id and r.status = 'decided'
                    and not exists (select 1 from involvements inv where inv.request_id = r.id))
               when 'draft-request' then exists (select 1 from requests r where r.id = i.record_id and r.status = 'draft')
               when 'consultation' then exists (select 1 from consultations c where c.id = i.record_id)
               when 'notification' then exists (
                 select 1 from notifications n where n.id = i.record_id and ${FINAL_NOTIFICATION} and not ${NOTIFICATION_HELD})
               else false
             end
         and exists (
           select 1 from retention_run_items e join retention_runs er on er.id = e.run_id
            where e.record_id = i.record_id and e.record_type = i.record_type and not e.held
              and er.tenant_id = ${tenantId} and er.mode = 'report' and er.finished_at is not null
              and er.today <= ${listedBy}::date)`.execute(trx)

    const requests = idsOf(run.id, ['request-not-progressed', 'draft-request'])
    const families = idsOf(run.id, ['involvement'])
    const consultations = idsOf(run.id, ['consultation'])
    const notifications = idsOf(run.id, ['notification'])
    const t = tenantId

    // Requests not progressed and drafts: deleted with what hangs from them (people and their matches cascade).
    await sql`update involvement_people set request_person_id = null
               where tenant_id = ${t} and request_person_id in (select id from request_people where request_id in ${requests})`.execute(trx)
    await sql`delete from signposts where tenant_id = ${t} and request_id in ${requests}`.execute(trx)
    await sql`delete from keep_in_touch_calls where tenant_id = ${t} and request_id in ${requests}`.execute(trx)
    await sql`delete from panel_items where tenant_id = ${t} and request_id in ${requests}`.execute(trx)
    await sql`delete from requests where tenant_id = ${t} and id in ${requests}`.execute(trx)

    await sql`delete from consultations where tenant_id = ${t} and id in ${consultations}`.execute(trx)

    // Messages the service sent: deleted, address and personalisation with them. The database
    // refuses the whole statement if any is about a record under a legal hold.
    await sql`delete from notifications where tenant_id = ${t} and id in ${notifications}`.execute(trx)

    // Families: anonymised. What is kept: references, levels, dates, statuses, codes (closure
    // reason, outcomes achieved, scores, ethnicity, roles). What goes: names, dates of birth, free text.
    const familyRequests = sql`(select request_id from involvements where tenant_id = ${t} and id in ${families} and request_id is not null
                                union select id from requests where tenant_id = ${t} and stepped_up_from in ${families})`
    await sql`
      update involvements set
        family_name = ${ANONYMISED_NAME},
        closure = case when closure is null then null else jsonb_strip_nulls(jsonb_build_object(
          'reason', closure -> 'reason', 'outcomesAchieved', closure -> 'outcomesAchieved', 'finalScores', closure -> 'finalScores',
          'requestedAt', closure -> 'requestedAt', 'signedOffAt', closure -> 'signedOffAt')) end,
        anonymised_at = ${now}
      where tenant_id = ${t} and id in ${families}`.execute(trx)
    await sql`delete from protected_details where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update involvement_people set given_name = ${ANONYMISED_NAME}, family_name = '', date_of_birth = null, relationship = null, details = '{}'
               where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update lead_professionals set reason = '' where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update team_members set name = case when kind = 'family' then ${ANONYMISED_NAME} else name end, contact = null, left_reason = null
               where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update assessments set content = '{}' where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update meetings set venue = null, invitees = '[]', attendance = null where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update plan_versions set content = '{}', assessor_name = null, family_signatory_name = null where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update plan_actions set what = '', who = '' where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update chronology_entries set summary = '', detail = null where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update level_changes set reason = '' where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update panel_items set decision = null where tenant_id = ${t} and (involvement_id in ${families} or request_id in ${familyRequests})`.execute(trx)
    await sql`update signposts set note = null where tenant_id = ${t} and (involvement_id in ${families} or request_id in ${familyRequests})`.execute(trx)
    await sql`update keep_in_touch_calls set note = null where tenant_id = ${t} and request_id in ${familyRequests}`.execute(trx)
    await sql`update consents set withdrawal_note = null where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update consent_overrides set reason = ${REMOVED_TEXT} where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update disclosures set what = ${REMOVED_TEXT}, recipient = ${REMOVED_TEXT}, reason = ${REMOVED_TEXT} where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update break_glass_grants set reason = ${REMOVED_TEXT}, finding_note = null where tenant_id = ${t} and involvement_id in ${families}`.execute(trx)
    await sql`update request_people set given_name = ${ANONYMISED_NAME}, family_name = '', date_of_birth = null, due_date = null, details = '{}', nhs_number = null
               where tenant_id = ${t} and request_id in ${familyRequests}`.execute(trx)
    await sql`update requests set answers = '{}', referrer_phone = null, postcode = null, decision_reason = null, outcome_details = null
               where tenant_id = ${t} and id in ${familyRequests}`.execute(trx)

    // One audit event for each record, with no personal data: its type, id, reference, rule and run.
    await sql`
      insert into audit_events (tenant_id, action, record_type, record_id, outcome, detail)
      select tenant_id,
             case action when 'delete' then 'retention-deleted' else 'retention-anonymised' end,
             case record_type when 'involvement' then 'involvement' when 'consultation' then 'consultation' when 'notification' then 'notification' else 'request' end,
             record_id::text, 'success',
             jsonb_strip_nulls(jsonb_build_object('retentionType', record_type, 'reference', reference, 'rule', rule, 'dueOn', due_on::text, 'run', run_id::text))
        from retention_run_items where run_id = ${run.id}
       order by due_on, record_type, record_id`.execute(trx)

    const applied = await trx.selectFrom('retention_run_items').select(['record_type', 'held']).where('run_id', '=', run.id).execute()
    const counts = countItems(applied)
    await trx.updateTable('retention_runs').set({ finished_at: now, counts: JSON.stringify(counts) }).where('id', '=', run.id).execute()
    return { runId: run.id, counts }
  })
}

/**
 * The daily job: for each authority with a framework, a report (as the application role, under
 * row-level security), then applying what has waited out the grace period.
 */
export async function runRetentionSweep(db: Database, now: Date): Promise<{ tenantId: string; report: ReportResult; applied: ApplyResult }[]> {
  const tenants = await db.system.selectFrom('tenants').select('id').orderBy('id').execute()
  const results = []
  for (const { id: tenantId } of tenants) {
    if (!frameworkById(tenantId)) continue
    const settings = retentionSettings(tenantId)
    const report = await db.asTenant(tenantId, async (trx) => {
      const result = await writeReport(trx, tenantId, settings, now, 'schedule', null)
      await recordAudit(trx, { action: 'retention-report-run', tenantId, recordType: 'retention-run', recordId: result.runId, detail: { trigger: 'schedule', ...result.counts } })
      return result
    })
    const applied = await applyDue(db, tenantId, settings, now)
    results.push({ tenantId, report, applied })
  }
  return results
}
