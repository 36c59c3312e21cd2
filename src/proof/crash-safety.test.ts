import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { openDatabase } from '../platform/db/database.ts'
import { freshPostgresDatabase, HttpClient, kill, startServer, type Store } from './server-process.ts'

// The real server, killed outright (SIGKILL) while front door officers are logging calls, then
// started again on the same data: every call the server acknowledged (303) is there, with its
// audit event. The embedded database in a temporary folder; PostgreSQL when DATABASE_URL is set.

let store: Store
let cleanUp: () => Promise<void>

before(async () => {
  if (process.env.DATABASE_URL) {
    const database = await freshPostgresDatabase(process.env.DATABASE_URL)
    store = { databaseUrl: database.url }
    cleanUp = database.drop
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'early-help-crash-'))
    store = { dataDir }
    cleanUp = async () => rmSync(dataDir, { recursive: true, force: true })
  }
})
after(() => cleanUp())

const WRITERS = 4
const KILL_AFTER = 24

function call(name: string): Record<string, string> {
  return {
    callerName: name,
    callerOrganisation: 'Crash Test Primary School',
    familyNamed: 'no',
    concern: `Concern raised by ${name}`,
    advice: 'Advice given',
    requestAdvised: 'no',
  }
}

test('every write acknowledged before a SIGKILL is there after the restart, each with its audit event', async () => {
  const run = `crash-${Date.now()}`
  const server = await startServer(store)
  const acknowledged: string[] = []
  let attempted = 0
  try {
    const clients = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const client = new HttpClient(server.base)
        await client.signIn('front-door-officer@essex.example')
        await client.get('/front-door/consultations/new')
        return client
      }),
    )
    let killed = false
    const writer = async (client: HttpClient, w: number) => {
      for (let i = 0; ; i++) {
        const name = `${run}-${w}-${i}`
        attempted++
        try {
          const response = await client.post('/front-door/consultations/new', call(name))
          if (response.status !== 303) throw new Error(`the server refused a call: ${response.status}\n${response.body.slice(0, 500)}`)
          acknowledged.push(name)
        } catch (error) {
          if (killed) return // The connection dropped with the server: not acknowledged.
          throw error
        }
        if (acknowledged.length >= KILL_AFTER && !killed) {
          killed = true
          server.child.kill('SIGKILL')
        }
      }
    }
    await Promise.all(clients.map((client, w) => writer(client, w)))
  } finally {
    await kill(server, 'SIGKILL')
  }
  assert.ok(acknowledged.length >= KILL_AFTER)
  assert.ok(attempted > acknowledged.length, 'writes were in flight when the server was killed')

  // The server starts again on the same data (after the crash the embedded database's lock is stale).
  const restarted = await startServer(store)
  const client = new HttpClient(restarted.base)
  await client.signIn('front-door-officer@essex.example')
  const list = await client.get('/front-door/consultations')
  assert.equal(list.status, 200)
  await kill(restarted, 'SIGTERM')

  const db = await openDatabase(store.databaseUrl ? { databaseUrl: store.databaseUrl, dataDir: 'memory://' } : { dataDir: store.dataDir as string })
  try {
    const saved = await db.system.selectFrom('consultations').select(['id', 'caller_name']).where('caller_name', 'like', `${run}-%`).execute()
    const savedNames = new Set(saved.map((row) => row.caller_name))
    const missing = acknowledged.filter((name) => !savedNames.has(name))
    assert.deepEqual(missing, [], 'every acknowledged call was kept')
    const audited = await db.system
      .selectFrom('audit_events')
      .select(['record_id'])
      .where('action', '=', 'consultation-recorded')
      .where('record_id', 'in', saved.map((row) => row.id))
      .execute()
    const auditedIds = new Set(audited.map((row) => row.record_id))
    assert.deepEqual(saved.filter((row) => !auditedIds.has(row.id)).map((row) => row.caller_name), [], 'every kept call has its audit event')
    assert.equal(audited.length, saved.length, 'exactly one audit event each')
  } finally {
    await db.close()
  }
})
