// Throwaway PostgreSQL cluster for tests.
//
// startThrowawayCluster() creates a fresh cluster in a temp dir (initdb), starts
// it on a free port bound to 127.0.0.1 with durability switched off, waits until
// it accepts queries and returns its URL plus a stop() that shuts it down
// (immediate mode) and deletes the temp dir.
//
// PostgreSQL refuses to run as root, so when this process is root the server
// binaries are run as the `postgres` OS user. Clusters still running when the
// process exits (normally, on an uncaught exception, or on SIGINT/SIGTERM/SIGHUP)
// are stopped synchronously so that no postgres processes are left behind.

import { execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import pg from 'pg'

export interface ThrowawayCluster {
  url: string
  stop: () => Promise<void>
}

interface RunAs {
  uid: number
  gid: number
}

interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
}

const STARTUP_TIMEOUT_S = 60
const READY_TIMEOUT_MS = 30_000

// ---------------------------------------------------------------------------
// Locating binaries and the OS user

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** Directory holding initdb and pg_ctl: PG_BIN, then PATH, then the newest /usr/lib/postgresql/<v>/bin. */
export function findPgBinDir(): string {
  const candidates: string[] = []
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN)
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(dir)
  const debianRoot = '/usr/lib/postgresql'
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).filter((v) => /^\d+(\.\d+)*$/.test(v)).sort(compareVersionsDesc)
    for (const v of versions) candidates.push(join(debianRoot, v, 'bin'))
  }
  for (const dir of candidates) {
    if (isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'))) return dir
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin. ' +
      'Install them (Debian: apt-get install postgresql postgresql-contrib) or set PG_BIN.',
  )
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/** uid/gid to run the server as: the `postgres` user when we are root, otherwise ourselves (undefined). */
function serverUser(): RunAs | undefined {
  if (!isRoot()) return undefined
  let passwd = ''
  try {
    passwd = readFileSync('/etc/passwd', 'utf8')
  } catch {
    // fall through to `id`
  }
  for (const line of passwd.split('\n')) {
    const f = line.split(':')
    if (f[0] === 'postgres' && f[2] !== undefined && f[3] !== undefined) return { uid: Number(f[2]), gid: Number(f[3]) }
  }
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid }
  } catch {
    // handled below
  }
  throw new Error('Running as root but there is no `postgres` OS user to run PostgreSQL as (PostgreSQL refuses to run as root).')
}

// ---------------------------------------------------------------------------
// Process helpers

function childEnv(runAs: RunAs | undefined, cwd: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' }
  // Don't let the caller's libpq settings leak into pg_ctl / initdb.
  for (const k of Object.keys(env)) if (k.startsWith('PG')) delete env[k]
  if (runAs) {
    env.HOME = cwd
    env.USER = 'postgres'
    env.LOGNAME = 'postgres'
  }
  return env
}

function spawnOptions(runAs: RunAs | undefined, cwd: string): SpawnOptions {
  return {
    cwd, // must be accessible to the postgres user
    env: childEnv(runAs, cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  }
}

function run(cmd: string, args: string[], runAs: RunAs | undefined, cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    let output = ''
    let child
    try {
      child = spawn(cmd, args, spawnOptions(runAs, cwd))
    } catch (err) {
      resolve({ code: null, signal: null, output: String(err) })
      return
    }
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', (err) => resolve({ code: null, signal: null, output: output + String(err) }))
    child.on('close', (code, signal) => resolve({ code, signal, output }))
  })
}

function runSync(cmd: string, args: string[], runAs: RunAs | undefined, cwd: string): void {
  spawnSync(cmd, args, { ...spawnOptions(runAs, cwd), stdio: 'ignore', timeout: 30_000 })
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function dumpLog(title: string, path: string, extra = ''): void {
  const body = readIfExists(path)
  process.stderr.write(`\n----- ${title} (${path}) -----\n${body}${extra ? `\n${extra}` : ''}\n----- end of ${title} -----\n`)
}

// ---------------------------------------------------------------------------
// Ports and readiness

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      if (addr === null || typeof addr === 'string') {
        srv.close()
        reject(new Error('could not determine a free port'))
        return
      }
      const port = addr.port
      srv.close((err) => (err ? reject(err) : resolve(port)))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let lastError: unknown
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.query('select 1')
      return
    } catch (err) {
      lastError = err
    } finally {
      await client.end().catch(() => {})
    }
    await sleep(100)
  }
  throw new Error(`PostgreSQL at ${url} did not accept queries within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`)
}

// ---------------------------------------------------------------------------
// Cleanup of clusters still running at exit

interface LiveCluster {
  pgCtl: string
  dataDir: string
  dir: string
  runAs: RunAs | undefined
}

const live = new Set<LiveCluster>()
let handlersInstalled = false

function stopSync(c: LiveCluster): void {
  if (existsSync(join(c.dataDir, 'postmaster.pid'))) {
    runSync(c.pgCtl, ['-D', c.dataDir, '-m', 'immediate', '-w', '-t', '20', 'stop'], c.runAs, c.dir)
  }
  rmSync(c.dir, { recursive: true, force: true })
}

function stopAllSync(): void {
  for (const c of live) {
    live.delete(c)
    try {
      stopSync(c)
    } catch {
      // best effort: we are exiting
    }
  }
}

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 }

function onSignal(signal: NodeJS.Signals): void {
  if (live.size > 0) process.stderr.write(`\n${signal} received: stopping throwaway PostgreSQL cluster\n`)
  stopAllSync()
  process.exit(SIGNAL_EXIT_CODES[signal] ?? 1)
}

function installExitHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  // 'exit' covers normal exit, process.exit() and uncaught exceptions.
  process.on('exit', stopAllSync)
  for (const sig of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) process.on(sig, onSignal)
}

// ---------------------------------------------------------------------------
// Public API

async function initCluster(initdb: string, dataDir: string, logPath: string, runAs: RunAs | undefined, dir: string): Promise<void> {
  const common = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']
  let log = ''
  for (const locale of ['C.UTF-8', 'C']) {
    const res = await run(initdb, [...common, `--locale=${locale}`], runAs, dir)
    log += `$ initdb --locale=${locale}\n${res.output}\n`
    writeFileSync(logPath, log)
    if (res.code === 0) return
    rmSync(dataDir, { recursive: true, force: true })
  }
  dumpLog('initdb log', logPath)
  throw new Error(`initdb failed (output printed above)`)
}

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const binDir = findPgBinDir()
  const initdb = join(binDir, 'initdb')
  const pgCtl = join(binDir, 'pg_ctl')
  const runAs = serverUser()

  const dir = mkdtempSync(join(tmpdir(), 'pg-throwaway-'))
  if (runAs) chownSync(dir, runAs.uid, runAs.gid)
  const dataDir = join(dir, 'data')
  const logPath = join(dir, 'log')
  const initLogPath = join(dir, 'initdb.log')
  const cluster: LiveCluster = { pgCtl, dataDir, dir, runAs }
  installExitHandlers()
  live.add(cluster)

  try {
    await initCluster(initdb, dataDir, initLogPath, runAs, dir)

    let port = 0
    for (let attempt = 1; ; attempt++) {
      port = await findFreePort()
      const opts = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ')
      const res = await run(pgCtl, ['-D', dataDir, '-o', opts, '-l', logPath, '-w', '-t', String(STARTUP_TIMEOUT_S), 'start'], runAs, dir)
      if (res.code === 0) break
      const log = readIfExists(logPath)
      // Someone grabbed the port between our probe and the server's bind: try another one.
      if (attempt < 3 && /could not bind|address already in use/i.test(log)) {
        runSync(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], runAs, dir)
        writeFileSync(logPath, '')
        continue
      }
      dumpLog('postgres log', logPath, `pg_ctl output:\n${res.output}`)
      throw new Error(`pg_ctl start failed with exit code ${res.code ?? res.signal} (server log printed above)`)
    }

    const url = `postgres://postgres@127.0.0.1:${port}/postgres`
    try {
      await waitUntilReady(url)
    } catch (err) {
      dumpLog('postgres log', logPath)
      throw err
    }

    let stopped: Promise<void> | undefined
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        if (!live.delete(cluster)) return // already cleaned up (e.g. by a signal handler)
        const res = await run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], runAs, dir)
        if (res.code !== 0 && existsSync(join(dataDir, 'postmaster.pid'))) {
          process.stderr.write(`pg_ctl stop failed (${res.code ?? res.signal}): ${res.output}\n`)
        }
        rmSync(dir, { recursive: true, force: true })
      })()
      return stopped
    }
    return { url, stop }
  } catch (err) {
    live.delete(cluster)
    stopSync(cluster)
    throw err
  }
}
