import { sql, type Kysely } from 'kysely'

/**
 * Multi-factor authentication and the half-signed-in state. A TOTP secret per account, encrypted
 * at rest; single-use recovery codes kept only as hashes; and pending sign-ins: a person who has
 * given the right password but not yet their code (or not yet set MFA up) holds a short-lived
 * pending token, not a session, so no page but the code page knows them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_mfa (
      account_id uuid primary key references accounts (id),
      tenant_id text not null references tenants (id),
      -- AES-256-GCM: base64 of iv (12 bytes), tag (16 bytes) and ciphertext.
      secret_encrypted text not null,
      enabled boolean not null default false,
      enabled_at timestamptz,
      -- The last TOTP time step accepted, so a code cannot be used twice.
      last_time_step integer,
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table mfa_recovery_codes (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      tenant_id text not null references tenants (id),
      code_hash text not null,
      used_at timestamptz
    )`.execute(db)
  await sql`create index mfa_recovery_codes_account on mfa_recovery_codes (account_id)`.execute(db)

  // An administrator resets another person's MFA from inside their authority's transaction.
  for (const table of ['account_mfa', 'mfa_recovery_codes']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db)
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (tenant_id = current_setting('app.tenant_id', true))
        with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db)
    await sql`grant select, insert, update, delete on ${sql.table(table)} to eh_app`.execute(db)
  }

  // Read before anyone's tenant is known, through the owner's connection, like sessions.
  await sql`
    create table pending_sign_ins (
      id_hash text primary key,
      account_id uuid not null references accounts (id),
      tenant_id text not null references tenants (id),
      stage text not null check (stage in ('mfa-code', 'mfa-set-up')),
      method text not null check (method in ('password', 'oidc')),
      return_to text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    )`.execute(db)
  await sql`create index pending_sign_ins_account on pending_sign_ins (account_id)`.execute(db)
  await sql`create index pending_sign_ins_expires on pending_sign_ins (expires_at)`.execute(db)
}
