import type { FastifyRequest } from 'fastify'
import { NotFoundError } from '../access/access.ts'
/**
 * Ids in URLs are checked before they reach the database, so a mangled link is a 404, not a 500.
 * Only the lower-case form PostgreSQL prints is an id here: one record, one address, and comparisons
 * such as "is this my own account" cannot be dodged with capitals.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
}

/** A route's id parameter (`:id` unless named), or a 404 when it is not an id. */
export function idParam(request: FastifyRequest, name = 'id'): string {
  const value = (request.params as Record<string, string>)[name]
  if (!isUuid(value)) throw new NotFoundError()
  return value
}
