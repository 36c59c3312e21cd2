/**
 * Ids in URLs are checked before they reach the database, so a mangled link is a 404, not a 500.
 * Only the lower-case form PostgreSQL prints is an id here: one record, one address, and comparisons
 * such as "is this my own account" cannot be dodged with capitals.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
}
