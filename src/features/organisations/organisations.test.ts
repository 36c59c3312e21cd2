import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { text, inputValue, errorSummary } from '../../test/html.ts'

let ctx: TestContext
let admin: TestAccount
let agent: Agent

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.newAccount('essex', 'administrator')
  agent = await ctx.signIn(admin)
})
after(() => ctx.close())

/** Names that sort before "Organisation …", which ctx.newAccount creates, so they are on the first page. */
const uniqueName = (label: string) => `Aardvark ${label} ${randomUUID().slice(0, 8)}`

/** The cells of the list's row for an organisation, as text. */
function listRow(html: string, name: string): { kind: string; accounts: number; status: string; action: string; formAction: string } | undefined {
  const rows = html.match(/<tr class="govuk-table__row">[^]*?<\/tr>/g) ?? []
  const row = rows.find((r) => r.includes(`<th scope="row" class="govuk-table__header">${name}</th>`))
  if (!row) return undefined
  const cells = [...row.matchAll(/<td class="govuk-table__cell[^"]*">([^]*?)<\/td>/g)].map((m) => text(m[1] ?? ''))
  return {
    kind: cells[0] ?? '',
    accounts: Number(cells[1]),
    status: cells[2] ?? '',
    action: (cells[3] ?? '').replace(name, '').trim(),
    formAction: /<form method="post" action="([^"]*)"/.exec(row)?.[1] ?? '',
  }
}

async function organisationsNamed(name: string) {
  return ctx.db.system.selectFrom('organisations').selectAll().where('name', '=', name).execute()
}

async function auditFor(recordId: string) {
  return ctx.db.system.selectFrom('audit_events').selectAll().where('record_id', '=', recordId).orderBy('id').execute()
}

test('an administrator adds an organisation and sees it in the list with its count of active accounts', async () => {
  const name = uniqueName('Family Hub')
  const form = await agent.get('/admin/organisations/new')
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /What kind of organisation is it\?/)

  const created = await agent.post('/admin/organisations/new', { name: `  ${name}  `, kind: 'voluntary' })
  assert.equal(created.statusCode, 303)
  assert.equal(created.headers.location, '/admin/organisations?created=1')

  const [row] = await organisationsNamed(name)
  assert.ok(row, 'saved with the spaces trimmed')
  assert.equal(row.tenant_id, 'essex')
  assert.equal(row.kind, 'voluntary')
  assert.equal(row.active, true)
  const events = await auditFor(row.id)
  assert.deepEqual(
    events.map((e) => [e.action, e.tenant_id, e.actor_account_id, e.record_type]),
    [['organisation-created', 'essex', admin.id, 'organisation']],
  )

  const list = await agent.get(created.headers.location)
  assert.equal(list.statusCode, 200)
  assert.match(list.body, /Organisation added\./)
  assert.deepEqual(listRow(list.body, name), {
    kind: 'Voluntary or community group',
    accounts: 0,
    status: 'Active',
    action: 'Deactivate',
    formAction: `/admin/organisations/${row.id}/deactivate`,
  })

  // Two people join; a third who has left is not counted.
  await ctx.newAccount('essex', 'practitioner', { organisationId: row.id })
  await ctx.newAccount('essex', 'team_manager', { organisationId: row.id })
  const leaver = await ctx.newAccount('essex', 'practitioner', { organisationId: row.id })
  await ctx.db.system.updateTable('accounts').set({ active: false }).where('id', '=', leaver.id).execute()
  const after = await agent.get('/admin/organisations')
  assert.equal(listRow(after.body, name)?.accounts, 2)
})

test('the form explains what is missing, links each message to its field and keeps what was typed', async () => {
  const empty = await agent.post('/admin/organisations/new', { name: '   ' })
  assert.equal(empty.statusCode, 400)
  assert.match(empty.body, /<title>Error: Add an organisation/)
  assert.deepEqual(errorSummary(empty.body), [
    { href: '#name', text: 'Enter the name of the organisation' },
    { href: '#kind', text: 'Select what kind of organisation it is' },
  ])
  // Each link leads to a field that exists on the page.
  assert.match(empty.body, /<input[^>]*id="name"/)
  assert.match(empty.body, /<input[^>]*id="kind"[^>]*type="radio"/)
  assert.match(empty.body, /id="name-error"[^]*Enter the name of the organisation/)

  const name = uniqueName('No kind')
  const noKind = await agent.post('/admin/organisations/new', { name })
  assert.equal(noKind.statusCode, 400)
  assert.deepEqual(errorSummary(noKind.body), [{ href: '#kind', text: 'Select what kind of organisation it is' }])
  assert.equal(inputValue(noKind.body, 'name'), name)

  const badKind = await agent.post('/admin/organisations/new', { name, kind: 'pirate ship' })
  assert.equal(badKind.statusCode, 400)
  assert.deepEqual(errorSummary(badKind.body), [{ href: '#kind', text: 'Select what kind of organisation it is' }])

  const tooLong = await agent.post('/admin/organisations/new', { name: 'x'.repeat(201), kind: 'school' })
  assert.equal(tooLong.statusCode, 400)
  assert.deepEqual(errorSummary(tooLong.body), [{ href: '#name', text: 'Name must be 200 characters or fewer' }])

  // The kind chosen stays chosen.
  const kindKept = await agent.post('/admin/organisations/new', { name: '', kind: 'health' })
  assert.match(kindKept.body, /<input class="govuk-radios__input" id="kind-3" name="kind" type="radio" value="health" checked>/)
  assert.deepEqual(await organisationsNamed(name), [], 'nothing was saved')
})

test('a name already used in the authority is refused, whatever its case, but another authority may use it', async () => {
  const name = uniqueName('Riverside Academy')
  assert.equal((await agent.post('/admin/organisations/new', { name, kind: 'school' })).statusCode, 303)
  for (const again of [name, name.toUpperCase(), ` ${name.toLowerCase()} `]) {
    const duplicate = await agent.post('/admin/organisations/new', { name: again, kind: 'health' })
    assert.equal(duplicate.statusCode, 400, again)
    assert.deepEqual(errorSummary(duplicate.body), [{ href: '#name', text: 'An organisation with this name already exists' }])
    assert.equal(inputValue(duplicate.body, 'name'), again)
    assert.match(duplicate.body, /value="health" checked/)
  }
  const rows = await ctx.db.system.selectFrom('organisations').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).execute()
  assert.equal(rows.length, 1)

  const southendAdmin = await ctx.newAccount('southend', 'administrator')
  const southend = await ctx.signIn(southendAdmin)
  assert.equal((await southend.post('/admin/organisations/new', { name, kind: 'school' })).statusCode, 303)
  const both = await organisationsNamed(name)
  assert.deepEqual(both.map((r) => r.tenant_id).sort(), ['essex', 'southend'])
})

test('deactivating and reactivating an organisation; doing it twice changes nothing and is recorded once', async () => {
  const name = uniqueName('Youth Club')
  await agent.post('/admin/organisations/new', { name, kind: 'voluntary' })
  const [organisation] = await organisationsNamed(name)
  assert.ok(organisation)

  const deactivated = await agent.post(`/admin/organisations/${organisation.id}/deactivate`)
  assert.equal(deactivated.statusCode, 303)
  const deactivatedTo = new URL(String(deactivated.headers.location), 'https://early-help.example')
  assert.equal(deactivatedTo.pathname, '/admin/organisations')
  assert.equal(deactivatedTo.searchParams.get('status'), 'inactive', 'back to the list of deactivated organisations')
  const [afterFirst] = await organisationsNamed(name)
  assert.equal(afterFirst?.active, false)
  assert.ok(afterFirst?.deactivated_at)

  const again = await agent.post(`/admin/organisations/${organisation.id}/deactivate`)
  assert.equal(again.statusCode, 303)
  const [afterSecond] = await organisationsNamed(name)
  assert.equal(afterSecond?.deactivated_at?.getTime(), afterFirst?.deactivated_at?.getTime(), 'the date it was deactivated is kept')
  assert.deepEqual(
    (await auditFor(organisation.id)).map((e) => e.action),
    ['organisation-created', 'organisation-deactivated'],
  )

  // It moves from the active list to the deactivated one, with a button to bring it back.
  assert.equal(listRow((await agent.get('/admin/organisations')).body, name), undefined)
  const inactive = await agent.get('/admin/organisations?status=inactive')
  assert.deepEqual(listRow(inactive.body, name)?.status, 'Deactivated')
  assert.equal(listRow(inactive.body, name)?.formAction, `/admin/organisations/${organisation.id}/reactivate`)
  assert.ok(listRow((await agent.get('/admin/organisations?status=all')).body, name))

  // A deactivated organisation cannot be given new accounts.
  const form = await agent.get('/admin/accounts/new')
  assert.ok(!form.body.includes(organisation.id))

  const reactivated = await agent.post(`/admin/organisations/${organisation.id}/reactivate`)
  assert.equal(reactivated.statusCode, 303)
  const reactivatedTo = new URL(String(reactivated.headers.location), 'https://early-help.example')
  assert.equal(reactivatedTo.pathname, '/admin/organisations')
  assert.equal(reactivatedTo.searchParams.get('status'), 'active', 'back to the list of active organisations')
  await agent.post(`/admin/organisations/${organisation.id}/reactivate`)
  const [back] = await organisationsNamed(name)
  assert.equal(back?.active, true)
  assert.equal(back?.deactivated_at, null)
  assert.deepEqual(
    (await auditFor(organisation.id)).map((e) => e.action),
    ['organisation-created', 'organisation-deactivated', 'organisation-reactivated'],
  )
  assert.equal(listRow((await agent.get('/admin/organisations')).body, name)?.status, 'Active')
})

test('the list pages through more than 50 organisations, keeping the status filter', async () => {
  const southendAdmin = await ctx.signIn(await ctx.newAccount('southend', 'administrator'))
  const first = await southendAdmin.get('/admin/organisations?status=all')
  const total = Number(/of (\d+) organisations/.exec(text(first.body))?.[1] ?? 0)
  for (let i = total; i < 55; i++) await ctx.newOrganisation('southend')
  const page1 = await southendAdmin.get('/admin/organisations?status=all')
  const count = Number(/of (\d+) organisations/.exec(text(page1.body))?.[1])
  assert.ok(count >= 55)
  assert.match(text(page1.body), new RegExp(`Showing 1 to 50 of ${count} organisations`))
  assert.match(page1.body, /href="\/admin\/organisations\?status=all&amp;page=2"/)
  const page2 = await southendAdmin.get('/admin/organisations?status=all&page=2')
  assert.match(text(page2.body), new RegExp(`Showing 51 to ${Math.min(100, count)} of ${count} organisations`))
})

test('a name with a character the database cannot store is refused with a message, not a server error', async () => {
  const name = uniqueName('Null\u0000byte')
  const response = await agent.post('/admin/organisations/new', { name, kind: 'school' })
  assert.ok(response.statusCode < 500, `status ${response.statusCode}`)
  assert.doesNotMatch(response.body, /Sorry, there is a problem with the service/)
})

test('names with markup are shown as text', async () => {
  const name = uniqueName('<b>Bold</b> & "Co"')
  assert.equal((await agent.post('/admin/organisations/new', { name, kind: 'other' })).statusCode, 303)
  const list = await agent.get('/admin/organisations')
  assert.ok(!list.body.includes('<b>Bold</b>'))
  assert.ok(list.body.includes(name.replace('&', '&amp;').replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;').replaceAll('"', '&quot;')))
})
