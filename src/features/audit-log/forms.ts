import { z } from 'zod'
import { AUDIT_ACTIONS, type AuditAction } from '../../platform/audit/audit.ts'

const actions = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]]
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))

/** Filters arrive in the query string; anything unreadable is ignored rather than refused. */
export const auditFilter = z.object({
  action: z.enum(actions).optional().catch(undefined),
  actor: z.uuid().optional().catch(undefined),
  recordId: z.string().trim().min(1).max(100).optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_\d+$/)
    .optional()
    .catch(undefined),
})
export type AuditFilter = z.infer<typeof auditFilter>

export function parseCursor(before: string | undefined): { at: Date; id: string } | undefined {
  if (!before) return undefined
  const [at, id] = before.split('_')
  return at && id ? { at: new Date(at), id } : undefined
}

export function cursorOf(row: { at: Date; id: string }): string {
  return `${row.at.toISOString()}_${row.id}`
}
