import { signpostsForRequest } from '../signposting/service.ts'
import { frameworkById } from '../../frameworks/index.ts'
import type { Framework } from '../../frameworks/schema.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import { SECTIONS, TASKS, type Answers, type SectionId, type TaskId } from './answers.ts'
import { requestRepository as requests } from './repository.ts'
import { tellReferrer } from './notify.ts'
import { frontDoorClocks, suggestionFor } from './rules.ts'
import { formatDateTime } from '../../platform/views/format.ts'

/** Only practitioners ask for support through the journey; families use the public form. */
function requirePractitioner(actor: Actor): void {
  if (actor.role !== 'practitioner') throw new NotFoundError()
}

function frameworkOf(actor: Actor): Framework {
  const framework = frameworkById(actor.tenantId)
  if (!framework) throw new Error(`No framework for ${actor.tenantId}`)
  return framework
}

/**
 * A request belongs to the practitioner who made it: anyone else is told it does not exist.
 * `lock` holds the row until the transaction ends, so a double click cannot send a draft twice.
 */
async function ownRequest(trx: Trx, actor: Actor, id: string, lock = false) {
  const request = await (lock ? requests.byIdForUpdate(trx, id) : requests.byId(trx, id))
  if (!request || request.referrer_account_id !== actor.accountId) throw new NotFoundError()
  return request
}

export async function startRequest(db: Database, actor: Actor, phone: string | null): Promise<string> {
  requirePractitioner(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const answers: Answers = phone ? { referrer: { phone } } : {}
    const row = await trx
      .insertInto('requests')
      .values({ tenant_id: actor.tenantId, route: 'practitioner', referrer_account_id: actor.accountId, referrer_phone: phone, answers: JSON.stringify(answers) })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, auditBy(actor, { action: 'request-created', recordType: 'request', recordId: row.id }))
    return row.id
  })
}

export interface TaskStatus {
  id: TaskId
  complete: boolean
}

/** Which tasks are done: a section is done when its saved answers still pass its rules. */
export function taskStatuses(answers: Answers, people: { kind: string }[]): TaskStatus[] {
  return TASKS.map((id) => {
    if (id === 'children') return { id, complete: people.some((p) => p.kind === 'child') }
    if (id === 'adults') return { id, complete: adultsRelatedToEveryChild(people) }
    return { id, complete: answers[id] !== undefined && SECTIONS[id].safeParse(answers[id]).success }
  })
}

/** At least one adult, each related to every child: a child added later needs their relationships too. */
function adultsRelatedToEveryChild(people: { id?: string; kind: string; details?: Record<string, unknown> }[]): boolean {
  const adults = people.filter((p) => p.kind === 'adult')
  const children = people.filter((p) => p.kind === 'child')
  return (
    adults.length > 0 &&
    adults.every((adult) => {
      const relationships = (adult.details?.relationships ?? {}) as Record<string, unknown>
      return children.every((child) => typeof relationships[child.id ?? ''] === 'string' && relationships[child.id ?? ''] !== '')
    })
  )
}

/** Refuses (404) anyone but the request's practitioner before a form is even read. Writes nothing: it is a check, not a view. */
export async function requireOwnRequest(db: Database, actor: Actor, id: string): Promise<void> {
  requirePractitioner(actor)
  await db.asTenant(actor.tenantId, (trx) => ownRequest(trx, actor, id))
}

export async function viewOwnRequest(db: Database, actor: Actor, id: string) {
  requirePractitioner(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const request = await ownRequest(trx, actor, id)
    const people = await requests.people(trx, id)
    const signposts = request.status === 'decided' && request.outcome === 'universal-signposting' ? await signpostsForRequest(trx, id) : []
    await recordAudit(trx, auditBy(actor, { action: 'request-viewed', recordType: 'request', recordId: id }))
    const answers = request.answers as Answers
    return { request, answers, people, tasks: taskStatuses(answers, people), signposts }
  })
}

export type SaveResult = { ok: true } | { ok: false; reason: 'not-draft' }
export type SectionSaveResult = SaveResult | { ok: false; reason: 'stale'; version: number }

/**
 * Saves one section of a draft. Given `version` (the one the form was read at), a save made after
 * someone else's (another tab, another sign-in) is refused as stale with the version now stored,
 * and nothing is saved.
 */
export async function saveSection<S extends SectionId>(db: Database, actor: Actor, id: string, section: S, value: Answers[S], version?: number): Promise<SectionSaveResult> {
  requirePractitioner(actor)
  return db.asTenant(actor.tenantId, async (trx): Promise<SectionSaveResult> => {
    const request = await ownRequest(trx, actor, id)
    if (request.status !== 'draft') return { ok: false, reason: 'not-draft' }
    const saved = await requests.saveSection(trx, id, section, value, version)
    if (!saved) {
      // Another save won between reading and writing: read again what is stored now.
      const now = await ownRequest(trx, actor, id)
      return now.status === 'draft' ? { ok: false, reason: 'stale', version: now.version } : { ok: false, reason: 'not-draft' }
    }
    if (section === 'referrer') {
      await trx.updateTable('requests').set({ referrer_phone: (value as Answers['referrer'])?.phone ?? null }).where('id', '=', id).execute()
    }
    if (section === 'address') {
      await trx.updateTable('requests').set({ postcode: (value as Answers['address'])?.postcode ?? null }).where('id', '=', id).execute()
    }
    await recordAudit(trx, auditBy(actor, { action: 'request-updated', recordType: 'request', recordId: id, detail: { section } }))
    return { ok: true }
  })
}

export interface PersonInput {
  kind: 'child' | 'adult'
  givenName: string
  familyName: string
  dateOfBirth: string | null
  dueDate: string | null
  nhsNumber: string | null
  details: Record<string, unknown>
}

export async function savePerson(db: Database, actor: Actor, requestId: string, personId: string | null, input: PersonInput): Promise<SaveResult> {
  requirePractitioner(actor)
  return db.asTenant(actor.tenantId, async (trx): Promise<SaveResult> => {
    const request = await ownRequest(trx, actor, requestId)
    if (request.status !== 'draft') return { ok: false, reason: 'not-draft' }
    const values = {
      given_name: input.givenName,
      family_name: input.familyName,
      date_of_birth: input.dateOfBirth,
      due_date: input.dueDate,
      nhs_number: input.nhsNumber,
      details: JSON.stringify(input.details),
    }
    if (personId) {
      const updated = await trx
        .updateTable('request_people')
        .set(values)
        .where('id', '=', personId)
        .where('request_id', '=', requestId)
        .where('kind', '=', input.kind)
        .executeTakeFirst()
      if (!Number(updated.numUpdatedRows)) throw new NotFoundError()
    } else {
      const people = await requests.people(trx, requestId)
      await trx
        .insertInto('request_people')
        .values({ ...values, tenant_id: actor.tenantId, request_id: requestId, kind: input.kind, position: people.length })
        .execute()
    }
    await trx.updateTable('requests').set({ updated_at: new Date() }).where('id', '=', requestId).execute()
    await recordAudit(trx, auditBy(actor, { action: 'request-updated', recordType: 'request', recordId: requestId, detail: { section: `${input.kind}ren` } }))
    return { ok: true }
  })
}

export async function removePerson(db: Database, actor: Actor, requestId: string, personId: string): Promise<void> {
  requirePractitioner(actor)
  await db.asTenant(actor.tenantId, async (trx) => {
    const request = await ownRequest(trx, actor, requestId)
    if (request.status !== 'draft') return
    await trx.deleteFrom('request_people').where('id', '=', personId).where('request_id', '=', requestId).execute()
    await recordAudit(trx, auditBy(actor, { action: 'request-updated', recordType: 'request', recordId: requestId, detail: { removed: 'person' } }))
  })
}

export type SubmitResult = { ok: true; reference: string } | { ok: false; incomplete: TaskId[] } | { ok: false; incomplete: []; reason: 'not-draft' }

/**
 * Sends a complete draft to the front door: a reference, the suggested level with its reasons, and
 * the acknowledgement and decision clocks in the authority's working calendar, all in one transaction.
 */
export async function submitRequest(db: Database, actor: Actor, id: string, now: Date): Promise<SubmitResult> {
  requirePractitioner(actor)
  const framework = frameworkOf(actor)
  return db.asTenant(actor.tenantId, async (trx): Promise<SubmitResult> => {
    const request = await ownRequest(trx, actor, id, true)
    if (request.status !== 'draft') return { ok: false, incomplete: [], reason: 'not-draft' }
    const answers = request.answers as Answers
    const people = await requests.people(trx, id)
    const incomplete = taskStatuses(answers, people).filter((t) => !t.complete).map((t) => t.id)
    if (incomplete.length) return { ok: false, incomplete }
    const significantHarm = answers.consent?.significantHarm === 'yes'
    const reference = await issueReference(trx, framework, now)
    const suggestion = suggestionFor(framework, answers, significantHarm)
    const clocks = frontDoorClocks(framework, now)
    await trx
      .updateTable('requests')
      .set({
        status: 'submitted',
        reference,
        submitted_at: now,
        significant_harm: significantHarm,
        priority: significantHarm,
        suggested_level: suggestion.level,
        suggestion: JSON.stringify(suggestion),
        acknowledge_due_at: clocks.acknowledgeDueAt,
        decision_due_at: clocks.decisionDueAt,
        version: (eb) => eb('version', '+', 1),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, auditBy(actor, { action: 'request-submitted', recordType: 'request', recordId: id, detail: { reference, priority: significantHarm } }))
    await acknowledge(trx, { ...request, id }, reference, clocks.decisionDueAt)
    return { ok: true, reference }
  })
}

export interface PriorityInput {
  childName: string
  address: string
  postcode: string
  happening: string
  phone: string
}

/**
 * Immediate risk of significant harm never waits in a draft: what the practitioner could record
 * while they telephone the Priority Line is sent at once, marked priority, to the top of the queue.
 */
export async function submitPriorityRequest(db: Database, actor: Actor, input: PriorityInput, now: Date): Promise<{ id: string; reference: string }> {
  requirePractitioner(actor)
  const framework = frameworkOf(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const reference = await issueReference(trx, framework, now)
    const clocks = frontDoorClocks(framework, now)
    const answers: Answers & { priority: Record<string, string> } = {
      referrer: { phone: input.phone },
      priority: { childName: input.childName, address: input.address, happening: input.happening },
    }
    const suggestion = suggestionFor(framework, {}, true)
    const row = await trx
      .insertInto('requests')
      .values({
        tenant_id: actor.tenantId,
        route: 'practitioner',
        status: 'submitted',
        reference,
        priority: true,
        significant_harm: true,
        referrer_account_id: actor.accountId,
        referrer_phone: input.phone,
        postcode: input.postcode,
        answers: JSON.stringify(answers),
        suggested_level: suggestion.level,
        suggestion: JSON.stringify(suggestion),
        submitted_at: now,
        acknowledge_due_at: clocks.acknowledgeDueAt,
        decision_due_at: clocks.decisionDueAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const [given, ...rest] = input.childName.split(/\s+/)
    await trx
      .insertInto('request_people')
      .values({ tenant_id: actor.tenantId, request_id: row.id, kind: 'child', given_name: given ?? input.childName, family_name: rest.join(' '), details: '{}' })
      .execute()
    await recordAudit(trx, auditBy(actor, { action: 'request-submitted', recordType: 'request', recordId: row.id, detail: { reference, priority: true } }))
    await acknowledge(trx, { id: row.id, tenant_id: actor.tenantId, referrer_account_id: actor.accountId, answers: {} }, reference, clocks.decisionDueAt)
    return { id: row.id, reference }
  })
}

/** The acknowledgement every request gets at once: its reference and when the decision is due. */
export function acknowledge(trx: Trx, request: Parameters<typeof tellReferrer>[1], reference: string, decisionDueAt: Date) {
  return tellReferrer(trx, request, 'acknowledged', 'request-acknowledged', { reference, decision_due: formatDateTime(decisionDueAt) })
}

/** "SOU-2026-00042": the authority, the year, and a number that is never handed out twice. */
export async function issueReference(trx: Trx, framework: Framework, now: Date): Promise<string> {
  const year = now.getUTCFullYear()
  const number = await requests.nextNumber(trx, framework.id, `request-${year}`)
  return `${framework.shortName.slice(0, 3).toUpperCase()}-${year}-${String(number).padStart(5, '0')}`
}

export async function discardDraft(db: Database, actor: Actor, id: string): Promise<void> {
  requirePractitioner(actor)
  await db.asTenant(actor.tenantId, async (trx) => {
    const request = await ownRequest(trx, actor, id, true)
    if (request.status !== 'draft') return
    await trx.deleteFrom('requests').where('id', '=', id).where('status', '=', 'draft').execute()
    await recordAudit(trx, auditBy(actor, { action: 'request-discarded', recordType: 'request', recordId: id }))
  })
}

/** A referrer's own requests, newest first, with the outcome once decided. */
export async function myRequests(db: Database, actor: Actor, page: number) {
  requirePractitioner(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await requests.referrerPage(trx, actor.accountId, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'request-list-viewed', recordType: 'request', detail: { page, shown: result.rows.length } }))
    return result
  })
}
