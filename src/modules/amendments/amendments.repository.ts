/**
 * SQL of amendment_requests and amendment_notifications (this module owns them). One patient's rows are read and
 * written under a RecordScope; the lists across patients under a ListScope (patients are joined for MRN and name).
 */
import type { Db } from '../../db/database.js';
import type { AmendmentNotificationTable, AmendmentRequestTable } from '../../db/schema-record-life.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const AMENDMENTS_PATIENT_TABLES = ['amendment_requests', 'amendment_notifications'] as const;
export type AmendmentsTable = (typeof AMENDMENTS_PATIENT_TABLES)[number];

export async function insertRequest(db: Db, _scope: RecordScope, row: AmendmentRequestTable): Promise<void> {
  await db.insertInto('amendment_requests').values(row).execute();
}

/** Which record a request belongs to (ids only), to open it through the record-access step. */
export async function locateRequest(db: Db, id: string): Promise<{ patient_id: string } | undefined> {
  return db.selectFrom('amendment_requests').select('patient_id').where('id', '=', id).executeTakeFirst();
}

export async function findRequest(db: Db, scope: RecordScope, id: string): Promise<AmendmentRequestTable | undefined> {
  return db.selectFrom('amendment_requests').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();
}

/** Changes a request only while it is still in the status read (answers false when someone changed it since). */
export async function updateRequest(
  db: Db,
  scope: RecordScope,
  id: string,
  expectStatus: string,
  set: Partial<AmendmentRequestTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('amendment_requests')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where('status', '=', expectStatus)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertNotification(db: Db, _scope: RecordScope, row: AmendmentNotificationTable): Promise<void> {
  await db.insertInto('amendment_notifications').values(row).execute();
}

export async function listNotifications(db: Db, scope: RecordScope, requestId: string): Promise<AmendmentNotificationTable[]> {
  return db
    .selectFrom('amendment_notifications')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function markNotified(
  db: Db,
  scope: RecordScope,
  requestId: string,
  id: string,
  set: { notified_on: string; notified_by: string },
): Promise<boolean> {
  const r = await db
    .updateTable('amendment_notifications')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('request_id', '=', requestId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type RequestListRow = AmendmentRequestTable & { mrn: string; family_name: string; given_name: string; restricted: number };

/** Requests across patients, open ones first by the date that counts, then the newest decided. */
export async function listRequests(
  db: Db,
  _list: ListScope,
  opts: { status?: string | undefined; limit: number },
): Promise<RequestListRow[]> {
  let q = db
    .selectFrom('amendment_requests as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .selectAll('a')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted']);
  if (opts.status) q = q.where('a.status', '=', opts.status);
  return q.orderBy('a.status', 'desc').orderBy('a.due_on').orderBy('a.id').limit(opts.limit).execute();
}

/** Open requests whose date that counts (extended or not) is before `today`: the HIM director's overdue list. */
export async function listOverdue(db: Db, _list: ListScope, today: string): Promise<RequestListRow[]> {
  return db
    .selectFrom('amendment_requests as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .selectAll('a')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted'])
    .where('a.status', '=', 'open')
    .where((eb) => eb.or([eb.and([eb('a.extended_due_on', 'is', null), eb('a.due_on', '<', today)]), eb('a.extended_due_on', '<', today)]))
    .orderBy('a.due_on')
    .orderBy('a.id')
    .limit(2000)
    .execute();
}

export async function listRowIds(db: Db, table: AmendmentsTable, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

/** Re-keys rows (by id) from one record to the other (MPI merge and unmerge); answers how many moved. */
export async function moveRows(
  db: Db,
  table: AmendmentsTable,
  from: RecordScope,
  to: RecordScope,
  ids: readonly string[],
): Promise<number> {
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

/** Changes a request only while `column` is still empty (one extension, one statement, one rebuttal); false otherwise. */
export async function updateRequestOnce(
  db: Db,
  scope: RecordScope,
  id: string,
  column: 'extended_due_on' | 'disagreement_document_id' | 'rebuttal_document_id',
  set: Partial<AmendmentRequestTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('amendment_requests')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where(column, 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
