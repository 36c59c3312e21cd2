import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { DatabaseInUseError, LOCK_FILE, openDatabase } from '../platform/db/database.ts'
import { kill, spawnServer, startServer, freePort, ROOT } from './server-process.ts'

// The embedded database (PGlite) does not lock its folder, and two processes writing the same files
// would corrupt them: Early help keeps its own lock file there. PostgreSQL runs need none of this.
const skip = process.env.DATABASE_URL ? 'the folder lock is the embedded database’s; PostgreSQL has its own' : false

const folders: string[] = []
function tempFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'early-help-lock-'))
  folders.push(dir)
  return dir
}
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true })
})

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
  return Number(child.stdout.trim())
}

const IN_USE = /The database folder .* is in use by another Early help process \(pid (\d+)\)\. Stop it first, or set DATA_DIR to another folder\./

describe('the embedded database folder is one process’s at a time', { skip }, () => {
  // Each folder is opened once here: PGlite 0.5 with our start parameters does not let a process
  // end after it reopened a folder it had closed (the server never does).
  test('within one process: a second open is refused while the first is open; closing removes the lock', async () => {
    const dir = tempFolder()
    const first = await openDatabase({ dataDir: dir })
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid))
    await assert.rejects(openDatabase({ dataDir: dir }), (error: unknown) => error instanceof DatabaseInUseError && IN_USE.test(error.message))
    await first.close()
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false, 'closing removes the lock')
  })

  test('a lock left by a process that died is taken over; one of a live process is not', async () => {
    const dir = tempFolder()
    writeFileSync(path.join(dir, LOCK_FILE), `${deadPid()}\n`)
    const db = await openDatabase({ dataDir: dir })
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid))
    await db.close()
    // The test runner that started this file is alive.
    writeFileSync(path.join(dir, LOCK_FILE), `${process.ppid}\n`)
    await assert.rejects(openDatabase({ dataDir: dir }), new RegExp(`pid ${process.ppid}\\)`))
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.ppid), 'the live lock is left alone')
  })

  test('a second server on the same folder is refused with a clear message, as is the directory import; after a crash the next start takes over', async () => {
    const dir = tempFolder()
    const first = await startServer({ dataDir: dir })
    try {
      const second = spawnServer({ dataDir: dir }, { port: await freePort() })
      const ended = await second.exited
      assert.notEqual(ended.code, 0)
      const refused = IN_USE.exec(second.output())
      assert.ok(refused, `the second server says why:\n${second.output()}`)
      assert.equal(Number(refused[1]), first.child.pid)
      assert.equal((await fetch(`${first.base}/health`)).status, 200, 'the first server carries on')

      const services = path.join(tempFolder(), 'services.json')
      writeFileSync(services, '[]')
      const importer = spawnSync(process.execPath, ['scripts/directory-import.ts', '--authority', 'essex', services], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir },
      })
      assert.equal(importer.status, 2)
      assert.match(importer.stderr, IN_USE)
      assert.match(importer.stderr, /If the server is running, stop it first/)
    } finally {
      await kill(first, 'SIGKILL')
    }
    // Killed outright, the first server could not remove its lock: the next start finds it stale.
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(first.child.pid))
    const restarted = await startServer({ dataDir: dir })
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(restarted.child.pid))
    await kill(restarted, 'SIGTERM')
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false, 'a clean shutdown removes the lock')
  })
})
