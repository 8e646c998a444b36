/**
 * SQL of roi_requests, roi_disclosures and roi_invoices (this module owns them). One patient's rows are read and
 * written under a RecordScope; the queue across patients under a ListScope (patients joined for MRN and name).
 */
import type { Db } from '../../db/database.js';
import type { RoiDisclosureTable, RoiInvoiceTable, RoiRequestTable } from '../../db/schema-roi.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const ROI_PATIENT_TABLES = ['roi_requests', 'roi_disclosures', 'roi_invoices', 'roi_deliveries'] as const;
export type RoiTable = (typeof ROI_PATIENT_TABLES)[number];

export async function insertRequest(db: Db, _scope: RecordScope, row: RoiRequestTable): Promise<void> {
  await db.insertInto('roi_requests').values(row).execute();
}

/** Which record a request belongs to (ids only), to open it through the record-access step. */
export async function locateRequest(db: Db, id: string): Promise<{ patient_id: string } | undefined> {
  return db.selectFrom('roi_requests').select('patient_id').where('id', '=', id).executeTakeFirst();
}

export async function findRequest(db: Db, scope: RecordScope, id: string): Promise<RoiRequestTable | undefined> {
  return db.selectFrom('roi_requests').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();
}

/** Changes a request only while it is still in the status read (false when someone changed it since). */
export async function updateRequest(
  db: Db,
  scope: RecordScope,
  id: string,
  expectStatus: string,
  set: Partial<RoiRequestTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('roi_requests')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where('status', '=', expectStatus)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets the extension only while there is none (one extension, even when two race). */
export async function extendOnce(db: Db, scope: RecordScope, id: string, set: Partial<RoiRequestTable>): Promise<boolean> {
  const r = await db
    .updateTable('roi_requests')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('extended_due_on', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type QueueRow = RoiRequestTable & { mrn: string; family_name: string; given_name: string; restricted: number };

/** Requests across patients: open first by due date (extended or not), then the rest newest first. */
export async function listRequests(db: Db, _list: ListScope, opts: { status?: string | undefined; limit: number }): Promise<QueueRow[]> {
  let q = db
    .selectFrom('roi_requests as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .selectAll('r')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted']);
  if (opts.status) q = q.where('r.status', '=', opts.status);
  return q.orderBy('r.status', 'desc').orderBy('r.due_on').orderBy('r.id').limit(opts.limit).execute();
}

/** The patient's MRN (to find it in the documents released). */
export async function patientMrn(db: Db, scope: RecordScope): Promise<string | null> {
  const r = await db.selectFrom('patients').select('mrn').where('id', '=', scope.patientId).executeTakeFirst();
  return r?.mrn ?? null;
}

export async function insertDisclosure(db: Db, _scope: RecordScope, row: RoiDisclosureTable): Promise<void> {
  await db.insertInto('roi_disclosures').values(row).execute();
}

/** A patient's disclosures on or after `from`, oldest first. */
export async function listDisclosures(db: Db, scope: RecordScope, from: string, accountableOnly: boolean): Promise<RoiDisclosureTable[]> {
  let q = db.selectFrom('roi_disclosures').selectAll().where('patient_id', '=', scope.patientId).where('disclosed_on', '>=', from);
  if (accountableOnly) q = q.where('accountable', '=', 1);
  return q.orderBy('disclosed_on').orderBy('id').execute();
}

/** Days on which the patient's earlier accounting requests were received (164.528(c)(2): first in 12 months free). */
export async function accountingRequestDates(db: Db, scope: RecordScope, exceptId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('roi_requests')
    .select('received_on')
    .where('patient_id', '=', scope.patientId)
    .where('clock_kind', '=', 'accounting')
    .where('id', '!=', exceptId)
    .execute();
  return rows.map((r) => r.received_on);
}

export async function insertInvoice(db: Db, _scope: RecordScope, row: RoiInvoiceTable): Promise<void> {
  await db.insertInto('roi_invoices').values(row).execute();
}

export async function findInvoice(db: Db, scope: RecordScope, requestId: string): Promise<RoiInvoiceTable | undefined> {
  return db
    .selectFrom('roi_invoices')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

export async function payInvoice(db: Db, scope: RecordScope, id: string, set: { paid_cents: number; paid_on: string }): Promise<void> {
  await db.updateTable('roi_invoices').set(set).where('patient_id', '=', scope.patientId).where('id', '=', id).execute();
}

export async function listRowIds(db: Db, table: RoiTable, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

/** Re-keys rows (by id) from one record to the other (MPI merge and unmerge); answers how many moved. */
export async function moveRows(db: Db, table: RoiTable, from: RecordScope, to: RecordScope, ids: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await db
      .updateTable(table)
      .set({ patient_id: to.patientId })
      .where('patient_id', '=', from.patientId)
      .where('id', 'in', ids.slice(i, i + 500))
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Every request's clock facts for the reports (no names, no patient ids). */
export async function listRequestsForReport(
  db: Db,
  _list: ListScope,
): Promise<
  Pick<RoiRequestTable, 'requester_type' | 'clock_kind' | 'status' | 'received_on' | 'extended_due_on' | 'closed_on' | 'denial_ground'>[]
> {
  return db
    .selectFrom('roi_requests')
    .select(['requester_type', 'clock_kind', 'status', 'received_on', 'extended_due_on', 'closed_on', 'denial_ground'])
    .execute();
}

/** Invoices made at or after `from` and before `before` (ISO dates) for the revenue report. */
export async function listInvoicesForReport(
  db: Db,
  _list: ListScope,
  from: string,
  before: string,
): Promise<Pick<RoiInvoiceTable, 'created_at' | 'total_cents' | 'paid_cents'>[]> {
  return db
    .selectFrom('roi_invoices')
    .select(['created_at', 'total_cents', 'paid_cents'])
    .where('created_at', '>=', from)
    .where('created_at', '<', before)
    .execute();
}
