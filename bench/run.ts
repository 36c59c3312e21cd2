// Benchmark, not a test: starts the service as its own process on the embedded database with the
// demonstration data, signs in, and drives each page over loopback with autocannon for a bounded
// time, printing requests per second and latency percentiles, and the server's memory at rest.
// Budgets (issue 2): p95 under 50 ms per page; under 400 MB resident at rest on PGlite.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { loadCaseload, loadDirectory } from './scale.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1)
const PORT = Number(process.env.BENCH_PORT ?? 3999)
const base = `http://localhost:${PORT}`
const P95_BUDGET_MS = 50
const RSS_BUDGET_MB = 400
const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 20_000)
const SERVICES = Number(process.env.BENCH_SERVICES ?? 5_000)
const PUBLIC_PAGES = [
  '/',
  '/sign-in',
  '/cookies',
  '/health',
  '/help',
  '/help/essex',
  '/find-support/essex',
  '/find-support/essex?q=parenting&age=7&locality=mid',
  '/find-support/essex?category=youth&page=20',
  '/api/open-referral/services?authority=essex&search=parenting',
  '/api/open-referral/services?authority=essex&page=50',
]

const dataDir = mkdtempSync(path.join(tmpdir(), 'early-help-bench-'))
const startServer = () =>
  spawn(process.execPath, ['src/server.ts'], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
const stopServer = async (child: ReturnType<typeof startServer>) => {
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

// The first start creates the database and loads the demonstration data; the service then runs
// as it would every day after, so memory at rest is read from a second start on the same folder.
const first = startServer()
await waitForHealth()
await new Promise((resolve) => setTimeout(resolve, 2000))
const rssFirstStart = rssMb(first.pid)
await stopServer(first)
const caseloadStart = Date.now()
await loadCaseload(dataDir, FAMILIES)
await loadDirectory(dataDir, SERVICES)
const caseloadSeconds = Math.round((Date.now() - caseloadStart) / 100) / 10
const server = startServer()

try {
  await waitForHealth()
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const rssAtRest = rssMb(server.pid)
  const cookie = await signIn('administrator@essex.example')
  const practitioner = await signIn('practitioner@essex.example')
  const frontDoor = await signIn('duty-manager@essex.example')
  const worker = await signIn('family-solutions-worker@essex.example')
  const manager = await signIn('team-manager@essex.example')
  const family = await firstFamily(worker)
  const pages = [...PUBLIC_PAGES, '/home', '/admin/accounts', '/admin/organisations', '/admin/audit', '/admin/accounts/new', '/admin/notifications', '/requests', '/requests/new', '/front-door', '/front-door/consultations', '/panels']
  // Casework at county scale: a worker's caseload (every family), a manager's overdue list, one family's page.
  const casework: Record<string, string> = { '/involvements': worker, '/involvements?overdue=yes': manager, '/involvements?overdue=yes&page=100': manager, [`/involvements/${family}`]: worker, '/home ': worker }
  pages.push(...Object.keys(casework))
  const results = []
  for (const page of pages) {
    const times: number[] = []
    // Public pages are measured as a visitor sees them: signed in, they redirect to the home page.
    const headers = PUBLIC_PAGES.includes(page)
      ? {}
      : { cookie: casework[page] ?? (page.startsWith('/requests') ? practitioner : page.startsWith('/front-door') || page === '/panels' ? frontDoor : cookie) }
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const run = autocannon({ url: base + page.trim(), connections: CONNECTIONS, duration: SECONDS, headers }, (error, done) =>
        error ? reject(error) : resolve(done),
      )
      run.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime))
    })
    times.sort((a, b) => a - b)
    results.push({
      page,
      'req/s': Math.round(result.requests.average),
      'p50 ms': percentile(times, 50),
      'p95 ms': percentile(times, 95),
      'p99 ms': percentile(times, 99),
      errors: result.errors + result.non2xx,
    })
  }
  const rssAfter = rssMb(server.pid)
  console.log(`\n${SECONDS}s per page, ${CONNECTIONS} connections, PGlite with demonstration data and ${FAMILIES} Essex families in early help and ${SERVICES} more Essex services (loaded in ${caseloadSeconds}s)\n`)
  console.table(results)
  console.log(`Server resident memory: ${rssAtRest} MB at rest (budget ${RSS_BUDGET_MB} MB), ${rssAfter} MB after the run`)
  console.log(`(The very first start, which creates the database, settles at ${rssFirstStart} MB.)`)
  const over = results.filter((r) => r['p95 ms'] > P95_BUDGET_MS || r.errors > 0)
  if (over.length) console.log(`Over budget or failing: ${over.map((r) => r.page).join(', ')}`)
  if (rssAtRest > RSS_BUDGET_MB) console.log('Resident memory at rest is over budget')
} finally {
  await stopServer(server)
  rmSync(dataDir, { recursive: true, force: true })
}

/** The id of the first family on a caseload page. */
async function firstFamily(cookie: string): Promise<string> {
  const page = await (await fetch(`${base}/involvements`, { headers: { cookie } })).text()
  const id = /href="\/involvements\/([0-9a-f-]{36})"/.exec(page)?.[1]
  if (!id) throw new Error('No family on the caseload')
  return id
}

/** Exact percentile (nearest rank) of every response's time, which autocannon's summary lacks for p95. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  return Math.round(value * 10) / 10
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

async function waitForHealth(): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('The server did not become healthy within 2 minutes')
}

async function signIn(email: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`)
  const csrfCookie = cookiesOf(form)
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, email, password: 'early-help-demo' }).toString(),
  })
  if (response.status !== 303) throw new Error(`Sign-in failed: ${response.status}`)
  return cookiesOf(response)
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}
