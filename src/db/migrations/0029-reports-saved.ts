import type { Kysely } from 'kysely';

/**
 * Saved reports (issue 24, src/modules/reports): a named set of dashboard filters a user keeps, and its scheduled
 * delivery by email (the dashboard figures as an XLSX attachment, aggregates only). No patient data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reports_saved')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** The user who saved it (users.id); the delivery computes the dashboard as this user. */
    .addColumn('owner', 'text', (c) => c.notNull())
    /** The dashboard filters as JSON: from/to are left out of a scheduled report (it covers the last 30 days). */
    .addColumn('filters', 'text', (c) => c.notNull())
    /** none | daily | weekly */
    .addColumn('schedule', 'text', (c) => c.notNull())
    /** JSON array of email addresses. */
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_saved_owner').on('reports_saved').column('owner').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reports_saved').execute();
}
