import { sql } from 'kysely'
import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { ReadOnlyError } from '../../platform/http/errors.ts'
import { sharingStopsAccess } from '../consent/rules.ts'

/**
 * How someone is related to a family's involvement. A role alone never opens a family: a
 * practitioner sees it only as its Lead Professional, a member of its Team Around the Family, a
 * practitioner of the council team it is allocated to, the referrer who sent the request it opened from, or for one hour after opening it by break-glass
 * with a reason; managers, Early Help Advisors and the front door of the same authority see it
 * through their oversight. Anyone else is told it does not exist.
 */
export type Relation = 'lead' | 'member' | 'allocated-team' | 'manager' | 'advisor' | 'front-door' | 'referrer' | 'break-glass'

/**
 * What a person wants to do with the involvement:
 * - `view`: read the family's record;
 * - `contribute`: add to the chronology, record views, update an action's status;
 * - `manage`: change the plan, meetings, team, Lead Professional, review date, level or closure;
 * - `sign-off`: a manager's sign-off of the closure of an intensive involvement;
 * - `oversee`: read who has seen the family (its audit trail): team managers and duty managers.
 */
export type Need = 'view' | 'contribute' | 'manage' | 'sign-off' | 'oversee'

const ALLOWED: Record<Need, readonly Relation[]> = {
  view: ['lead', 'member', 'allocated-team', 'manager', 'advisor', 'front-door', 'referrer', 'break-glass'],
  contribute: ['lead', 'member', 'allocated-team', 'manager'],
  manage: ['lead', 'manager'],
  'sign-off': ['manager'],
  // Duty managers share the front door's relationship; `permits` narrows it to them.
  oversee: ['manager', 'front-door'],
}

const OVERSIGHT: Partial<Record<Role, Relation>> = {
  team_manager: 'manager',
  early_help_advisor: 'advisor',
  duty_manager: 'front-door',
  front_door_officer: 'front-door',
}

/** Roles that can reach casework pages at all; each page then checks the relationship. */
export const CASEWORK_ROLES: readonly Role[] = ['practitioner', 'team_manager', 'early_help_advisor', 'duty_manager', 'front_door_officer']

/**
 * Roles that may open a family by break-glass. Only practitioners: every other casework role
 * already sees every family of its authority through oversight, and roles outside casework
 * (administrators, analysts, service providers) have no business in a family's record.
 */
export const BREAK_GLASS_ROLES: readonly Role[] = ['practitioner']

/** Roles that may read who has seen a family ("its managers"). */
export const OVERSEER_ROLES: readonly Role[] = ['team_manager', 'duty_manager']

/** How long a break-glass opening lasts. */
export const BREAK_GLASS_MINUTES = 60

/** What is known about a practitioner's ties to the family beyond the Lead Professional. */
export interface Ties {
  /** An active member of the Team Around the Family. */
  onTeam?: boolean
  /** Works in the council team the family is allocated to. */
  allocatedTeam?: boolean
  /** Sent the request for support the involvement opened from. */
  referrer?: boolean
  /** Holds an unexpired break-glass grant. */
  breakGlass?: boolean
}

/**
 * Pure: the relationship that applies, given the involvement's Lead Professional and the actor's
 * ties to the family. The closest tie wins: lead, member, allocated team, referrer, then break-glass.
 */
export function relationOf(actor: Pick<Actor, 'accountId' | 'role'>, leadAccountId: string, ties: boolean | Ties = {}): Relation | null {
  const t: Ties = typeof ties === 'boolean' ? { onTeam: ties } : ties
  if (actor.role === 'practitioner') {
    if (leadAccountId === actor.accountId) return 'lead'
    if (t.onTeam) return 'member'
    if (t.allocatedTeam) return 'allocated-team'
    if (t.referrer) return 'referrer'
    return t.breakGlass ? 'break-glass' : null
  }
  return OVERSIGHT[actor.role] ?? null
}

export function allows(relation: Relation | null, need: Need): boolean {
  return relation !== null && ALLOWED[need].includes(relation)
}

/** `allows`, with the role where the relationship alone is too broad: only managers oversee. */
export function permits(actor: Pick<Actor, 'role'>, relation: Relation | null, need: Need): boolean {
  return allows(relation, need) && (need !== 'oversee' || OVERSEER_ROLES.includes(actor.role))
}

/** A relationship refusal: a 404 to the person, and an audited denial. */
export class RelationshipDeniedError extends NotFoundError {
  readonly need: Need
  constructor(need: Need) {
    super()
    this.need = need
  }
}

/**
 * Loads the involvement and decides the relationship, reading ties only as far as needed: the Lead
 * Professional needs no query; a practitioner off the team costs one query for the allocated team
 * (only when there is one), one for the referrer (only when the involvement came from a request)
 * and one indexed query for a break-glass grant.
 */
export async function involvementFor(trx: Trx, actor: Actor, id: string, need: Need) {
  const involvement = await trx.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirst()
  // Another authority's id, or one that does not exist: refused and audited like any other.
  if (!involvement) throw new RelationshipDeniedError(need)
  const ties: Ties = {}
  let breakGlassUntil: Date | null = null
  if (actor.role === 'practitioner' && involvement.lead_account_id !== actor.accountId) {
    const member = await trx
      .selectFrom('team_members')
      .select('id')
      .where('involvement_id', '=', id)
      .where('account_id', '=', actor.accountId)
      .where('left_at', 'is', null)
      .executeTakeFirst()
    ties.onTeam = !!member
    if (!ties.onTeam && involvement.allocated_team_id) {
      const colleague = await trx.selectFrom('accounts').select('id').where('id', '=', actor.accountId).where('organisation_id', '=', involvement.allocated_team_id).executeTakeFirst()
      ties.allocatedTeam = !!colleague
    }
    if (!ties.onTeam && !ties.allocatedTeam && involvement.request_id) {
      const referred = await trx.selectFrom('requests').select('id').where('id', '=', involvement.request_id).where('referrer_account_id', '=', actor.accountId).executeTakeFirst()
      ties.referrer = !!referred
    }
    if (!ties.onTeam && !ties.allocatedTeam && !ties.referrer) {
      const grant = await trx
        .selectFrom('break_glass_grants')
        .select('expires_at')
        .where('involvement_id', '=', id)
        .where('account_id', '=', actor.accountId)
        .where('expires_at', '>', sql<Date>`now()`)
        .orderBy('expires_at', 'desc')
        .limit(1)
        .executeTakeFirst()
      ties.breakGlass = !!grant
      breakGlassUntil = grant ? new Date(grant.expires_at) : null
    }
  }
  const relation = relationOf(actor, involvement.lead_account_id, ties)
  if (!permits(actor, relation, need)) throw new RelationshipDeniedError(need)
  // The family withdrew consent to share: partner practitioners and the referrer lose access at once.
  if (sharingStopsAccess(relation, involvement.sharing_stopped_at)) throw new RelationshipDeniedError(need)
  if (need !== 'view' && need !== 'oversee' && involvement.status === 'closed') {
    throw new ReadOnlyError(`/involvements/${id}`, 'This family’s early help has been closed, so it can no longer be changed')
  }
  return { involvement, relation: relation as Relation, breakGlassUntil }
}

export type LoadedInvolvement = Awaited<ReturnType<typeof involvementFor>>

/**
 * Runs `work` in the actor's tenant with the involvement loaded and the relationship checked.
 * A refusal is audited outside the rolled-back transaction, so denials are never lost.
 */
export async function withInvolvement<T>(db: Database, actor: Actor, id: string, need: Need, work: (trx: Trx, loaded: LoadedInvolvement) => Promise<T>): Promise<T> {
  try {
    return await db.asTenant(actor.tenantId, async (trx) => work(trx, await involvementFor(trx, actor, id, need)))
  } catch (error) {
    if (error instanceof RelationshipDeniedError) {
      await recordAudit(
        db.system,
        auditBy(actor, { action: 'access-denied', recordType: 'involvement', recordId: id, outcome: 'denied', detail: { need: error.need } }),
      )
      error.audited = true
    }
    throw error
  }
}

/**
 * Checks the relationship a change needs before its form is read, for routes whose form page
 * shown again needs less: a refusal is then the same audited 404 (or 409 when closed) as anywhere
 * else, never the form with its errors. Writes no event when allowed: the change writes its own.
 */
export async function requireNeed(db: Database, actor: Actor, id: string, need: Need): Promise<void> {
  await withInvolvement(db, actor, id, need, async () => undefined)
}
