/**
 * The messages this service sends, by our own name. Each is a template in GOV.UK Notify whose id
 * is configuration (NOTIFY_TEMPLATE_<NAME> or NOTIFY_TEMPLATES), so the same code sends from a
 * trial service and a live one. `label` is what administrators see in the outbox. Later
 * capabilities add theirs here.
 */
export const NOTIFICATION_TEMPLATES = {
  'request-acknowledged': { label: 'Request for support acknowledged' },
  'request-decided': { label: 'Decision on a request for support' },
  'password-changed': { label: 'Your password was changed' },
  'security-codes-reset': { label: 'Your security codes were reset' },
} as const satisfies Record<string, { label: string }>

export type NotificationTemplate = keyof typeof NOTIFICATION_TEMPLATES

export function isNotificationTemplate(name: string): name is NotificationTemplate {
  return Object.hasOwn(NOTIFICATION_TEMPLATES, name)
}

/** The name administrators see; a template since removed shows its stored name. */
export function templateLabel(name: string): string {
  return isNotificationTemplate(name) ? NOTIFICATION_TEMPLATES[name].label : name
}

/** The environment variable that holds a template's Notify id: request-acknowledged → NOTIFY_TEMPLATE_REQUEST_ACKNOWLEDGED. */
export function templateVariable(name: string): string {
  return `NOTIFY_TEMPLATE_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`
}
