import type { Actor } from '../../platform/audit/audit.ts'
import type { Trx } from '../../platform/db/database.ts'
import type { MeetingKind } from '../../platform/db/schema.ts'
import { formatDate } from '../../platform/views/format.ts'
import type { LoadedInvolvement } from '../involvements/access.ts'
import type { FamilyMember, PlanContent, Practitioner } from '../plans/content.ts'
import { startPlanVersion } from '../plans/service.ts'
import { WORRIES_MAX } from '../plans/content.ts'

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
    content.worries = worriesWithViews(before, heading, familyViews)
  }
  // The meeting's own audit event names the plan version it started.
  return startPlanVersion(trx, actor, involvement, { kind: meeting.kind, meetingId: meeting.id, prefill: content, audit: false }, now)
}

/** Said when the views are shortened to fit: the meeting's record keeps every word. */
export const VIEWS_SHORTENED = '(Shortened to fit the plan: the meeting’s record holds every word.)'

/**
 * Pure: the plan's worries with the family's views added under a heading, within the plan's limit.
 * Several people's views (up to 5,000 characters each) can be more than the plan holds: then each
 * view is shortened by the same share and the plan says so, rather than the meeting failing to save.
 * When the worries are already full, they are left as they were.
 */
export function worriesWithViews(before: string, heading: string, views: readonly string[], max = WORRIES_MAX): string {
  const join = (block: string) => [before, block].filter(Boolean).join('\n\n')
  const whole = join([heading, ...views].join('\n'))
  if (whole.length <= max) return whole
  const fixed = join([heading, ...views.map(() => '…'), VIEWS_SHORTENED].join('\n')).length
  const each = Math.floor((max - fixed) / Math.max(views.length, 1))
  if (each < 20) return before
  const shortened = views.map((v) => `${cut(v, each)}…`)
  return join([heading, ...shortened, VIEWS_SHORTENED].join('\n'))
}

/** The longest start of `text` within `units` UTF-16 code units, never splitting a character. */
function cut(text: string, units: number): string {
  let out = ''
  for (const character of text) {
    if (out.length + character.length > units) break
    out += character
  }
  return out
}
