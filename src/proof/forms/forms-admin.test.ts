import { formTests } from './run.ts'

// Property tests of the forms (see catalogue.ts): signing in, administration, break-glass and the directory.
formTests([
  'POST /sign-in',
  'POST /sign-in/code',
  'POST /sign-in/set-up-mfa',
  'POST /account/security-codes',
  'POST /account/password',
  'POST /admin/accounts/new',
  'POST /admin/organisations/new',
  'POST /break-glass',
  'POST /privacy/break-glass/:id',
  'POST /directory/new',
  'POST /directory/services/:id',
])
