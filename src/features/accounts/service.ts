import { NotFoundError } from '../../platform/access/access.ts'
import { auditBy, recordAudit, type Actor } from '../../platform/audit/audit.ts'
import { hashPassword } from '../../platform/auth/passwords.ts'
import { setActive } from '../../platform/db/activation.ts'
import type { Database } from '../../platform/db/database.ts'
import { PAGE_SIZE } from '../../platform/http/pagination.ts'
import type { AccountFilter, AccountForm } from './forms.ts'
import { accountRepository as accounts } from './repository.ts'

function requireAdministrator(actor: Actor): void {
  if (actor.role !== 'administrator') throw new NotFoundError()
}

/** The list holds staff names and emails: viewing it is audited, with the filter used. */
export async function listAccounts(db: Database, actor: Actor, filter: AccountFilter, page: number) {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const result = await accounts.page(trx, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    await recordAudit(
      trx,
      auditBy(actor, { action: 'account-list-viewed', recordType: 'account', detail: { ...filter, page, shown: result.rows.length } }),
    )
    return result
  })
}

export async function viewAccount(db: Database, actor: Actor, id: string) {
  requireAdministrator(actor)
  return db.asTenant(actor.tenantId, async (trx) => {
    const account = await accounts.byId(trx, id)
    if (!account) throw new NotFoundError()
    await recordAudit(trx, auditBy(actor, { action: 'account-viewed', recordType: 'account', recordId: id }))
    return account
  })
}

export type CreateAccountResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> }

export async function createAccount(db: Database, actor: Actor, input: AccountForm): Promise<CreateAccountResult> {
  requireAdministrator(actor)
  const passwordHash = await hashPassword(input.password)
  return db.asTenant(actor.tenantId, async (trx): Promise<CreateAccountResult> => {
    const organisation = await trx
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', input.organisationId)
      .where('active', '=', true)
      .executeTakeFirst()
    if (!organisation) return { ok: false, errors: { organisationId: 'Select their organisation' } }
    const inserted = await accounts.insert(trx, actor.tenantId, {
      name: input.name,
      email: input.email.toLowerCase(),
      phone: input.phone,
      role: input.role,
      organisation_id: organisation.id,
      password_hash: passwordHash,
    })
    if (!inserted) return { ok: false, errors: { email: 'An account with this email address already exists' } }
    await recordAudit(trx, auditBy(actor, { action: 'account-created', recordType: 'account', recordId: inserted.id, detail: { role: input.role } }))
    return { ok: true, id: inserted.id }
  })
}

export type SetActiveResult = { ok: true } | { ok: false; error: string }

/** Deactivating someone ends their sessions in the same transaction: they are out at once. */
export async function setAccountActive(db: Database, actor: Actor, id: string, active: boolean): Promise<SetActiveResult> {
  requireAdministrator(actor)
  if (!active && id.toLowerCase() === actor.accountId.toLowerCase()) return { ok: false, error: 'You cannot deactivate your own account' }
  return db.asTenant<SetActiveResult>(actor.tenantId, async (trx) => {
    if (!(await accounts.byId(trx, id))) throw new NotFoundError()
    if (!(await setActive(trx, 'accounts', id, active))) return { ok: true }
    if (!active) await accounts.endSessions(trx, id)
    await recordAudit(trx, auditBy(actor, { action: active ? 'account-reactivated' : 'account-deactivated', recordType: 'account', recordId: id }))
    return { ok: true }
  })
}
