import { addMonths } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { recordChronology } from '../chronology/record.ts'
import { allows, withInvolvement } from '../involvements/access.ts'
import type { AddForm, RecordForm } from './forms.ts'
import { activeService, childrenOfRequest, dueCalls, searchServices, signpostsOf, type SignpostOwner } from './repository.ts'
import { sql } from 'kysely'

/** The front door signposts at outcome 1 and keeps in touch with the family afterwards. */
export const SIGNPOSTING_ROLES: readonly Role[] = ['front_door_officer', 'duty_manager']
export const SEARCH_PAGE_SIZE = 10

export type Result = { ok: true } | { ok: false; errors: Record<string, string> }

function requireFrontDoor(actor: Actor): void {
  if (!SIGNPOSTING_ROLES.includes(actor.role)) throw new NotFoundError()
}

/** The services a request's family was signposted to, with their contact details: for the triage and referrer's pages. */
export function signpostsForRequest(trx: Trx, requestId: string) {
  return signpostsOf(trx, { requestId })
}

/** The services a family was signposted to from their plan, with their contact details: for the family's page. */
export function signpostsForInvolvement(trx: Trx, involvementId: string) {
  return signpostsOf(trx, { involvementId })
}

/**
 * A request the front door may signpost from: sent and not yet decided (the duty manager may
 * signpost before recording the decision), or decided as outcome 1. Any other is not found.
 */
async function signpostableRequest(trx: Trx, id: string) {
  const request = await trx
    .selectFrom('requests as r')
    .select(['r.id', 'r.reference', 'r.status', 'r.outcome', 'r.route', 'r.decided_at', childrenOfRequest(sql.ref('r.id')).as('children')])
    .where('r.id', '=', id)
    .executeTakeFirst()
  if (!request) throw new NotFoundError()
  const decidedUniversal = request.status === 'decided' && request.outcome === 'universal-signposting'
  if (request.status !== 'submitted' && !decidedUniversal) throw new NotFoundError()
  return { ...request, decidedUniversal }
}

/** A page of the directory for a keyword, with the services the family already has marked. */
/**
 * A page of the directory search. `chosen`, the service a refused note was typed for, is always on
 * the page (first, when the search would not list it), so the note comes back beside its service.
 */
async function search(trx: Trx, query: SearchQuery, already: Set<string>) {
  const found = query.q ? await searchServices(trx, query.q, SEARCH_PAGE_SIZE, (query.page - 1) * SEARCH_PAGE_SIZE) : { total: 0, rows: [] }
  if (query.chosen && !found.rows.some((r) => r.id === query.chosen)) {
    const chosen = await activeService(trx, query.chosen)
    if (chosen) found.rows.unshift(chosen)
  }
  if (!query.q && !found.rows.length) return null
  return { total: Math.max(found.total, found.rows.length), rows: found.rows.map((r) => ({ ...r, signposted: already.has(r.id) })) }
}

/** What a signposting page searches for; `chosen` as in `search`. */
export interface SearchQuery {
  q: string
  page: number
  chosen?: string | undefined
}

/** The request's signposting page: its signposts, a directory search, and its keep-in-touch calls. */
export async function requestSignposting(db: Database, actor: Actor, id: string, query: SearchQuery) {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const request = await signpostableRequest(trx, id)
    const signposts = await signpostsForRequest(trx, id)
    const results = await search(trx, query, new Set(signposts.map((s) => s.serviceId)))
    const calls = await trx
      .selectFrom('keep_in_touch_calls as k')
      .leftJoin('accounts as a', 'a.id', 'k.recorded_by')
      .select(['k.id', 'k.due_on', 'k.status', 'k.need_met', 'k.note', 'k.recorded_at', 'a.name as recorded_by_name'])
      .where('k.request_id', '=', id)
      .orderBy('k.due_on')
      .execute()
    await recordAudit(trx, auditBy(actor, { action: 'signposting-viewed', recordType: 'request', recordId: id, detail: { searched: !!query.q, page: query.page } }))
    return { request, signposts, results, calls }
  })
}

/** Signposts the family to one active service of the authority's directory; signposting to the same service twice records it once. */
async function addSignpost(trx: Trx, actor: Actor, owner: SignpostOwner, form: AddForm): Promise<{ id: string; name: string } | undefined> {
  const service = await trx.selectFrom('directory_services').select(['id', 'name']).where('id', '=', form.serviceId).where('status', '=', 'active').executeTakeFirst()
  if (!service) throw new NotFoundError()
  const ownerColumn = 'requestId' in owner ? ('request_id' as const) : ('involvement_id' as const)
  const ownerId = 'requestId' in owner ? owner.requestId : owner.involvementId
  const existing = await trx.selectFrom('signposts').select('id').where(ownerColumn, '=', ownerId).where('service_id', '=', service.id).executeTakeFirst()
  if (existing) return undefined
  const row = await trx
    .insertInto('signposts')
    .values({ tenant_id: actor.tenantId, [ownerColumn]: ownerId, service_id: service.id, note: form.note ?? null, signposted_by: actor.accountId })
    .returning('id')
    .executeTakeFirstOrThrow()
  await recordAudit(
    trx,
    auditBy(actor, { action: 'signposted', recordType: ownerColumn === 'request_id' ? 'request' : 'involvement', recordId: ownerId, detail: { signpost: row.id, service: service.id } }),
  )
  return { id: row.id, name: service.name }
}

/**
 * Takes a service off the family's list, for one signposted by mistake. The row is deleted; the
 * audit event keeps who removed which service, and when.
 */
async function removeSignpost(trx: Trx, actor: Actor, owner: SignpostOwner, signpostId: string): Promise<{ serviceId: string }> {
  const ownerColumn = 'requestId' in owner ? ('request_id' as const) : ('involvement_id' as const)
  const ownerId = 'requestId' in owner ? owner.requestId : owner.involvementId
  const removed = await trx.deleteFrom('signposts').where('id', '=', signpostId).where(ownerColumn, '=', ownerId).returning('service_id').executeTakeFirst()
  if (!removed) throw new NotFoundError()
  await recordAudit(
    trx,
    auditBy(actor, { action: 'signpost-removed', recordType: ownerColumn === 'request_id' ? 'request' : 'involvement', recordId: ownerId, detail: { signpost: signpostId, service: removed.service_id } }),
  )
  return { serviceId: removed.service_id }
}

export async function addRequestSignpost(db: Database, actor: Actor, id: string, form: AddForm): Promise<void> {
  requireFrontDoor(actor)
  await db.asTenant(actor.tenantId, async (trx) => {
    await signpostableRequest(trx, id)
    await addSignpost(trx, actor, { requestId: id }, form)
  })
}

export async function removeRequestSignpost(db: Database, actor: Actor, id: string, signpostId: string): Promise<void> {
  requireFrontDoor(actor)
  await db.asTenant(actor.tenantId, async (trx) => {
    await signpostableRequest(trx, id)
    await removeSignpost(trx, actor, { requestId: id }, signpostId)
  })
}

/** The due dates of monthly calls: the first on `start`, then one a month for the agreed number of months. */
export function monthlyDueDates(start: string, months: number): string[] {
  return Array.from({ length: months }, (_, n) => addMonths(start, n))
}

/**
 * Sets up monthly keep-in-touch calls for the agreed period, once the request is decided as
 * outcome 1. Idempotent: a call already set for a date is left as it is. Returns how many were added.
 */
export async function setUpCalls(db: Database, actor: Actor, id: string, start: string, months: number): Promise<number> {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const request = await signpostableRequest(trx, id)
    if (!request.decidedUniversal) throw new NotFoundError()
    const dates = monthlyDueDates(start, months)
    const added = await trx
      .insertInto('keep_in_touch_calls')
      .values(dates.map((due_on) => ({ tenant_id: actor.tenantId, request_id: id, due_on, created_by: actor.accountId })))
      .onConflict((oc) => oc.columns(['request_id', 'due_on']).doNothing())
      .returning('id')
      .execute()
    await recordAudit(trx, auditBy(actor, { action: 'keep-in-touch-set-up', recordType: 'request', recordId: id, detail: { start, months, added: added.length } }))
    return added.length
  })
}

/** The calls due today or earlier, oldest first: the front door's keep-in-touch tasks. */
export async function listDueCalls(db: Database, actor: Actor, page: number, now: Date) {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await dueCalls(trx, localDateOf(now), PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'keep-in-touch-list-viewed', recordType: 'keep-in-touch-call', detail: { page, shown: result.rows.length } }))
    return result
  })
}

/** How many keep-in-touch calls are due today or earlier: a number for the home page, so no audit event. */
export async function dueCallsCount(db: Database, actor: Actor, now: Date = new Date()): Promise<number> {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const row = await trx
      .selectFrom('keep_in_touch_calls')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'due')
      .where('due_on', '<=', localDateOf(now))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  })
}

async function callFor(trx: Trx, callId: string) {
  const call = await trx
    .selectFrom('keep_in_touch_calls as k')
    .innerJoin('requests as r', 'r.id', 'k.request_id')
    .leftJoin('accounts as a', 'a.id', 'k.recorded_by')
    .select([
      'k.id',
      'k.request_id',
      'k.due_on',
      'k.status',
      'k.need_met',
      'k.note',
      'k.recorded_at',
      'k.version',
      'a.name as recorded_by_name',
      'r.reference',
      'r.route',
      'r.referrer_phone',
      'r.answers',
      childrenOfRequest(sql.ref('k.request_id')).as('children'),
    ])
    .where('k.id', '=', callId)
    .executeTakeFirst()
  if (!call) throw new NotFoundError()
  return call
}

/** One call: the family, how to reach them, and the services they were signposted to. */
export async function viewCall(db: Database, actor: Actor, callId: string) {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const call = await callFor(trx, callId)
    const signposts = await signpostsForRequest(trx, call.request_id)
    // A family's own request gives how to reach them; a practitioner's gives their address (the referrer's telephone is beside it).
    const answers = call.answers as Record<string, Record<string, unknown> | undefined>
    const join = (parts: unknown[]) => parts.filter((v): v is string => typeof v === 'string' && v.trim() !== '').join(', ') || null
    const contact = answers.help
      ? join([answers.help.contactName, answers.help.phone, answers.help.email])
      : answers.address
        ? join([answers.address.line1, answers.address.line2, answers.address.town, answers.address.postcode])
        : null
    await recordAudit(trx, auditBy(actor, { action: 'keep-in-touch-viewed', recordType: 'keep-in-touch-call', recordId: callId, detail: { request: call.request_id } }))
    const { answers: _answers, ...rest } = call
    void _answers
    return { call: rest, familyContact: contact, signposts }
  })
}

/** Records what the call found and marks it done; a page left open while someone else recorded it is refused. */
export async function recordCall(db: Database, actor: Actor, callId: string, form: RecordForm, now: Date): Promise<Result> {
  requireFrontDoor(actor)
  return db.asTenant(actor.tenantId, async (trx): Promise<Result> => {
    const call = await callFor(trx, callId)
    if (call.status !== 'due') return { ok: false, errors: { needMet: 'This call has already been recorded' } }
    const updated = await trx
      .updateTable('keep_in_touch_calls')
      .set({ status: 'done', need_met: form.needMet, note: form.note ?? null, recorded_by: actor.accountId, recorded_at: now, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', callId)
      .where('version', '=', form.version)
      .where('status', '=', 'due')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, errors: { needMet: 'Someone else changed this call while you were recording it. Check it again.' } }
    await recordAudit(trx, auditBy(actor, { action: 'keep-in-touch-recorded', recordType: 'keep-in-touch-call', recordId: callId, detail: { request: call.request_id, needMet: form.needMet } }))
    return { ok: true }
  })
}

// ---------------------------------------------------------------------------------------------
// Signposting from a plan: the family's involvement, by relationship.

export async function involvementSignposting(db: Database, actor: Actor, id: string, query: SearchQuery) {
  return withInvolvement(db, actor, id, 'view', async (trx, { involvement, relation }) => {
    const signposts = await signpostsForInvolvement(trx, id)
    const canChange = allows(relation, 'contribute') && involvement.status !== 'closed'
    const results = canChange ? await search(trx, query, new Set(signposts.map((s) => s.serviceId))) : null
    await recordAudit(trx, auditBy(actor, { action: 'signposting-viewed', recordType: 'involvement', recordId: id, detail: { searched: !!query.q, page: query.page } }))
    return { involvement, signposts, results, canChange }
  })
}

export async function addInvolvementSignpost(db: Database, actor: Actor, id: string, form: AddForm, now: Date): Promise<void> {
  await withInvolvement(db, actor, id, 'contribute', async (trx) => {
    const added = await addSignpost(trx, actor, { involvementId: id }, form)
    if (added) await recordChronology(trx, actor, id, { kind: 'plan', summary: `Signposted the family to ${added.name}.`, detail: form.note ?? null, occurredAt: now })
  })
}

export async function removeInvolvementSignpost(db: Database, actor: Actor, id: string, signpostId: string): Promise<void> {
  await withInvolvement(db, actor, id, 'contribute', async (trx) => {
    await removeSignpost(trx, actor, { involvementId: id }, signpostId)
  })
}
