import type { ColumnType, Generated } from 'kysely'

/** Timestamps come back from both drivers as Date; we write them as Date or leave them to defaults. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export const ROLES = [
  'practitioner',
  'front_door_officer',
  'duty_manager',
  'early_help_advisor',
  'team_manager',
  'performance_analyst',
  'administrator',
] as const
export type Role = (typeof ROLES)[number]

export const ORGANISATION_KINDS = [
  'school',
  'early_years',
  'health',
  'police',
  'housing',
  'voluntary',
  'council',
  'other',
] as const
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]

export interface TenantTable {
  id: string
  name: string
  created_at: Generated<Date>
}

export interface OrganisationTable {
  id: Generated<string>
  tenant_id: string
  name: string
  kind: OrganisationKind
  active: Generated<boolean>
  created_at: Generated<Date>
  deactivated_at: Timestamp | null
}

export interface AccountTable {
  id: Generated<string>
  tenant_id: string
  organisation_id: string
  email: string
  name: string
  role: Role
  phone: string | null
  password_hash: string
  active: Generated<boolean>
  created_at: Generated<Date>
  deactivated_at: Timestamp | null
  last_signed_in_at: Timestamp | null
}

export interface SessionTable {
  id_hash: string
  account_id: string
  tenant_id: string
  created_at: Generated<Date>
  last_seen_at: Generated<Date>
  ip: string | null
  user_agent: string | null
}

export interface SignInThrottleTable {
  key: string
  failures: number
  window_started_at: Timestamp
  locked_until: Timestamp | null
}

export interface AuditEventTable {
  id: Generated<string>
  at: Generated<Date>
  tenant_id: string | null
  actor_account_id: string | null
  actor_role: string | null
  action: string
  record_type: string | null
  record_id: string | null
  outcome: 'success' | 'denied' | 'failure'
  ip: string | null
  request_id: string | null
  detail: ColumnType<Record<string, unknown>, string | undefined, string>
}

export interface SeedRunTable {
  name: string
  ran_at: Generated<Date>
}

export interface DB {
  tenants: TenantTable
  organisations: OrganisationTable
  accounts: AccountTable
  sessions: SessionTable
  sign_in_throttle: SignInThrottleTable
  audit_events: AuditEventTable
  seed_runs: SeedRunTable
}
