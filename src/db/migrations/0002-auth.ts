import type { Kysely } from 'kysely';

/**
 * People and access: the last TOTP time step a user signed in with, so that one code is never accepted twice
 * (RFC 6238 section 5.2: the verifier must not accept the second attempt of the same OTP).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
}
