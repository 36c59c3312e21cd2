import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): the front door: decisions, the Consultation Line, signposting.
formTests([
  'POST /front-door/requests/:id/decision',
  'POST /front-door/consultations/new',
  'POST /front-door/requests/:id/signposting',
  'POST /front-door/requests/:id/signposting/calls',
  'POST /involvements/:id/signposting',
])
