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
  { href: '/admin/accounts', text: 'Accounts', roles: ['administrator'] },
  { href: '/admin/organisations', text: 'Organisations', roles: ['administrator'] },
  { href: '/admin/audit', text: 'Audit log', roles: ['administrator'] },
  { href: '/admin/notifications', text: 'Notifications', roles: ['administrator'] },
]

/** `current` marks the page itself (aria-current="page"), `active` a page beneath it. */
export function navigationFor(role: Role, currentPath: string): { href: string; text: string; current: boolean; active: boolean }[] {
  return NAVIGATION.filter((item) => item.roles === 'any' || item.roles.includes(role)).map((item) => ({
    href: item.href,
    text: item.text,
    current: currentPath === item.href,
    active: currentPath.startsWith(`${item.href}/`),
  }))
}
