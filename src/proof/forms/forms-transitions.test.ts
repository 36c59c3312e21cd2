import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): stepping up, stepping down and closing.
formTests([
  'POST /involvements/:id/step-up',
  'POST /involvements/:id/step-down',
  'POST /involvements/:id/close',
  'POST /involvements/:id/close/sign-off',
  'POST /step-downs/new',
])
