import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): a family's early help: the team, people, chronology, review date, assessment.
formTests([
  'POST /involvements/new',
  'POST /involvements/:id/team',
  'POST /involvements/:id/lead-professional',
  'POST /involvements/:id/people/new',
  'POST /involvements/:id/chronology/new',
  'POST /involvements/:id/review-date',
  'POST /involvements/:id/assessment',
])
