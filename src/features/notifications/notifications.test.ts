import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { MAX_ATTEMPTS, queueNotification } from '../../platform/notify/outbox.ts'
import { createOutboxTestContext } from '../../platform/notify/test-support.ts'
import type { Agent, TestAccount, TestContext } from '../../test/context.ts'
import { statusTag } from './routes.ts'
import { text } from '../../test/html.ts'

let ctx: TestContext
let admin: TestAccount

before(async () => {
  ctx = await createOutboxTestContext()
  admin = await ctx.newAccount('essex', 'administrator')
})
after(() => ctx.close())

const signIn = (account: TestAccount): Promise<Agent> => ctx.signIn(account)

/** The table's rows as arrays of cell text. */
function tableRows(html: string): string[][] {
  const body = /<tbody class="govuk-table__body">([^]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return (body.match(/<tr class="govuk-table__row">[^]*?<\/tr>/g) ?? []).map((row) =>
    [...row.matchAll(/<td class="govuk-table__cell[^"]*">([^]*?)<\/td>/g)].map((m) => text(m[1] ?? '')),
  )
}

async function queue(tenantId: string, recipient: string, template: 'request-acknowledged' | 'request-decided' = 'request-acknowledged') {
  return ctx.db.asTenant(tenantId, (trx) =>
    queueNotification(trx, { tenantId, eventKey: `test:${randomUUID()}`, template, recipient, personalisation: { reference: 'SOU-2026-00001' } }),
  )
}

const outbox = () => ctx.db.system

test('an administrator sees their authority’s messages, newest first, with what happened to each; looking is audited', async () => {
  const waiting = await queue('essex', 'waiting@example.com')
  const demo = await queue('essex', 'demo@example.com', 'request-decided')
  const sent = await queue('essex', 'sent@example.com')
  const failed = await queue('essex', 'failed@example.com')
  const retrying = await queue('essex', 'retrying@example.com')
  await queue('southend', 'southend@example.com')
  const now = new Date()
  await outbox().updateTable('notifications').set({ status: 'sent-demonstration', attempts: 1, sent_at: now, next_attempt_at: null }).where('id', '=', demo.id).execute()
  await outbox().updateTable('notifications').set({ status: 'sent', attempts: 2, sent_at: now, next_attempt_at: null, provider_id: 'p' }).where('id', '=', sent.id).execute()
  await outbox()
    .updateTable('notifications')
    .set({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null, last_error: 'GOV.UK Notify answered 500 (Exception)' })
    .where('id', '=', failed.id)
    .execute()
  await outbox()
    .updateTable('notifications')
    .set({ attempts: 1, next_attempt_at: new Date(Date.now() + 60_000), last_error: 'GOV.UK Notify could not be reached (ECONNRESET)' })
    .where('id', '=', retrying.id)
    .execute()

  const agent = await signIn(admin)
  const page = await agent.get('/admin/notifications')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1 class="govuk-heading-l">Notifications<\/h1>/)
  const rows = tableRows(page.body)
  assert.deepEqual(
    rows.map(([, message, to, status, attempts]) => [message, to, status?.replace(/ Trying again .*| GOV\.UK Notify .*/, ''), attempts]),
    [
      ['Request for support acknowledged', 'retrying@example.com', 'Waiting to send', '1'],
      ['Request for support acknowledged', 'failed@example.com', `Failed after ${MAX_ATTEMPTS} attempts`, String(MAX_ATTEMPTS)],
      ['Request for support acknowledged', 'sent@example.com', 'Sent', '2'],
      ['Decision on a request for support', 'demo@example.com', 'Sent in demonstration mode', '1'],
      ['Request for support acknowledged', 'waiting@example.com', 'Waiting to send', '0'],
    ],
  )
  assert.match(rows[0]?.[3] ?? '', /Trying again \d+ \w+ \d{4} at \d{1,2}:\d{2}[ap]m GOV\.UK Notify could not be reached \(ECONNRESET\)/)
  assert.match(rows[1]?.[3] ?? '', /GOV\.UK Notify answered 500/)
  assert.ok(!page.body.includes('southend@example.com'), 'another authority’s messages are not shown')
  assert.ok(rows.every(([when]) => /\d{4} at \d{1,2}:\d{2}[ap]m/.test(when ?? '')))
  assert.equal(waiting.created, true)

  const events = await ctx.db.system
    .selectFrom('audit_events')
    .selectAll()
    .where('actor_account_id', '=', admin.id)
    .where('action', '=', 'notification-list-viewed')
    .execute()
  assert.equal(events.length, 1)
  assert.equal(events[0]?.tenant_id, 'essex')
  assert.equal(events[0]?.record_type, 'notification')
})

test('the outbox pages by keyset, fifty at a time, even when messages share a moment', async () => {
  const southendAdmin = await ctx.newAccount('southend', 'administrator')
  // One transaction: every row has the same created_at, so the order rests on the id.
  await ctx.db.asTenant('southend', async (trx) => {
    for (let i = 0; i < 55; i++) {
      await queueNotification(trx, { tenantId: 'southend', eventKey: `page:${i}`, template: 'request-acknowledged', recipient: `person${i}@example.com`, personalisation: {} })
    }
  })
  const agent = await signIn(southendAdmin)
  const first = await agent.get('/admin/notifications')
  const firstRows = tableRows(first.body)
  assert.equal(firstRows.length, 50)
  const older = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.body)?.[1]
  assert.ok(older, 'a link to older messages')
  assert.match(older, /^\/admin\/notifications\?before=[0-9a-f-]{36}$/)
  const second = await agent.get(older)
  const secondRows = tableRows(second.body)
  assert.equal(secondRows.length, 6)
  assert.match(second.body, /href="\/admin\/notifications" rel="prev"/)
  const recipients = [...firstRows, ...secondRows].map((r) => r[2])
  assert.equal(new Set(recipients).size, 56, 'none repeated, none missed (the 55 and the first test’s one)')

  // A mangled or unknown cursor is simply the first page or an empty one, never an error.
  assert.equal((await agent.get('/admin/notifications?before=nonsense')).statusCode, 200)
  const unknown = await agent.get(`/admin/notifications?before=${randomUUID()}`)
  assert.equal(unknown.statusCode, 200)
  assert.match(unknown.body, /No messages on this page/)
})

test('anyone but an administrator is told the page does not exist, and the attempt is audited', async () => {
  for (const role of ['practitioner', 'team_manager', 'duty_manager'] as const) {
    const account = await ctx.newAccount('essex', role)
    const agent = await signIn(account)
    const response = await agent.get('/admin/notifications')
    assert.equal(response.statusCode, 404, role)
    assert.ok(!response.body.includes('@example.com'))
    const events = await ctx.db.system.selectFrom('audit_events').select(['action', 'outcome']).where('actor_account_id', '=', account.id).orderBy('id').execute()
    assert.deepEqual(events, [
      { action: 'sign-in', outcome: 'success' },
      { action: 'access-denied', outcome: 'denied' },
    ])
  }
  const visitor = ctx.visitor()
  const response = await visitor.get('/admin/notifications')
  assert.equal(response.statusCode, 303)
  assert.match(String(response.headers.location), /^\/sign-in\?returnTo=/)
})

test('statuses read as administrators expect', () => {
  assert.deepEqual(statusTag('sent', 1).text, 'Sent')
  assert.deepEqual(statusTag('sent-demonstration', 1).text, 'Sent in demonstration mode')
  assert.deepEqual(statusTag('queued', 0).text, 'Waiting to send')
  assert.deepEqual(statusTag('sending', 1).text, 'Sending')
  assert.deepEqual(statusTag('failed', 6).text, 'Failed after 6 attempts')
  assert.deepEqual(statusTag('failed', 1).text, 'Failed after 1 attempt')
})
