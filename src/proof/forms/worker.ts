import { parentPort } from 'node:worker_threads'
import { createTestContext } from '../../test/context.ts'
import { CATALOGUE, isForm } from './catalogue.ts'
import { Fixtures } from './fixtures.ts'
import { checkForm } from './harness.ts'

/**
 * Runs the property tests of one test file in a worker thread of its own (see run.ts), over one app
 * and database: the test runner's asynchronous hooks, which track every promise of the test thread,
 * cost a fifth of each case's time and are not installed here.
 */

export type Request = { kind: 'check'; route: string; variant: string | undefined; runs: number } | { kind: 'close' }
export type Reply = { ok: true; statuses: Record<number, number>; saves: number; ms: number } | { ok: false; error: string }

const port = parentPort
if (!port) throw new Error('src/proof/forms/worker.ts runs in a worker thread')

const ready = createTestContext().then((ctx) => ({ ctx, fixtures: new Fixtures(ctx) }))

port.on('message', (request: Request) => {
  if (request.kind === 'close') void ready.then(({ ctx }) => ctx.close()).finally(() => port.close())
  else void answer(request).then((reply) => port.postMessage(reply))
})

async function answer(request: Extract<Request, { kind: 'check' }>): Promise<Reply> {
  try {
    const { fixtures } = await ready
    const entry = CATALOGUE.find((e) => e.route === request.route && isForm(e) && e.variant === request.variant)
    if (!entry || !isForm(entry)) throw new Error(`no form entry for ${request.route} ${request.variant ?? ''}`)
    const started = Date.now()
    const { statuses, saves } = await checkForm(fixtures, entry, request.runs)
    return { ok: true, statuses, saves, ms: Date.now() - started }
  } catch (error) {
    return { ok: false, error: described(error) }
  }
}

/** An error as the test's failure shows it: its message and stack, and what caused it (fast-check's property failure names the assertion that failed). */
function described(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const own = error.stack ?? error.message
  return error.cause === undefined ? own : `${own}\nCaused by: ${described(error.cause)}`
}
