import type { Role } from '../../platform/db/schema.ts'

export interface RoleHome {
  /** What this role does in early help, in the words of the people doing it. */
  intro: string
  /** The work this role's home page gathers, as the capabilities that hold it arrive. */
  work: string[]
}

/** Each role's home page: what the role is for, and the work it brings together. */
export const ROLE_HOMES: Record<Role, RoleHome> = {
  practitioner: {
    intro: 'Ask the front door for support for a family, hear back on the decision, and lead or join the Team Around the Family.',
    work: [],
  },
  front_door_officer: {
    intro: 'Acknowledge every request for support within a working day, check the history of everyone in the family, and log consultations.',
    work: ['Consultation Line log'],
  },
  duty_manager: {
    intro: 'Decide the level of need and the outcome of every request for support within two working days, and make sure the referrer hears back.',
    work: ['Decisions that differ from the suggested level', 'Referrers not yet told the outcome'],
  },
  early_help_advisor: {
    intro: 'Support the practitioners who coordinate Early Help Plans, and receive the plans they register and close.',
    work: ['Early Help Plans registered this month', 'Plans closed and their outcomes'],
  },
  team_manager: {
    intro: 'Supervise intensive family support: allocate families, sign off assessments and plans, and audit the quality of casework.',
    work: ['Monthly case audits'],
  },
  performance_analyst: {
    intro: 'See how early help is performing across the authority. You see totals only, never a family or a person.',
    work: ['Requests, decisions and timeliness', 'Plans, reviews, step up and step down', 'Outcomes achieved and sustained'],
  },
  administrator: {
    intro: 'Give people access to the service, keep the list of organisations up to date, and check the audit log.',
    work: [],
  },
  service_provider: {
    intro: 'Keep your organisation’s services in the Effective Support Directory up to date, so families and practitioners find the right help.',
    work: ['Your services in the directory', 'Services that need checking'],
  },
}
