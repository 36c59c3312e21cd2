import type { AddressInfo } from 'node:net'
import { createTestContext, DEMO_PASSWORD, type TestContext } from '../../src/test/context.ts'
import { DEMO_ACCOUNTS, type DemoAccount } from '../../src/demo/demo-data.ts'
import { SERVICE_NAME } from '../../src/platform/views/plugin.ts'

/** The service's own name, in the header before anyone signs in. */
export { DEMO_ACCOUNTS, DEMO_PASSWORD, SERVICE_NAME, type DemoAccount }

/** The authority each tenant's pages are branded with, as a person sees it in the header. */
export const AUTHORITY_NAMES: Record<string, string> = {
  essex: 'Essex County Council',
  southend: 'Southend-on-Sea City Council',
}

export interface E2EServer {
  /** http://localhost:<port>: a name Chromium treats as a secure origin, so it keeps __Host- cookies. */
  baseURL: string
  /** The real app's database, for looking up what the demonstration data holds (never for shortcuts). */
  ctx: TestContext
  /** The full name of a demonstration account, keyed by email. */
  nameOf(email: string): Promise<string>
  close(): Promise<void>
}

/**
 * Starts the real app, wired as production wires it (migrations, reference data, demonstration
 * data, every plugin), over a fresh database: PGlite in memory, or a new database on the
 * PostgreSQL server named by DATABASE_URL. It listens on an ephemeral loopback port.
 */
export async function startServer(): Promise<E2EServer> {
  const ctx = await createTestContext({ demoData: true })
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  return {
    baseURL: `http://localhost:${port}`,
    ctx,
    async nameOf(email) {
      const row = await ctx.db.system.selectFrom('accounts').select('name').where('email', '=', email).executeTakeFirstOrThrow()
      return row.name
    },
    close: () => ctx.close(),
  }
}
