import { NotifyClient } from 'notifications-node-client'
import type { NotifyConfig } from './config.ts'
import type { Personalisation } from './schema.ts'
import { templateVariable } from './templates.ts'

/** One email as the outbox hands it to a sender. */
export interface OutgoingEmail {
  /** Our template name; the sender maps it to the provider's template. */
  template: string
  recipient: string
  personalisation: Personalisation
  /** Our notification id: the only reference the provider is given. */
  reference: string
}

/** Sends an email, or says it would have. Tests give the outbox fakes that fail on cue. */
export interface NotifySender {
  readonly mode: 'notify' | 'demonstration'
  /** Resolves to the provider's id for the message; rejects with a SendError. */
  sendEmail(message: OutgoingEmail): Promise<{ providerId: string | null }>
  /**
   * The provider's id of a message it already accepted with this reference, or null: how a retry
   * recognises that an earlier attempt got through before the worker could record it.
   */
  findByReference(reference: string): Promise<string | null>
}

/** Why a send failed, in words that hold no personal data, and whether trying again could help. */
export class SendError extends Error {
  readonly permanent: boolean
  constructor(description: string, permanent: boolean) {
    super(description)
    this.name = 'SendError'
    this.permanent = permanent
  }
}

/** Without an API key nothing leaves the service: messages are kept and shown as sent in demonstration mode. */
export const demonstrationSender: NotifySender = {
  mode: 'demonstration',
  sendEmail: () => Promise.resolve({ providerId: null }),
  findByReference: () => Promise.resolve(null),
}

/** The part of notifications-node-client the sender uses, so tests can stand in for it without the network. */
export interface NotifyClientLike {
  sendEmail(
    templateId: string,
    emailAddress: string,
    options: { personalisation?: object; reference?: string },
  ): Promise<{ data: { id: string } }>
  getNotifications(templateType?: string, status?: string, reference?: string): Promise<{ data: { notifications: { id: string; reference?: string }[] } }>
}

export const NOTIFY_TIMEOUT_MS = 30_000

/** GOV.UK Notify, through its client, each request given up after NOTIFY_TIMEOUT_MS. */
export function notifySender(config: NotifyConfig, client?: NotifyClientLike): NotifySender {
  if (!config.apiKey) throw new Error('notifySender needs an API key')
  const notify = client ?? withTimeout(new NotifyClient(config.apiKey), NOTIFY_TIMEOUT_MS)
  return {
    mode: 'notify',
    async sendEmail(message) {
      const templateId = config.templateIds[message.template]
      if (!templateId) {
        // A deployment missing a setting: worth retrying, so a fix within the backoff still sends it.
        throw new SendError(`No GOV.UK Notify template id is set for "${message.template}" (${templateVariable(message.template)})`, false)
      }
      try {
        const response = await notify.sendEmail(templateId, message.recipient, {
          personalisation: message.personalisation,
          reference: message.reference,
        })
        return { providerId: response.data.id }
      } catch (error) {
        throw describeNotifyError(error)
      }
    },
    async findByReference(reference) {
      try {
        const response = await notify.getNotifications('email', undefined, reference)
        return response.data.notifications.find((n) => n.reference === reference)?.id ?? null
      } catch (error) {
        const cause = describeNotifyError(error)
        throw new SendError(`Could not check GOV.UK Notify for an earlier attempt: ${cause.message}`, false)
      }
    },
  }
}

/**
 * Notify's answer reduced to its status and error classes. Its messages are not kept: some repeat
 * what was sent ("… is not a valid email address" has been known to quote it).
 * A 400 is a message Notify will never accept; anything else (403, 429, 5xx, no answer) may pass later.
 */
export function describeNotifyError(error: unknown): SendError {
  if (error instanceof SendError) return error
  const e = error as { response?: { status?: unknown; data?: { errors?: { error?: unknown }[] } }; code?: unknown }
  const status = typeof e?.response?.status === 'number' ? e.response.status : undefined
  if (status !== undefined) {
    const classes = [...new Set((e.response?.data?.errors ?? []).map((x) => x?.error).filter((x): x is string => typeof x === 'string' && /^\w{1,60}$/.test(x)))]
    const detail = classes.length ? ` (${classes.join(', ')})` : ''
    return new SendError(`GOV.UK Notify answered ${status}${detail}`, status === 400)
  }
  const code = typeof e?.code === 'string' && /^[A-Z_]{1,40}$/.test(e.code) ? ` (${e.code})` : ''
  return new SendError(`GOV.UK Notify could not be reached${code}`, false)
}

/**
 * The client has no timeout of its own (axios waits for ever by default), so each request it makes
 * is given one: a hung connection must end well within the worker's claim on the message.
 */
export function withTimeout(client: NotifyClient, timeoutMs: number): NotifyClientLike {
  const api = client.apiClient as { restClient?: unknown } | undefined
  const request = api?.restClient
  if (api && typeof request === 'function') {
    api.restClient = (options: Record<string, unknown>) => (request as (o: Record<string, unknown>) => unknown)({ timeout: timeoutMs, ...options })
  }
  return client as unknown as NotifyClientLike
}
