import type { Kysely } from 'kysely';

/**
 * A user's work email (issue 18): where chart-completion notices are emailed when the facility has configured SMTP
 * (CUSTODIAN_SMTP_URL). Optional; set by the administrator. Not patient data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('email').execute();
}
