/**
 * SQL of chart requests: table `chart_requests`, owned by this module. Writing a request and reading one with its
 * reason take the RecordScope of the opened record; the queue and the tracking steps (fulfil, cancel) take the
 * ListScope (they show and change only what a list shows). Patients and encounters are read in joins for display.
 */
import type { Db } from '../../db/database.js';
import type { ChartRequestTable } from '../../db/schema-charts.js';
import type { ListScope, RecordScope } from '../access/index.js';
import type { PatientLabel } from './charts.repository.js';

export type RequestRow = ChartRequestTable & PatientLabel;

function requestsWithPatient(db: Db) {
  return db
    .selectFrom('chart_requests as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .selectAll('r')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted']);
}

export async function insertRequest(db: Db, scope: RecordScope, row: ChartRequestTable): Promise<void> {
  if (row.patient_id !== scope.patientId) throw new Error('a request is written to the record that was opened');
  await db.insertInto('chart_requests').values(row).execute();
}

/** Who a request is for and whose it is (ids only), to decide who may see it and to open its record. */
export async function findRequestTarget(
  db: Db,
  id: string,
): Promise<Pick<ChartRequestTable, 'patient_id' | 'requester_user_id' | 'requested_by'> | undefined> {
  return db
    .selectFrom('chart_requests')
    .select(['patient_id', 'requester_user_id', 'requested_by'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One request of an opened record, with its reason. */
export async function findRequest(db: Db, scope: RecordScope, id: string): Promise<RequestRow | undefined> {
  return requestsWithPatient(db).where('r.patient_id', '=', scope.patientId).where('r.id', '=', id).executeTakeFirst();
}

/** One request for the tracking steps (the service withholds what the list may not show). */
export async function findRequestForTracking(db: Db, _list: ListScope, id: string): Promise<RequestRow | undefined> {
  return requestsWithPatient(db).where('r.id', '=', id).executeTakeFirst();
}

/**
 * The queue: requests in a status (open ones by the time they are needed, soonest first; closed ones newest first),
 * optionally only those one user asked for or entered.
 */
export async function listRequests(
  db: Db,
  _list: ListScope,
  opts: { status: string | null; userId: string | null; limit: number },
): Promise<RequestRow[]> {
  let q = requestsWithPatient(db);
  if (opts.status) q = q.where('r.status', '=', opts.status);
  if (opts.userId) {
    const userId = opts.userId;
    q = q.where((eb) => eb.or([eb('r.requester_user_id', '=', userId), eb('r.requested_by', '=', userId)]));
  }
  q = opts.status === 'open' ? q.orderBy('r.needed_by').orderBy('r.id') : q.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc');
  return q.limit(opts.limit).execute();
}

/** Closes an open request, only if it is still open (two clerks at once): false otherwise. */
export async function closeRequestIfOpen(
  db: Db,
  _list: ListScope,
  r: { patientId: string; id: string },
  set: Partial<ChartRequestTable>,
): Promise<boolean> {
  const res = await db
    .updateTable('chart_requests')
    .set(set)
    .where('patient_id', '=', r.patientId)
    .where('id', '=', r.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The label of encounters (account, type, admission) for requests whose details may show. */
export async function encounterLabels(
  db: Db,
  ids: readonly (string | null)[],
): Promise<Map<string, { account_number: string; type: string; admit_at: string }>> {
  const unique = [...new Set(ids.filter((x): x is string => x !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('encounters').select(['id', 'account_number', 'type', 'admit_at']).where('id', 'in', unique).execute();
  return new Map(rows.map((e) => [e.id, e]));
}

/** A user's role (is the requester one who may open records?). */
export async function findUserRole(db: Db, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('role').where('id', '=', userId).where('disabled', '=', 0).executeTakeFirst())?.role;
}

// ---- MPI merges

export async function listRequestIds(db: Db, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom('chart_requests').select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

export async function moveRequests(db: Db, from: RecordScope, to: RecordScope, ids: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await db
      .updateTable('chart_requests')
      .set({ patient_id: to.patientId })
      .where('patient_id', '=', from.patientId)
      .where('id', 'in', ids.slice(i, i + 500))
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Follows an encounter whose id changed in the merge, on the requests that moved with it. */
export async function renameEncounterOfRequests(db: Db, scope: RecordScope, ids: readonly string[], e: { from: string; to: string }) {
  if (ids.length === 0) return;
  await db
    .updateTable('chart_requests')
    .set({ encounter_id: e.to })
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', e.from)
    .where('id', 'in', [...ids])
    .execute();
}
