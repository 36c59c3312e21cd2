import type { Actor } from '../platform/audit/audit.ts'
import type { InvolvementRoute } from '../platform/db/schema.ts'
import { openInvolvement, type FamilyMemberSeed } from '../features/involvements/open.ts'
import type { TestAccount, TestContext } from './context.ts'

export const TEST_FAMILY: FamilyMemberSeed[] = [
  { kind: 'child', givenName: 'Maisie', familyName: 'Testfamily', dateOfBirth: '2017-03-02', relationship: 'Daughter' },
  { kind: 'child', givenName: 'Leo', familyName: 'Testfamily', dateOfBirth: '2020-09-14', relationship: 'Son' },
  { kind: 'adult', givenName: 'Dana', familyName: 'Testfamily', dateOfBirth: '1990-05-20', relationship: 'Mother' },
]

/**
 * Opens an involvement straight through the casework service, as a duty manager would at triage,
 * with `lead` (an active practitioner) as Lead Professional. For tests that need a family to work on.
 */
export async function openTestInvolvement(
  ctx: TestContext,
  lead: TestAccount,
  options: { level?: number; route?: InvolvementRoute; people?: FamilyMemberSeed[]; now?: Date; familyName?: string; manager?: TestAccount } = {},
): Promise<{ id: string; reference: string }> {
  // A new duty manager (and organisation) unless one is given: tests that open many families give one.
  const manager = options.manager ?? (await ctx.newAccount(lead.tenantId, 'duty_manager'))
  const actor: Actor = { accountId: manager.id, tenantId: lead.tenantId, role: 'duty_manager', ip: null, requestId: null }
  return ctx.db.asTenant(lead.tenantId, (trx) =>
    openInvolvement(
      trx,
      actor,
      {
        familyName: options.familyName ?? 'Testfamily',
        level: options.level ?? 3,
        route: options.route ?? 'triage',
        leadAccountId: lead.id,
        summary: 'Opened for a test',
        people: options.people ?? TEST_FAMILY,
      },
      options.now ?? new Date(),
    ),
  )
}
