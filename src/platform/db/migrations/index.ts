import type { Migration, MigrationProvider } from 'kysely/migration'
import * as foundation from './2026-11-24T1100-foundation.ts'
import * as requestsForSupport from './2026-11-24T1300-requests-for-support.ts'
import * as notifications from './2026-11-24T1400-notifications.ts'
import * as casework from './2026-11-24T1500-casework.ts'
import * as directory from './2026-11-24T1600-directory.ts'
import * as signIn from './2026-11-24T1700-sign-in.ts'
import * as breakGlass from './2026-11-24T1800-break-glass.ts'
import * as consentAndSharing from './2026-11-24T1900-consent-and-sharing.ts'
import * as protectedDetails from './2026-11-24T1910-protected-details.ts'
import * as retention from './2026-11-24T1920-retention.ts'
import * as allocatedTeam from './2026-11-24T1930-allocated-team.ts'
import * as notificationRetention from './2026-11-24T1940-notification-retention.ts'

/**
 * Migrations are named by the date and time they were written, and listed here rather than read
 * from the folder, so the list is checked by the type checker and survives bundling.
 */
const migrations: Record<string, Migration> = {
  '2026-11-24T1100-foundation': foundation,
  '2026-11-24T1300-requests-for-support': requestsForSupport,
  '2026-11-24T1400-notifications': notifications,
  '2026-11-24T1500-casework': casework,
  '2026-11-24T1600-directory': directory,
  '2026-11-24T1700-sign-in': signIn,
  '2026-11-24T1800-break-glass': breakGlass,
  '2026-11-24T1900-consent-and-sharing': consentAndSharing,
  '2026-11-24T1910-protected-details': protectedDetails,
  '2026-11-24T1920-retention': retention,
  '2026-11-24T1930-allocated-team': allocatedTeam,
  '2026-11-24T1940-notification-retention': notificationRetention,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
