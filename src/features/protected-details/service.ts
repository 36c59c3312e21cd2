import { sql } from 'kysely'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import { allows, withInvolvement } from '../involvements/access.ts'
import type { LiftForm, ProtectionForm } from './forms.ts'
import { KIND_TEXT, hiddenFrom, redactDeep, type Audience, type Protection } from './redact.ts'
import { protectedRepository as repo, protectionOf, type ProtectionRow } from './repository.ts'

/**
 * Protected details: a person's address, contact details or whereabouts kept from named family
 * members and agencies. Recorded and lifted by the Lead Professional or a manager (`manage`);
 * read by everyone who may see the family, except that someone whose organisation the detail is
 * kept from reads "Withheld" instead of the value.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

/** One protection as a page shows it to this viewer. */
export interface ShownProtection {
  id: string
  personId: string
  kind: ProtectionRow['kind']
  kindText: string
  /** Null when withheld from the viewer's organisation. */
  value: string | null
  withheld: boolean
  hiddenFromPeople: string[]
  hiddenFromOrganisations: string[]
  reason: string
  recordedAt: Date
  recordedByName: string
  endedAt: Date | null
  endedReason: string | null
  endedByName: string | null
}

function shown(row: ProtectionRow, viewerOrganisationId: string | undefined): ShownProtection {
  const withheld = hiddenFrom(protectionOf(row), { organisationId: viewerOrganisationId })
  return {
    id: row.id,
    personId: row.person_id,
    kind: row.kind,
    kindText: KIND_TEXT[row.kind],
    value: withheld ? null : row.value,
    withheld,
    hiddenFromPeople: row.hidden_from_people,
    hiddenFromOrganisations: row.hidden_from_organisations,
    reason: withheld ? '' : row.reason,
    recordedAt: row.recorded_at,
    recordedByName: row.recorded_by_name,
    endedAt: row.ended_at,
    endedReason: row.ended_reason,
    endedByName: row.ended_by_name ?? null,
  }
}

/**
 * What a page of the family needs to respect its protections for this viewer: the current
 * protections, and the viewer's organisation (always an audience: someone in an agency a detail is
 * kept from never reads it, whoever the copy is for). Two queries, inside the caller's transaction.
 */
export async function protectionsForViewer(trx: Trx, actor: Actor, involvementId: string) {
  const [rows, organisationId] = await Promise.all([repo.forInvolvements(trx, [involvementId]), repo.organisationOf(trx, actor.accountId)])
  const current = rows.filter((r) => !r.ended_at)
  return {
    rows: current,
    protections: current.map(protectionOf),
    viewerOrganisationId: organisationId,
    /** Each current protection as this viewer may see it, by person. */
    byPerson: (personId: string) => current.filter((r) => r.person_id === personId).map((r) => shown(r, organisationId)),
  }
}

/** A JSON-like value (a plan's content) redacted for the viewer and the copy's recipient. */
export function redactForCopy<T>(value: T, protections: readonly Protection[], viewerOrganisationId: string | undefined, recipient: Audience): T {
  return redactDeep(value, protections, [{ organisationId: viewerOrganisationId }, recipient])
}

/** The list page: every protection of the family, current and lifted. */
export async function listProtections(db: Database, actor: Actor, involvementId: string) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const [rows, organisationId, people, organisations] = await Promise.all([
      repo.forInvolvements(trx, [involvementId]),
      repo.organisationOf(trx, actor.accountId),
      repo.people(trx, involvementId),
      repo.organisations(trx, actor.tenantId),
    ])
    await recordAudit(trx, auditBy(actor, { action: 'protected-details-viewed', recordType: 'involvement', recordId: involvementId, detail: { shown: rows.length } }))
    const list = rows.map((r) => shown(r, organisationId))
    return {
      involvement: loaded.involvement,
      canManage: allows(loaded.relation, 'manage') && loaded.involvement.status !== 'closed',
      people,
      organisations,
      current: list.filter((p) => !p.endedAt),
      lifted: list.filter((p) => p.endedAt),
    }
  })
}

/** The form to record a protection: the family's people and the authority's organisations. */
/** The form to protect a detail: the family's people and agencies. One view event when first shown (`audit`), none when shown again with errors. */
export async function protectionFormContext(db: Database, actor: Actor, involvementId: string, audit = true) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const [people, organisations] = await Promise.all([repo.people(trx, involvementId), repo.organisations(trx, actor.tenantId)])
    if (audit) await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { form: 'protected-detail' } }))
    return { involvement, people, organisations }
  })
}

/** Records a protection and its audit event, after checking every id belongs to this family and authority. */
export async function recordProtection(db: Database, actor: Actor, involvementId: string, form: ProtectionForm): Promise<Result<{ id: string }>> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx) => {
    const [people, organisations] = await Promise.all([repo.people(trx, involvementId), repo.organisations(trx, actor.tenantId)])
    const personIds = new Set(people.map((p) => p.id))
    const organisationIds = new Set(organisations.map((o) => o.id))
    const errors: Record<string, string> = {}
    if (!personIds.has(form.personId)) errors.personId = 'Select whose details are protected'
    if (form.hiddenFromPeople.some((id) => !personIds.has(id))) errors.hiddenFromPeople = 'Select family members from the list'
    else if (form.hiddenFromPeople.includes(form.personId)) errors.hiddenFromPeople = 'A person’s details cannot be kept from themselves'
    if (form.hiddenFromOrganisations.some((id) => !organisationIds.has(id))) errors.hiddenFromOrganisations = 'Select agencies from the list'
    if (Object.keys(errors).length) return { ok: false, errors }
    const row = await trx
      .insertInto('protected_details')
      .values({
        tenant_id: actor.tenantId,
        involvement_id: involvementId,
        person_id: form.personId,
        kind: form.kind,
        value: form.value,
        hidden_from_people: sql<string[]>`${[...new Set(form.hiddenFromPeople)]}::uuid[]`,
        hidden_from_organisations: sql<string[]>`${[...new Set(form.hiddenFromOrganisations)]}::uuid[]`,
        reason: form.reason,
        recorded_by: actor.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The value never goes in the audit log: only which record, whose, and who it is kept from.
    await recordAudit(
      trx,
      auditBy(actor, {
        action: 'protected-detail-recorded',
        recordType: 'involvement',
        recordId: involvementId,
        detail: { protection: row.id, person: form.personId, kind: form.kind, hiddenFromPeople: form.hiddenFromPeople.length, hiddenFromOrganisations: form.hiddenFromOrganisations.length },
      }),
    )
    return { ok: true, value: { id: row.id } }
  })
}

/** One current protection, for the lifting page. */
/** A protection to lift, with its value shown: one view event when first shown (`audit`), none when shown again with errors. */
export async function protectionToLift(db: Database, actor: Actor, involvementId: string, id: string, audit = true) {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx, { involvement }) => {
    const [row, people] = await Promise.all([repo.one(trx, involvementId, id), repo.people(trx, involvementId)])
    if (!row) throw new NotFoundError()
    if (audit) await recordAudit(trx, auditBy(actor, { action: 'involvement-viewed', recordType: 'involvement', recordId: involvementId, detail: { form: 'lift-protection', protection: id } }))
    return { involvement, protection: shown(row, undefined), person: people.find((p) => p.id === row.person_id) }
  })
}

/** Lifts a protection, once; returns false when it had already been lifted. */
export async function liftProtection(db: Database, actor: Actor, involvementId: string, id: string, form: LiftForm, now: Date): Promise<boolean> {
  return withInvolvement(db, actor, involvementId, 'manage', async (trx) => {
    const row = await repo.one(trx, involvementId, id)
    if (!row) throw new NotFoundError()
    if (row.ended_at) return false
    const updated = await trx
      .updateTable('protected_details')
      .set({ ended_at: now, ended_by: actor.accountId, ended_reason: form.reason })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return false
    await recordAudit(trx, auditBy(actor, { action: 'protected-detail-lifted', recordType: 'involvement', recordId: involvementId, detail: { protection: id, person: row.person_id, kind: row.kind } }))
    return true
  })
}

/** Who a copy of a family's record is for, as the `for` query says: `team`, `person:<id>` or `organisation:<id>`. */
export type CopyFor = { kind: 'team' } | { kind: 'person'; id: string } | { kind: 'organisation'; id: string }

export function parseCopyFor(value: unknown): CopyFor | undefined {
  if (value === 'team') return { kind: 'team' }
  if (typeof value !== 'string') return undefined
  const match = /^(person|organisation):([0-9a-f-]{36})$/i.exec(value)
  if (!match) return undefined
  return { kind: match[1] === 'person' ? 'person' : 'organisation', id: match[2]!.toLowerCase() }
}

/**
 * Before a copy of the plan (a PDF, or the family's page) is made: when the family has current
 * protections, who the copy is for must be chosen, so the copy can be redacted for them. Returns
 * what to ask with, or how to redact. With nothing protected, nothing is asked. Read only: the
 * copy's own view or download writes the audit event.
 */
export async function copyRedaction(db: Database, actor: Actor, involvementId: string, forValue: unknown) {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, { involvement }) => {
    const viewer = await protectionsForViewer(trx, actor, involvementId)
    const chosen = parseCopyFor(forValue)
    if (!viewer.protections.length) return { ask: false as const, protections: [], viewerOrganisationId: viewer.viewerOrganisationId, recipient: {} as Audience, label: 'the team’s own use' }
    const [people, organisations] = await Promise.all([repo.people(trx, involvementId), repo.organisations(trx, actor.tenantId)])
    const person = chosen?.kind === 'person' ? people.find((p) => p.id === chosen.id) : undefined
    const organisation = chosen?.kind === 'organisation' ? organisations.find((o) => o.id === chosen.id) : undefined
    if (!chosen || (chosen.kind === 'person' && !person) || (chosen.kind === 'organisation' && !organisation)) {
      return { ask: true as const, involvement, people, organisations, invalid: forValue !== undefined }
    }
    const recipient: Audience = person ? { personId: person.id } : organisation ? { organisationId: organisation.id } : {}
    const label = person ? `${person.given_name} ${person.family_name}` : organisation ? organisation.name : 'the team’s own use'
    return { ask: false as const, protections: viewer.protections, viewerOrganisationId: viewer.viewerOrganisationId, recipient, label }
  })
}
