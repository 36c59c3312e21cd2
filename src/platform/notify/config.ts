import { NOTIFICATION_TEMPLATES, templateVariable } from './templates.ts'

export interface NotifyConfig {
  /** GOV.UK Notify API key. Without one, messages are kept in the outbox and marked sent in demonstration mode. */
  apiKey: string | undefined
  /** Our template name → Notify template id. */
  templateIds: Readonly<Record<string, string>>
}

export class NotifyConfigError extends Error {}

/**
 * Reads NOTIFY_API_KEY and the template ids: NOTIFY_TEMPLATES as a JSON object
 * (`{"request-acknowledged": "<uuid>"}`), then NOTIFY_TEMPLATE_<NAME> for each template, which wins.
 */
export function readNotifyConfig(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const apiKey = env.NOTIFY_API_KEY?.trim() || undefined
  const templateIds: Record<string, string> = {}
  if (env.NOTIFY_TEMPLATES?.trim()) {
    let parsed: unknown
    try {
      parsed = JSON.parse(env.NOTIFY_TEMPLATES)
    } catch {
      throw new NotifyConfigError('NOTIFY_TEMPLATES must be a JSON object of template name to Notify template id')
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new NotifyConfigError('NOTIFY_TEMPLATES must be a JSON object of template name to Notify template id')
    }
    for (const [name, id] of Object.entries(parsed)) {
      if (typeof id !== 'string' || !id.trim()) throw new NotifyConfigError(`NOTIFY_TEMPLATES: the id for "${name}" must be a string`)
      templateIds[name] = id.trim()
    }
  }
  for (const name of Object.keys(NOTIFICATION_TEMPLATES)) {
    const id = env[templateVariable(name)]?.trim()
    if (id) templateIds[name] = id
  }
  return { apiKey, templateIds }
}

/** Templates with no Notify id: worth a warning at start when messages are really being sent. */
export function missingTemplateIds(config: NotifyConfig): string[] {
  return Object.keys(NOTIFICATION_TEMPLATES).filter((name) => !config.templateIds[name])
}
