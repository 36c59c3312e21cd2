import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../../test/context.ts'
import { errorSummary, inputValue, text, textareaValue } from '../../../test/html.ts'
import { ROLES } from '../../../platform/db/schema.ts'
import { categoryTermId } from '../find/categories.ts'
import { addService } from '../find/test-data.ts'
import { serviceExtras, serviceRecord } from '../store.ts'
import { isoDate, reviewBefore } from './service.ts'

let ctx: TestContext
let admin: TestAccount
let adminAgent: Agent

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.newAccount('essex', 'administrator')
  adminAgent = await ctx.signIn(admin)
})
after(() => ctx.close())

const today = () => isoDate(new Date())

async function orgId(tenant: string, name: string): Promise<string> {
  const id = randomUUID()
  await ctx.db.asTenant(tenant, (trx) => trx.insertInto('directory_organizations').values({ id, tenant_id: tenant, name, document: JSON.stringify({ id, name, description: '' }) }).execute())
  return id
}

function serviceForm(organizationId: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: `Family Matters ${randomUUID().slice(0, 6)}`,
    organizationId,
    newOrganisationName: '',
    description: 'An 8-week parenting course.',
    status: 'active',
    minimumAge: '5',
    maximumAge: '11',
    levels: ['1', '2'],
    localities: ['mid'],
    categories: ['parenting', 'mental-health'],
    referralRoutes: ['self', 'professional'],
    howToRefer: 'Call us.',
    capacity: 'Places available',
    locationName: 'Chelmsford Family Hub',
    address: '12 Example Road',
    town: 'Chelmsford',
    postcode: 'cm2 0jq',
    phone: '01632 960123',
    email: 'hello@example.org',
    website: 'https://family-matters.example.org/',
    ...overrides,
  }
}

function listNames(html: string): string[] {
  return [...html.matchAll(/<a class="govuk-link" href="\/directory\/services\/[0-9a-f-]+">([^<]*)<\/a>/g)].map((m) => text(m[1] ?? ''))
}

test('an administrator adds a service: the Open Referral record, the columns, the audit and the public page agree', async () => {
  const organizationId = await orgId('essex', 'Chelmer Family Support Trust')
  const form = await adminAgent.get('/directory/new')
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /<option value="[0-9a-f-]+"\s*>Chelmer Family Support Trust<\/option>/)
  const input = serviceForm(organizationId)
  const saved = await adminAgent.post('/directory/new', input)
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500))
  assert.equal(saved.headers.location, '/directory?saved=created')

  const row = await ctx.db.system.selectFrom('directory_services').selectAll().where('name', '=', input.name as string).executeTakeFirstOrThrow()
  assert.equal(row.tenant_id, 'essex')
  assert.equal(row.organization_id, organizationId)
  assert.deepEqual(row.levels, [1, 2])
  assert.deepEqual(row.localities, ['mid'])
  assert.deepEqual(row.categories, ['parenting', 'mental-health'])
  assert.deepEqual(row.referral_routes, ['self', 'professional'])
  assert.deepEqual(row.postcode_districts, ['CM2'])
  assert.equal(row.last_checked_on, today())
  assert.equal(row.updated_by, admin.id)
  assert.deepEqual([...row.term_ids].sort(), [categoryTermId('essex', 'parenting'), categoryTermId('essex', 'mental-health')].sort())

  const { record, extras } = await ctx.db.asTenant('essex', async (trx) => ({ record: await serviceRecord(trx, row.id), extras: await serviceExtras(trx, row.id) }))
  assert.ok(record && extras)
  assert.equal(record.organization?.name, 'Chelmer Family Support Trust')
  assert.equal(record.email, 'hello@example.org')
  assert.equal(record.url, 'https://family-matters.example.org/')
  assert.equal(record.minimum_age, 5)
  assert.equal(record.contacts?.[0]?.phones?.[0]?.number, '01632 960123')
  const location = record.service_at_locations?.[0]?.location
  assert.equal(location?.name, 'Chelmsford Family Hub')
  assert.deepEqual(
    { address_1: location?.addresses?.[0]?.address_1, city: location?.addresses?.[0]?.city, postal_code: location?.addresses?.[0]?.postal_code },
    { address_1: '12 Example Road', city: 'Chelmsford', postal_code: 'CM2 0JQ' },
  )
  assert.deepEqual(record.attributes?.map((a) => a.taxonomy_term?.name).sort(), ['Mental health and wellbeing', 'Parenting'])
  assert.equal(extras.howToRefer, 'Call us.')
  const terms = await ctx.db.system.selectFrom('directory_taxonomy_terms').select(['id', 'tenant_id', 'taxonomy_id']).where('id', 'in', row.term_ids).execute()
  assert.equal(terms.length, 2, 'the categories are taxonomy terms')

  const events = await ctx.db.system.selectFrom('audit_events').select(['action', 'actor_account_id', 'tenant_id']).where('record_id', '=', row.id).execute()
  assert.deepEqual(events, [{ action: 'directory-service-created', actor_account_id: admin.id, tenant_id: 'essex' }])

  const list = await adminAgent.get('/directory?saved=created')
  assert.match(list.body, /Service added to the directory/)
  assert.ok(listNames(list.body).includes(input.name as string))
  const publicPage = await ctx.visitor().get(`/find-support/essex/services/${row.id}`)
  assert.equal(publicPage.statusCode, 200)
  assert.match(text(publicPage.body), /Telephone: 01632 960123/)
  const found = await ctx.visitor().get(`/find-support/essex?category=parenting&age=7&locality=mid&postcode=CM2`)
  assert.ok(text(found.body).includes(input.name as string), 'a family finds it')
})

test('an administrator edits a service: the form is filled in, the change saved and audited, the version moved on', async () => {
  const organizationId = await orgId('essex', `Edit org ${randomUUID().slice(0, 6)}`)
  const input = serviceForm(organizationId)
  await adminAgent.post('/directory/new', input)
  const row = await ctx.db.system.selectFrom('directory_services').select(['id', 'version']).where('name', '=', input.name as string).executeTakeFirstOrThrow()

  const form = await adminAgent.get(`/directory/services/${row.id}`)
  assert.equal(form.statusCode, 200)
  assert.equal(inputValue(form.body, 'name'), input.name)
  assert.equal(textareaValue(form.body, 'description'), 'An 8-week parenting course.')
  assert.equal(inputValue(form.body, 'postcode'), 'CM2 0JQ')
  assert.equal(inputValue(form.body, 'phone'), '01632 960123')
  assert.equal(inputValue(form.body, 'version'), String(row.version))
  assert.match(form.body, /name="levels" type="checkbox" value="2" checked/)
  assert.match(form.body, /name="categories" type="checkbox" value="mental-health" checked/)

  // Saving the form as it was opened changes nothing: the record, its terms and its version stay as they are.
  const unchanged = await adminAgent.post(`/directory/services/${row.id}`, { ...input, postcode: 'CM2 0JQ', version: String(row.version) })
  assert.equal(unchanged.statusCode, 303)
  assert.equal((await ctx.db.system.selectFrom('directory_services').select('version').where('id', '=', row.id).executeTakeFirstOrThrow()).version, row.version)

  const edited = await adminAgent.post(`/directory/services/${row.id}`, {
    ...input,
    version: String(row.version),
    name: `${input.name as string} (renamed)`,
    categories: ['parenting'],
    levels: ['3'],
    phone: '',
    address: '',
    town: '',
    postcode: '',
    locationName: '',
    status: 'temporarily closed',
  })
  assert.equal(edited.statusCode, 303, edited.body.slice(0, 400))
  const after = await ctx.db.system.selectFrom('directory_services').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
  assert.equal(after.name, `${input.name as string} (renamed)`)
  assert.equal(after.status, 'temporarily closed')
  assert.deepEqual(after.levels, [3])
  assert.deepEqual(after.term_ids, [categoryTermId('essex', 'parenting')])
  assert.deepEqual(after.postcode_districts, [])
  assert.equal(after.version, row.version + 1)
  const record = await ctx.db.asTenant('essex', (trx) => serviceRecord(trx, row.id))
  assert.equal(record?.contacts, undefined, 'the phone is gone')
  assert.equal(record?.service_at_locations, undefined, 'the place is gone')
  const actions = (await ctx.db.system.selectFrom('audit_events').select('action').where('record_id', '=', row.id).orderBy('id').execute()).map((e) => e.action)
  assert.deepEqual(actions, ['directory-service-created', 'directory-service-viewed', 'directory-service-updated', 'directory-service-updated'])
  // Not open: families no longer find it.
  assert.equal((await ctx.visitor().get(`/find-support/essex/services/${row.id}`)).statusCode, 404)
})

test('the form says what is wrong, in page order, and keeps what was typed', async () => {
  const empty = await adminAgent.post('/directory/new', {})
  assert.equal(empty.statusCode, 400)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#name', text: 'Enter the name of the service' },
    { href: '#organizationId', text: 'Select the organisation that runs the service' },
    { href: '#description', text: 'Enter what the service does' },
    { href: '#status', text: 'Select whether the service is open' },
  ])
  const organizationId = await orgId('essex', `Typed org ${randomUUID().slice(0, 6)}`)
  const wrong = await adminAgent.post(
    '/directory/new',
    serviceForm('new', { newOrganisationName: '', minimumAge: '12', maximumAge: '5', levels: ['2', '7'], postcode: 'nowhere', email: 'not an email', website: 'example.org', phone: 'call me' }),
  )
  assert.equal(wrong.statusCode, 400)
  assert.deepEqual(
    errorSummary(wrong.body).map((e) => e.text),
    [
      'Enter the name of the new organisation',
      'The oldest age must be the same as or more than the youngest age',
      'Select levels of need from the list',
      'Enter a real postcode, like CM2 0JQ',
      'Enter a telephone number, like 01632 960 001',
      'Enter an email address in the correct format, like name@example.org',
      'Enter the website address in full, starting https://',
    ],
  )
  assert.equal(inputValue(wrong.body, 'postcode'), 'nowhere')
  assert.equal(inputValue(wrong.body, 'minimumAge'), '12')
  assert.match(wrong.body, /name="categories" type="checkbox" value="mental-health" checked/, 'the boxes ticked stay ticked')
  assert.match(wrong.body, /<option value="new" selected>/)
  // An organisation id that is not one of the choices is refused, not saved.
  const other = await orgId('southend', 'Southend org')
  const foreign = await adminAgent.post('/directory/new', serviceForm(other))
  assert.equal(foreign.statusCode, 400)
  assert.deepEqual(errorSummary(foreign.body).map((e) => e.href), ['#organizationId'])
  void organizationId
})

test('a second editor who saves an out-of-date form is told, keeps what they typed, and can save again', async () => {
  const organizationId = await orgId('essex', `Conflict org ${randomUUID().slice(0, 6)}`)
  const input = serviceForm(organizationId)
  await adminAgent.post('/directory/new', input)
  const row = await ctx.db.system.selectFrom('directory_services').select(['id', 'version']).where('name', '=', input.name as string).executeTakeFirstOrThrow()
  const other = await ctx.signIn(await ctx.newAccount('essex', 'administrator'))

  const first = await adminAgent.post(`/directory/services/${row.id}`, { ...input, version: String(row.version), capacity: 'Full until March' })
  assert.equal(first.statusCode, 303)
  const second = await other.post(`/directory/services/${row.id}`, { ...input, version: String(row.version), description: 'My own better description' })
  assert.equal(second.statusCode, 409)
  assert.deepEqual(errorSummary(second.body), [{ href: '#conflict', text: 'Someone else changed this service while you were editing it. Your changes have not been saved' }])
  assert.equal(textareaValue(second.body, 'description'), 'My own better description', 'their input is kept')
  assert.match(text(second.body), /The service as it is now.*Full until March/)
  assert.equal(inputValue(second.body, 'version'), String(row.version + 1))
  const between = await ctx.db.system.selectFrom('directory_services').select(['description', 'capacity']).where('id', '=', row.id).executeTakeFirstOrThrow()
  assert.deepEqual(between, { description: 'An 8-week parenting course.', capacity: 'Full until March' }, 'nothing of theirs was saved')

  const again = await other.post(`/directory/services/${row.id}`, { ...input, version: String(row.version + 1), description: 'My own better description' })
  assert.equal(again.statusCode, 303)
  const final = await ctx.db.system.selectFrom('directory_services').select(['description', 'version']).where('id', '=', row.id).executeTakeFirstOrThrow()
  assert.deepEqual(final, { description: 'My own better description', version: row.version + 2 })
  // A form with no version at all is a conflict too, never a blind overwrite.
  const blind = await other.post(`/directory/services/${row.id}`, { ...input })
  assert.equal(blind.statusCode, 409)
})

test('a service provider sees and edits only its own organisation’s services; others are not found', async () => {
  const ours = await ctx.newOrganisation('essex', { name: 'Chelmer Trust (our organisation)', kind: 'voluntary' })
  const provider = await ctx.newAccount('essex', 'service_provider', { organisationId: ours })
  const agent = await ctx.signIn(provider)
  const ownOrg = randomUUID()
  const mine = await addService(ctx.db, 'essex', { name: 'Provider own service', organization: { id: ownOrg, name: 'Chelmer Trust', organisationId: ours }, lastCheckedOn: today() })
  const theirs = await addService(ctx.db, 'essex', { name: 'Someone else’s service', organization: { name: 'Another charity' } })

  const list = await agent.get('/directory')
  assert.equal(list.statusCode, 200)
  assert.deepEqual(listNames(list.body), ['Provider own service'])
  assert.match(list.body, /href="\/directory"/, 'the navigation has the directory')

  const form = await agent.get(`/directory/services/${mine}`)
  assert.equal(form.statusCode, 200)
  const choices = [...form.body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])
  assert.deepEqual(choices, ['', ownOrg, 'new'], 'only their own organisation, or a new one')
  const input = serviceForm(ownOrg, { name: 'Provider own service (edited)', version: inputValue(form.body, 'version') ?? '' })
  assert.equal((await agent.post(`/directory/services/${mine}`, input)).statusCode, 303)
  assert.equal((await ctx.db.system.selectFrom('directory_services').select('name').where('id', '=', mine).executeTakeFirstOrThrow()).name, 'Provider own service (edited)')

  for (const [what, response] of [
    ['view', await agent.get(`/directory/services/${theirs}`)],
    ['save', await agent.post(`/directory/services/${theirs}`, serviceForm(ownOrg, { version: '1' }))],
    ['check', await agent.post(`/directory/services/${theirs}/checked`)],
  ] as const) {
    assert.equal(response.statusCode, 404, what)
  }
  const untouched = await ctx.db.system.selectFrom('directory_services').select(['name', 'last_checked_on', 'organization_id']).where('id', '=', theirs).executeTakeFirstOrThrow()
  assert.equal(untouched.name, 'Someone else’s service')
  assert.equal(untouched.last_checked_on, null)
  // Nor may they move their service to another's organisation.
  const other = await ctx.db.system.selectFrom('directory_services').select('organization_id').where('id', '=', theirs).executeTakeFirstOrThrow()
  const move = await agent.post(`/directory/services/${mine}`, serviceForm(other.organization_id ?? '', { version: '2' }))
  assert.equal(move.statusCode, 400)

  // A new service under a new organisation: the organisation is theirs.
  const created = await agent.post('/directory/new', serviceForm('new', { name: 'Provider new service', newOrganisationName: 'Chelmer Trust Youth' }))
  assert.equal(created.statusCode, 303)
  const newRow = await ctx.db.system
    .selectFrom('directory_services')
    .innerJoin('directory_organizations', 'directory_organizations.id', 'directory_services.organization_id')
    .select(['directory_organizations.name', 'directory_organizations.organisation_id'])
    .where('directory_services.name', '=', 'Provider new service')
    .executeTakeFirstOrThrow()
  assert.deepEqual(newRow, { name: 'Chelmer Trust Youth', organisation_id: ours })
  assert.deepEqual(listNames((await agent.get('/directory')).body), ['Provider new service', 'Provider own service (edited)'])

  // A provider from another organisation sees none of it; an Essex administrator sees all of it.
  const stranger = await ctx.signIn(await ctx.newAccount('essex', 'service_provider'))
  assert.deepEqual(listNames((await stranger.get('/directory')).body), [])
  assert.equal((await stranger.get(`/directory/services/${mine}`)).statusCode, 404)
  assert.equal((await adminAgent.get(`/directory/services/${theirs}`)).statusCode, 200)
  // Southend's administrator: Essex's services do not exist.
  const southend = await ctx.signIn(await ctx.newAccount('southend', 'administrator'))
  assert.equal((await southend.get(`/directory/services/${mine}`)).statusCode, 404)
  assert.ok(!listNames((await southend.get('/directory')).body).includes('Provider own service (edited)'))
})

test('a service not checked for 12 months needs review; "checked today" clears it', async () => {
  const word = `Review ${randomUUID().slice(0, 6)}`
  const stale = await addService(ctx.db, 'essex', { name: `${word} stale`, lastCheckedOn: '2020-01-01' })
  const never = await addService(ctx.db, 'essex', { name: `${word} never` })
  const justInside = await addService(ctx.db, 'essex', { name: `${word} recent`, lastCheckedOn: reviewBefore(today()) })
  void justInside
  const list = await adminAgent.get(`/directory?q=${encodeURIComponent(word.toLowerCase())}`)
  assert.deepEqual(listNames(list.body), [`${word} never`, `${word} recent`, `${word} stale`])
  const rows = [...list.body.matchAll(/<tr class="govuk-table__row">([^]*?)<\/tr>/g)].map((m) => text(m[1] ?? ''))
  assert.ok(rows.find((r) => r.includes('stale'))?.includes('Needs review'))
  assert.ok(rows.find((r) => r.includes('never'))?.includes('Never Needs review'))
  assert.ok(!rows.find((r) => r.includes('recent'))?.includes('Needs review'))

  const review = await adminAgent.get(`/directory?q=${encodeURIComponent(word)}&review=1`)
  assert.deepEqual(listNames(review.body), [`${word} never`, `${word} stale`])
  assert.match(review.body, /name="review" type="checkbox" value="1" checked/)

  const page = await adminAgent.get(`/directory/services/${stale}`)
  assert.match(text(page.body), /Needs review These details have not been checked for over 12 months/)
  const checked = await adminAgent.post(`/directory/services/${stale}/checked`)
  assert.equal(checked.statusCode, 303)
  assert.equal(checked.headers.location, `/directory/services/${stale}?checked=1`)
  const row = await ctx.db.system.selectFrom('directory_services').select(['last_checked_on', 'updated_by']).where('id', '=', stale).executeTakeFirstOrThrow()
  assert.deepEqual(row, { last_checked_on: today(), updated_by: admin.id })
  const event = await ctx.db.system.selectFrom('audit_events').select(['action', 'detail']).where('record_id', '=', stale).where('action', '=', 'directory-service-checked').executeTakeFirstOrThrow()
  assert.deepEqual(event.detail, { checkedOn: today(), before: '2020-01-01' })
  assert.deepEqual(listNames((await adminAgent.get(`/directory?q=${encodeURIComponent(word)}&review=1`)).body), [`${word} never`])
  void never
  const viewed = await ctx.db.system.selectFrom('audit_events').select('action').where('actor_account_id', '=', admin.id).where('action', '=', 'directory-list-viewed').execute()
  assert.ok(viewed.length >= 3, 'looking at the list is audited')
})

test('the list pages, keeping the search', async () => {
  const word = `Paging ${randomUUID().slice(0, 6)}`
  for (let i = 0; i < 27; i++) await addService(ctx.db, 'essex', { name: `${word} ${String(i).padStart(2, '0')}` })
  const first = await adminAgent.get(`/directory?q=${encodeURIComponent(word)}`)
  assert.equal(listNames(first.body).length, 25)
  assert.match(first.body, /Showing 1 to 25 of 27 services/)
  const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.body)?.[1]?.replaceAll('&amp;', '&')
  assert.ok(next?.includes(`q=${encodeURIComponent(word).replaceAll('%20', '+')}`), next)
  assert.deepEqual(listNames((await adminAgent.get(next ?? '')).body), [`${word} 25`, `${word} 26`])
})

test('other roles are told the directory editor does not exist; a visitor is asked to sign in', async () => {
  const id = await addService(ctx.db, 'essex', { name: 'Guarded service' })
  for (const role of ROLES.filter((r) => r !== 'administrator' && r !== 'service_provider')) {
    const agent = await ctx.signIn(await ctx.newAccount('essex', role))
    for (const response of [
      await agent.get('/directory'),
      await agent.get('/directory/new'),
      await agent.post('/directory/new', serviceForm('new', { newOrganisationName: 'x' })),
      await agent.get(`/directory/services/${id}`),
      await agent.post(`/directory/services/${id}`, serviceForm('new', { newOrganisationName: 'x' })),
      await agent.post(`/directory/services/${id}/checked`),
    ]) {
      assert.equal(response.statusCode, 404, role)
    }
    assert.ok(!(await agent.get('/home')).body.includes('href="/directory"'), `${role} has no directory link`)
  }
  const visitor = ctx.visitor()
  const response = await visitor.get('/directory')
  assert.equal(response.statusCode, 303)
  assert.match(String(response.headers.location), /^\/sign-in\?returnTo=/)
  for (const bad of ['not-an-id', randomUUID(), id.toUpperCase()]) {
    assert.equal((await adminAgent.get(`/directory/services/${encodeURIComponent(bad)}`)).statusCode, 404, bad)
    assert.equal((await adminAgent.post(`/directory/services/${encodeURIComponent(bad)}/checked`)).statusCode, 404, bad)
  }
  const row = await ctx.db.system.selectFrom('directory_services').select('last_checked_on').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.last_checked_on, null)
})
