import { z } from 'zod'

export const signInForm = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .min(1, 'Enter your email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' })),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(1000, 'Password must be 1000 characters or fewer'),
})

/**
 * Only a path on this service, so a crafted link cannot send someone elsewhere after they sign in:
 * URL characters only (browsers drop tabs and line breaks from a Location, which could turn
 * "/\t/evil" into "//evil"), and never "//" or "/\" at the start.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500 || !/^\/[A-Za-z0-9\-._~/?&=%+,;:@]*$/.test(value)) return '/home'
  if (value.startsWith('//') || value.startsWith('/sign-in')) return '/home'
  return value
}

export const codeForm = z.object({
  code: z
    .string({ error: 'Enter the code from your authenticator app, or a recovery code' })
    .trim()
    .min(1, 'Enter the code from your authenticator app, or a recovery code')
    .max(40, 'Enter the 6-digit code from your authenticator app, or a recovery code'),
})

export const setUpCodeForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .trim()
    .min(1, 'Enter the 6-digit code from your authenticator app')
    .max(40, 'Enter the 6-digit code from your authenticator app')
    .refine((value) => /^\d{6}$/.test(value.replace(/[\s-]/g, '')), 'Enter the 6-digit code from your authenticator app'),
})
