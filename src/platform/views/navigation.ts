import type { Role } from '../db/schema.ts'

export interface NavigationItem {
  href: string
  text: string
  roles: readonly Role[] | 'any'
}

/** The service navigation, by role. Later capabilities add their entries here. */
export const NAVIGATION: readonly NavigationItem[] = [
  { href: '/home', text: 'Home', roles: 'any' },
  { href: '/requests', text: 'Requests for support', roles: ['practitioner'] },
  { href: '/front-door', text: 'Front door queue', roles: ['front_door_officer', 'duty_manager'] },
  { href: '/panels', text: 'Children and Family Panel', roles: ['duty_manager', 'team_manager'] },
  { href: '/front-door/consultations', text: 'Consultation Line log', roles: ['front_door_officer', 'duty_manager'] },
  { href: '/front-door/calls', text: 'Keep-in-touch calls', roles: ['front_door_officer', 'duty_manager'] },
  { href: '/involvements', text: 'Families', roles: ['practitioner', 'team_manager', 'early_help_advisor', 'duty_manager', 'front_door_officer'] },
  { href: '/directory', text: 'Directory', roles: ['administrator', 'service_provider'] },
  { href: '/admin/accounts', text: 'Accounts', roles: ['administrator'] },
  { href: '/admin/organisations', text: 'Organisations', roles: ['administrator'] },
  { href: '/admin/audit', text: 'Audit log', roles: ['administrator'] },
  { href: '/privacy/break-glass', text: 'Break-glass reviews', roles: ['administrator'] },
  { href: '/privacy/retention', text: 'Retention', roles: ['administrator'] },
  { href: '/admin/notifications', text: 'Notifications', roles: ['administrator'] },
]

/**
 * `current` marks the page itself (aria-current="page"), `active` a page beneath it; only the
 * item with the longest matching address is marked, so /front-door/consultations is not also
 * the queue.
 */
export function navigationFor(role: Role, currentPath: string): { href: string; text: string; current: boolean; active: boolean }[] {
  const items = NAVIGATION.filter((item) => item.roles === 'any' || item.roles.includes(role))
  const best = items
    .filter((item) => currentPath === item.href || currentPath.startsWith(`${item.href}/`))
    .reduce<NavigationItem | undefined>((longest, item) => (!longest || item.href.length > longest.href.length ? item : longest), undefined)
  return items.map((item) => ({
    href: item.href,
    text: item.text,
    current: item === best && currentPath === item.href,
    active: item === best && currentPath !== item.href,
  }))
}
