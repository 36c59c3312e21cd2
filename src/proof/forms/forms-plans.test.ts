import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): Early Help Plans.
formTests([
  'POST /involvements/:id/plans',
  'POST /involvements/:id/plans/:number/:section',
  'POST /involvements/:id/plans/:number/agree',
  'POST /involvements/:id/actions/:actionId',
])
