/**
 * SQL of intake scanning: cover sheets (one patient's rows: written through a RecordScope, looked up by sheet id
 * through a ListScope), batches and their pages (no patient data: ids, statuses, reasons and blob hashes).
 */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ScanBatchTable, ScanCoverSheetTable, ScanPageTable } from '../../db/schema-scanning.js';
import type { ListScope, RecordScope } from '../access/index.js';

export type CoverSheetRow = Selectable<ScanCoverSheetTable>;
export type BatchRow = Selectable<ScanBatchTable>;
export type PageRow = Selectable<ScanPageTable>;

export async function insertCoverSheet(db: Db, scope: RecordScope, row: Omit<ScanCoverSheetTable, 'patient_id'>): Promise<void> {
  await db
    .insertInto('scan_cover_sheets')
    .values({ ...row, patient_id: scope.patientId })
    .execute();
}

/** A cover sheet by its id (the one a decoded barcode names), for the system's batch work. */
export async function findCoverSheet(db: Db, _scope: ListScope, sheetId: string): Promise<CoverSheetRow | undefined> {
  return db.selectFrom('scan_cover_sheets').selectAll().where('id', '=', sheetId).executeTakeFirst();
}

export async function insertBatch(db: Db, row: ScanBatchTable): Promise<void> {
  await db.insertInto('scan_batches').values(row).execute();
}

export async function findBatch(db: Db, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('scan_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateBatch(db: Db, id: string, patch: Partial<Omit<ScanBatchTable, 'id'>>): Promise<void> {
  await db.updateTable('scan_batches').set(patch).where('id', '=', id).execute();
}

export async function listBatches(db: Db, limit: number): Promise<(BatchRow & { filed: number; qa: number })[]> {
  const rows = await db.selectFrom('scan_batches').selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('scan_pages')
    .select(['batch_id', 'status'])
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where(
      'batch_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy(['batch_id', 'status'])
    .execute();
  const count = (id: string, statuses: string[]) =>
    counts.filter((c) => c.batch_id === id && statuses.includes(c.status)).reduce((s, c) => s + Number(c.n), 0);
  return rows.map((r) => ({ ...r, filed: count(r.id, ['filed', 'indexed']), qa: count(r.id, ['qa']) }));
}

/** Batch ids among these (the inbox's recovery of files claimed just before a crash). */
export async function existingBatchIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('scan_batches')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function pagesOfBatch(db: Db, batchId: string): Promise<PageRow[]> {
  return db.selectFrom('scan_pages').selectAll().where('batch_id', '=', batchId).orderBy('page').execute();
}

/** Records pages of a batch; a page already recorded (a job run again after a crash) stays as it was. */
export async function insertPages(db: Db, rows: readonly ScanPageTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('scan_pages')
    .values([...rows])
    .onConflict((oc) => oc.columns(['batch_id', 'page']).doNothing())
    .execute();
}

export async function listQaPages(db: Db, limit: number): Promise<PageRow[]> {
  return db
    .selectFrom('scan_pages')
    .selectAll()
    .where('status', '=', 'qa')
    .orderBy('created_at')
    .orderBy('batch_id')
    .orderBy('page')
    .limit(limit)
    .execute();
}

export async function findPages(db: Db, ids: readonly string[]): Promise<PageRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('scan_pages')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('batch_id')
    .orderBy('page')
    .execute();
}

/** Resolves pages still in QA; answers how many changed (fewer: another clerk was first). */
export async function resolvePages(
  db: Db,
  ids: readonly string[],
  patch: Pick<ScanPageTable, 'status' | 'resolved_by' | 'resolved_at' | 'resolution_note' | 'document_id'>,
): Promise<number> {
  const r = await db
    .updateTable('scan_pages')
    .set(patch)
    .where('id', 'in', [...ids])
    .where('status', '=', 'qa')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Pages of a batch not yet filed or resolved (none: the batch's original file may go). */
export async function countPagesOf(db: Db, batchId: string): Promise<number> {
  const r = await db
    .selectFrom('scan_pages')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('batch_id', '=', batchId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
