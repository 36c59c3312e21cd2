import { randomUUID } from 'node:crypto'
import type { TestContext } from '../../test/context.ts'

export interface PanelFamilyPerson {
  kind: 'child' | 'adult'
  givenName: string
  familyName: string
  dateOfBirth?: string
  /** For an adult: their relationship to the first child ("Mother"). */
  relationship?: string
}

/**
 * For tests: a request for support decided at the front door as emerging needs for the Children and
 * Family Panel, with its people, and its item on the panel's agenda — inserted directly, as the
 * request journey and triage would leave them.
 */
export async function createPanelItem(
  ctx: TestContext,
  tenantId: string,
  options: { panelOn: string; people: PanelFamilyPerson[]; referrerAccountId?: string | null; decidedBy?: string | null; reason?: string },
): Promise<{ itemId: string; requestId: string; reference: string }> {
  const reference = `${tenantId.slice(0, 3).toUpperCase()}-T${randomUUID().slice(0, 8)}`
  const now = new Date()
  const request = await ctx.db.system
    .insertInto('requests')
    .values({
      tenant_id: tenantId,
      reference,
      status: 'decided',
      route: options.referrerAccountId === null ? 'self' : 'practitioner',
      referrer_account_id: options.referrerAccountId ?? null,
      answers: JSON.stringify({}),
      suggested_level: 2,
      suggestion: JSON.stringify({ level: 2, reasons: ['Two indicators at level 2: Emotional wellbeing'] }),
      submitted_at: new Date(now.getTime() - 3 * 24 * 3600_000),
      decided_at: now,
      decided_by: options.decidedBy ?? null,
      outcome: 'emerging-needs',
      decided_level: 2,
      decision_reason: options.reason ?? 'Emerging needs; several agencies involved, so to the Children and Family Panel',
      outcome_details: JSON.stringify({ route: 'panel', panelDate: options.panelOn }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const childIds: string[] = []
  for (const [position, person] of options.people.entries()) {
    const details = person.kind === 'adult' && childIds[0] ? { relationships: { [childIds[0]]: person.relationship ?? 'Family member' } } : {}
    const row = await ctx.db.system
      .insertInto('request_people')
      .values({
        tenant_id: tenantId,
        request_id: request.id,
        kind: person.kind,
        given_name: person.givenName,
        family_name: person.familyName,
        date_of_birth: person.dateOfBirth ?? null,
        details: JSON.stringify(details),
        position,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (person.kind === 'child') childIds.push(row.id)
  }
  const item = await ctx.db.system
    .insertInto('panel_items')
    .values({ tenant_id: tenantId, request_id: request.id, panel_on: options.panelOn })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { itemId: item.id, requestId: request.id, reference }
}
