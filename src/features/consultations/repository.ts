import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.ts'
import type { ConsultationForm } from './forms.ts'

/** The Consultation Line log's queries; row-level security confines them to one authority. */
export const consultationRepository = {
  /**
   * Newest first, a page at a time by keyset (recorded_at, id) on consultations_tenant_recorded.
   * The cursor is a consultation id; its full-precision time is read back here, so calls recorded in
   * the same instant are neither skipped nor repeated. An unknown cursor gives an empty page.
   */
  async page(trx: Trx, before: string | undefined, limit: number) {
    let query = trx
      .selectFrom('consultations')
      .leftJoin('accounts', 'accounts.id', 'consultations.recorded_by')
      .select([
        'consultations.id',
        'consultations.caller_name',
        'consultations.caller_organisation',
        'consultations.family_named',
        'consultations.family_description',
        'consultations.concern',
        'consultations.advice',
        'consultations.request_advised',
        'consultations.recorded_at',
        'accounts.name as recorded_by_name',
      ])
    if (before) {
      query = query.where(
        sql<boolean>`(consultations.recorded_at, consultations.id) < (select c.recorded_at, c.id from consultations c where c.id = ${before}::uuid)`,
      )
    }
    const rows = await query.orderBy('consultations.recorded_at', 'desc').orderBy('consultations.id', 'desc').limit(limit + 1).execute()
    return { rows: rows.slice(0, limit), more: rows.length > limit }
  },

  async insert(trx: Trx, tenantId: string, recordedBy: string, input: ConsultationForm, now: Date): Promise<string> {
    const row = await trx
      .insertInto('consultations')
      .values({
        tenant_id: tenantId,
        recorded_by: recordedBy,
        caller_name: input.callerName,
        caller_organisation: input.callerOrganisation ?? null,
        family_named: input.familyNamed === 'yes',
        family_description: input.familyDescription ?? null,
        concern: input.concern,
        advice: input.advice,
        request_advised: input.requestAdvised === 'yes',
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  },
}
