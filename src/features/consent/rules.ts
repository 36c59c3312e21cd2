/**
 * Consent and its withdrawal, as rules without I/O (DOMAIN.md "Consent and information sharing";
 * Southend 004:70-86, Essex 003:469-480). Consent is per person and per purpose: taking part in
 * voluntary early help, or sharing information with the agencies named. A young person can give
 * their own; a parent or carer gives it for a younger child.
 */
import type { Relation } from '../involvements/access.ts'

export const CONSENT_PURPOSES = {
  'early-help': 'Taking part in early help',
  'information-sharing': 'Sharing information with the agencies named',
} as const
export type ConsentPurposeId = keyof typeof CONSENT_PURPOSES

export const CONSENT_HOW = {
  verbal: 'Verbally',
  written: 'In writing',
  digital: 'Digitally (email, text or online form)',
} as const
export type ConsentHowId = keyof typeof CONSENT_HOW

/** What happens when information-sharing consent is withdrawn. */
export const SHARING_EFFECTS = {
  'stop-sharing': 'Stop sharing: practitioners from other agencies on the team, and the referrer, lose access now',
  override: 'Continue sharing under a lawful basis',
} as const

/** What happens when consent to early help is withdrawn. */
export const EARLY_HELP_EFFECTS = {
  close: 'Close the family’s early help',
  override: 'Continue early help under a lawful basis',
} as const

export const WITHDRAWAL_EFFECTS = {
  'stop-sharing': 'Sharing stopped',
  close: 'Early help closed',
  override: 'Continued under a lawful basis',
} as const

/** The refusal when someone is added to the team after the family withdrew consent to share. */
export const SHARING_STOPPED =
  'The family withdrew consent to share their information, so no one else can be given access. Record new consent, or a lawful basis to continue sharing, first.'

/** What the closure records when a family withdraws consent to early help. */
export const CONSENT_CLOSURE_DETAIL = 'The family withdrew consent'

/**
 * Pure: whether a relationship still opens the family after it withdrew consent to share. Partner
 * practitioners on the team (`member`) and the referrer see the family only because it agreed to
 * share; once sharing has stopped (and no lawful basis was recorded to go on, which clears it)
 * they are refused. The Lead Professional, the authority's own oversight roles and a break-glass
 * emergency opening are not sharing with another agency, so they keep their access.
 */
export function sharingStopsAccess(relation: Relation | null, sharingStoppedAt: Date | string | null): boolean {
  return sharingStoppedAt !== null && (relation === 'member' || relation === 'referrer')
}

/** The youngest age at which this service records a child's own consent without a parent; below it a parent or carer gives it. */
export const OWN_CONSENT_AGE = 13
