import type { FastifyInstance } from 'fastify'

/** One route as registered: what the authorisation matrix and the form property tests are built from. */
export interface RouteEntry {
  method: string
  /** The pattern as registered, e.g. `/involvements/:id/plans/:number`. */
  url: string
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>()

/**
 * Starts recording every route registered on `app` from now on. Fastify has no public list of its
 * routes (only a printed tree), so the table is kept from the `onRoute` hook. HEAD routes that
 * Fastify adds for each GET are left out: they run the same handler.
 */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = []
  tables.set(app, table)
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      if (method === 'HEAD') continue
      if (!table.some((r) => r.method === method && r.url === route.url)) table.push({ method, url: route.url })
    }
  })
}

/** Every route of a built app, in the order registered. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  const table = tables.get(app)
  if (!table) throw new Error('routeTable: recordRoutes was not called when the app was built')
  return table
}
