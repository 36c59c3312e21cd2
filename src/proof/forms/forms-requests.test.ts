import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): asking for support, by practitioners and families.
formTests([
  'POST /requests/new',
  'POST /requests/priority',
  'POST /requests/:id/section/:section',
  'POST /requests/:id/people/:kind/:personId',
  'POST /help/:authority',
])
