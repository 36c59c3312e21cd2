import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): a family's meetings, scheduled, recorded and cancelled.
formTests(['POST /involvements/:id/meetings/new', 'POST /involvements/:id/meetings/:meetingId', 'POST /involvements/:id/meetings/:meetingId/cancel'])
