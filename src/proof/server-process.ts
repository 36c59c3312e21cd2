import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import path from 'node:path'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

/**
 * The real server as a child process, as `npm start` runs it, for the proofs that need a process
 * to kill, restart or run twice: `node src/server.ts` with its settings in the environment.
 */

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const DEMO_PASSWORD = 'early-help-demo'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  child: ChildProcess
  port: number
  base: string
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Where the server keeps its data: a PGlite folder, or a PostgreSQL database. */
export type Store = { dataDir: string; databaseUrl?: undefined } | { databaseUrl: string; dataDir?: undefined }

export function spawnServer(store: Store, options: { port: number; env?: Record<string, string>; script?: string[] }): ServerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(options.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DEMO_DATA: 'true',
    JOBS: 'false',
    DATABASE_URL: store.databaseUrl ?? '',
    DATA_DIR: store.dataDir ?? path.join(ROOT, 'data', 'unused'),
    ...options.env,
  }
  const child = spawn(process.execPath, options.script ?? ['src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  return { child, port: options.port, base: `http://127.0.0.1:${options.port}`, output: () => output, exited }
}

/** Waits until /health answers 200, failing early if the process ends first. */
export async function waitUntilHealthy(server: ServerProcess, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let ended = false
  void server.exited.then(() => (ended = true))
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the server ended before it was ready:\n${server.output()}`)
    try {
      const response = await fetch(`${server.base}/health`)
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the server was not healthy within ${timeoutMs} ms:\n${server.output()}`)
}

export async function startServer(store: Store, env?: Record<string, string>): Promise<ServerProcess> {
  const server = spawnServer(store, { port: await freePort(), ...(env ? { env } : {}) })
  try {
    await waitUntilHealthy(server)
  } catch (error) {
    await kill(server, 'SIGKILL')
    throw error
  }
  return server
}

export async function kill(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal)
  await server.exited
}

/** A fresh, empty database on the PostgreSQL server in DATABASE_URL, as src/test/context.ts makes one. */
export async function freshPostgresDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `eh_proof_${randomUUID().replaceAll('-', '')}`
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: serverUrl, max: 1 }) }) })
  await sql`create database ${sql.id(name)}`.execute(admin)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin)
      await admin.destroy()
    },
  }
}

/** A browser-like client over fetch: keeps cookies and fills in the form token from the page. */
export class HttpClient {
  readonly cookies = new Map<string, string>()
  base: string
  csrf = ''
  constructor(base: string) {
    this.base = base
  }

  async get(url: string): Promise<{ status: number; body: string; location: string | null }> {
    return this.send('GET', url)
  }

  async post(url: string, form: Record<string, string | string[]>): Promise<{ status: number; body: string; location: string | null }> {
    const pairs = Object.entries({ _csrf: this.csrf, ...form }).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))
    return this.send('POST', url, new URLSearchParams(pairs).toString())
  }

  async send(method: 'GET' | 'POST', url: string, body?: string, contentType = 'application/x-www-form-urlencoded') {
    const response = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { body }),
    })
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const text = await response.text()
    const token = /name="_csrf" value="([^"]+)"/.exec(text)
    if (token?.[1]) this.csrf = token[1]
    return { status: response.status, body: text, location: response.headers.get('location') }
  }

  /** Signs in through the real form: GET /sign-in for the form token and its cookie, then POST. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.get('/sign-in')
    if (!this.cookies.has('__Host-eh-csrf') || !this.csrf) throw new Error('the sign-in page did not give a form token')
    const response = await this.post('/sign-in', { email, password })
    if (response.status !== 303) throw new Error(`sign-in failed for ${email}: ${response.status}`)
  }
}
