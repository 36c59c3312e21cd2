import type { Actor } from '../../platform/audit/audit.ts'
import type { Trx } from '../../platform/db/database.ts'
import type { MeetingKind } from '../../platform/db/schema.ts'
import { formatDate } from '../../platform/views/format.ts'
import type { LoadedInvolvement } from '../involvements/access.ts'
import type { FamilyMember, PlanContent, Practitioner } from '../plans/content.ts'
import { startPlanVersion } from '../plans/service.ts'

/**
 * The one place meetings reach into plans: a meeting that has been held produces the next version
 * of the Early Help Plan, prefilled from what the meeting recorded.
 */
export interface MeetingPlanPrefill {
  meeting: PlanContent['meeting']
  familyMembers: FamilyMember[]
  practitioners: Practitioner[]
  /** The family's views as recorded at the meeting, each under the person's name ("Dana Testfamily (Mother): ..."). */
  familyViews: string[]
}

/**
 * Starts the next plan version from a held meeting. The family's views go where the template asks
 * for them, under "What are we worried about? (with the family's views)", added to what the last
 * version said there so nothing written before is lost.
 */
export async function startPlanFromMeeting(
  trx: Trx,
  actor: Actor,
  involvement: LoadedInvolvement['involvement'],
  meeting: { id: string; kind: MeetingKind; heldOn: string },
  prefill: MeetingPlanPrefill,
  now: Date,
): Promise<{ id: string; number: number }> {
  const { familyViews, ...fields } = prefill
  const content: Partial<PlanContent> = { ...fields }
  if (familyViews.length) {
    const last = await trx
      .selectFrom('plan_versions')
      .select('content')
      .where('involvement_id', '=', involvement.id)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst()
    const before = typeof last?.content?.worries === 'string' ? last.content.worries.trim() : ''
    const heading = `The family’s views at the ${meeting.kind} meeting on ${formatDate(meeting.heldOn)}:`
    content.worries = [before, [heading, ...familyViews].join('\n')].filter(Boolean).join('\n\n')
  }
  // The meeting's own audit event names the plan version it started.
  return startPlanVersion(trx, actor, involvement, { kind: meeting.kind, meetingId: meeting.id, prefill: content, audit: false }, now)
}
