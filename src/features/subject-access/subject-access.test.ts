import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { KyselyPlugin } from 'kysely'
import type { Actor } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { errorSummary, text } from '../../test/html.ts'
import { NEW_ADDRESS, protectedFamily } from '../protected-details/test-support.ts'
import { exportSubjectAccess } from './service.ts'

let ctx: TestContext
let lead: TestAccount
let leadAgent: Agent
let manager: Agent

before(async () => {
  ctx = await createTestContext()
  lead = await ctx.newAccount('southend', 'practitioner')
  leadAgent = await ctx.signIn(lead)
  manager = await ctx.signIn(await ctx.newAccount('southend', 'team_manager'))
})
after(() => ctx.close())

const count = async (table: 'audit_events' | 'disclosures', where: Record<string, string>) => {
  let q = ctx.db.system.selectFrom(table as 'audit_events').select((eb) => eb.fn.countAll<string>().as('n'))
  for (const [k, v] of Object.entries(where)) q = q.where(k as 'action', '=', v)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

async function protectedChild() {
  const family = await protectedFamily(ctx, lead)
  const recorded = await leadAgent.post(`/involvements/${family.id}/protected-details/new`, { personId: family.dana, kind: 'address', value: NEW_ADDRESS, hiddenFromPeople: [family.rob, family.maisie], reason: 'Domestic abuse' })
  assert.equal(recorded.statusCode, 303)
  return family
}

test('a team manager exports a child’s record: the plan is there, the protected address and third parties are marked, once audited and logged', async () => {
  const family = await protectedChild()
  const url = `/involvements/${family.id}/people/${family.maisie}/subject-access`
  const page = await manager.get(url)
  assert.equal(page.statusCode, 200)
  assert.match(text(page.body), /Subject access export for Maisie Larchfield/)
  assert.equal(await count('audit_events', { action: 'subject-access-viewed', record_id: family.id }), 1)

  const missing = await manager.post(url, { requestedBy: ' ' })
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(errorSummary(missing.body), [{ href: '#requestedBy', text: 'Enter who made the subject access request' }])
  assert.equal(await count('audit_events', { action: 'subject-access-exported', record_id: family.id }), 0)

  const document = await manager.post(url, { requestedBy: 'Dana Larchfield, for Maisie' })
  assert.equal(document.statusCode, 200, document.body.slice(0, 400))
  const words = text(document.body)
  assert.match(words, /Everything held about Maisie Larchfield/)
  assert.match(words, /Version 1 \(initial, draft\)/)
  assert.match(words, /enjoys football/)
  assert.match(document.body, /<mark class="app-redact" data-redact="protected">14 Larch Close, Basildon SS14 3PD <span[^>]*>\[redact: protected address\]/)
  assert.match(document.body, /<mark class="app-redact" data-redact="third-party">Rob <span[^>]*>\[redact: third party\]/)
  assert.equal(await count('audit_events', { action: 'subject-access-exported', record_id: family.id }), 1)
  assert.equal(await count('disclosures', { involvement_id: family.id, source: 'subject-access-export' }), 1)

  const json = await manager.post(`${url}.json`, { requestedBy: 'Dana Larchfield, for Maisie' })
  assert.equal(json.statusCode, 200)
  assert.match(json.headers['content-disposition'] as string, /attachment; filename="subject-access-SOU-EH-\d{4}-\d+-Maisie-Larchfield\.json"/)
  const record = JSON.parse(json.body)
  assert.equal(record.subject.name, 'Maisie Larchfield')
  const involvement = record.involvements[0]
  assert.equal(involvement.planVersions.length, 1)
  assert.deepEqual(involvement.planVersions[0].child.address, { parts: [{ text: NEW_ADDRESS, redact: { reason: 'protected', detail: 'protected address' } }] })
  assert.deepEqual(
    involvement.otherFamilyMembers.map((o: { name: string; redact: unknown }) => [o.name, o.redact]),
    [
      ['Dana Larchfield', { reason: 'third-party' }],
      ['Rob Larchfield', { reason: 'third-party' }],
    ],
  )
  assert.equal(await count('audit_events', { action: 'subject-access-exported', record_id: family.id }), 2)
  assert.equal(await count('disclosures', { involvement_id: family.id, source: 'subject-access-export' }), 2)

  // For Dana, the address is her own and not marked protected.
  const forDana = JSON.parse((await manager.post(`/involvements/${family.id}/people/${family.dana}/subject-access.json`, { requestedBy: 'Dana Larchfield' })).body)
  assert.equal(forDana.involvements[0].planVersions[0].child.address, NEW_ADDRESS)
})

test('who may export: managers of the authority only; everyone else 404', async () => {
  const family = await protectedChild()
  const url = `/involvements/${family.id}/people/${family.maisie}/subject-access`
  const duty = await ctx.signIn(await ctx.newAccount('southend', 'duty_manager'))
  assert.equal((await duty.get(url)).statusCode, 200)
  const others = [
    leadAgent,
    await ctx.signIn(await ctx.newAccount('southend', 'early_help_advisor')),
    await ctx.signIn(await ctx.newAccount('southend', 'front_door_officer')),
    await ctx.signIn(await ctx.newAccount('southend', 'administrator')),
    await ctx.signIn(await ctx.newAccount('essex', 'team_manager')),
  ]
  for (const agent of others) {
    assert.equal((await agent.get(url)).statusCode, 404)
    assert.equal((await agent.post(url, { requestedBy: 'x' })).statusCode, 404)
    assert.equal((await agent.post(`${url}.json`, { requestedBy: 'x' })).statusCode, 404)
  }
  // A person of another family is not found through this one.
  const other = await protectedFamily(ctx, lead)
  assert.equal((await manager.get(`/involvements/${family.id}/people/${other.maisie}/subject-access`)).statusCode, 404)
  assert.equal(await count('audit_events', { action: 'subject-access-exported', record_id: family.id }), 0)
})

/** The database, counting every statement run inside `asTenant`. */
function counting(db: Database) {
  const counter = { queries: 0 }
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.queries += 1
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  const wrapped: Database = { ...db, system: db.system, kind: db.kind, pglite: db.pglite, close: db.close, asTenant: (tenantId, work) => db.asTenant(tenantId, (trx) => work(trx.withPlugin(plugin))) }
  return { db: wrapped, counter }
}

/** Links a family's child to a request record of their own; returns the request person's id. */
async function linkToRequest(involvementId: string, personId: string, n: number): Promise<string> {
  const request = await ctx.db.system
    .insertInto('requests')
    .values({ tenant_id: 'southend', reference: `SOU-RFS-2026-9${String(n).padStart(4, '0')}`, status: 'submitted', route: 'practitioner', answers: JSON.stringify({ worries: { text: 'Maisie is often late to school' } }), submitted_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow()
  const person = await ctx.db.system
    .insertInto('request_people')
    .values({ tenant_id: 'southend', request_id: request.id, kind: 'child', given_name: 'Maisie', family_name: 'Larchfield', date_of_birth: '2017-03-02' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db.system.updateTable('involvement_people').set({ request_person_id: person.id }).where('id', '=', personId).execute()
  return person.id
}

test('a child in three families’ early help costs the same number of queries as a child in one, and all three are in the export', async () => {
  const managerAccount = await ctx.newAccount('southend', 'team_manager')
  const actor: Actor = { accountId: managerAccount.id, tenantId: 'southend', role: 'team_manager', ip: null, requestId: null }
  const form = { requestedBy: 'Dana Larchfield', format: 'json' as const }

  const single = await protectedChild()
  await linkToRequest(single.id, single.maisie, 1)
  const one = counting(ctx.db)
  const alone = await exportSubjectAccess(one.db, actor, single.id, single.maisie, form, new Date())
  assert.equal(alone.record.involvements.length, 1)
  assert.equal(alone.record.requests.length, 1)

  const families = [await protectedChild(), await protectedChild(), await protectedChild()]
  const ids = await Promise.all(families.map((f, i) => linkToRequest(f.id, f.maisie, 10 + i)))
  const decider = managerAccount.id
  // The front door confirmed the later records are the same Maisie as the first.
  await ctx.db.system
    .insertInto('person_matches')
    .values(ids.slice(1).map((id) => ({ tenant_id: 'southend', request_person_id: id, matched_person_id: ids[0]!, decision: 'confirmed' as const, decided_by: decider })))
    .execute()
  const three = counting(ctx.db)
  const many = await exportSubjectAccess(three.db, actor, families[0]!.id, families[0]!.maisie, form, new Date())
  assert.equal(many.record.involvements.length, 3)
  assert.equal(many.record.requests.length, 3)
  assert.equal(three.counter.queries, one.counter.queries, `queries: ${three.counter.queries} for three families, ${one.counter.queries} for one`)
  assert.ok(one.counter.queries <= 30, `${one.counter.queries} queries`)
})
