/**
 * SQL of paper chart tracking: tables `chart_locations`, `paper_charts` and `chart_movements`, owned by this module.
 * Reads of one patient's charts and their moves take the ListScope of the record-access step (tracking shows only
 * what a list shows: MRN, name, barcode, where the paper is); the merge functions take the two records' RecordScopes.
 * Patients, encounters and users are read here in joins for display, never written.
 */
import type { Db } from '../../db/database.js';
import type { ChartLocationTable, ChartMovementTable, PaperChartTable } from '../../db/schema-charts.js';
import type { ListScope, RecordScope } from '../access/index.js';

// ---- locations (no patient data)

export async function insertLocation(db: Db, row: ChartLocationTable): Promise<void> {
  await db.insertInto('chart_locations').values(row).execute();
}

export async function updateLocation(db: Db, id: string, set: Partial<ChartLocationTable>): Promise<void> {
  await db.updateTable('chart_locations').set(set).where('id', '=', id).execute();
}

export async function findLocation(db: Db, id: string): Promise<ChartLocationTable | undefined> {
  return db.selectFrom('chart_locations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLocationByCode(db: Db, code: string): Promise<ChartLocationTable | undefined> {
  return db.selectFrom('chart_locations').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findPersonLocationOfUser(db: Db, userId: string): Promise<ChartLocationTable | undefined> {
  return db.selectFrom('chart_locations').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function listLocations(db: Db, opts: { kind?: string | undefined; includeInactive: boolean }): Promise<ChartLocationTable[]> {
  let q = db.selectFrom('chart_locations').selectAll();
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (!opts.includeInactive) q = q.where('active', '=', 1);
  return q.orderBy('kind').orderBy('name').limit(2000).execute();
}

export async function locationsByIds(db: Db, ids: readonly string[]): Promise<Map<string, ChartLocationTable>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('chart_locations').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** How many charts are at each of these locations now (a box's contents). */
export async function countChartsAt(db: Db, locationIds: readonly string[]): Promise<Map<string, number>> {
  if (locationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('paper_charts')
    .select(['current_location_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('current_location_id', 'in', [...locationIds])
    .groupBy('current_location_id')
    .execute();
  return new Map(rows.map((r) => [r.current_location_id, r.n]));
}

/** How many charts are at a location now or are filed there when in (a location in use cannot be retired). */
export async function countChartsUsing(db: Db, locationId: string): Promise<number> {
  const r = await db
    .selectFrom('paper_charts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('current_location_id', '=', locationId), eb('home_location_id', '=', locationId)]))
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function locationCodeTaken(db: Db, code: string): Promise<boolean> {
  return (await db.selectFrom('chart_locations').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** A user's display name (for a person location made on the first check-out to them). */
export async function userDisplayName(db: Db, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('display_name').where('id', '=', userId).where('disabled', '=', 0).executeTakeFirst())
    ?.display_name;
}

export async function userDisplayNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((u) => [u.id, u.display_name]));
}

// ---- patients and encounters, read for display and checks

/** What a chart or request shows of its patient: the record's existence (MRN, name, restricted flag). */
export interface PatientLabel {
  mrn: string;
  family_name: string;
  given_name: string;
  restricted: number;
}

export async function findPatientLabel(
  db: Db,
  patientId: string,
): Promise<(PatientLabel & { id: string; merged_into: string | null }) | undefined> {
  return db
    .selectFrom('patients')
    .select(['id', 'mrn', 'family_name', 'given_name', 'restricted', 'merged_into'])
    .where('id', '=', patientId)
    .executeTakeFirst();
}

/** The encounter of a patient (ids and the account number only), or undefined when it is not theirs. */
export async function findEncounterOfPatient(
  db: Db,
  patientId: string,
  encounterId: string,
): Promise<{ id: string; account_number: string } | undefined> {
  return db
    .selectFrom('encounters')
    .select(['id', 'account_number'])
    .where('patient_id', '=', patientId)
    .where('id', '=', encounterId)
    .executeTakeFirst();
}

export async function accountNumbers(db: Db, encounterIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(encounterIds.filter((x): x is string => x !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('encounters').select(['id', 'account_number']).where('id', 'in', ids).execute();
  return new Map(rows.map((e) => [e.id, e.account_number]));
}

// ---- paper charts

export type ChartRow = PaperChartTable & PatientLabel;

function chartsWithPatient(db: Db) {
  return db
    .selectFrom('paper_charts as c')
    .innerJoin('patients as p', 'p.id', 'c.patient_id')
    .selectAll('c')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted']);
}

export async function insertChart(db: Db, _list: ListScope, row: PaperChartTable): Promise<void> {
  await db.insertInto('paper_charts').values(row).execute();
}

export async function barcodeTaken(db: Db, barcode: string): Promise<boolean> {
  return (await db.selectFrom('paper_charts').select('id').where('barcode', '=', barcode).executeTakeFirst()) !== undefined;
}

export async function findChartByBarcode(db: Db, _list: ListScope, barcode: string): Promise<ChartRow | undefined> {
  return chartsWithPatient(db).where('c.barcode', '=', barcode).executeTakeFirst();
}

export async function findChartById(db: Db, _list: ListScope, id: string): Promise<ChartRow | undefined> {
  return chartsWithPatient(db).where('c.id', '=', id).executeTakeFirst();
}

export async function listChartsOfPatients(db: Db, _list: ListScope, patientIds: readonly string[]): Promise<ChartRow[]> {
  if (patientIds.length === 0) return [];
  return chartsWithPatient(db)
    .where('c.patient_id', 'in', [...new Set(patientIds)])
    .orderBy('c.volume')
    .execute();
}

export async function listChartsAt(db: Db, _list: ListScope, locationId: string): Promise<ChartRow[]> {
  return chartsWithPatient(db)
    .where('c.current_location_id', '=', locationId)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('c.volume')
    .limit(2000)
    .execute();
}

/** Charts out past their due-back time, most overdue first. */
export async function listOverdueCharts(db: Db, _list: ListScope, nowIso: string): Promise<ChartRow[]> {
  return chartsWithPatient(db)
    .where('c.status', '=', 'out')
    .where('c.due_back_at', '<', nowIso)
    .orderBy('c.due_back_at')
    .limit(1000)
    .execute();
}

/** Charts by barcode or MRN (exact), or by the patient's family name (prefix, with a given-name prefix). */
export async function searchCharts(
  db: Db,
  _list: ListScope,
  q: { code: string; family: string | null; given: string | null },
): Promise<ChartRow[]> {
  return chartsWithPatient(db)
    .where((eb) => {
      const ors = [eb('c.barcode', '=', q.code), eb('p.mrn', '=', q.code)];
      if (q.family) {
        const byName = [eb(eb.fn('lower', ['p.family_name']), 'like', `${q.family}%`)];
        if (q.given) byName.push(eb(eb.fn('lower', ['p.given_name']), 'like', `${q.given}%`));
        ors.push(eb.and(byName));
      }
      return eb.or(ors);
    })
    .where('p.merged_into', 'is', null)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('c.volume')
    .limit(100)
    .execute();
}

export async function maxVolume(db: Db, _list: ListScope, patientId: string): Promise<number> {
  const r = await db
    .selectFrom('paper_charts')
    .select((eb) => eb.fn.max<number | null>('volume').as('v'))
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return r?.v ?? 0;
}

/** Moves a chart, only if no one moved it since it was read (same status and place): false otherwise. */
export async function updateChartIfUnchanged(
  db: Db,
  _list: ListScope,
  was: Pick<PaperChartTable, 'patient_id' | 'id' | 'status' | 'current_location_id' | 'updated_at'>,
  set: Partial<PaperChartTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('paper_charts')
    .set(set)
    .where('patient_id', '=', was.patient_id)
    .where('id', '=', was.id)
    .where('status', '=', was.status)
    .where('current_location_id', '=', was.current_location_id)
    .where('updated_at', '=', was.updated_at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- movements

export async function insertMovement(db: Db, _list: ListScope, row: ChartMovementTable): Promise<void> {
  await db.insertInto('chart_movements').values(row).execute();
}

/** A chart's moves, newest first. */
export async function listMovements(
  db: Db,
  _list: ListScope,
  chart: { patientId: string; chartId: string },
): Promise<ChartMovementTable[]> {
  return db
    .selectFrom('chart_movements')
    .selectAll()
    .where('patient_id', '=', chart.patientId)
    .where('chart_id', '=', chart.chartId)
    .orderBy('moved_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

// ---- MPI merges

/** This module's tables of one patient's rows that an MPI merge moves (chart_requests: chart-requests.repository.ts). */
export const TRACKING_PATIENT_TABLES = ['paper_charts', 'chart_movements'] as const;
export type TrackingTable = (typeof TRACKING_PATIENT_TABLES)[number];

export async function listRowIds(db: Db, table: TrackingTable, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

/** Re-keys rows (by id) from one record to the other; answers how many moved. */
export async function moveRows(db: Db, table: TrackingTable, from: RecordScope, to: RecordScope, ids: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const r = await db
      .updateTable(table)
      .set({ patient_id: to.patientId })
      .where('patient_id', '=', from.patientId)
      .where('id', 'in', chunk)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** The moves of these charts still under `from` (recorded after a merge), which go back with their chart on unmerge. */
export async function movementIdsOfCharts(db: Db, from: RecordScope, chartIds: readonly string[]): Promise<string[]> {
  if (chartIds.length === 0) return [];
  return (
    await db
      .selectFrom('chart_movements')
      .select('id')
      .where('patient_id', '=', from.patientId)
      .where('chart_id', 'in', [...chartIds])
      .execute()
  ).map((r) => r.id);
}

/** Follows an encounter whose id changed in the merge, on the charts that moved with it. */
export async function renameEncounterOfCharts(db: Db, scope: RecordScope, ids: readonly string[], e: { from: string; to: string }) {
  if (ids.length === 0) return;
  await db
    .updateTable('paper_charts')
    .set({ encounter_id: e.to })
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', e.from)
    .where('id', 'in', [...ids])
    .execute();
}
