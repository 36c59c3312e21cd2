import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, afterEach, before, test } from 'node:test'
import { sql } from 'kysely'
import type { TestContext } from '../../test/context.ts'
import { readNotifyConfig } from './config.ts'
import {
  attemptDelivery,
  backoffMs,
  BACKOFF_JITTER,
  claimNotification,
  deliverDueNotifications,
  FIRST_BACKOFF_MS,
  MAX_ATTEMPTS,
  queueNotification,
  SENDING_LEASE_MS,
  type OutboxWorker,
} from './outbox.ts'
import type { Personalisation } from './schema.ts'
import { createServer } from 'node:http'
import { NotifyClient } from 'notifications-node-client'
import { demonstrationSender, describeNotifyError, notifySender, SendError, withTimeout, type NotifyClientLike, type NotifySender, type OutgoingEmail } from './sender.ts'
import { createOutboxTestContext } from './test-support.ts'

let ctx: TestContext
before(async () => {
  ctx = await createOutboxTestContext()
})
after(() => ctx.close())

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
const outbox = () => ctx.db.system

/** Every test leaves nothing due, so the next one's workers see only its own messages. */
afterEach(async () => {
  await outbox()
    .updateTable('notifications')
    .set({ status: 'failed', next_attempt_at: null, last_error: 'closed by the test' })
    .where('status', 'in', ['queued', 'sending'])
    .execute()
})

const PERSONAL = { recipient: 'jo.bloggs@example.com', personalisation: { name: 'Jo Bloggs', reference: 'SOU-2026-00042' } }

async function queue(tenantId = 'essex', input: { eventKey?: string; recipient?: string; personalisation?: Personalisation } = {}) {
  return ctx.db.asTenant(tenantId, (trx) =>
    queueNotification(trx, {
      tenantId,
      eventKey: input.eventKey ?? `request:${randomUUID()}:acknowledged:referrer`,
      template: 'request-acknowledged',
      recipient: input.recipient ?? PERSONAL.recipient,
      personalisation: input.personalisation ?? PERSONAL.personalisation,
    }),
  )
}

const row = (id: string) => outbox().selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** A sender standing in for Notify: fails the first `failTimes` sends, optionally slowly; records what it was given. */
function fakeSender(options: { failTimes?: number; error?: () => SendError; delayMs?: number; alreadyAccepted?: (reference: string) => string | null } = {}) {
  const attempts: OutgoingEmail[] = []
  const delivered: OutgoingEmail[] = []
  const lookups: string[] = []
  const sender: NotifySender = {
    mode: 'notify',
    async sendEmail(message) {
      attempts.push(message)
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
      if (attempts.length <= (options.failTimes ?? 0)) throw options.error?.() ?? new SendError('GOV.UK Notify answered 500 (Exception)', false)
      delivered.push(message)
      return { providerId: `notify-${randomUUID()}` }
    },
    findByReference(reference) {
      lookups.push(reference)
      return Promise.resolve(options.alreadyAccepted?.(reference) ?? null)
    },
  }
  return { sender, attempts, delivered, lookups }
}

function workerWith(sender: NotifySender, clock: () => Date = () => new Date()): OutboxWorker {
  return { db: ctx.db.system, sender, log: quiet, clock }
}

/** Just ahead of the database's clock, so what was queued a moment ago is due. */
const soon = () => new Date(Date.now() + 1000)

test('queueing the same event twice makes one message; another authority may use the same key', async () => {
  const eventKey = `request:${randomUUID()}:acknowledged:referrer`
  const first = await queue('essex', { eventKey })
  const second = await queue('essex', { eventKey, recipient: 'someone.else@example.com' })
  assert.equal(first.created, true)
  assert.deepEqual(second, { id: first.id, created: false })
  const rows = await outbox().selectFrom('notifications').selectAll().where('event_key', '=', eventKey).execute()
  assert.equal(rows.length, 1)
  assert.equal(rows[0]?.recipient, PERSONAL.recipient, 'the first message stands')
  assert.equal(rows[0]?.status, 'queued')
  assert.equal(rows[0]?.attempts, 0)
  assert.deepEqual(rows[0]?.personalisation, PERSONAL.personalisation)

  const elsewhere = await queue('southend', { eventKey })
  assert.equal(elsewhere.created, true)
  assert.notEqual(elsewhere.id, first.id)
  // Row-level security: one authority cannot see the other's messages.
  const seen = await ctx.db.asTenant('southend', (trx) => trx.selectFrom('notifications').select('id').where('event_key', '=', eventKey).execute())
  assert.deepEqual(seen.map((r) => r.id), [elsewhere.id])
})

test('a rolled-back transaction leaves no message', async () => {
  const eventKey = `request:${randomUUID()}:acknowledged:referrer`
  await assert.rejects(
    ctx.db.asTenant('essex', async (trx) => {
      await queueNotification(trx, { tenantId: 'essex', eventKey, template: 'request-acknowledged', ...PERSONAL })
      throw new Error('the event failed')
    }),
    /the event failed/,
  )
  assert.equal((await outbox().selectFrom('notifications').select('id').where('event_key', '=', eventKey).execute()).length, 0)
})

test('the reference Notify is given is the notification id: never the recipient or what the message says', async () => {
  const { id } = await queue()
  const saved = await row(id)
  assert.equal(saved.reference, id)
  const fake = fakeSender()
  await deliverDueNotifications(workerWith(fake.sender, soon))
  const given = fake.delivered.find((m) => m.reference === id)
  assert.ok(given)
  assert.equal(given.recipient, PERSONAL.recipient)
  for (const secret of [PERSONAL.recipient, ...Object.values(PERSONAL.personalisation)]) {
    assert.ok(!given.reference.includes(secret), `reference holds ${secret}`)
  }
  // The database refuses any other reference.
  await assert.rejects(
    outbox()
      .insertInto('notifications')
      .values({ id: randomUUID(), tenant_id: 'essex', event_key: randomUUID(), channel: 'email', template: 'request-acknowledged', recipient: PERSONAL.recipient, personalisation: '{}', reference: PERSONAL.recipient, next_attempt_at: new Date() })
      .execute(),
    /check constraint/,
  )
})

test('without an API key the worker marks a message sent in demonstration mode, sending nothing', async () => {
  const { id } = await queue()
  const counts = await deliverDueNotifications(workerWith(demonstrationSender, soon))
  assert.equal(counts['sent-demonstration'], 1)
  const sent = await row(id)
  assert.equal(sent.status, 'sent-demonstration')
  assert.equal(sent.attempts, 1)
  assert.equal(sent.provider_id, null)
  assert.ok(sent.sent_at)
  assert.equal(sent.next_attempt_at, null)
  assert.equal((await deliverDueNotifications(workerWith(demonstrationSender, soon)))['sent-demonstration'], 0, 'and only once')
})

test('failing twice then succeeding: sent after 3 attempts, each wait longer than the last', async () => {
  const { id } = await queue()
  const fake = fakeSender({ failTimes: 2 })
  let now = soon()
  const worker = workerWith(fake.sender, () => now)

  const waits: number[] = []
  for (const expected of ['retrying', 'retrying', 'sent'] as const) {
    const counts = await deliverDueNotifications(worker)
    assert.equal(counts[expected], 1, expected)
    const current = await row(id)
    if (expected === 'retrying') {
      assert.equal(current.status, 'queued')
      assert.match(current.last_error ?? '', /^GOV\.UK Notify answered 500/)
      assert.ok(current.next_attempt_at)
      const wait = current.next_attempt_at.getTime() - now.getTime()
      waits.push(wait)
      // Not due a moment before its time; due at it.
      now = new Date(current.next_attempt_at.getTime() - 1000)
      const early = await deliverDueNotifications(worker)
      assert.equal(Object.values(early).reduce((a, b) => a + b), 0, 'nothing due before its time')
      now = current.next_attempt_at
    }
  }
  const sent = await row(id)
  assert.equal(sent.status, 'sent')
  assert.equal(sent.attempts, 3)
  assert.match(sent.provider_id ?? '', /^notify-/)
  assert.equal(sent.last_error, null)
  assert.equal(fake.attempts.length, 3)
  assert.equal(fake.delivered.length, 1)
  assert.equal(waits.length, 2)
  const [first = 0, second = 0] = waits
  assert.ok(second > first, `waits increase: ${waits.join(', ')}`)
  assert.ok(first >= FIRST_BACKOFF_MS * (1 - BACKOFF_JITTER) && first <= FIRST_BACKOFF_MS * (1 + BACKOFF_JITTER), `first wait about a minute: ${first}`)
  assert.ok(second >= 5 * FIRST_BACKOFF_MS * (1 - BACKOFF_JITTER) && second <= 5 * FIRST_BACKOFF_MS * (1 + BACKOFF_JITTER), `second about five: ${second}`)
  // Each retry first asked Notify whether an earlier attempt had got through.
  assert.deepEqual(fake.lookups, [id, id])
})

test('backoff grows fivefold from a minute, with jitter, and a message is failed after six attempts', async () => {
  assert.equal(backoffMs(1, () => 0.5), 60_000)
  assert.equal(backoffMs(2, () => 0.5), 300_000)
  assert.equal(backoffMs(3, () => 0.5), 1_500_000)
  assert.equal(backoffMs(1, () => 0), 48_000)
  assert.equal(backoffMs(1, () => 1), 72_000)
  for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) assert.ok(backoffMs(attempt + 1, () => 0) > backoffMs(attempt, () => 1))

  const { id } = await queue()
  const fake = fakeSender({ failTimes: 100 })
  let now = soon()
  const worker = workerWith(fake.sender, () => now)
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await deliverDueNotifications(worker)
    const current = await row(id)
    assert.equal(current.attempts, attempt)
    if (attempt < MAX_ATTEMPTS) {
      assert.equal(current.status, 'queued')
      now = current.next_attempt_at ?? now
    }
  }
  const failed = await row(id)
  assert.equal(failed.status, 'failed')
  assert.equal(failed.next_attempt_at, null)
  assert.equal(fake.attempts.length, MAX_ATTEMPTS)
  assert.equal((await deliverDueNotifications(workerWith(fake.sender, () => new Date(now.getTime() + 365 * 86_400_000)))).failed, 0, 'never tried again')
})

test('nothing personal reaches the log or the stored error, even from an unexpected failure', async () => {
  const { id } = await queue()
  const lines: string[] = []
  const capture = (object: unknown, message?: string) => {
    lines.push(JSON.stringify([object, message]))
  }
  let calls = 0
  const sender: NotifySender = {
    mode: 'notify',
    sendEmail(message) {
      calls++
      if (calls === 1) return Promise.reject(new TypeError(`cannot send to ${message.recipient}: ${JSON.stringify(message.personalisation)}`))
      return Promise.resolve({ providerId: 'notify-ok' })
    },
    findByReference: () => Promise.resolve(null),
  }
  let now = soon()
  const worker: OutboxWorker = { db: ctx.db.system, sender, log: { info: capture, warn: capture, error: capture }, clock: () => now }
  await deliverDueNotifications(worker)
  const retrying = await row(id)
  assert.equal(retrying.status, 'queued')
  assert.equal(retrying.last_error, 'Unexpected error while sending')
  now = retrying.next_attempt_at ?? now
  await deliverDueNotifications(worker)
  assert.equal((await row(id)).status, 'sent')
  assert.ok(lines.length >= 2, 'the failure was logged')
  for (const secret of [PERSONAL.recipient, ...Object.values(PERSONAL.personalisation)]) {
    assert.ok(!lines.some((line) => line.includes(secret)), `the log holds ${secret}`)
  }
})

test('a message Notify refuses outright (400) fails at once, and its error keeps no personal data', async () => {
  const { id } = await queue()
  const fake = fakeSender({ failTimes: 1, error: () => new SendError('GOV.UK Notify answered 400 (ValidationError)', true) })
  await deliverDueNotifications(workerWith(fake.sender, soon))
  const failed = await row(id)
  assert.equal(failed.status, 'failed')
  assert.equal(failed.attempts, 1)
  assert.equal(failed.last_error, 'GOV.UK Notify answered 400 (ValidationError)')
})

test('a message left "sending" by a worker that stopped is picked up once its claim lapses', async () => {
  const { id } = await queue()
  const start = soon()
  // The first worker claims it and stops before it can record anything.
  const claimed = await claimNotification(workerWith(fakeSender().sender, () => start))
  assert.equal(claimed?.id, id)
  const stuck = await row(id)
  assert.equal(stuck.status, 'sending')
  assert.equal(stuck.attempts, 1)

  // Within its claim nobody touches it.
  const fake = fakeSender()
  assert.equal((await deliverDueNotifications(workerWith(fake.sender, () => new Date(start.getTime() + SENDING_LEASE_MS - 1000)))).sent, 0)
  assert.equal(fake.attempts.length, 0)

  // After it, another worker asks Notify whether the first attempt got through (it did not), then sends.
  const later = () => new Date(start.getTime() + SENDING_LEASE_MS + 1000)
  assert.equal((await deliverDueNotifications(workerWith(fake.sender, later))).sent, 1)
  assert.deepEqual(fake.lookups, [id])
  assert.equal(fake.delivered.length, 1)
  const sent = await row(id)
  assert.equal(sent.status, 'sent')
  assert.equal(sent.attempts, 2)
})

test('after a crash between Notify accepting and our update, the retry finds it by reference and does not send again', async () => {
  const { id } = await queue()
  const start = soon()
  // The first worker sends (Notify accepts, as notify-original) and dies before recording it.
  await claimNotification(workerWith(fakeSender().sender, () => start))
  const fake = fakeSender({ alreadyAccepted: (reference) => (reference === id ? 'notify-original' : null) })
  const counts = await deliverDueNotifications(workerWith(fake.sender, () => new Date(start.getTime() + SENDING_LEASE_MS + 1000)))
  assert.equal(counts.sent, 1)
  assert.equal(fake.attempts.length, 0, 'nothing sent a second time')
  const sent = await row(id)
  assert.equal(sent.status, 'sent')
  assert.equal(sent.provider_id, 'notify-original')
})

test('a worker that stopped during the last attempt: recorded as sent if Notify has it, failed if not, never sent a seventh time', async () => {
  const start = soon()
  const ids: string[] = []
  for (let i = 0; i < 2; i++) {
    const { id } = await queue()
    await outbox()
      .updateTable('notifications')
      .set({ status: 'sending', attempts: MAX_ATTEMPTS, next_attempt_at: new Date(start.getTime() - 1000) })
      .where('id', '=', id)
      .execute()
    ids.push(id)
  }
  const [accepted, lost] = ids as [string, string]
  const fake = fakeSender({ alreadyAccepted: (reference) => (reference === accepted ? 'notify-last' : null) })
  await deliverDueNotifications(workerWith(fake.sender, () => start))
  assert.equal(fake.attempts.length, 0)
  assert.deepEqual({ ...(await row(accepted)) }.status, 'sent')
  const failed = await row(lost)
  assert.equal(failed.status, 'failed')
  assert.equal(failed.attempts, MAX_ATTEMPTS)
})

test('a worker whose claim lapsed cannot overwrite the result of the worker that took over', async () => {
  const { id } = await queue()
  const start = soon()
  const slow = workerWith(fakeSender().sender, () => start)
  const claimedBySlow = await claimNotification(slow)
  assert.ok(claimedBySlow)
  const takeover = fakeSender()
  await deliverDueNotifications(workerWith(takeover.sender, () => new Date(start.getTime() + SENDING_LEASE_MS + 1000)))
  const afterTakeover = await row(id)
  assert.equal(afterTakeover.status, 'sent')
  assert.equal(await attemptDelivery(workerWith(fakeSender({ failTimes: 1 }).sender, () => start), claimedBySlow), 'lost-claim')
  assert.deepEqual(await row(id), afterTakeover)
})

test('two workers racing never send one message twice', async () => {
  const ids = new Set<string>()
  for (let i = 0; i < 30; i++) ids.add((await queue(i % 2 ? 'essex' : 'southend')).id)
  const fake = fakeSender({ delayMs: 5 })
  const perWorker = await Promise.all([1, 2].map(() => deliverDueNotifications(workerWith(fake.sender, soon))))
  const references = fake.delivered.map((m) => m.reference)
  assert.equal(references.length, 30)
  assert.equal(new Set(references).size, 30, 'each message once')
  assert.deepEqual(new Set(references), ids)
  assert.deepEqual(perWorker.map((c) => c.sent).reduce((a, b) => a + b), 30)
  if (ctx.db.kind === 'postgres') {
    // On a server the two really ran side by side (on PGlite their transactions take turns).
    assert.ok(perWorker.every((c) => c.sent > 0), `both workers sent: ${perWorker.map((c) => c.sent).join(' and ')}`)
  }
  const statuses = await outbox().selectFrom('notifications').select(['status', 'attempts']).where('id', 'in', [...ids]).execute()
  assert.ok(statuses.every((s) => s.status === 'sent' && s.attempts === 1))
})

test('the Notify sender sends our id as the reference, maps template names, and keeps no personal data from errors', async () => {
  const calls: unknown[][] = []
  let answer: () => Promise<{ data: { id: string } }> = () => Promise.resolve({ data: { id: 'notify-1' } })
  const client: NotifyClientLike = {
    sendEmail: (...args) => {
      calls.push(args)
      return answer()
    },
    getNotifications: (_type, _status, reference) =>
      Promise.resolve({ data: { notifications: reference === 'known' ? [{ id: 'notify-known', reference: 'known' }] : [] } }),
  }
  const templateId = randomUUID()
  const sender = notifySender({ apiKey: 'test-key', templateIds: { 'request-acknowledged': templateId } }, client)
  const message = { template: 'request-acknowledged', recipient: PERSONAL.recipient, personalisation: PERSONAL.personalisation, reference: randomUUID() }
  assert.deepEqual(await sender.sendEmail(message), { providerId: 'notify-1' })
  assert.deepEqual(calls[0], [templateId, PERSONAL.recipient, { personalisation: PERSONAL.personalisation, reference: message.reference }])

  const failWith = (error: unknown) => {
    answer = () => Promise.reject(error)
  }
  failWith({ response: { status: 400, data: { status_code: 400, errors: [{ error: 'ValidationError', message: `email_address ${PERSONAL.recipient} is not valid` }] } } })
  const refused = await sender.sendEmail(message).then(() => undefined, (e: unknown) => e)
  assert.ok(refused instanceof SendError)
  assert.equal(refused.permanent, true)
  assert.equal(refused.message, 'GOV.UK Notify answered 400 (ValidationError)')
  assert.ok(!refused.message.includes(PERSONAL.recipient))

  for (const [error, expected] of [
    [{ response: { status: 500, data: { errors: [{ error: 'Exception', message: 'Internal server error' }] } } }, 'GOV.UK Notify answered 500 (Exception)'],
    [{ response: { status: 429, data: { errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit' }] } } }, 'GOV.UK Notify answered 429 (RateLimitError)'],
    [{ response: { status: 403, data: { errors: [{ error: 'AuthError', message: 'Invalid token' }] } } }, 'GOV.UK Notify answered 403 (AuthError)'],
    [Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }), 'GOV.UK Notify could not be reached (ECONNABORTED)'],
  ] as const) {
    failWith(error)
    const failure = await sender.sendEmail(message).then(() => undefined, (e: unknown) => e)
    assert.ok(failure instanceof SendError)
    assert.equal(failure.message, expected)
    assert.equal(failure.permanent, false, expected)
  }

  const unmapped = await sender.sendEmail({ ...message, template: 'request-decided' }).then(() => undefined, (e: unknown) => e)
  assert.ok(unmapped instanceof SendError)
  assert.equal(unmapped.permanent, false)
  assert.match(unmapped.message, /NOTIFY_TEMPLATE_REQUEST_DECIDED/)

  assert.equal(await sender.findByReference('known'), 'notify-known')
  assert.equal(await sender.findByReference('unknown'), null)
})

test('a request to Notify that hangs is given up after the timeout, as a failure worth retrying', async () => {
  // A local server that accepts the connection and never answers: no network involved.
  const server = createServer(() => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const address = server.address()
    assert.ok(address && typeof address === 'object')
    const client = withTimeout(new NotifyClient(`http://127.0.0.1:${address.port}`, `test-${randomUUID()}-${randomUUID()}`), 200)
    const started = Date.now()
    const error = await client.sendEmail(randomUUID(), PERSONAL.recipient, { reference: 'r' }).then(() => undefined, (e: unknown) => e)
    assert.ok(Date.now() - started < 5000)
    const described = describeNotifyError(error)
    assert.equal(described.message, 'GOV.UK Notify could not be reached (ECONNABORTED)')
    assert.equal(described.permanent, false)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

test('configuration: the API key and template ids from NOTIFY_TEMPLATES and NOTIFY_TEMPLATE_<NAME>', () => {
  assert.deepEqual(readNotifyConfig({}), { apiKey: undefined, templateIds: {} })
  assert.deepEqual(
    readNotifyConfig({
      NOTIFY_API_KEY: ' key ',
      NOTIFY_TEMPLATES: '{"request-acknowledged": "a", "request-decided": "b"}',
      NOTIFY_TEMPLATE_REQUEST_DECIDED: 'c',
    }),
    { apiKey: 'key', templateIds: { 'request-acknowledged': 'a', 'request-decided': 'c' } },
  )
  assert.throws(() => readNotifyConfig({ NOTIFY_TEMPLATES: 'not json' }), /NOTIFY_TEMPLATES must be a JSON object/)
  assert.throws(() => readNotifyConfig({ NOTIFY_TEMPLATES: '["a"]' }), /NOTIFY_TEMPLATES must be a JSON object/)
  assert.throws(() => readNotifyConfig({ NOTIFY_TEMPLATES: '{"request-decided": 3}' }), /must be a string/)
})

test('the worker reads across authorities on the owner connection, but services see only their own', async () => {
  const essex = await queue('essex')
  const count = await ctx.db.asTenant('southend', (trx) =>
    trx.selectFrom('notifications').select(sql<string>`count(*)`.as('n')).where('id', '=', essex.id).executeTakeFirstOrThrow(),
  )
  assert.equal(Number(count.n), 0)
  // Nor queue one for another authority.
  await assert.rejects(
    ctx.db.asTenant('southend', (trx) =>
      queueNotification(trx, { tenantId: 'essex', eventKey: `planted:${randomUUID()}`, template: 'request-acknowledged', ...PERSONAL }),
    ),
    /row-level security/,
  )
  // The application role cannot change or delete messages: only the worker does.
  await assert.rejects(
    ctx.db.asTenant('essex', (trx) => trx.updateTable('notifications').set({ status: 'sent' }).where('id', '=', essex.id).execute()),
    /permission denied/,
  )
})
