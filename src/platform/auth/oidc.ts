import { createHmac, timingSafeEqual } from 'node:crypto'
import * as client from 'openid-client'
import type { OidcConfig } from '../../config.ts'

/**
 * Single sign-on through an organisation's own OpenID Connect provider: the authorization code
 * flow with PKCE, a state and a nonce. What the browser must bring back (state, nonce, PKCE
 * verifier, where to go afterwards) is kept in a short-lived, signed, httpOnly __Host- cookie.
 */
export const OIDC_COOKIE = '__Host-eh-oidc'
export const OIDC_COOKIE_MAX_AGE_S = 10 * 60
export const OIDC_COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'lax', maxAge: OIDC_COOKIE_MAX_AGE_S } as const

interface FlowState {
  state: string
  nonce: string
  verifier: string
  returnTo: string
  /** Milliseconds since the epoch when the flow started. */
  at: number
}

export interface OidcIdentity {
  subject: string
  email: string | null
  emailVerified: boolean
}

export class OidcFlowError extends Error {
  readonly reason: string
  constructor(reason: string, message: string) {
    super(message)
    this.name = 'OidcFlowError'
    this.reason = reason
  }
}

export class OidcSignIn {
  readonly settings: OidcConfig
  private readonly signingKey: Buffer
  private readonly allowHttp: boolean
  private configuration: Promise<client.Configuration> | undefined

  /** `allowHttp` lets a local provider on http:// be used outside production (the tests start one). */
  constructor(settings: OidcConfig, options: { signingKey: Buffer; allowHttp: boolean }) {
    this.settings = settings
    this.signingKey = createHmac('sha256', options.signingKey).update('early-help oidc flow cookie').digest()
    this.allowHttp = options.allowHttp
  }

  /** The provider's metadata, discovered once; a failed discovery is tried again next time. */
  private discover(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        ...(this.allowHttp && this.settings.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.configuration = undefined
        throw error
      })
    return this.configuration
  }

  /** Where to send the browser, and the cookie to set before sending it. */
  async start(returnTo: string, now: Date): Promise<{ url: string; cookie: string }> {
    const configuration = await this.discover()
    const flow: FlowState = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      returnTo,
      at: now.getTime(),
    }
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    })
    return { url: url.href, cookie: this.seal(flow) }
  }

  /**
   * Checks the provider's answer against the cookie (state, then the code exchanged with the PKCE
   * verifier, then the ID token's signature, issuer, audience and nonce) and returns who it names.
   */
  async finish(query: string, cookie: string | undefined, now: Date): Promise<{ identity: OidcIdentity; returnTo: string }> {
    const flow = this.open(cookie, now)
    const params = new URLSearchParams(query)
    if (params.get('state') !== flow.state) throw new OidcFlowError('state mismatch', 'The state sent back does not match the one we sent')
    if (params.has('error')) throw new OidcFlowError('provider error', `The provider refused: ${params.get('error')?.slice(0, 100)}`)
    const configuration = await this.discover()
    const currentUrl = new URL(this.settings.redirectUri)
    currentUrl.search = params.toString()
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
    try {
      tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      })
    } catch (error) {
      throw new OidcFlowError('token exchange failed', error instanceof Error ? error.message : String(error))
    }
    const claims = tokens.claims()
    if (!claims) throw new OidcFlowError('no id token', 'The provider sent no ID token')
    let email = typeof claims.email === 'string' ? claims.email : null
    let verified = claims.email_verified === true
    // Providers that keep the email out of the ID token give it from the userinfo endpoint.
    if (!email) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub)
      email = typeof info.email === 'string' ? info.email : null
      verified = info.email_verified === true
    }
    return { identity: { subject: claims.sub, email, emailVerified: verified }, returnTo: flow.returnTo }
  }

  private seal(flow: FlowState): string {
    const body = Buffer.from(JSON.stringify(flow)).toString('base64url')
    return `${body}.${this.mac(body)}`
  }

  private open(cookie: string | undefined, now: Date): FlowState {
    if (!cookie || cookie.length > 2000) throw new OidcFlowError('no flow cookie', 'The sign-in had not started in this browser, or took too long')
    const [body = '', mac = ''] = cookie.split('.')
    const expected = Buffer.from(this.mac(body))
    const given = Buffer.from(mac)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new OidcFlowError('flow cookie tampered', 'The sign-in cookie was changed')
    const flow = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as FlowState
    if (now.getTime() - flow.at > OIDC_COOKIE_MAX_AGE_S * 1000) throw new OidcFlowError('flow expired', 'The sign-in took too long')
    return flow
  }

  private mac(body: string): string {
    return createHmac('sha256', this.signingKey).update(body).digest('base64url')
  }
}
