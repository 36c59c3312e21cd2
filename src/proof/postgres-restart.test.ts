import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import path from 'node:path'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { findPgBinDir, startThrowawayCluster, type ThrowawayCluster } from '../../scripts/pg-cluster.ts'
import { HttpClient, kill, startServer, type ServerProcess } from './server-process.ts'

// PostgreSQL going away and coming back, while the app is idle and while it is busy: the app
// answers with its error page (500) during the outage, never crashes, and recovers by itself.
// It needs a PostgreSQL server of its own to stop and start, so it runs with `npm run test:pg`
// (a throwaway cluster, never the one the other tests share).
const skip = process.env.DATABASE_URL ? false : 'runs with npm run test:pg, on a throwaway PostgreSQL cluster of its own'

let cluster: ThrowawayCluster
let dataDir: string
let port: string
let server: ServerProcess

/** pg_ctl as the cluster's owner (the `postgres` user when running as root), without blocking this process. */
async function pgCtl(args: string[]): Promise<void> {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
  const runAs = process.getuid?.() === 0 ? { uid: id('-u'), gid: id('-g') } : {}
  try {
    await promisify(execFile)(path.join(findPgBinDir(), 'pg_ctl'), ['-D', dataDir, ...args], { cwd: path.dirname(dataDir), encoding: 'utf8', ...runAs, env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`pg_ctl ${args.join(' ')} failed: ${stdout ?? ''}${stderr ?? ''}`)
  }
}
const stopPostgres = () => pgCtl(['-m', 'fast', '-w', '-t', '30', 'stop'])
const startPostgres = () =>
  pgCtl(['-o', `-p ${port} -k ${path.dirname(dataDir)} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200`, '-l', path.join(path.dirname(dataDir), 'log'), '-w', '-t', '60', 'start'])

before(async () => {
  if (skip) return
  cluster = await startThrowawayCluster()
  port = new URL(cluster.url).port
  const client = new pg.Client({ connectionString: cluster.url })
  await client.connect()
  dataDir = (await client.query<{ data_directory: string }>('show data_directory')).rows[0]!.data_directory
  await client.end()
  // Background jobs on, as in production: pg-boss shares the outage.
  server = await startServer({ databaseUrl: cluster.url }, { JOBS: 'true' })
})
after(async () => {
  if (skip) return
  if (server) await kill(server, 'SIGKILL')
  await cluster?.stop()
})

const alive = () => server.child.exitCode === null && server.child.signalCode === null

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`not recovered within ${timeoutMs} ms`)
}

const call = (callerName: string) => ({ callerName, callerOrganisation: 'Outage School', familyNamed: 'no', concern: 'A concern', advice: 'Advice', requestAdvised: 'no' })

test('PostgreSQL restarting while the app is idle: error pages during the outage, then back to normal', { skip }, async () => {
  const client = new HttpClient(server.base)
  await client.signIn('front-door-officer@essex.example')
  assert.equal((await client.get('/front-door/consultations')).status, 200)
  await stopPostgres()
  try {
    const health = await fetch(`${server.base}/health`)
    assert.equal(health.status, 503, "the health check says the database is unreachable")
    const page = await client.get('/front-door/consultations')
    assert.equal(page.status, 500)
    assert.match(page.body, /Sorry, there is a problem with the service/)
    assert.ok(alive(), 'the app is still running')
  } finally {
    await startPostgres()
  }
  await waitFor(async () => (await fetch(`${server.base}/health`)).status === 200)
  assert.equal((await client.get('/front-door/consultations')).status, 200, 'the session survived')
  assert.equal((await client.post('/front-door/consultations/new', call(`After idle outage ${Date.now()}`))).status, 303)
  assert.ok(alive())
})

test('PostgreSQL restarting under load: no crash, only error pages during the outage, writes resume after', { skip }, async () => {
  const clients = await Promise.all(
    Array.from({ length: 4 }, async () => {
      const client = new HttpClient(server.base)
      await client.signIn('front-door-officer@essex.example')
      await client.get('/front-door/consultations/new')
      return client
    }),
  )
  const statuses = new Map<number, number>()
  let running = true
  const load = Promise.all(
    clients.map(async (client, w) => {
      for (let i = 0; running; i++) {
        const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)
        // A dropped connection counts as status 0, and fails the test below.
        await client.post('/front-door/consultations/new', call(`Load ${w}-${i}`)).then((response) => count(response.status), () => count(0))
        if (i % 3 === 0) await client.get('/front-door/consultations').then((page) => count(page.status), () => count(0))
        if (!alive()) return
      }
    }),
  )
  await new Promise((resolve) => setTimeout(resolve, 500))
  await stopPostgres()
  await new Promise((resolve) => setTimeout(resolve, 1500))
  assert.ok(alive(), `the app is still running during the outage:\n${server.output()}`)
  await startPostgres()
  const before = statuses.get(303) ?? 0
  await waitFor(async () => (statuses.get(303) ?? 0) > before + 10)
  running = false
  await load
  assert.ok(alive(), `the app is still running after the outage:\n${server.output()}`)
  assert.ok((statuses.get(500) ?? 0) > 0, `error pages were served during the outage: ${JSON.stringify([...statuses])}`)
  assert.deepEqual([...statuses.keys()].filter((s) => s !== 200 && s !== 303 && s !== 500), [], `only pages, acknowledgements and error pages: ${JSON.stringify([...statuses])}`)
})
