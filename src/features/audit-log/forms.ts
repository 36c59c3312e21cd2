import { z } from 'zod'
import { AUDIT_ACTIONS, type AuditAction } from '../../platform/audit/audit.ts'

const actions = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]]

/** A calendar date (YYYY-MM-DD) that exists, within the years the service can hold events for. */
const isoDate = z.string().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return year >= 2000 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
})

/** Filters arrive in the query string; anything unreadable is ignored rather than refused. */
export const auditFilter = z.object({
  action: z.enum(actions).optional().catch(undefined),
  actor: z.uuid().optional().catch(undefined),
  recordId: z.string().trim().min(1).max(100).optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  /** The id of the last event on the previous page: the next page starts below it. */
  before: z
    .string()
    .regex(/^[1-9]\d{0,17}$/)
    .optional()
    .catch(undefined),
})
export type AuditFilter = z.infer<typeof auditFilter>
