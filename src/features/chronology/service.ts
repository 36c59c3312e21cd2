import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { allows, withInvolvement } from '../involvements/access.ts'
import type { EntryInput } from './forms.ts'
import { CHRONOLOGY_KINDS, recordChronology, type ChronologyKind } from './record.ts'

export interface ChronologyQuery {
  page: number
  significantOnly: boolean
}

/**
 * A family's chronology, newest first, a page at a time, each entry with its author's name (one
 * join, not a query per row); optionally significant events only. The view is audited.
 */
export async function chronologyPage(db: Database, actor: Actor, involvementId: string, query: ChronologyQuery) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, { involvement, relation }) => {
    let base = trx.selectFrom('chronology_entries').where('chronology_entries.involvement_id', '=', involvementId)
    if (query.significantOnly) base = base.where('chronology_entries.significant', '=', true)
    const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    const rows = await base
      .innerJoin('accounts', 'accounts.id', 'chronology_entries.author_account_id')
      .select([
        'chronology_entries.id',
        'chronology_entries.occurred_at',
        'chronology_entries.kind',
        'chronology_entries.summary',
        'chronology_entries.detail',
        'chronology_entries.significant',
        'accounts.name as author_name',
      ])
      .orderBy('chronology_entries.occurred_at', 'desc')
      .orderBy('chronology_entries.id', 'desc')
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute()
    await recordAudit(
      trx,
      auditBy(actor, { action: 'chronology-viewed', recordType: 'involvement', recordId: involvementId, detail: { page: query.page, significantOnly: query.significantOnly, shown: rows.length } }),
    )
    return {
      involvement,
      total: Number(total.n),
      canAdd: involvement.status !== 'closed' && allows(relation, 'contribute'),
      rows: rows.map((row) => ({ ...row, kindLabel: CHRONOLOGY_KINDS[row.kind as ChronologyKind] ?? row.kind })),
    }
  })
}

/** The family named for the "add an entry" page, after checking the person may add to it. */
export async function entryFormFor(db: Database, actor: Actor, involvementId: string, options: { audit?: boolean } = {}) {
  return withInvolvement(db, actor, involvementId, 'contribute', async (trx, { involvement }) => {
    // The form shows the family's name and reference: shown first, it is a view.
    if (options.audit) await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { page: 'chronology-new' } }))
    return { involvement }
  })
}

/** Adds a person's dated, attributed entry to the chronology. */
export async function addEntry(db: Database, actor: Actor, involvementId: string, entry: EntryInput): Promise<void> {
  await withInvolvement(db, actor, involvementId, 'contribute', async (trx) => {
    await recordChronology(trx, actor, involvementId, entry)
    await recordAudit(
      trx,
      auditBy(actor, { action: 'chronology-entry-added', recordType: 'involvement', recordId: involvementId, detail: { kind: entry.kind, significant: entry.significant } }),
    )
  })
}
