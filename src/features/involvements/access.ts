import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import type { Role } from '../../platform/db/schema.ts'
import { ReadOnlyError } from '../../platform/http/errors.ts'

/**
 * How someone is related to a family's involvement. A role alone never opens a family: a
 * practitioner sees it only as its Lead Professional or a member of its Team Around the Family;
 * managers, Early Help Advisors and the front door of the same authority see it through their
 * oversight. Anyone else is told it does not exist.
 */
export type Relation = 'lead' | 'member' | 'manager' | 'advisor' | 'front-door'

/**
 * What a person wants to do with the involvement:
 * - `view`: read the family's record;
 * - `contribute`: add to the chronology, record views, update an action's status;
 * - `manage`: change the plan, meetings, team, Lead Professional, review date, level or closure;
 * - `sign-off`: a manager's sign-off of the closure of an intensive involvement.
 */
export type Need = 'view' | 'contribute' | 'manage' | 'sign-off'

const ALLOWED: Record<Need, readonly Relation[]> = {
  view: ['lead', 'member', 'manager', 'advisor', 'front-door'],
  contribute: ['lead', 'member', 'manager'],
  manage: ['lead', 'manager'],
  'sign-off': ['manager'],
}

const OVERSIGHT: Partial<Record<Role, Relation>> = {
  team_manager: 'manager',
  early_help_advisor: 'advisor',
  duty_manager: 'front-door',
  front_door_officer: 'front-door',
}

/** Roles that can reach casework pages at all; each page then checks the relationship. */
export const CASEWORK_ROLES: readonly Role[] = ['practitioner', 'team_manager', 'early_help_advisor', 'duty_manager', 'front_door_officer']

/** Pure: the relationship that applies, given the involvement's Lead Professional and whether the actor is on the team. */
export function relationOf(actor: Pick<Actor, 'accountId' | 'role'>, leadAccountId: string, onTeam: boolean): Relation | null {
  if (actor.role === 'practitioner') {
    if (leadAccountId === actor.accountId) return 'lead'
    return onTeam ? 'member' : null
  }
  return OVERSIGHT[actor.role] ?? null
}

export function allows(relation: Relation | null, need: Need): boolean {
  return relation !== null && ALLOWED[need].includes(relation)
}


/** A relationship refusal: a 404 to the person, and an audited denial. */
export class RelationshipDeniedError extends NotFoundError {
  readonly need: Need
  constructor(need: Need) {
    super()
    this.need = need
  }
}

export async function involvementFor(trx: Trx, actor: Actor, id: string, need: Need) {
  const involvement = await trx.selectFrom('involvements').selectAll().where('id', '=', id).executeTakeFirst()
  if (!involvement) throw new NotFoundError()
  let onTeam = false
  if (actor.role === 'practitioner' && involvement.lead_account_id !== actor.accountId) {
    const member = await trx
      .selectFrom('team_members')
      .select('id')
      .where('involvement_id', '=', id)
      .where('account_id', '=', actor.accountId)
      .where('left_at', 'is', null)
      .executeTakeFirst()
    onTeam = !!member
  }
  const relation = relationOf(actor, involvement.lead_account_id, onTeam)
  if (!allows(relation, need)) throw new RelationshipDeniedError(need)
  if (need !== 'view' && involvement.status === 'closed') {
    throw new ReadOnlyError(`/involvements/${id}`, 'This family’s early help has been closed, so it can no longer be changed')
  }
  return { involvement, relation: relation as Relation }
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
    }
    throw error
  }
}
