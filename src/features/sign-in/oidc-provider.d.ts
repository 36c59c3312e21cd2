/**
 * The little of oidc-provider (a devDependency, without its own types) that the single sign-on
 * test uses to start a real provider.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface ProviderAccount {
    accountId: string
    claims(): Record<string, unknown> | Promise<Record<string, unknown>>
  }

  interface ProviderConfiguration {
    clients?: Record<string, unknown>[]
    claims?: Record<string, string[]>
    findAccount?: (ctx: unknown, id: string) => ProviderAccount | undefined | Promise<ProviderAccount | undefined>
    cookies?: { keys?: string[] }
    features?: Record<string, { enabled: boolean }>
    [option: string]: unknown
  }

  export default class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration)
    callback(): (req: IncomingMessage, res: ServerResponse) => void
  }
}
