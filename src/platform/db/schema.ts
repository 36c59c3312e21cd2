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
  'service_provider',
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
  /** Set when the request steps a family up from an involvement. */
  stepped_up_from: ColumnType<string | null, string | null | undefined, string | null>
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

export type InvolvementStatus = 'open' | 'closing' | 'closed'
export type InvolvementRoute = 'triage' | 'panel' | 'direct' | 'step-down'
export type MeetingKind = 'initial' | 'review' | 'final'
type DateOnly = ColumnType<string, string, string>
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>

export interface InvolvementTable {
  id: Generated<string>
  tenant_id: string
  reference: string
  /** How the family is named on lists: "the Smith family" reads as `Smith`. */
  family_name: string
  level: number
  status: ColumnType<InvolvementStatus, InvolvementStatus | undefined, InvolvementStatus>
  route: InvolvementRoute
  request_id: string | null
  lead_account_id: string
  allocated_at: Timestamp
  assessment_due_on: NullableDate
  next_review_on: NullableDate
  /** The earliest open action's due date, kept by a trigger on plan_actions. */
  next_action_on: ColumnType<string | null, never, never>
  review_cadence_id: string | null
  opened_by: string
  opened_at: Generated<Date>
  /** Reason, details, outcomes achieved, final scores, who asked and who signed off. */
  closure: Json<Record<string, unknown>> | null
  closed_at: Timestamp | null
  closed_by: string | null
  version: Generated<number>
  updated_at: Generated<Date>
  /** When the family withdrew consent to share and sharing stopped: partner practitioners and the referrer lose access (consent feature). */
  sharing_stopped_at: ColumnType<Date | null, never, Date | null>
  /** The latest date a consent was withdrawn, for the tag on lists and the family's page. */
  consent_withdrawn_on: ColumnType<string | null, never, string | null>
  /** The council team the family is allocated to, whose practitioners may see and add to it (an organisation). */
  allocated_team_id: ColumnType<string | null, string | null | undefined, string | null>
  /** When the retention sweep anonymised the family's records (retention feature); null until then. */
  anonymised_at: ColumnType<Date | null, never, never>
}

export interface InvolvementPersonTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  kind: 'child' | 'adult'
  given_name: string
  family_name: string
  date_of_birth: NullableDate
  relationship: string | null
  ethnicity: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, string>
  request_person_id: string | null
  position: Generated<number>
  created_at: Generated<Date>
}

export interface LeadProfessionalTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  account_id: string
  started_at: Timestamp
  ended_at: Timestamp | null
  reason: string
  recorded_by: string
}

export interface TeamMemberTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  kind: 'practitioner' | 'family'
  account_id: string | null
  involvement_person_id: string | null
  name: string
  organisation: string | null
  role: string
  contact: string | null
  joined_at: Generated<Date>
  added_by: string
  left_at: Timestamp | null
  removed_by: string | null
  left_reason: string | null
}

export interface AssessmentTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  due_on: NullableDate
  status: ColumnType<'in-progress' | 'completed', 'in-progress' | 'completed' | undefined, 'in-progress' | 'completed'>
  content: ColumnType<Record<string, unknown>, string | undefined, string>
  completed_at: Timestamp | null
  completed_by: string | null
  updated_at: Generated<Date>
  updated_by: string | null
  version: Generated<number>
}

export interface MeetingTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  kind: MeetingKind
  scheduled_at: Timestamp
  venue: string | null
  is_virtual: Generated<boolean>
  coordinator_account_id: string | null
  invitees: ColumnType<unknown[], string | undefined, string>
  status: ColumnType<'scheduled' | 'held' | 'cancelled', 'scheduled' | 'held' | 'cancelled' | undefined, 'scheduled' | 'held' | 'cancelled'>
  attendance: Json<Record<string, unknown>> | null
  held_at: Timestamp | null
  recorded_by: string | null
  created_by: string
  created_at: Generated<Date>
  version: Generated<number>
}

export interface PlanVersionTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  number: number
  kind: MeetingKind
  meeting_id: string | null
  status: ColumnType<'draft' | 'agreed', 'draft' | 'agreed' | undefined, 'draft' | 'agreed'>
  /** Every field of the plan template (see features/plans/content.ts). */
  content: ColumnType<Record<string, unknown>, string | undefined, string>
  family_score: number | null
  team_score: number | null
  review_on: NullableDate
  consent_given: boolean | null
  assessor_name: string | null
  assessor_signed_on: NullableDate
  family_signatory_name: string | null
  family_signed_on: NullableDate
  created_by: string
  created_at: Generated<Date>
  updated_at: Generated<Date>
  agreed_at: Timestamp | null
  agreed_by: string | null
  version: Generated<number>
}

export interface PlanActionTable {
  id: string
  tenant_id: string
  involvement_id: string
  plan_version_id: string
  need_id: string | null
  what: string
  who: string
  due_on: DateOnly
  status: ColumnType<'open' | 'done' | 'dropped', 'open' | 'done' | 'dropped' | undefined, 'open' | 'done' | 'dropped'>
  status_changed_at: Timestamp | null
  status_changed_by: string | null
  created_at: Generated<Date>
}

export interface ChronologyEntryTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  occurred_at: Timestamp
  kind: string
  summary: string
  detail: string | null
  significant: Generated<boolean>
  author_account_id: string
  created_at: Generated<Date>
}

export interface LevelChangeTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  from_level: number
  to_level: number
  direction: 'up' | 'down'
  reason: string
  request_id: string | null
  decided_by: string
  decided_at: Generated<Date>
}

export interface PanelItemTable {
  id: Generated<string>
  tenant_id: string
  request_id: string
  panel_on: DateOnly
  status: ColumnType<'waiting' | 'decided', 'waiting' | 'decided' | undefined, 'waiting' | 'decided'>
  decision: string | null
  involvement_id: string | null
  decided_by: string | null
  decided_at: Timestamp | null
  created_at: Generated<Date>
}

/** An ORUK record (or part of one) as stored: the standard's JSON, exactly as received or built. */
type Document = ColumnType<Record<string, unknown>, string, string>
type TextArray = ColumnType<string[], string[] | undefined, string[]>
type NumberArray = ColumnType<number[], number[] | undefined, number[]>

export interface DirectoryOrganizationTable {
  id: string
  tenant_id: string
  name: string
  organisation_id: string | null
  document: Document
  updated_at: Generated<Date>
}

export interface DirectoryTaxonomyTable {
  id: string
  tenant_id: string
  name: string
  document: Document
}

export interface DirectoryTaxonomyTermTable {
  id: string
  tenant_id: string
  taxonomy_id: string | null
  parent_id: string | null
  code: string | null
  name: string
  document: Document
}

export type DirectoryServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed'
export type ReferralRoute = 'self' | 'professional' | 'request-for-support'

export interface DirectoryServiceTable {
  id: string
  tenant_id: string
  organization_id: string | null
  name: string
  description: string | null
  status: DirectoryServiceStatus
  minimum_age: number | null
  maximum_age: number | null
  document: Document
  levels: NumberArray
  localities: TextArray
  categories: TextArray
  referral_routes: ColumnType<ReferralRoute[], ReferralRoute[] | undefined, ReferralRoute[]>
  how_to_refer: string | null
  capacity: string | null
  last_checked_on: NullableDate
  term_ids: TextArray
  postcode_districts: TextArray
  search: ColumnType<string, never, never>
  version: Generated<number>
  updated_at: Generated<Date>
  updated_by: string | null
}

export interface DirectoryLocationTable {
  id: string
  tenant_id: string
  name: string | null
  postcode: string | null
  latitude: number | null
  longitude: number | null
  document: Document
}

export interface DirectoryServiceAtLocationTable {
  id: string
  tenant_id: string
  service_id: string
  location_id: string
  document: ColumnType<Record<string, unknown>, string | undefined, string>
}

export interface SignpostTable {
  id: Generated<string>
  tenant_id: string
  request_id: string | null
  involvement_id: string | null
  service_id: string
  note: string | null
  signposted_by: string
  signposted_at: Generated<Date>
}

export interface KeepInTouchCallTable {
  id: Generated<string>
  tenant_id: string
  request_id: string
  due_on: DateOnly
  status: ColumnType<'due' | 'done' | 'cancelled', 'due' | 'done' | 'cancelled' | undefined, 'due' | 'done' | 'cancelled'>
  need_met: 'yes' | 'partly' | 'no' | 'not-reached' | null
  note: string | null
  recorded_by: string | null
  recorded_at: Timestamp | null
  created_by: string
  created_at: Generated<Date>
  version: Generated<number>
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
  involvements: InvolvementTable
  involvement_people: InvolvementPersonTable
  lead_professionals: LeadProfessionalTable
  team_members: TeamMemberTable
  assessments: AssessmentTable
  meetings: MeetingTable
  plan_versions: PlanVersionTable
  plan_actions: PlanActionTable
  chronology_entries: ChronologyEntryTable
  level_changes: LevelChangeTable
  panel_items: PanelItemTable
  directory_organizations: DirectoryOrganizationTable
  directory_taxonomies: DirectoryTaxonomyTable
  directory_taxonomy_terms: DirectoryTaxonomyTermTable
  directory_services: DirectoryServiceTable
  directory_locations: DirectoryLocationTable
  directory_service_at_locations: DirectoryServiceAtLocationTable
  signposts: SignpostTable
  keep_in_touch_calls: KeepInTouchCallTable
  account_mfa: AccountMfaTable
  mfa_recovery_codes: MfaRecoveryCodeTable
  pending_sign_ins: PendingSignInTable
  break_glass_grants: BreakGlassGrantTable
  consents: ConsentTable
  consent_overrides: ConsentOverrideTable
  disclosures: DisclosureTable
  protected_details: ProtectedDetailTable
  legal_holds: LegalHoldTable
  retention_runs: RetentionRunTable
  retention_run_items: RetentionRunItemTable
}

export interface AccountMfaTable {
  account_id: string
  tenant_id: string
  secret_encrypted: string
  enabled: Generated<boolean>
  enabled_at: Timestamp | null
  last_time_step: number | null
  created_at: Generated<Date>
}

export interface MfaRecoveryCodeTable {
  id: Generated<string>
  account_id: string
  tenant_id: string
  code_hash: string
  used_at: Timestamp | null
}

export interface PendingSignInTable {
  id_hash: string
  account_id: string
  tenant_id: string
  stage: 'mfa-code' | 'mfa-set-up'
  method: 'password' | 'oidc'
  return_to: string
  created_at: Generated<Date>
  expires_at: Timestamp
  ip: string | null
  user_agent: string | null
}

export type BreakGlassFinding = 'appropriate' | 'not-appropriate' | 'follow-up'

/** One break-glass opening of a family: who, why, for how long, and the review's finding. */
export interface BreakGlassGrantTable {
  id: Generated<string>
  tenant_id: string
  account_id: string
  involvement_id: string
  reason: string
  granted_at: Generated<Date>
  expires_at: Timestamp
  finding: BreakGlassFinding | null
  finding_note: string | null
  reviewed_by: string | null
  reviewed_at: Timestamp | null
}

export type ConsentPurpose = 'early-help' | 'information-sharing'
export type ConsentHow = 'verbal' | 'written' | 'digital'
export type ConsentWithdrawalEffect = 'stop-sharing' | 'close' | 'override'

/** One person's consent for one purpose (and, for sharing, the agencies named); withdrawn, never rewritten. */
export interface ConsentTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  for_person_id: string
  given_by_person_id: string
  purpose: ConsentPurpose
  agencies: ColumnType<string[], string[] | undefined, string[]>
  how: ConsentHow
  given_on: ColumnType<string, string, string>
  recorded_by: string
  recorded_at: Generated<Date>
  withdrawn_on: ColumnType<string | null, string | null | undefined, string | null>
  withdrawal_recorded_by: string | null
  withdrawal_recorded_at: Timestamp | null
  withdrawal_note: string | null
  withdrawal_effect: ConsentWithdrawalEffect | null
  version: Generated<number>
}

/** The lawful basis on which sharing or early help goes on after consent was withdrawn. */
export interface ConsentOverrideTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  consent_id: string
  basis: 'section-47' | 'section-17' | 'safeguarding-dpa-sch1-para18' | 'legal-obligation' | 'public-task'
  reason: string
  decided_by: string
  decided_at: Generated<Date>
}

/** One disclosure of a family's information: what, to whom, why, on which basis, when and who. */
export interface DisclosureTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  shared_on: ColumnType<string, string, never>
  what: string
  recipient: string
  reason: string
  basis: 'consent' | 'section-47' | 'section-17' | 'safeguarding-dpa-sch1-para18' | 'legal-obligation' | 'public-task'
  source: 'team-member-added' | 'plan-downloaded' | 'subject-access-export' | 'recorded-by-hand'
  consent_id: string | null
  recorded_by: string
  recorded_at: Generated<Date>
}

export type ProtectedDetailKind = 'address' | 'contact' | 'whereabouts'

/** A person's address, contact details or whereabouts kept from named family members and agencies. */
export interface ProtectedDetailTable {
  id: Generated<string>
  tenant_id: string
  involvement_id: string
  person_id: string
  kind: ProtectedDetailKind
  value: string
  hidden_from_people: ColumnType<string[], string[] | undefined, never>
  hidden_from_organisations: ColumnType<string[], string[] | undefined, never>
  reason: string
  recorded_by: string
  recorded_at: Generated<Date>
  ended_at: Timestamp | null
  ended_by: string | null
  ended_reason: string | null
}

export type LegalHoldRecordType = 'involvement' | 'request'

/** A legal hold: nothing under an active hold is removed by retention. Lifted, never deleted. */
export interface LegalHoldTable {
  id: Generated<string>
  tenant_id: string
  record_type: LegalHoldRecordType
  record_id: string
  reference: string
  reason: string
  placed_by: string
  placed_at: Generated<Date>
  lifted_by: string | null
  lifted_at: Timestamp | null
  lift_reason: string | null
}

export type RetentionRecordType = 'involvement' | 'request-not-progressed' | 'consultation' | 'draft-request' | 'notification'

/** One run of the retention sweep for one authority: a report of what is due, or applying it. */
export interface RetentionRunTable {
  id: Generated<string>
  tenant_id: string
  mode: 'report' | 'apply'
  trigger: 'schedule' | 'manual'
  requested_by: string | null
  today: ColumnType<string, string, never>
  started_at: Timestamp
  finished_at: Timestamp | null
  counts: Json<Record<string, unknown>>
}

/** A record a retention run listed (a report) or removed (an apply), with the rule and the date it fell due. */
export interface RetentionRunItemTable {
  run_id: string
  tenant_id: string
  record_type: RetentionRecordType
  record_id: string
  reference: string | null
  action: 'delete' | 'anonymise'
  rule: string
  due_on: ColumnType<string, string, never>
  held: boolean
}
