import { dueState } from '../../domain/casework-timescales.ts'
import { localDateOf } from '../../domain/working-calendar.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import type { Database, Trx } from '../../platform/db/database.ts'
import { allows, withInvolvement, type LoadedInvolvement } from '../involvements/access.ts'
import { recordChronology } from '../chronology/record.ts'
import { assessmentName, completionErrors, readAssessment, type AssessmentContent, type AssessmentPerson } from './content.ts'

async function familyPeople(trx: Trx, involvementId: string): Promise<AssessmentPerson[]> {
  return trx
    .selectFrom('involvement_people')
    .select(['id', 'kind', 'given_name', 'family_name', 'relationship'])
    .where('involvement_id', '=', involvementId)
    .orderBy('position')
    .orderBy('created_at')
    .execute()
}

/** The involvement's assessment row; one is made if an older involvement has none. */
async function assessmentOf(trx: Trx, actor: Actor, loaded: LoadedInvolvement) {
  const query = () =>
    trx
      .selectFrom('assessments')
      .leftJoin('accounts as completer', 'completer.id', 'assessments.completed_by')
      .leftJoin('accounts as updater', 'updater.id', 'assessments.updated_by')
      .selectAll('assessments')
      .select(['completer.name as completed_by_name', 'updater.name as updated_by_name'])
      .where('assessments.involvement_id', '=', loaded.involvement.id)
      .executeTakeFirst()
  const found = await query()
  if (found) return found
  await trx
    .insertInto('assessments')
    .values({ tenant_id: actor.tenantId, involvement_id: loaded.involvement.id, due_on: loaded.involvement.assessment_due_on })
    .onConflict((oc) => oc.column('involvement_id').doNothing())
    .execute()
  return (await query())!
}

export interface AssessmentView {
  name: string
  involvement: LoadedInvolvement['involvement']
  assessment: NonNullable<Awaited<ReturnType<typeof assessmentOf>>>
  content: AssessmentContent
  people: AssessmentPerson[]
  due: ReturnType<typeof dueState>
  canEdit: boolean
  canComplete: boolean
}

/** The assessment, its due state today and what the reader may do with it; the view is audited. */
export async function viewAssessment(db: Database, actor: Actor, involvementId: string, now: Date): Promise<AssessmentView> {
  return withInvolvement(db, actor, involvementId, 'view', async (trx, loaded) => {
    const assessment = await assessmentOf(trx, actor, loaded)
    const people = await familyPeople(trx, involvementId)
    await recordAudit(trx, auditBy(actor, { action: 'assessment-viewed', recordType: 'assessment', recordId: assessment.id, detail: { involvementId } }))
    const editable = loaded.involvement.status !== 'closed' && assessment.status !== 'completed'
    return {
      name: assessmentName(actor.tenantId),
      involvement: loaded.involvement,
      assessment,
      content: (assessment.content ?? {}) as AssessmentContent,
      people,
      due: dueState(assessment.due_on, localDateOf(now)),
      canEdit: editable && allows(loaded.relation, 'contribute'),
      canComplete: editable && allows(loaded.relation, 'manage'),
    }
  })
}

export type SaveAssessmentResult =
  | { ok: true; completed: boolean }
  | { ok: false; reason: 'invalid'; errors: Record<string, string>; content: AssessmentContent; people: AssessmentPerson[] }
  | { ok: false; reason: 'stale'; version: number; content: AssessmentContent; people: AssessmentPerson[] }
  | { ok: false; reason: 'completed' }

/**
 * Saves the assessment as a draft (anyone who may contribute) or completes it (the Lead
 * Professional or a manager): completing needs strengths, needs and every child's voice or why
 * it could not be gained. A save from a page someone else has since saved is refused as stale.
 */
export async function saveAssessment(
  db: Database,
  actor: Actor,
  involvementId: string,
  input: { version: number; body: Record<string, unknown>; complete: boolean },
  now: Date,
): Promise<SaveAssessmentResult> {
  return withInvolvement(db, actor, involvementId, input.complete ? 'manage' : 'contribute', async (trx, loaded): Promise<SaveAssessmentResult> => {
    const assessment = await assessmentOf(trx, actor, loaded)
    if (assessment.status === 'completed') return { ok: false, reason: 'completed' }
    const people = await familyPeople(trx, involvementId)
    const read = readAssessment(input.body, people)
    if (!read.ok) return { ok: false, reason: 'invalid', errors: read.errors, content: read.content, people }
    const content = read.content
    if (input.complete) {
      const errors = completionErrors(content, people)
      if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors, content, people }
    }
    if (!Number.isInteger(input.version) || input.version !== assessment.version) return { ok: false, reason: 'stale', version: assessment.version, content, people }
    const updated = await trx
      .updateTable('assessments')
      .set({
        content: JSON.stringify(content),
        updated_at: now,
        updated_by: actor.accountId,
        version: (eb) => eb('version', '+', 1),
        ...(input.complete ? { status: 'completed' as const, completed_at: now, completed_by: actor.accountId } : {}),
      })
      .where('id', '=', assessment.id)
      .where('version', '=', input.version)
      .where('status', '=', 'in-progress')
      .returning('id')
      .executeTakeFirst()
    if (!updated) return { ok: false, reason: 'stale', version: assessment.version, content, people }
    if (input.complete) {
      const name = assessmentName(actor.tenantId)
      await recordChronology(trx, actor, involvementId, { kind: 'assessment', summary: `${name} completed`, significant: true, occurredAt: now })
      await recordAudit(trx, auditBy(actor, { action: 'assessment-completed', recordType: 'assessment', recordId: assessment.id, detail: { involvementId } }))
    } else {
      await recordAudit(trx, auditBy(actor, { action: 'assessment-saved', recordType: 'assessment', recordId: assessment.id, detail: { involvementId } }))
    }
    return { ok: true, completed: input.complete }
  })
}
