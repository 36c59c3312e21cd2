import type { Role } from '../platform/db/schema.ts'

/** What each role is called on screen, unless an authority's framework names it its own way. */
export const ROLE_LABELS: Record<Role, string> = {
  practitioner: 'Practitioner',
  front_door_officer: 'Front door officer',
  duty_manager: 'Duty manager',
  early_help_advisor: 'Early Help Advisor',
  team_manager: 'Team manager',
  performance_analyst: 'Performance analyst',
  administrator: 'Administrator',
  service_provider: 'Service provider',
}

export function roleLabel(role: Role, vocabulary?: Partial<Record<Role, string>>): string {
  return vocabulary?.[role] ?? ROLE_LABELS[role]
}

/** Roles that see aggregates only: never a name or a record. */
export const AGGREGATE_ONLY_ROLES: readonly Role[] = ['performance_analyst']
