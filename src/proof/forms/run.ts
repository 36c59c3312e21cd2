import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { CATALOGUE, isForm } from './catalogue.ts'
import { NUM_RUNS } from './harness.ts'
import type { Reply, Request } from './worker.ts'

/**
 * Registers the property tests of the form routes named. They run in one worker thread for the file
 * (worker.ts), over one app and database. A route with several forms (the sections of a request or
 * a plan) shares its cases between them, so each route gets NUM_RUNS cases in all. To work on one
 * route, narrow the run with node's own `--test-name-pattern`.
 */
export function formTests(routes: readonly string[]): void {
  let worker: Worker
  let pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined
  const ask = (request: Request) =>
    new Promise<Reply>((resolve, reject) => {
      pending = { resolve, reject }
      worker.postMessage(request)
    })
  before(() => {
    worker = new Worker(new URL('./worker.ts', import.meta.url))
    worker.on('message', (reply: Reply) => pending?.resolve(reply))
    worker.on('error', (error) => pending?.reject(error))
    worker.on('exit', (code) => pending?.reject(new Error(`the property tests' worker ended (exit code ${code})`)))
  })
  after(async () => {
    const ended = new Promise((resolve) => worker.once('exit', resolve))
    worker.postMessage({ kind: 'close' } satisfies Request)
    await ended
  })
  for (const route of routes) {
    const entries = CATALOGUE.filter((e) => e.route === route)
    if (!entries.length) throw new Error(`no catalogue entry for ${route}`)
    for (const entry of entries) {
      if (!isForm(entry)) throw new Error(`${route} is not a form the property tests reach`)
      const runs = Math.ceil(NUM_RUNS / entries.length)
      const name = `${route}${entry.variant ? ` (${entry.variant})` : ''}`
      test(`${name}: ${runs} hostile submissions`, async (t) => {
        const reply = await ask({ kind: 'check', route, variant: entry.variant, runs })
        if (!reply.ok) assert.fail(reply.error)
        t.diagnostic(`${name}: replies ${JSON.stringify(reply.statuses)}, ${reply.saves} saves read back, ${reply.ms} ms`)
      })
    }
  }
}
