import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): the front door: decisions, the Consultation Line, signposting and keep-in-touch calls, the Children and Family Panel.
formTests([
  'POST /front-door/requests/:id/decision',
  'POST /front-door/consultations/new',
  'POST /front-door/requests/:id/signposting',
  'POST /front-door/requests/:id/signposting/calls',
  'POST /front-door/calls/:callId',
  'POST /panels/:date/items/:itemId',
  'POST /involvements/:id/signposting',
])
