import { sql, type Kysely } from 'kysely';

/**
 * Master patient index and the HL7 v2 ADT interface (issue 5):
 * - patient_match_keys: persisted blocking keys (keyed hashes, never plain SSNs), so that a registration-time
 *   lookup reads a few hundred candidates by index instead of scanning a million patients;
 * - mpi_duplicate_pairs: the potential-duplicate worklist (open, not_duplicate, merged);
 * - mpi_merges and mpi_merge_rows: the merge journal, with every row a merge moved or created, so that an
 *   unmerge restores exactly;
 * - hl7_messages: every message received, stored raw before it is parsed, with its status;
 * - encounters.location: the assigned location (PV1-3) that transfers (A02/A12) change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('patient_match_keys')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_match_keys_pk', ['patient_id', 'key'])
    .execute();
  await db.schema.createIndex('patient_match_keys_key').on('patient_match_keys').columns(['key', 'patient_id']).execute();

  await db.schema
    .createTable('mpi_duplicate_pairs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id_1', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('patient_id_2', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('merge_id', 'text')
    .addUniqueConstraint('mpi_duplicate_pairs_pair', ['patient_id_1', 'patient_id_2'])
    .execute();
  await db.schema.createIndex('mpi_duplicate_pairs_status').on('mpi_duplicate_pairs').columns(['status', 'score']).execute();
  await db.schema.createIndex('mpi_duplicate_pairs_p2').on('mpi_duplicate_pairs').column('patient_id_2').execute();

  await db.schema
    .createTable('mpi_merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survivor_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('merged_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('merged_at', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text', (c) => c.notNull())
    .addColumn('unmerged_at', 'text')
    .addColumn('unmerged_by', 'text')
    .addColumn('prior_state', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mpi_merges_survivor').on('mpi_merges').column('survivor_id').execute();
  await db.schema.createIndex('mpi_merges_merged').on('mpi_merges').column('merged_id').execute();

  await db.schema
    .createTable('mpi_merge_rows')
    .addColumn('merge_id', 'text', (c) => c.notNull().references('mpi_merges.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('old_id', 'text')
    .addColumn('new_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mpi_merge_rows_pk', ['merge_id', 'seq'])
    .execute();

  await db.schema
    .createTable('hl7_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('control_id', 'text')
    .addColumn('sending_application', 'text')
    .addColumn('sending_facility', 'text')
    .addColumn('message_type', 'text')
    .addColumn('trigger_event', 'text')
    .addColumn('version', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ack_code', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_text', 'text')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_at', 'text')
    .execute();
  await db.schema.createIndex('hl7_messages_received').on('hl7_messages').column('received_at').execute();
  await db.schema.createIndex('hl7_messages_status').on('hl7_messages').columns(['status', 'received_at']).execute();
  await db.schema.createIndex('hl7_messages_control').on('hl7_messages').columns(['sending_facility', 'control_id']).execute();
  // A control id from one sender is applied at most once, even when two connections race (HL7 v2.5.1 2.10.2).
  await db.schema
    .createIndex('hl7_messages_applied_once')
    .on('hl7_messages')
    .columns(['sending_facility', 'control_id'])
    .unique()
    .where(sql<boolean>`status = 'applied'`)
    .execute();

  await db.schema.alterTable('encounters').addColumn('location', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('encounters').dropColumn('location').execute();
  for (const t of ['hl7_messages', 'mpi_merge_rows', 'mpi_merges', 'mpi_duplicate_pairs', 'patient_match_keys']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
