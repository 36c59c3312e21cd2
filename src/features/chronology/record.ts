import type { Actor } from '../../platform/audit/audit.ts'
import type { Trx } from '../../platform/db/database.ts'

/** What kinds of entry the chronology holds: people's notes, and events the system writes itself. */
export const CHRONOLOGY_KINDS = {
  contact: 'Contact',
  visit: 'Home visit',
  meeting: 'Meeting',
  decision: 'Decision',
  note: 'Case note',
  opened: 'Early help started',
  'lead-professional': 'Lead Professional',
  team: 'Team Around the Family',
  assessment: 'Assessment',
  plan: 'Early Help Plan',
  review: 'Review',
  'level-change': 'Change of level',
  closure: 'Closure',
} as const
export type ChronologyKind = keyof typeof CHRONOLOGY_KINDS

/** Kinds a person may choose when adding an entry by hand; the rest are written by the system. */
export const NOTE_KINDS: readonly ChronologyKind[] = ['contact', 'visit', 'meeting', 'decision', 'note']

export interface ChronologyInput {
  kind: ChronologyKind
  summary: string
  detail?: string | null
  significant?: boolean
  occurredAt: Date
}

/** Writes one dated, attributed chronology entry, in the same transaction as what it records. */
export async function recordChronology(trx: Trx, actor: Actor, involvementId: string, entry: ChronologyInput): Promise<void> {
  await trx
    .insertInto('chronology_entries')
    .values({
      tenant_id: actor.tenantId,
      involvement_id: involvementId,
      occurred_at: entry.occurredAt,
      kind: entry.kind,
      summary: entry.summary,
      detail: entry.detail ?? null,
      significant: entry.significant ?? false,
      author_account_id: actor.accountId,
    })
    .execute()
}
