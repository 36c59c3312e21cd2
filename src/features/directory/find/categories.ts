import { stableUuid } from '../store.ts'

/**
 * The authority's categories for the Effective Support Directory: the hub "breaks services down into
 * quadrant and then categories" (004:97-100). One fixed list for every authority; each category is
 * also an Open Referral taxonomy term, so the read API's taxonomy_term_id filter finds the same services.
 *
 * The same ids, names and term ids as the demonstration directory (src/demo/demo-directory.ts), so a
 * service an editor saves carries exactly the terms the demonstration services carry.
 */
export const DIRECTORY_CATEGORIES = [
  { id: 'parenting', name: 'Parenting', description: 'Help and courses for parents and carers' },
  { id: 'mental-health', name: 'Mental health and wellbeing', description: 'Emotional wellbeing and mental health support' },
  { id: 'education', name: 'Education and learning', description: 'School attendance, special educational needs and learning' },
  { id: 'housing', name: 'Housing', description: 'Housing advice and support to keep a home' },
  { id: 'money', name: 'Money and debt', description: 'Benefits, debt and money advice' },
  { id: 'youth', name: 'Young people', description: 'Youth work, activities and advice for young people' },
  { id: 'domestic-abuse', name: 'Domestic abuse', description: 'Support for victims of domestic abuse and crime' },
  { id: 'early-years', name: 'Early years', description: 'Babies, toddlers and pre-school children' },
  { id: 'health', name: 'Health', description: 'Physical health, health visiting and school nursing' },
  { id: 'activities', name: 'Activities and community', description: 'Sport, libraries, clubs and community groups' },
] as const

export type DirectoryCategory = (typeof DIRECTORY_CATEGORIES)[number]

export function categoryName(id: string): string {
  return DIRECTORY_CATEGORIES.find((c) => c.id === id)?.name ?? id
}

export function isCategory(id: string): boolean {
  return DIRECTORY_CATEGORIES.some((c) => c.id === id)
}

/** The name of the taxonomy the categories form in the Open Referral records, when the directory has none yet. */
export function categoryTaxonomyName(authorityName: string): string {
  return `${authorityName} Effective Support Directory categories`
}

/**
 * Stable ids per authority: ids are unique across the whole database, and each authority has its
 * own directory, so the same category is a different taxonomy term in each. (The seed string is the
 * demonstration directory's, which made these terms first.)
 */
export function categoryTaxonomyId(tenantId: string): string {
  return stableUuid('demo-directory', tenantId, 'taxonomy')
}

export function categoryTermId(tenantId: string, categoryId: string): string {
  return stableUuid('demo-directory', tenantId, 'term', categoryId)
}
