import type { Kysely } from 'kysely';

/**
 * Chart requests and paper chart tracking (src/modules/charts): locations (shelves, departments, persons, off-site
 * boxes), paper charts (folders or volumes) with their barcode, every move of a chart, and requests for a record.
 * The tables of one patient's rows lead their primary key with patient_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chart_locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('box_number', 'text')
    .addColumn('site', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // At most one person location per user (made on the first check-out to that user).
  await db.schema.createIndex('chart_locations_user').on('chart_locations').column('user_id').unique().execute();

  await db.schema
    .createTable('paper_charts')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('barcode', 'text', (c) => c.notNull().unique())
    .addColumn('encounter_id', 'text')
    .addColumn('volume', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('home_location_id', 'text', (c) => c.notNull())
    .addColumn('current_location_id', 'text', (c) => c.notNull())
    .addColumn('checked_out_at', 'text')
    .addColumn('due_back_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_charts_pk', ['patient_id', 'id'])
    .execute();
  // The overdue list (status out, due before now) and a location's contents (an off-site box).
  await db.schema.createIndex('paper_charts_due').on('paper_charts').columns(['status', 'due_back_at']).execute();
  await db.schema.createIndex('paper_charts_location').on('paper_charts').column('current_location_id').execute();

  await db.schema
    .createTable('chart_movements')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('chart_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_location_id', 'text')
    .addColumn('to_location_id', 'text', (c) => c.notNull())
    .addColumn('due_back_at', 'text')
    .addColumn('request_id', 'text')
    .addColumn('moved_by', 'text', (c) => c.notNull())
    .addColumn('moved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chart_movements_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('chart_movements_chart').on('chart_movements').columns(['patient_id', 'chart_id', 'moved_at']).execute();

  await db.schema
    .createTable('chart_requests')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text')
    .addColumn('requester_user_id', 'text')
    .addColumn('requester_name', 'text', (c) => c.notNull())
    .addColumn('deliver_to_location_id', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('needed_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('fulfilled_at', 'text')
    .addColumn('fulfilled_by', 'text')
    .addColumn('fulfilment', 'text')
    .addColumn('chart_id', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chart_requests_pk', ['patient_id', 'id'])
    .execute();
  // The queue: open requests by the time they are needed; a requester's own requests.
  await db.schema.createIndex('chart_requests_queue').on('chart_requests').columns(['status', 'needed_by']).execute();
  await db.schema.createIndex('chart_requests_requester').on('chart_requests').columns(['requester_user_id', 'requested_at']).execute();
  await db.schema.createIndex('chart_requests_id').on('chart_requests').column('id').execute();
  await db.schema.createIndex('paper_charts_id').on('paper_charts').column('id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['chart_requests', 'chart_movements', 'paper_charts', 'chart_locations'])
    await db.schema.dropTable(t).ifExists().execute();
}
