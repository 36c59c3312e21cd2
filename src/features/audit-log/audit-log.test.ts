import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { AUDIT_ACTIONS } from '../../platform/audit/audit.ts'
import { createTestContext, type Agent, type TestAccount, type TestContext } from '../../test/context.ts'
import { text } from '../../test/html.ts'

let ctx: TestContext
let admin: TestAccount
let agent: Agent

before(async () => {
  ctx = await createTestContext()
  admin = await ctx.newAccount('essex', 'administrator')
  agent = await ctx.signIn(admin)
})
after(() => ctx.close())

interface Row {
  when: string
  who: string
  what: string
  record: string
  /** The `n` each test event carries in its detail, to tell the events apart. */
  n: number | undefined
}

function rows(html: string): Row[] {
  const body = /<tbody[^]*?<\/tbody>/.exec(html)?.[0] ?? ''
  return (body.match(/<tr class="govuk-table__row">[^]*?<\/tr>/g) ?? []).map((tr) => {
    const cells = [...tr.matchAll(/<td class="govuk-table__cell">([^]*?)<\/td>/g)].map((m) => text(m[1] ?? ''))
    const n = /\bn: (\d+)/.exec(cells[2] ?? '')?.[1]
    return { when: cells[0] ?? '', who: cells[1] ?? '', what: cells[2] ?? '', record: cells[3] ?? '', n: n === undefined ? undefined : Number(n) }
  })
}

function olderLink(html: string): string | undefined {
  return /<a[^>]*href="([^"]*)"[^>]*rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&')
}

/** Follows "Older events" from the first page to the last, giving the `n` of every event on each page. */
async function allPages(url: string, as: Agent = agent): Promise<number[][]> {
  const pages: number[][] = []
  let next: string | undefined = url
  while (next && pages.length < 20) {
    const response = await as.get(next)
    assert.equal(response.statusCode, 200, next)
    pages.push(rows(response.body).flatMap((row) => (row.n === undefined ? [] : [row.n])))
    next = olderLink(response.body)
  }
  return pages
}

async function insertEvents(
  count: number,
  input: { tenantId?: string; recordId: string; action?: string; actorAccountId?: string | null; at: (i: number) => Date; marker?: string },
) {
  await ctx.db.system
    .insertInto('audit_events')
    .values(
      Array.from({ length: count }, (_, i) => ({
        tenant_id: input.tenantId ?? 'essex',
        action: input.action ?? 'account-viewed',
        actor_account_id: input.actorAccountId ?? null,
        actor_role: input.actorAccountId ? 'administrator' : null,
        record_type: 'account',
        record_id: input.recordId,
        outcome: 'success' as const,
        detail: JSON.stringify(input.marker ? { n: i, marker: input.marker } : { n: i }),
        at: input.at(i),
      })),
    )
    .execute()
}

test('the log shows events newest first, with who did what to which record', async () => {
  const recordId = randomUUID()
  const now = Date.now()
  await insertEvents(3, { recordId, actorAccountId: admin.id, at: (i) => new Date(now - (3 - i) * 1000) })
  const response = await agent.get(`/admin/audit?recordId=${recordId}`)
  assert.equal(response.statusCode, 200)
  const shown = rows(response.body)
  assert.deepEqual(
    shown.map((r) => r.n),
    [2, 1, 0],
  )
  for (const row of shown) {
    assert.match(row.who, /Test administrator/)
    assert.match(row.what, /^Viewed an account/)
    assert.equal(row.record, `account ${recordId}`)
  }
})

test('the log filters by action, by the person who acted and by record', async () => {
  const recordId = randomUUID()
  const other = await ctx.newAccount('essex', 'administrator')
  const now = Date.now()
  await insertEvents(2, { recordId, action: 'organisation-deactivated', actorAccountId: admin.id, at: (i) => new Date(now - 5000 + i) })
  await insertEvents(2, { recordId, action: 'organisation-reactivated', actorAccountId: other.id, at: (i) => new Date(now - 4000 + i) })

  const byRecord = rows((await agent.get(`/admin/audit?recordId=${recordId}`)).body)
  assert.equal(byRecord.length, 4)

  const byAction = await agent.get(`/admin/audit?action=organisation-reactivated&recordId=${recordId}`)
  assert.deepEqual(
    rows(byAction.body).map((r) => r.what),
    ['Reactivated an organisation n: 1', 'Reactivated an organisation n: 0'],
  )
  assert.match(byAction.body, /<option value="organisation-reactivated" selected>/)
  const anyRecord = rows((await agent.get('/admin/audit?action=organisation-deactivated')).body)
  assert.ok(anyRecord.length >= 2)
  assert.ok(anyRecord.every((r) => r.what.startsWith(AUDIT_ACTIONS['organisation-deactivated'])))

  const byActor = await agent.get(`/admin/audit?actor=${other.id}`)
  const actorRows = rows(byActor.body)
  assert.ok(actorRows.length >= 2)
  assert.ok(actorRows.every((r) => r.what.startsWith('Reactivated an organisation')), 'only what that person did')
  assert.match(text(byActor.body), /Showing what one person did\./)

  const byActorAndRecord = rows((await agent.get(`/admin/audit?actor=${admin.id}&recordId=${recordId}`)).body)
  assert.deepEqual(
    byActorAndRecord.map((r) => r.what),
    ['Deactivated an organisation n: 1', 'Deactivated an organisation n: 0'],
  )
  assert.match((await agent.get(`/admin/audit?recordId=${randomUUID()}`)).body, /No events match\./)
})

test('the log filters by date, the "to" day included', async () => {
  const recordId = randomUUID()
  const days = [Date.UTC(2025, 0, 14, 12), Date.UTC(2025, 0, 15, 23, 30), Date.UTC(2025, 0, 16, 0, 30)]
  await insertEvents(3, { recordId, at: (i) => new Date(days[i] ?? 0) })
  const ns = async (query: string) => rows((await agent.get(`/admin/audit?recordId=${recordId}&${query}`)).body).map((r) => r.n)
  assert.deepEqual(await ns('from=2025-01-15'), [2, 1])
  assert.deepEqual(await ns('to=2025-01-15'), [1, 0])
  assert.deepEqual(await ns('from=2025-01-15&to=2025-01-15'), [1])
})

test('the date filter uses the same UK days the log shows its times in', async () => {
  // In summer, 23:30 UTC on 15 July is 00:30 on 16 July in the UK, and the log says so.
  const recordId = randomUUID()
  const times = [Date.UTC(2025, 6, 15, 22, 30), Date.UTC(2025, 6, 15, 23, 30)]
  await insertEvents(2, { recordId, at: (i) => new Date(times[i] ?? 0) })
  const all = rows((await agent.get(`/admin/audit?recordId=${recordId}`)).body)
  assert.deepEqual(
    all.map((r) => r.when),
    ['16 July 2025 at 12:30am', '15 July 2025 at 11:30pm'],
  )
  const from16 = rows((await agent.get(`/admin/audit?recordId=${recordId}&from=2025-07-16`)).body)
  assert.deepEqual(
    from16.map((r) => r.when),
    ['16 July 2025 at 12:30am'],
    'from 16 July shows what the log says happened on 16 July',
  )
  const to15 = rows((await agent.get(`/admin/audit?recordId=${recordId}&to=2025-07-15`)).body)
  assert.deepEqual(
    to15.map((r) => r.when),
    ['15 July 2025 at 11:30pm'],
    'to 15 July shows only what the log says happened by the end of 15 July',
  )
})

test('"Older events" pages through the whole log: nothing twice and nothing missed', async () => {
  const recordId = randomUUID()
  const start = Date.now() - 60_000
  await insertEvents(130, { recordId, at: (i) => new Date(start + i * 7) })
  const pages = await allPages(`/admin/audit?recordId=${recordId}`)
  assert.deepEqual(
    pages.map((p) => p.length),
    [50, 50, 30],
  )
  const all = pages.flat()
  assert.deepEqual(
    all,
    Array.from({ length: 130 }, (_, i) => 129 - i),
    'every event once, newest first',
  )

  const second = await agent.get(olderLink((await agent.get(`/admin/audit?recordId=${recordId}`)).body) ?? '')
  assert.match(second.body, new RegExp(`href="/admin/audit\\?recordId=${recordId}"[^>]*rel="prev"`), 'a link back to the newest events')
})

test('events recorded within the same millisecond are neither skipped nor repeated across pages', async () => {
  // PostgreSQL keeps microseconds; several events in one millisecond is ordinary (a sign-in writes two or three).
  const recordId = randomUUID()
  await sql`
    insert into audit_events (tenant_id, action, record_type, record_id, outcome, detail, at)
    select 'essex', 'account-viewed', 'account', ${recordId}, 'success', jsonb_build_object('n', g),
           timestamptz '2026-06-01 12:00:00.000+00' + (g / 40) * interval '1 millisecond' + (g % 40) * interval '10 microseconds'
    from generate_series(0, 119) as g`.execute(ctx.db.system)
  const pages = await allPages(`/admin/audit?recordId=${recordId}`)
  const all = pages.flat()
  assert.equal(new Set(all).size, all.length, 'no event on two pages')
  const missing = Array.from({ length: 120 }, (_, i) => i).filter((n) => !all.includes(n))
  assert.deepEqual(missing, [], `every event appears (the pages held ${pages.map((p) => p.length).join(', ')} of 120)`)
  assert.deepEqual(all, [...all].sort((a, b) => b - a), 'newest first across pages')
})

test('reading the log is itself audited, with the filter used', async () => {
  const recordId = randomUUID()
  await agent.get(`/admin/audit?action=sign-in&recordId=${recordId}`)
  const event = await ctx.db.system
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'audit-viewed')
    .where('actor_account_id', '=', admin.id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.equal(event.tenant_id, 'essex')
  assert.equal(event.record_type, 'audit')
  assert.deepEqual(event.detail, { action: 'sign-in', recordId })
  // The viewing shows up in the log for the next reader.
  const next = rows((await agent.get('/admin/audit?action=audit-viewed')).body)
  assert.ok(next.some((r) => r.what.includes(`recordId: ${recordId}`)))
})

test('an Essex administrator never sees a Southend event, and the reverse', async () => {
  const recordId = randomUUID()
  const marker = `southend-only-${randomUUID()}`
  const southendAdmin = await ctx.newAccount('southend', 'administrator')
  const southendAgent = await ctx.signIn(southendAdmin)
  await insertEvents(3, { tenantId: 'southend', recordId, actorAccountId: southendAdmin.id, at: () => new Date(), marker })

  assert.match((await agent.get(`/admin/audit?recordId=${recordId}`)).body, /No events match\./)
  assert.match((await agent.get(`/admin/audit?actor=${southendAdmin.id}`)).body, /No events match\./)
  // Through every page of Essex's log, Southend's events never appear (the searches above are there, as Essex's own events).
  let next: string | undefined = '/admin/audit'
  let pages = 0
  while (next && pages < 20) {
    const page = await agent.get(next)
    assert.ok(!page.body.includes(marker), `a Southend event on Essex page ${pages + 1}`)
    assert.ok(!rows(page.body).some((row) => row.record.includes(recordId)), `Southend's record on Essex page ${pages + 1}`)
    next = olderLink(page.body)
    pages++
  }
  assert.ok(pages >= 1)

  assert.deepEqual(
    rows((await southendAgent.get(`/admin/audit?recordId=${recordId}`)).body).map((r) => r.n),
    [2, 1, 0],
    'Southend sees its own',
  )
  const southendNewest = await southendAgent.get('/admin/audit')
  assert.ok(!southendNewest.body.includes(admin.id), 'and never Essex\'s')
  assert.match((await southendAgent.get(`/admin/audit?actor=${admin.id}`)).body, /No events match\./)
})

test('filters that cannot be read are ignored, never a server error', async () => {
  const recordId = randomUUID()
  await insertEvents(1, { recordId, at: () => new Date() })
  const odd = [
    'before=2026-99-99T99:99Z_1',
    'before=2026-01-01T00:00:00.000Z_99999999999999999999999',
    'before=not-a-cursor',
    'from=0000-01-01',
    'to=9999-12-31',
    'from=2026-13-45',
    'actor=not-a-uuid',
    'action=made-up',
    'recordId=%00',
    `recordId=${'x'.repeat(500)}`,
    'action=sign-in&action=sign-out',
  ]
  const failures: string[] = []
  for (const query of odd) {
    const response = await agent.get(`/admin/audit?${query}`)
    if (response.statusCode !== 200 || /Sorry, there is a problem with the service/.test(response.body)) failures.push(`${query}: ${response.statusCode}`)
  }
  assert.deepEqual(failures, [])
})
