import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { ROLES, type Role } from '../db/schema.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'

const TENANTS = ['essex', 'southend'] as const
type Tenant = (typeof TENANTS)[number]

/** What each authority's routes act on: records of its own, so an administrator's request succeeds. */
interface Targets {
  organisationId: string
  accountId: string
}

interface Route {
  method: 'GET' | 'POST'
  /** The route as registered, which is what an access-denied event records. */
  pattern: string
  url(targets: Targets): string
  form?(targets: Targets): Record<string, string>
  /** What an administrator gets. */
  ok: number
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: '/home', url: () => '/home', ok: 200 },
  { method: 'GET', pattern: '/admin/accounts', url: () => '/admin/accounts', ok: 200 },
  { method: 'GET', pattern: '/admin/accounts/new', url: () => '/admin/accounts/new', ok: 200 },
  { method: 'GET', pattern: '/admin/accounts/:id', url: (t) => `/admin/accounts/${t.accountId}`, ok: 200 },
  { method: 'GET', pattern: '/admin/organisations', url: () => '/admin/organisations', ok: 200 },
  { method: 'GET', pattern: '/admin/organisations/new', url: () => '/admin/organisations/new', ok: 200 },
  { method: 'GET', pattern: '/admin/audit', url: () => '/admin/audit', ok: 200 },
  {
    method: 'POST',
    pattern: '/admin/accounts/new',
    url: () => '/admin/accounts/new',
    form: (t) => ({
      name: 'Matrix Person',
      email: `matrix-${randomUUID()}@example.test`,
      role: 'practitioner',
      organisationId: t.organisationId,
      password: 'a long enough first password',
    }),
    ok: 303,
  },
  {
    method: 'POST',
    pattern: '/admin/organisations/new',
    url: () => '/admin/organisations/new',
    form: () => ({ name: `Matrix organisation ${randomUUID()}`, kind: 'voluntary' }),
    ok: 303,
  },
  { method: 'POST', pattern: '/admin/accounts/:id/:change', url: (t) => `/admin/accounts/${t.accountId}/deactivate`, form: () => ({}), ok: 303 },
  { method: 'POST', pattern: '/admin/organisations/:id/:change', url: (t) => `/admin/organisations/${t.organisationId}/deactivate`, form: () => ({}), ok: 303 },
]
const ADMIN_ONLY = ROUTES.filter((route) => route.pattern !== '/home')

let ctx: TestContext
const targets = {} as Record<Tenant, Targets>
const people = {} as Record<Tenant, Record<Role, { account: TestAccount; agent: Agent }>>

before(async () => {
  ctx = await createTestContext()
  for (const tenant of TENANTS) {
    const organisationId = await ctx.newOrganisation(tenant, { name: `Matrix target ${tenant} ${randomUUID()}` })
    const target = await ctx.newAccount(tenant, 'practitioner', { organisationId })
    targets[tenant] = { organisationId, accountId: target.id }
    people[tenant] = {} as Record<Role, { account: TestAccount; agent: Agent }>
    for (const role of ROLES) {
      const account = await ctx.newAccount(tenant, role)
      people[tenant][role] = { account, agent: await ctx.signIn(account) }
    }
  }
})
after(() => ctx.close())

function send(agent: Agent, route: Route, tenant: Tenant): Promise<LightMyRequestResponse> {
  const url = route.url(targets[tenant])
  return route.method === 'GET' ? agent.get(url) : agent.post(url, route.form?.(targets[tenant]) ?? {})
}

async function latestDenial(accountId: string) {
  return ctx.db.system
    .selectFrom('audit_events')
    .selectAll()
    .where('actor_account_id', '=', accountId)
    .where('action', '=', 'access-denied')
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

async function targetState(tenant: Tenant) {
  const account = await ctx.db.system.selectFrom('accounts').select('active').where('id', '=', targets[tenant].accountId).executeTakeFirstOrThrow()
  const organisation = await ctx.db.system.selectFrom('organisations').select('active').where('id', '=', targets[tenant].organisationId).executeTakeFirstOrThrow()
  return { account: account.active, organisation: organisation.active }
}

for (const tenant of TENANTS) {
  test(`${tenant}: a visitor is sent to sign in, and brought back afterwards`, async (t) => {
    const visitor = ctx.visitor()
    await visitor.get('/sign-in') // so the visitor's forms carry a token, as a browser's would
    for (const route of ROUTES) {
      await t.test(`${route.method} ${route.pattern}`, async () => {
        const url = route.url(targets[tenant])
        const response = await send(visitor, route, tenant)
        assert.equal(response.statusCode, 303)
        assert.equal(response.headers.location, `/sign-in?returnTo=${encodeURIComponent(url)}`)
      })
    }
    assert.deepEqual(await targetState(tenant), { account: true, organisation: true })
  })

  for (const role of ROLES.filter((r) => r !== 'administrator')) {
    test(`${tenant} ${role}: every admin page is "not found", and each refusal is audited`, async (t) => {
      const { account, agent } = people[tenant][role]
      await t.test('GET /home', async () => {
        const response = await agent.get('/home')
        assert.equal(response.statusCode, 200)
        assert.ok(!response.body.includes('href="/admin/'), 'no admin links in the navigation')
      })
      for (const route of ADMIN_ONLY) {
        await t.test(`${route.method} ${route.pattern}`, async () => {
          const before = await latestDenial(account.id)
          const response = await send(agent, route, tenant)
          assert.equal(response.statusCode, 404)
          assert.match(response.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/)
          const denial = await latestDenial(account.id)
          assert.ok(denial && denial.id !== before?.id, 'an access-denied event is written')
          assert.equal(denial.tenant_id, tenant)
          assert.equal(denial.actor_role, role)
          assert.equal(denial.outcome, 'denied')
          assert.deepEqual(denial.detail, { method: route.method, route: route.pattern })
        })
      }
      assert.deepEqual(await targetState(tenant), { account: true, organisation: true }, 'nothing was changed')
    })
  }

  test(`${tenant} administrator: every page and action works`, async (t) => {
    const { account, agent } = people[tenant].administrator
    for (const route of ROUTES) {
      await t.test(`${route.method} ${route.pattern}`, async () => {
        const response = await send(agent, route, tenant)
        assert.equal(response.statusCode, route.ok, response.body.slice(0, 200))
      })
    }
    assert.equal(await latestDenial(account.id), undefined, 'an administrator is never refused')
    assert.deepEqual(await targetState(tenant), { account: false, organisation: false }, 'the deactivations happened')
  })
}

test('an Essex administrator cannot see or change Southend\'s accounts and organisations', async () => {
  const { agent } = people.essex.administrator
  const southendOrganisation = await ctx.newOrganisation('southend', { name: `Southend only ${randomUUID()}` })
  const southendPerson = await ctx.newAccount('southend', 'duty_manager', { organisationId: southendOrganisation })
  const southendAgent = await ctx.signIn(southendPerson)
  const deactivatedSouthend = await ctx.newAccount('southend', 'practitioner')
  await ctx.db.system.updateTable('accounts').set({ active: false, deactivated_at: new Date() }).where('id', '=', deactivatedSouthend.id).execute()

  const attempts: [string, () => Promise<LightMyRequestResponse>][] = [
    ['view the account', () => agent.get(`/admin/accounts/${southendPerson.id}`)],
    ['deactivate the account', () => agent.post(`/admin/accounts/${southendPerson.id}/deactivate`)],
    ['reactivate an account', () => agent.post(`/admin/accounts/${deactivatedSouthend.id}/reactivate`)],
    ['deactivate the organisation', () => agent.post(`/admin/organisations/${southendOrganisation}/deactivate`)],
    ['reactivate the organisation', () => agent.post(`/admin/organisations/${southendOrganisation}/reactivate`)],
  ]
  for (const [what, attempt] of attempts) {
    const response = await attempt()
    assert.equal(response.statusCode, 404, what)
    assert.match(response.body, /Page not found/, what)
  }

  const rows = await ctx.db.system
    .selectFrom('accounts')
    .select(['id', 'active', 'deactivated_at'])
    .where('id', 'in', [southendPerson.id, deactivatedSouthend.id])
    .execute()
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, r.active])), { [southendPerson.id]: true, [deactivatedSouthend.id]: false })
  const organisation = await ctx.db.system.selectFrom('organisations').selectAll().where('id', '=', southendOrganisation).executeTakeFirstOrThrow()
  assert.equal(organisation.active, true)
  assert.equal(organisation.deactivated_at, null)
  assert.equal((await southendAgent.get('/home')).statusCode, 200, 'the Southend person is still signed in')

  // Nor do Southend's records show in Essex's lists.
  const accounts = await agent.get(`/admin/accounts?status=all&q=${encodeURIComponent(southendPerson.email)}`)
  assert.match(accounts.body, /No accounts/)
  assert.ok(!accounts.body.includes(southendPerson.id))
  const organisations = await agent.get('/admin/organisations?status=all')
  assert.ok(!organisations.body.includes(southendOrganisation))
  const events = await ctx.db.system
    .selectFrom('audit_events')
    .select('action')
    .where('tenant_id', '=', 'southend')
    .where('actor_account_id', '=', people.essex.administrator.account.id)
    .execute()
  assert.deepEqual(events, [], 'nothing is recorded against Southend by an Essex administrator')
})

test('a mangled or unknown id in an address is "not found", not a server error', async () => {
  const { agent } = people.southend.administrator
  const ids = ['not-a-uuid', '1', "1' or '1'='1", '00000000-0000-0000-0000-00000000000g', `${randomUUID()}x`, randomUUID(), '\u0000', 'x'.repeat(90)].map(encodeURIComponent)
  for (const id of ids) {
    for (const [method, url] of [
      ['GET', `/admin/accounts/${id}`],
      ['POST', `/admin/accounts/${id}/deactivate`],
      ['POST', `/admin/accounts/${id}/reactivate`],
      ['POST', `/admin/organisations/${id}/deactivate`],
      ['POST', `/admin/organisations/${id}/reactivate`],
    ] as const) {
      const response = method === 'GET' ? await agent.get(url) : await agent.post(url)
      assert.equal(response.statusCode, 404, `${method} ${url}`)
      assert.match(response.body, /Page not found/)
    }
  }
  const target = targets.southend
  for (const change of ['delete', 'DEACTIVATE', 'activate']) {
    assert.equal((await agent.post(`/admin/accounts/${target.accountId}/${change}`)).statusCode, 404, change)
    assert.equal((await agent.post(`/admin/organisations/${target.organisationId}/${change}`)).statusCode, 404, change)
  }
})
