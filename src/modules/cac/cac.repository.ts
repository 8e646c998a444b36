/** SQL of computer-assisted coding: the decisions table (cac_decisions), one patient's rows led by patient_id. */
import type { Db } from '../../db/database.js';
import type { CacDecisionTable } from '../../db/schema-cac.js';
import type { RecordScope } from '../access/index.js';

export const CAC_PATIENT_TABLES = ['cac_decisions'] as const;

export async function insertDecision(db: Db, scope: RecordScope, row: CacDecisionTable): Promise<void> {
  if (row.patient_id !== scope.patientId) throw new Error('decision row of another record');
  await db.insertInto('cac_decisions').values(row).execute();
}

/** An encounter's decisions, oldest first. */
export async function listDecisions(db: Db, scope: RecordScope, encounterId: string): Promise<CacDecisionTable[]> {
  return db
    .selectFrom('cac_decisions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterId)
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
}

/** Every decision in a period, for the acceptance report (no patient ids leave here). */
export async function listDecisionsForReport(db: Db, range: { from?: string | undefined; to?: string | undefined }) {
  let q = db.selectFrom('cac_decisions').select(['encounter_id', 'code', 'system', 'decision', 'decided_by', 'decided_at']);
  if (range.from) q = q.where('decided_at', '>=', range.from);
  if (range.to) q = q.where('decided_at', '<', range.to);
  return q.execute();
}

export async function userNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function listRowIds(db: Db, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom('cac_decisions').select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

export async function encounterOfRow(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('cac_decisions').select('encounter_id').where('id', '=', id).executeTakeFirst())?.encounter_id;
}

/** Re-keys a decision (by id) to the other record and its encounter's id there (MPI merge and unmerge). */
export async function moveRow(db: Db, from: RecordScope, to: RecordScope, id: string, encounterId: string): Promise<number> {
  const r = await db
    .updateTable('cac_decisions')
    .set({ patient_id: to.patientId, encounter_id: encounterId })
    .where('patient_id', '=', from.patientId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * How often coders accepted and rejected each code, hospital-wide (every decision row; a changed mind counts both):
 * aggregates only, for tuning the ranking.
 */
export async function decisionCountsByCode(db: Db): Promise<{ system: string; code: string; decision: string; n: number }[]> {
  const rows = await db
    .selectFrom('cac_decisions')
    .select((eb) => ['system', 'code', 'decision', eb.fn.countAll<number | string | bigint>().as('n')])
    .groupBy(['system', 'code', 'decision'])
    .execute();
  return rows.map((r) => ({ system: r.system, code: r.code, decision: r.decision, n: Number(r.n) }));
}
