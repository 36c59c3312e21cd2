import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): consent, sharing, protected details, subject access, retention.
formTests([
  'POST /involvements/:id/consent/new',
  'POST /involvements/:id/consent/:consentId/withdraw',
  'POST /involvements/:id/consent/:consentId/override',
  'POST /involvements/:id/sharing/new',
  'POST /involvements/:id/protected-details/new',
  'POST /involvements/:id/protected-details/:protectionId/lift',
  'POST /involvements/:id/people/:personId/subject-access',
  'POST /involvements/:id/people/:personId/subject-access.json',
  'POST /privacy/legal-holds',
  'POST /privacy/legal-holds/:id',
])
