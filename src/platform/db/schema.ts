import type { ColumnType, Generated } from 'kysely'
import type { NotificationTable } from '../notify/schema.ts'

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

export const TRIAGE_OUTCOMES = ['universal-signposting', 'emerging-needs', 'intensive-support', 'safeguarding'] as const
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number]
export type RequestStatus = 'draft' | 'submitted' | 'decided'
type Json<T> = ColumnType<T, string, string>

export interface ReferenceCounterTable {
  tenant_id: string
  name: string
  value: ColumnType<string, string | number | undefined, string | number>
}

export interface RequestTable {
  id: Generated<string>
  tenant_id: string
  reference: string | null
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>
  route: 'practitioner' | 'self'
  priority: Generated<boolean>
  significant_harm: Generated<boolean>
  referrer_account_id: string | null
  referrer_phone: string | null
  postcode: string | null
  /** The journey's answers, section by section (see features/requests/answers.ts). */
  answers: ColumnType<Record<string, unknown>, string | undefined, string>
  suggested_level: number | null
  suggestion: Json<Record<string, unknown>> | null
  submitted_at: Timestamp | null
  acknowledge_due_at: Timestamp | null
  decision_due_at: Timestamp | null
  acknowledged_at: Timestamp | null
  acknowledged_by: string | null
  decided_at: Timestamp | null
  decided_by: string | null
  outcome: TriageOutcome | null
  decided_level: number | null
  decision_reason: string | null
  outcome_details: Json<Record<string, unknown>> | null
  looked_at_by: string | null
  looked_at_since: Timestamp | null
  version: Generated<number>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface RequestPersonTable {
  id: Generated<string>
  tenant_id: string
  request_id: string
  kind: 'child' | 'adult'
  given_name: string
  family_name: string
  date_of_birth: ColumnType<string | null, string | null | undefined, string | null>
  due_date: ColumnType<string | null, string | null | undefined, string | null>
  details: ColumnType<Record<string, unknown>, string | undefined, string>
  nhs_number: string | null
  position: Generated<number>
  created_at: Generated<Date>
}

export interface PersonMatchTable {
  id: Generated<string>
  tenant_id: string
  request_person_id: string
  matched_person_id: string
  decision: 'confirmed' | 'rejected'
  decided_by: string
  decided_at: Generated<Date>
}

export interface ConsultationTable {
  id: Generated<string>
  tenant_id: string
  recorded_by: string
  caller_name: string
  caller_organisation: string | null
  family_named: boolean
  family_description: string | null
  concern: string
  advice: string
  request_advised: boolean
  recorded_at: Generated<Date>
}

export interface DB {
  tenants: TenantTable
  organisations: OrganisationTable
  accounts: AccountTable
  sessions: SessionTable
  sign_in_throttle: SignInThrottleTable
  audit_events: AuditEventTable
  seed_runs: SeedRunTable
  reference_counters: ReferenceCounterTable
  requests: RequestTable
  request_people: RequestPersonTable
  person_matches: PersonMatchTable
  consultations: ConsultationTable
  notifications: NotificationTable
}
