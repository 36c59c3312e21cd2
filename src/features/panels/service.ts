import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { activePractitioner, familyFromRequest, openInvolvement } from '../involvements/open.ts'
import { panelsRepository as panels } from './repository.ts'
import { ageInYears, checkDecision, nextPanelOn, PANEL_DECISIONS, type DecisionInput, type PanelDecision } from './rules.ts'

/** Who sits on, and records, the Children and Family Panel. */
export const PANEL_ROLES: readonly Role[] = ['duty_manager', 'team_manager']

function requirePanel(actor: Actor): void {
  if (!PANEL_ROLES.includes(actor.role)) throw new NotFoundError()
}

/** The coming panels, with families waiting and decided at each, and the next weekly panel even when nobody is on it yet. */
export async function panelList(db: Database, actor: Actor, page: number, today: string) {
  requirePanel(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const { rows, total } = await panels.dates(trx, today, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    const next = nextPanelOn(today, await panels.lastPanelOn(trx))
    const listed = rows.some((r) => r.panel_on === next)
    const all = page === 1 && !listed ? [...rows, { panel_on: next, waiting: 0, decided: 0 }].sort((a, b) => a.panel_on.localeCompare(b.panel_on)) : rows
    await recordAudit(trx, auditBy(actor, { action: 'panel-viewed', recordType: 'panel', detail: { list: true, page, shown: all.length } }))
    return { rows: all.map((r) => ({ ...r, next: r.panel_on === next })), total: total + (listed ? 0 : 1), next }
  })
}

/** One panel's agenda: each family with its children, levels, the front door's reasons and who asked. */
export async function panelAgenda(db: Database, actor: Actor, date: string, page: number, today: string) {
  requirePanel(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const { rows, total } = await panels.agenda(trx, date, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    const children = await panels.children(trx, rows.map((r) => r.request_id))
    await recordAudit(trx, auditBy(actor, { action: 'panel-viewed', recordType: 'panel', recordId: null, detail: { date, page, shown: rows.length } }))
    const items = rows.map((row) => {
      const suggestion = (row.suggestion ?? {}) as { reasons?: unknown }
      return {
        ...row,
        suggestionReasons: Array.isArray(suggestion.reasons) ? suggestion.reasons.filter((r): r is string => typeof r === 'string') : [],
        children: children
          .filter((c) => c.request_id === row.request_id)
          .map((c) => ({
            name: `${c.given_name} ${c.family_name}`,
            age: c.date_of_birth ? ageInYears(c.date_of_birth, today) : null,
            due: c.date_of_birth ? null : c.due_date,
          })),
      }
    })
    return { items, total }
  })
}

export type DecideResult = { ok: true; involvementId: string | null } | { ok: false; errors: Record<string, string> }

/**
 * Records the panel's decision for one family in one transaction. Appointing a Lead Professional
 * (an active practitioner of the authority, found by email address) opens early help at level 2
 * by the panel route, with the family's people from the request.
 */
export async function decidePanelItem(db: Database, actor: Actor, date: string, itemId: string, input: DecisionInput, now: Date): Promise<DecideResult> {
  requirePanel(actor)
  return db.asTenant(actor.tenantId, async (trx): Promise<DecideResult> => {
    const item = await panels.item(trx, date, itemId)
    if (!item) throw new NotFoundError()
    if (item.status === 'decided') return { ok: false, errors: { decision: 'The panel has already decided for this family' } }
    const errors = checkDecision(input)
    if (Object.keys(errors).length) return { ok: false, errors }
    const decision = input.decision as PanelDecision
    const reason = input.reason.trim()
    let involvementId: string | null = null
    let text: string
    if (decision === 'lead-professional') {
      const lead = await activePractitioner(trx, { email: input.leadEmail })
      if (!lead) return { ok: false, errors: { leadEmail: 'There is no active practitioner with that email address in this authority' } }
      const opened = await openInvolvement(
        trx,
        actor,
        { ...(await familyFromRequest(trx, item.request_id)), level: 2, route: 'panel', requestId: item.request_id, leadAccountId: lead.id, summary: 'Children and Family Panel appointed a Lead Professional' },
        now,
      )
      involvementId = opened.id
      text = `Lead Professional appointed: ${lead.name}${lead.organisation ? `, ${lead.organisation}` : ''}${reason ? `. ${reason}` : ''}`
    } else {
      text = `${PANEL_DECISIONS[decision]}: ${reason}`
    }
    const updated = await trx
      .updateTable('panel_items')
      .set({ status: 'decided', decision: text, involvement_id: involvementId, decided_by: actor.accountId, decided_at: now })
      .where('id', '=', itemId)
      .where('status', '=', 'waiting')
      .returning('id')
      .executeTakeFirst()
    if (!updated) throw new Error('panel item changed while locked')
    await recordAudit(trx, auditBy(actor, { action: 'panel-decided', recordType: 'panel-item', recordId: itemId, detail: { date, decision, requestId: item.request_id, involvementId } }))
    return { ok: true, involvementId }
  })
}
