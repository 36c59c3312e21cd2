import { randomUUID } from 'node:crypto'
import { frameworkById } from '../../../frameworks/index.ts'
import type { Framework } from '../../../frameworks/schema.ts'
import { NotFoundError } from '../../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../../platform/audit/audit.ts'
import type { Database, Trx } from '../../../platform/db/database.ts'
import type { Role } from '../../../platform/db/schema.ts'
import { isUuid } from '../../../platform/http/ids.ts'
import { categoryTaxonomyId, categoryTaxonomyName, categoryTermId, DIRECTORY_CATEGORIES } from '../find/categories.ts'
import type { OrukAddress, OrukAttribute, OrukContact, OrukLocation, OrukOrganization, OrukService, OrukServiceAtLocation, OrukTaxonomyTerm } from '../oruk/types.ts'
import { saveService, serviceExtras, serviceRecord, stableUuid, type ServiceExtras } from '../store.ts'
import type { ServiceForm } from './forms.ts'
import { editorRepository as editors, type EditorScope } from './repository.ts'

/** An administrator edits all the authority's services; a service provider its own organisation's. */
export const EDITOR_ROLES: readonly Role[] = ['administrator', 'service_provider']
export const EDITOR_PAGE_SIZE = 25
/** A service not checked for this many months needs review. */
export const REVIEW_AFTER_MONTHS = 12

function requireEditor(actor: Actor): void {
  if (!EDITOR_ROLES.includes(actor.role)) throw new NotFoundError()
}

export function frameworkOf(actor: Actor): Framework {
  const framework = frameworkById(actor.tenantId)
  if (!framework) throw new NotFoundError()
  return framework
}

/** "YYYY-MM-DD" in UK time. */
export function isoDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** The first day that is not in need of review: a check before it is more than 12 months old. */
export function reviewBefore(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y - Math.floor(REVIEW_AFTER_MONTHS / 12), m - 1 - (REVIEW_AFTER_MONTHS % 12), d))
  return date.toISOString().slice(0, 10)
}

export function needsReview(lastCheckedOn: string | null, today: string): boolean {
  return !lastCheckedOn || lastCheckedOn < reviewBefore(today)
}

async function scopeOf(trx: Trx, actor: Actor): Promise<EditorScope> {
  if (actor.role === 'administrator') return { kind: 'authority' }
  return { kind: 'organisation', organisationId: await editors.accountOrganisation(trx, actor.accountId) }
}

function inScope(scope: EditorScope, row: { organisation_id: string | null } | undefined): boolean {
  if (!row) return false
  return scope.kind === 'authority' || (scope.organisationId !== null && row.organisation_id === scope.organisationId)
}

/** The services an editor may change, a page at a time; looking is audited. */
export async function listDirectoryServices(db: Database, actor: Actor, filters: { q: string; review: boolean }, page: number, now: Date) {
  requireEditor(actor)
  const today = isoDate(now)
  return db.asTenant(actor.tenantId, async (trx) => {
    const scope = await scopeOf(trx, actor)
    const result = await editors.page(trx, actor.tenantId, scope, { ...filters, reviewBefore: reviewBefore(today) }, EDITOR_PAGE_SIZE, (page - 1) * EDITOR_PAGE_SIZE)
    await recordAudit(trx, auditBy(actor, { action: 'directory-list-viewed', recordType: 'directory-service', detail: { review: filters.review, searched: Boolean(filters.q), page, shown: result.rows.length } }))
    return { ...result, rows: result.rows.map((row) => ({ ...row, needsReview: needsReview(row.last_checked_on, today) })) }
  })
}

/** The organisations an editor may choose, for the form. */
export async function organizationChoices(db: Database, actor: Actor) {
  requireEditor(actor)
  return db.asTenant(actor.tenantId, async (trx) => editors.organizations(trx, await scopeOf(trx, actor)))
}

export interface EditableService {
  id: string
  version: number
  record: OrukService
  extras: ServiceExtras
  needsReview: boolean
}

/**
 * One service to edit: not found unless the editor may change it. Looking is audited; reading it
 * again to show a form sent back with its errors is not (the change, if any, is audited when saved).
 */
export async function serviceToEdit(db: Database, actor: Actor, id: unknown, now: Date, options: { audit: boolean } = { audit: true }): Promise<EditableService> {
  requireEditor(actor)
  if (!isUuid(id)) throw new NotFoundError()
  return db.asTenant(actor.tenantId, async (trx) => {
    const row = await editors.service(trx, id)
    if (!inScope(await scopeOf(trx, actor), row) || !row) throw new NotFoundError()
    const record = await serviceRecord(trx, id)
    const extras = await serviceExtras(trx, id)
    if (!record || !extras) throw new NotFoundError()
    if (options.audit) await recordAudit(trx, auditBy(actor, { action: 'directory-service-viewed', recordType: 'directory-service', recordId: id }))
    return { id, version: row.version, record, extras, needsReview: needsReview(extras.lastCheckedOn, isoDate(now)) }
  })
}

/** The form's fields from a record, to fill the edit form. */
export function formValuesOf(service: EditableService): Record<string, string | string[]> {
  const { record, extras } = service
  const location = record.service_at_locations?.[0]?.location
  const address = location?.addresses?.[0]
  const phone = record.contacts?.flatMap((c) => c.phones ?? [])[0]?.number
  return {
    name: record.name,
    organizationId: record.organization?.id ?? '',
    description: record.description ?? '',
    status: record.status,
    minimumAge: record.minimum_age !== undefined ? String(record.minimum_age) : '',
    maximumAge: record.maximum_age !== undefined ? String(record.maximum_age) : '',
    levels: extras.levels.map(String),
    localities: extras.localities,
    categories: extras.categories,
    referralRoutes: extras.referralRoutes,
    howToRefer: extras.howToRefer ?? '',
    capacity: extras.capacity ?? '',
    locationName: location?.name ?? '',
    address: address?.address_1 ?? '',
    town: address?.city ?? '',
    postcode: address?.postal_code ?? '',
    phone: phone ?? '',
    email: record.email ?? '',
    website: record.url ?? '',
  }
}

/** The organisation the form names: an existing one (in scope) or a new one, linked to a provider's own. */
async function organizationFor(trx: Trx, actor: Actor, scope: EditorScope, input: ServiceForm): Promise<{ organization: OrukOrganization; link: string | null }> {
  if (input.organizationId === 'new') {
    const organization: OrukOrganization = { id: randomUUID(), name: input.newOrganisationName ?? '', description: '' }
    return { organization, link: scope.kind === 'organisation' ? scope.organisationId : null }
  }
  const row = await editors.organization(trx, input.organizationId)
  if (!row || !inScope(scope, row)) throw new NotFoundError()
  return { organization: { ...(row.document as Partial<OrukOrganization>), id: row.id, name: row.name, description: String((row.document as { description?: unknown }).description ?? '') }, link: null }
}

/**
 * The categories as Open Referral attributes, each naming its taxonomy term in the authority's
 * category taxonomy. A term the directory already holds is carried exactly as held, and an attribute
 * the record already has for a category keeps its id, so saving an unchanged form changes nothing.
 */
async function categoryAttributes(trx: Trx, tenantId: string, framework: Framework, base: OrukService, categories: readonly string[]): Promise<OrukAttribute[]> {
  const termIds = categories.map((id) => categoryTermId(tenantId, id))
  const held = termIds.length ? await trx.selectFrom('directory_taxonomy_terms').select(['id', 'name', 'document']).where('id', 'in', termIds).execute() : []
  const taxonomy = await trx.selectFrom('directory_taxonomies').select('name').where('id', '=', categoryTaxonomyId(tenantId)).executeTakeFirst()
  return categories.map((id) => {
    const category = DIRECTORY_CATEGORIES.find((c) => c.id === id)
    const termId = categoryTermId(tenantId, id)
    const row = held.find((t) => t.id === termId)
    const term: OrukTaxonomyTerm = row
      ? ({ ...(row.document as Partial<OrukTaxonomyTerm>), id: row.id, name: row.name, description: String((row.document as { description?: unknown }).description ?? '') } as OrukTaxonomyTerm)
      : {
          id: termId,
          name: category?.name ?? id,
          description: category?.description ?? id,
          code: id,
          taxonomy: taxonomy?.name ?? categoryTaxonomyName(framework.shortName),
          taxonomy_id: categoryTaxonomyId(tenantId),
        }
    const existing = (base.attributes ?? []).find((a) => (a.taxonomy_term?.id ?? a.taxonomy_term_id) === termId)
    return { ...(existing ?? {}), id: existing?.id ?? stableUuid('directory-category-attribute', base.id, id), taxonomy_term_id: termId, link_type: existing?.link_type ?? 'category', taxonomy_term: term }
  })
}

/**
 * The ORUK record from the form, over what the record held before: the parts the form does not
 * show (schedules, cost options, other contacts and places, attributes from other taxonomies) are kept.
 */
export function recordFromForm(tenantId: string, framework: Framework, base: OrukService, organization: OrukOrganization, input: ServiceForm, categories: OrukAttribute[]): OrukService {
  const record: OrukService = { ...base, name: input.name, status: input.status, description: input.description, organization }
  // organization_id is written only where the record already carries it: the nested organization says it.
  if ('organization_id' in base) record.organization_id = organization.id
  for (const [key, value] of [['minimum_age', input.minimumAge], ['maximum_age', input.maximumAge], ['email', input.email], ['url', input.website]] as const) {
    if (value === undefined) delete record[key]
    else (record as Record<string, unknown>)[key] = value
  }

  // The first contact's first phone is the form's telephone number.
  const contacts: OrukContact[] = (base.contacts ?? []).map((c) => ({ ...c, phones: [...(c.phones ?? [])] }))
  const first = contacts[0]
  if (input.phone) {
    if (!first) contacts.push({ id: randomUUID(), service_id: base.id, phones: [{ id: randomUUID(), number: input.phone }] })
    else if (first.phones?.[0]) first.phones[0] = { ...first.phones[0], number: input.phone }
    else first.phones = [{ id: randomUUID(), contact_id: first.id, number: input.phone }]
  } else if (first?.phones?.length) {
    first.phones = first.phones.slice(1)
    if (!first.phones.length && !first.name && !first.title && !first.email) contacts.shift()
  }
  record.contacts = contacts

  // Attributes stay in the record's order: others as they were, categories still chosen in place, new ones last.
  const ours = new Set(DIRECTORY_CATEGORIES.map((c) => categoryTermId(tenantId, c.id)))
  const chosen = new Map(categories.map((a) => [a.taxonomy_term_id ?? '', a]))
  const kept = (base.attributes ?? []).flatMap((a) => {
    const termId = a.taxonomy_term?.id ?? a.taxonomy_term_id ?? ''
    if (!ours.has(termId)) return [a]
    const replacement = chosen.get(termId)
    chosen.delete(termId)
    return replacement ? [replacement] : []
  })
  record.attributes = [...kept, ...chosen.values()]

  // The first place is the form's address; the others are kept.
  const places: OrukServiceAtLocation[] = [...(base.service_at_locations ?? [])]
  const place = places[0]
  if (input.location) {
    const oldLocation: Partial<OrukLocation> = place?.location ?? {}
    const oldAddress: Partial<OrukAddress> = oldLocation.addresses?.[0] ?? {}
    const locationId = oldLocation.id ?? randomUUID()
    const address: OrukAddress = {
      ...oldAddress,
      id: oldAddress.id ?? randomUUID(),
      location_id: locationId,
      address_1: input.location.address,
      city: input.location.town,
      state_province: oldAddress.state_province || framework.shortName,
      postal_code: input.location.postcode,
      country: oldAddress.country || 'GB',
      address_type: oldAddress.address_type ?? 'physical',
    }
    const location: OrukLocation = {
      ...oldLocation,
      id: locationId,
      location_type: oldLocation.location_type ?? 'physical',
      addresses: [address, ...(oldLocation.addresses ?? []).slice(1)],
    }
    if (input.location.name) location.name = input.location.name
    else delete location.name
    const updated: OrukServiceAtLocation = { ...(place ?? {}), id: place?.id ?? randomUUID(), service_id: base.id, location_id: locationId, location }
    if (place) places[0] = updated
    else places.push(updated)
  } else if (place) {
    places.shift()
  }
  record.service_at_locations = places
  return record
}

/** The chosen values in the order the service already had them, new ones after: an unchanged form changes nothing. */
function inOrder<T>(before: readonly T[], chosen: readonly T[]): T[] {
  return [...before.filter((v) => chosen.includes(v)), ...chosen.filter((v) => !before.includes(v))]
}

function extrasFrom(input: ServiceForm, lastCheckedOn: string | null, before?: ServiceExtras): ServiceExtras {
  return {
    levels: input.levels,
    localities: inOrder(before?.localities ?? [], input.localities),
    categories: inOrder(before?.categories ?? [], input.categories),
    referralRoutes: inOrder(before?.referralRoutes ?? [], input.referralRoutes),
    howToRefer: input.howToRefer ?? null,
    capacity: input.capacity ?? null,
    lastCheckedOn,
  }
}

/** Adds a service: checked today by the person who wrote it. */
export async function createDirectoryService(db: Database, actor: Actor, input: ServiceForm, now: Date): Promise<string> {
  requireEditor(actor)
  const framework = frameworkOf(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const scope = await scopeOf(trx, actor)
    if (scope.kind === 'organisation' && !scope.organisationId) throw new NotFoundError()
    const { organization, link } = await organizationFor(trx, actor, scope, input)
    const id = randomUUID()
    const base: OrukService = { id, name: input.name, status: input.status }
    const record = recordFromForm(actor.tenantId, framework, base, organization, input, await categoryAttributes(trx, actor.tenantId, framework, base, input.categories))
    await saveService(trx, actor.tenantId, record, extrasFrom(input, isoDate(now)), actor.accountId)
    if (link) await editors.linkOrganization(trx, organization.id, link)
    await recordAudit(trx, auditBy(actor, { action: 'directory-service-created', recordType: 'directory-service', recordId: id, detail: { status: input.status, newOrganisation: input.organizationId === 'new' } }))
    return id
  })
}

export type UpdateResult = { ok: true; changed: boolean } | { ok: false; conflict: { version: number; record: OrukService; extras: ServiceExtras } }

/**
 * Saves an edit made to the version the form was opened at. If someone saved in between, nothing
 * is saved and the service as it is now comes back, for the editor to compare and save again.
 * Saving says the details are right: it counts as checked today.
 */
export async function updateDirectoryService(db: Database, actor: Actor, id: unknown, version: number | undefined, input: ServiceForm, now: Date): Promise<UpdateResult> {
  requireEditor(actor)
  if (!isUuid(id)) throw new NotFoundError()
  const framework = frameworkOf(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const scope = await scopeOf(trx, actor)
    const row = await editors.serviceForUpdate(trx, id)
    if (!row || !inScope(scope, row)) throw new NotFoundError()
    const base = await serviceRecord(trx, id)
    if (!base) throw new NotFoundError()
    const extras = await serviceExtras(trx, id)
    if (!extras) throw new NotFoundError()
    if (version !== row.version) return { ok: false, conflict: { version: row.version, record: base, extras } }
    const { organization, link } = await organizationFor(trx, actor, scope, input)
    const record = recordFromForm(actor.tenantId, framework, base, organization, input, await categoryAttributes(trx, actor.tenantId, framework, base, input.categories))
    const { changed } = await saveService(trx, actor.tenantId, record, extrasFrom(input, isoDate(now), extras), actor.accountId)
    if (link) await editors.linkOrganization(trx, organization.id, link)
    await recordAudit(trx, auditBy(actor, { action: 'directory-service-updated', recordType: 'directory-service', recordId: id, detail: { changed, status: input.status, fromVersion: version } }))
    return { ok: true, changed }
  })
}

/** "Checked today: the details are still right": the date, through the store so the record agrees. */
export async function markServiceChecked(db: Database, actor: Actor, id: unknown, now: Date): Promise<void> {
  requireEditor(actor)
  if (!isUuid(id)) throw new NotFoundError()
  await db.asTenant(actor.tenantId, async (trx) => {
    const scope = await scopeOf(trx, actor)
    const row = await editors.serviceForUpdate(trx, id)
    if (!row || !inScope(scope, row)) throw new NotFoundError()
    const record = await serviceRecord(trx, id)
    const extras = await serviceExtras(trx, id)
    if (!record || !extras) throw new NotFoundError()
    const today = isoDate(now)
    await saveService(trx, actor.tenantId, record, { ...extras, lastCheckedOn: today }, actor.accountId)
    await recordAudit(trx, auditBy(actor, { action: 'directory-service-checked', recordType: 'directory-service', recordId: id, detail: { checkedOn: today, before: extras.lastCheckedOn } }))
  })
}
