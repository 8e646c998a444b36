import type { Kysely } from 'kysely';

/**
 * How a released packet went out (issue 19, src/modules/roi): a secure download link (the token and its passcode
 * stored as hashes only, an expiry, the attempts left, each download counted), or a mailing (carrier, tracking
 * number), or a pick-up (who took it, the identification checked). Leads its key with patient_id (an MPI merge moves it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('roi_deliveries')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    /** secure_download | mail | pickup. */
    .addColumn('method', 'text', (c) => c.notNull())
    /** SHA-256 (hex) of the link's random token; null for mail and pick-up. */
    .addColumn('token_sha256', 'text')
    /** scrypt of the passcode sent separately (`scrypt$<salt>$<hash>`). */
    .addColumn('passcode_hash', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('attempts_left', 'integer')
    .addColumn('downloads', 'integer', (c) => c.notNull())
    .addColumn('last_download_at', 'text')
    /** The day it was mailed or picked up. */
    .addColumn('delivered_on', 'text')
    .addColumn('carrier', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('picked_up_by', 'text')
    .addColumn('identification_checked', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roi_deliveries_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('roi_deliveries_request').on('roi_deliveries').columns(['patient_id', 'request_id']).execute();
  await db.schema.createIndex('roi_deliveries_token').on('roi_deliveries').column('token_sha256').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('roi_deliveries').execute();
}
