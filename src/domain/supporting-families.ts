/**
 * The national Supporting Families programme's ten headline outcomes (formerly Troubled
 * Families). A family qualifies with needs under at least three headlines; success is judged on
 * outcomes met and sustained. This is the national framework, the same for every authority,
 * so it is held here rather than in an authority's data: see /work/shared/DOMAIN.md
 * ("Supporting Families") and seeds 001:236-243 (needs aligned to the outcome plan, met and
 * sustained before a claim).
 *
 * Each need in an Early Help Plan may link to one or more of these headlines (by id) as well as
 * to the authority's own outcome framework.
 */
export const SUPPORTING_FAMILIES_HEADLINES = [
  { id: 'good-education', text: 'Getting a good education' },
  { id: 'early-years', text: 'Good early years development' },
  { id: 'mental-physical-health', text: 'Improved mental and physical health' },
  { id: 'substance-use', text: 'Better managed substance use' },
  { id: 'family-relationships', text: 'Improved family relationships' },
  { id: 'safe-from-abuse-exploitation', text: 'Children safe from abuse and exploitation' },
  { id: 'diverted-from-crime', text: 'Families diverted from crime' },
  { id: 'safe-from-domestic-abuse', text: 'Safe from domestic abuse' },
  { id: 'secure-housing', text: 'Secure housing' },
  { id: 'financial-stability', text: 'Financial stability' },
] as const

export type HeadlineId = (typeof SUPPORTING_FAMILIES_HEADLINES)[number]['id']

export const HEADLINE_IDS: readonly string[] = SUPPORTING_FAMILIES_HEADLINES.map((h) => h.id)

/** The words for a headline id, or undefined for an id that is not one. */
export function headlineText(id: string): string | undefined {
  return SUPPORTING_FAMILIES_HEADLINES.find((h) => h.id === id)?.text
}

/** A family qualifies for Supporting Families with needs under at least three headlines. */
export function qualifiesForSupportingFamilies(headlineIds: Iterable<string>): boolean {
  return new Set([...headlineIds].filter((id) => HEADLINE_IDS.includes(id))).size >= 3
}
