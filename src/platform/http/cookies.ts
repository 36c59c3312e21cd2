/**
 * Cookie names carry the __Host- prefix: the browser then accepts them only when Secure, for the
 * whole site and without a Domain, so no other host can plant one (browsers treat localhost as secure).
 */
export const SESSION_COOKIE = '__Host-eh-session'
export const CSRF_COOKIE = '__Host-eh-csrf'

export const COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' } as const
