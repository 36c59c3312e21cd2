import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { LegalHoldRecordType, RetentionRecordType, Role } from '../../platform/db/schema.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import type { LiftHoldForm, PlaceHoldForm } from './forms.ts'
import { itemPage, latestRun, runHistory } from './repository.ts'
import { addDays, RECORD_TYPE_NAMES, ruleInWords } from './rules.ts'
import { retentionSettings, writeReport, type RetentionCounts } from './sweep.ts'

/** Who sees the retention report and places legal holds: the authority's administrators. */
export const RETENTION_ROLES: readonly Role[] = ['administrator']

export const HISTORY_SIZE = 20

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

const goesOn = (afterGrace: string, today: string | undefined) => (today && today > afterGrace ? today : afterGrace)

function requireAdministrator(actor: Actor): void {
  if (!RETENTION_ROLES.includes(actor.role)) throw new NotFoundError()
}

/** The authority's rules in words, in the order of its framework file. */
export function rulesInWords(tenantId: string) {
  const settings = retentionSettings(tenantId)
  return {
    graceDays: settings.graceDays.value,
    rules: settings.rules.map((rule) => ({
      recordType: rule.recordType as RetentionRecordType,
      name: RECORD_TYPE_NAMES[rule.recordType],
      words: ruleInWords(rule),
      source: rule.source,
      note: rule.note,
    })),
  }
}

/**
 * The retention page: the rules, the latest report a page at a time (each item with the date it
 * could first be removed), and the history of runs.
 */
export async function retentionPage(db: Database, actor: Actor, page: number) {
  requireAdministrator(actor)
  const settings = retentionSettings(actor.tenantId)
  return db.asTenant(actor.tenantId, async (trx) => {
    const report = await latestRun(trx, actor.tenantId, 'report')
    const items = report ? await itemPage(trx, report.id, PAGE_SIZE, (page - 1) * PAGE_SIZE) : { rows: [], total: 0 }
    // An item goes at the first daily sweep a grace period after a report first listed it.
    const firstListed = new Map<string, string>()
    if (items.rows.length) {
      const rows = await trx
        .selectFrom('retention_run_items as i')
        .innerJoin('retention_runs as r', 'r.id', 'i.run_id')
        .select(['i.record_id', (eb) => eb.fn.min('r.today').as('first')])
        .where('r.tenant_id', '=', actor.tenantId)
        .where('r.mode', '=', 'report')
        .where(
          'i.record_id',
          'in',
          items.rows.map((r) => r.record_id),
        )
        .groupBy('i.record_id')
        .execute()
      for (const row of rows) firstListed.set(row.record_id, String(row.first))
    }
    const history = await runHistory(trx, actor.tenantId, HISTORY_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'retention-report-viewed', recordType: 'retention-run', recordId: report?.id ?? null, detail: { page, shown: items.rows.length } }))
    return {
      report: report ? { ...report, counts: report.counts as unknown as RetentionCounts } : null,
      total: items.total,
      items: items.rows.map((row) => ({
        ...row,
        goesOn: row.held ? null : goesOn(addDays(firstListed.get(row.record_id) ?? report?.today ?? row.due_on, settings.graceDays.value), report?.today),
      })),
      history: history.map((run) => ({ ...run, counts: run.counts as unknown as RetentionCounts })),
    }
  })
}

/** "Run the report now": a report of what is due today, written and audited in one transaction. */
export async function runReportNow(db: Database, actor: Actor, now: Date) {
  requireAdministrator(actor)
  const settings = retentionSettings(actor.tenantId)
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await writeReport(trx, actor.tenantId, settings, now, 'manual', actor.accountId)
    await recordAudit(trx, auditBy(actor, { action: 'retention-report-run', recordType: 'retention-run', recordId: result.runId, detail: { trigger: 'manual', ...result.counts } }))
    return result
  })
}

/** Every legal hold of the authority, active ones first, a page at a time. */
export async function legalHoldsPage(db: Database, actor: Actor, page: number) {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const base = trx.selectFrom('legal_holds').where('legal_holds.tenant_id', '=', actor.tenantId)
    const [rows, total] = await Promise.all([
      base
        .leftJoin('accounts as placer', 'placer.id', 'legal_holds.placed_by')
        .leftJoin('accounts as lifter', 'lifter.id', 'legal_holds.lifted_by')
        .select([
          'legal_holds.id',
          'legal_holds.record_type',
          'legal_holds.reference',
          'legal_holds.reason',
          'legal_holds.placed_at',
          'legal_holds.lifted_at',
          'legal_holds.lift_reason',
          'placer.name as placed_by_name',
          'lifter.name as lifted_by_name',
        ])
        .orderBy((eb) => eb('legal_holds.lifted_at', 'is', null), 'desc')
        .orderBy('legal_holds.placed_at', 'desc')
        .orderBy('legal_holds.id', 'desc')
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ])
    await recordAudit(trx, auditBy(actor, { action: 'legal-holds-viewed', recordType: 'legal-hold', detail: { page, shown: rows.length } }))
    return { rows, total: Number(total.n) }
  })
}

/** One hold, to read or lift. */
export async function legalHold(db: Database, actor: Actor, id: string) {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const hold = await trx
      .selectFrom('legal_holds')
      .leftJoin('accounts as placer', 'placer.id', 'legal_holds.placed_by')
      .leftJoin('accounts as lifter', 'lifter.id', 'legal_holds.lifted_by')
      .selectAll('legal_holds')
      .select(['placer.name as placed_by_name', 'lifter.name as lifted_by_name'])
      .where('legal_holds.id', '=', id)
      .where('legal_holds.tenant_id', '=', actor.tenantId)
      .executeTakeFirst()
    if (!hold) throw new NotFoundError()
    await recordAudit(trx, auditBy(actor, { action: 'legal-holds-viewed', recordType: 'legal-hold', recordId: id, detail: { reference: hold.reference } }))
    return hold
  })
}

/**
 * Places a hold on the record with this reference: a family's early help, or else a request for
 * support. A record already under a hold is not held twice.
 */
export async function placeHold(db: Database, actor: Actor, form: PlaceHoldForm): Promise<Result<{ id: string }>> {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const involvement = await trx.selectFrom('involvements').select('id').where('tenant_id', '=', actor.tenantId).where('reference', '=', form.reference).executeTakeFirst()
    const request = involvement
      ? undefined
      : await trx.selectFrom('requests').select('id').where('tenant_id', '=', actor.tenantId).where('reference', '=', form.reference).executeTakeFirst()
    const target: { type: LegalHoldRecordType; id: string } | undefined = involvement
      ? { type: 'involvement', id: involvement.id }
      : request
        ? { type: 'request', id: request.id }
        : undefined
    if (!target) return { ok: false, errors: { reference: `There is no family’s early help or request for support with the reference ${form.reference} in your authority. Check the reference.` } }
    const existing = await trx.selectFrom('legal_holds').select('id').where('record_id', '=', target.id).where('lifted_at', 'is', null).executeTakeFirst()
    if (existing) return { ok: false, errors: { reference: `${form.reference} is already under a legal hold` } }
    const hold = await trx
      .insertInto('legal_holds')
      .values({ tenant_id: actor.tenantId, record_type: target.type, record_id: target.id, reference: form.reference, reason: form.reason, placed_by: actor.accountId })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(
      trx,
      auditBy(actor, { action: 'legal-hold-placed', recordType: target.type, recordId: target.id, detail: { hold: hold.id, reference: form.reference } }),
    )
    return { ok: true, value: { id: hold.id } }
  })
}

/** Lifts a hold, once. Returns false when it had already been lifted. */
export async function liftHold(db: Database, actor: Actor, id: string, form: LiftHoldForm, now: Date): Promise<boolean> {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const hold = await trx.selectFrom('legal_holds').select(['id', 'record_type', 'record_id', 'reference', 'lifted_at']).where('id', '=', id).where('tenant_id', '=', actor.tenantId).executeTakeFirst()
    if (!hold) throw new NotFoundError()
    if (hold.lifted_at) return false
    await trx.updateTable('legal_holds').set({ lifted_at: now, lifted_by: actor.accountId, lift_reason: form.liftReason }).where('id', '=', id).execute()
    await recordAudit(trx, auditBy(actor, { action: 'legal-hold-lifted', recordType: hold.record_type, recordId: hold.record_id, detail: { hold: id, reference: hold.reference } }))
    return true
  })
}
