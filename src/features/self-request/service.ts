import type { Kysely } from 'kysely'
import { frameworkById } from '../../frameworks/index.ts'
import type { Framework } from '../../frameworks/schema.ts'
import { NotFoundError } from '../../platform/access/access.ts'
import { recordAudit } from '../../platform/audit/audit.ts'
import type { Database } from '../../platform/db/database.ts'
import type { DB } from '../../platform/db/schema.ts'
import { issueReference } from '../requests/service.ts'
import { frontDoorClocks, suggestionFor } from '../requests/rules.ts'
import type { SelfRequestInput } from './forms.ts'
import { selfRequestRepository as selfRequests, type ThrottleWindow } from './repository.ts'

/** The authority a family asks, by its id in the address ("essex"); anything else does not exist. */
export function authorityFor(id: unknown): Framework {
  const framework = typeof id === 'string' && /^[a-z][a-z-]{0,39}$/.test(id) ? frameworkById(id) : undefined
  if (!framework) throw new NotFoundError()
  return framework
}

/** Where a submission came from, for the audit log. */
export interface Origin {
  ip: string | null
  requestId: string | null
}

/**
 * A family's own request for help, straight into the front door's queue: a reference, the clocks in
 * the authority's working calendar, a suggested level (from no indicators: the front door judges),
 * the children as people the duty manager can search for, and the audit event, in one transaction.
 * Ticking the agreement is the family's consent, so it is recorded as given.
 */
export async function submitSelfRequest(
  db: Database,
  tenantId: string,
  input: SelfRequestInput,
  now: Date,
  origin: Origin = { ip: null, requestId: null },
): Promise<{ id: string; reference: string; decisionDueAt: Date }> {
  const framework = authorityFor(tenantId)
  if (!input.children.length) throw new Error('A self-request needs at least one child')
  return db.asTenant(tenantId, async (trx) => {
    const reference = await issueReference(trx, framework, now)
    const clocks = frontDoorClocks(framework, now)
    const suggestion = suggestionFor(framework, {}, false)
    const id = await selfRequests.insertRequest(trx, {
      tenantId,
      reference,
      phone: input.phone,
      postcode: input.postcode,
      answers: {
        help: {
          contactName: input.contactName,
          phone: input.phone,
          email: input.email,
          worries: input.worries,
          goingWell: input.goingWell,
          agreed: true,
        },
      },
      suggestedLevel: suggestion.level,
      suggestion,
      submittedAt: now,
      acknowledgeDueAt: clocks.acknowledgeDueAt,
      decisionDueAt: clocks.decisionDueAt,
    })
    await selfRequests.insertChildren(trx, tenantId, id, input.children)
    await recordAudit(trx, {
      action: 'request-submitted',
      tenantId,
      actor: null,
      recordType: 'request',
      recordId: id,
      ip: origin.ip,
      requestId: origin.requestId,
      detail: { route: 'self' },
    })
    return { id, reference, decisionDueAt: clocks.decisionDueAt }
  })
}

/**
 * The form is public, so each address may send at most this many requests in an hour, across both
 * authorities: enough for a family that makes mistakes or a family hub's shared computer, few enough
 * that a script cannot fill a queue. A shared address (a library, a mobile network) shares the limit;
 * the message then points people to the telephone lines.
 */
export const SELF_REQUEST_LIMIT = 10
export const SELF_REQUEST_WINDOW_MS = 60 * 60 * 1000

const keyFor = (ip: string) => `self-request:ip:${ip}`

export type Allowance = { ok: true } | { ok: false; retryAfter: Date }

function allowance(window: ThrottleWindow | undefined, countsThisOne: boolean): Allowance {
  if (!window) return { ok: true }
  const over = countsThisOne ? window.count > SELF_REQUEST_LIMIT : window.count >= SELF_REQUEST_LIMIT
  return over ? { ok: false, retryAfter: new Date(window.windowStartedAt.getTime() + SELF_REQUEST_WINDOW_MS) } : { ok: true }
}

/** Whether this address has used up its requests for the hour (looked at before the form is read). */
export async function selfRequestAllowance(system: Kysely<DB>, ip: string, now: Date): Promise<Allowance> {
  return allowance(await selfRequests.openWindow(system, keyFor(ip), now, SELF_REQUEST_WINDOW_MS), false)
}

/** Counts one submission from this address, refusing it when over the limit; taken just before sending. */
export async function takeSelfRequestAllowance(system: Kysely<DB>, ip: string, now: Date): Promise<Allowance> {
  return allowance(await selfRequests.count(system, keyFor(ip), now, SELF_REQUEST_WINDOW_MS), true)
}
