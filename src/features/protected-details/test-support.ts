import type { Actor } from '../../platform/audit/audit.ts'
import { openTestInvolvement } from '../../test/casework.ts'
import type { TestAccount, TestContext } from '../../test/context.ts'
import { startPlanVersion } from '../plans/service.ts'

export const NEW_ADDRESS = '14 Larch Close, Basildon SS14 3PD'

/**
 * A family for protection tests: Maisie (a child), Dana her mother (who has moved after domestic
 * abuse) and Rob her father, with a draft plan whose child's address and worries hold Dana's new
 * address.
 */
export async function protectedFamily(ctx: TestContext, lead: TestAccount) {
  const { id, reference } = await openTestInvolvement(ctx, lead, {
    familyName: 'Larchfield',
    people: [
      { kind: 'child', givenName: 'Maisie', familyName: 'Larchfield', dateOfBirth: '2017-03-02', relationship: 'Daughter' },
      { kind: 'adult', givenName: 'Dana', familyName: 'Larchfield', dateOfBirth: '1990-05-20', relationship: 'Mother' },
      { kind: 'adult', givenName: 'Rob', familyName: 'Larchfield', dateOfBirth: '1988-01-11', relationship: 'Father' },
    ],
  })
  const people = await ctx.db.system.selectFrom('involvement_people').select(['id', 'given_name', 'request_person_id']).where('involvement_id', '=', id).execute()
  const person = (name: string) => people.find((p) => p.given_name === name)!.id
  const actor: Actor = { accountId: lead.id, tenantId: lead.tenantId, role: 'practitioner', ip: null, requestId: null }
  const involvement = await ctx.db.system.selectFrom('involvements').select(['id', 'lead_account_id', 'request_id']).where('id', '=', id).executeTakeFirstOrThrow()
  await ctx.db.asTenant(lead.tenantId, (trx) =>
    startPlanVersion(
      trx,
      actor,
      involvement,
      {
        kind: 'initial',
        prefill: {
          child: { name: 'Maisie Larchfield', dateOfBirth: '2017-03-02', address: NEW_ADDRESS, postcode: '' },
          worries: `Dana and Maisie moved to 14 larch close, Basildon  SS14 3PD after Rob was violent. Rob says he misses Maisie.`,
          goingWell: 'Maisie is settled at her new school and enjoys football.',
        },
      },
      new Date(),
    ),
  )
  return { id, reference, maisie: person('Maisie'), dana: person('Dana'), rob: person('Rob') }
}
