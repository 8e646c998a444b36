import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, MpiMergeTable, PatientTable } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordAccess, type RecordScope } from '../access/index.js';
import { recordAudit, type AuditLog } from '../audit/index.js';
import { dropMatchKeys, findPatientById, refreshMatchKeys, type MatchDeps } from '../patients/index.js';

/**
 * Merge and unmerge of duplicate records (AHIMA "Fundamentals for Building a Master Patient Index/Enterprise
 * MPI"): the survivor keeps everything it had; every patient-keyed row of the other record moves to it; the
 * other record's MRN becomes an identifier (type MR) of the survivor and its name an alias; the other record
 * stays, marked merged_into. Each moved or created row is written to the journal (mpi_merge_rows) so that an
 * unmerge puts every row back under its original key. Both run in one transaction with their audit events.
 */
/** What the *InTx functions need: the clock and the match-key secret (the caller owns the transaction). */
export interface MergeTxDeps extends MatchDeps {
  clock: Clock;
  audit: AuditLog;
}

export interface MergeDeps extends MergeTxDeps {
  db: Kysely<Database>;
  records: RecordAccess;
}

/**
 * Tables whose rows belong to one patient and move in a merge, keyed (patient_id, id). A later table of
 * patient data (documents, coding, ROI requests) joins this list so that merges carry it too.
 */
export const MOVABLE_TABLES = ['patient_names', 'patient_identifiers', 'patient_insurance', 'next_of_kin', 'encounters'] as const;
type MovableTable = (typeof MOVABLE_TABLES)[number];

/**
 * Tables whose rows belong to an encounter (documents, coding abstracts and their versions, queries, audits,
 * notifications): they follow their encounter when it moves in a merge and when it moves back in an unmerge.
 */
export const ENCOUNTER_SCOPED_TABLES = ['encounter_documents', 'coding_abstracts', 'coding_abstract_versions', 'physician_queries', 'coding_audits', 'notifications'] as const;

/** Moves the rows of one encounter's dependent tables from one patient (and encounter key) to another. */
async function followEncounter(trx: Db, from: { patientId: string; encounterId: string }, to: { patientId: string; encounterId: string }): Promise<void> {
  for (const table of ENCOUNTER_SCOPED_TABLES) {
    await trx.updateTable(table).set({ patient_id: to.patientId, encounter_id: to.encounterId }).where('patient_id', '=', from.patientId).where('encounter_id', '=', from.encounterId).execute();
  }
}

interface PriorState {
  merged: { updated_at: string };
  survivor: { restricted: number; restriction_reason: string | null; updated_at: string };
  pairs: { id: string; status: string; resolved_at: string | null; resolved_by: string | null; resolution_note: string | null; merge_id: string | null }[];
}

export interface MergeResult {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  moved: Record<string, number>;
}

/** Merges the `merged` record into the `survivor` inside the caller's transaction (both opened for writing). */
export async function mergePatientsInTx(trx: Db, deps: MergeTxDeps, survivorScope: RecordScope, mergedScope: RecordScope, opts: { source: string; reason?: string | null }): Promise<MergeResult> {
  const survivorId = survivorScope.patientId;
  const mergedId = mergedScope.patientId;
  const actor = survivorScope.actor;
  if (survivorId === mergedId) throw invalid('mergedId: a record cannot be merged into itself');
  const survivor = await findPatientById(trx, survivorId);
  const merged = await findPatientById(trx, mergedId);
  if (!survivor || !merged) throw notFound('patient');
  if (survivor.merged_into !== null) throw conflict('the surviving record is itself merged into another record');
  if (merged.merged_into !== null) throw conflict('the record is already merged');
  const now = isoNow(deps.clock);
  const mergeId = newId();
  const pairs = await trx
    .selectFrom('mpi_duplicate_pairs')
    .select(['id', 'status', 'resolved_at', 'resolved_by', 'resolution_note', 'merge_id'])
    .where((eb) => eb.or([eb.and([eb('patient_id_1', '=', survivorId), eb('patient_id_2', '=', mergedId)]), eb.and([eb('patient_id_1', '=', mergedId), eb('patient_id_2', '=', survivorId)])]))
    .execute();
  const prior: PriorState = {
    merged: { updated_at: merged.updated_at },
    survivor: { restricted: survivor.restricted, restriction_reason: survivor.restriction_reason, updated_at: survivor.updated_at },
    pairs,
  };
  await trx.insertInto('mpi_merges').values({ id: mergeId, survivor_id: survivorId, merged_id: mergedId, status: 'merged', source: opts.source, reason: opts.reason ?? null, merged_at: now, merged_by: actor.username, unmerged_at: null, unmerged_by: null, prior_state: JSON.stringify(prior) }).execute();

  const journal: { table_name: string; action: string; old_id: string | null; new_id: string }[] = [];
  const moved: Record<string, number> = {};
  for (const table of MOVABLE_TABLES) moved[table] = await moveRows(trx, table, mergedId, survivorId, journal);
  for (const j of journal) {
    if (j.table_name === 'encounters') await followEncounter(trx, { patientId: mergedId, encounterId: j.old_id! }, { patientId: survivorId, encounterId: j.new_id });
  }

  // The other record's MRN stays findable on the survivor (AHIMA: retain the retired MRN as an alias).
  const aliasId = newId();
  await trx.insertInto('patient_identifiers').values({ patient_id: survivorId, id: aliasId, system: merged.facility_id, value: merged.mrn, type: 'MR' }).execute();
  journal.push({ table_name: 'patient_identifiers', action: 'created', old_id: null, new_id: aliasId });
  if (merged.family_name !== survivor.family_name || merged.given_name !== survivor.given_name) {
    const nameId = newId();
    await trx.insertInto('patient_names').values({ patient_id: survivorId, id: nameId, use: 'merged', family_name: merged.family_name, given_name: merged.given_name, middle_name: merged.middle_name }).execute();
    journal.push({ table_name: 'patient_names', action: 'created', old_id: null, new_id: nameId });
  }
  if (journal.length > 0) await trx.insertInto('mpi_merge_rows').values(journal.map((j, seq) => ({ merge_id: mergeId, seq, ...j }))).execute();

  // A restricted record keeps its protection after the merge.
  if (merged.restricted === 1 && survivor.restricted === 0) {
    await trx.updateTable('patients').set({ restricted: 1, restriction_reason: merged.restriction_reason, updated_at: now }).where('id', '=', survivorId).execute();
  }
  await trx.updateTable('patients').set({ merged_into: survivorId, updated_at: now }).where('id', '=', mergedId).execute();
  await dropMatchKeys(trx, mergedId);
  // The survivor is now also found under the merged record's names.
  await refreshMatchKeys(trx, deps, survivor);
  for (const p of pairs) {
    await trx.updateTable('mpi_duplicate_pairs').set({ status: 'merged', merge_id: mergeId, resolved_at: now, resolved_by: actor.username }).where('id', '=', p.id).execute();
  }
  const detail = { mergeId, source: opts.source, moved };
  await recordAudit(trx, deps.audit, survivorScope.actor, { action: 'merge', resourceType: 'patient', resourceId: survivorId, patientId: survivorId, outcome: 'success', detail: scopeDetail(survivorScope, { ...detail, role: 'survivor', otherId: mergedId }) });
  await recordAudit(trx, deps.audit, mergedScope.actor, { action: 'merge', resourceType: 'patient', resourceId: mergedId, patientId: mergedId, outcome: 'success', detail: scopeDetail(mergedScope, { ...detail, role: 'merged', otherId: survivorId }) });
  return { mergeId, survivorId, mergedId, moved };
}

/** Re-keys every row of `from` in `table` to `to`; a row id already used under `to` gets a new id (journaled). */
async function moveRows(trx: Db, table: MovableTable, from: string, to: string, journal: { table_name: string; action: string; old_id: string | null; new_id: string }[]): Promise<number> {
  const rows = await trx.selectFrom(table).select('id').where('patient_id', '=', from).execute();
  if (rows.length === 0) return 0;
  const taken = new Set((await trx.selectFrom(table).select('id').where('patient_id', '=', to).where('id', 'in', rows.map((r) => r.id)).execute()).map((r) => r.id));
  for (const r of rows) {
    const newKey = taken.has(r.id) ? newId() : r.id;
    if (newKey !== r.id) await trx.updateTable(table).set({ patient_id: to, id: newKey }).where('patient_id', '=', from).where('id', '=', r.id).execute();
    journal.push({ table_name: table, action: 'moved', old_id: r.id, new_id: newKey });
  }
  // Rows whose id is free under the survivor move in one statement.
  await trx.updateTable(table).set({ patient_id: to }).where('patient_id', '=', from).execute();
  return rows.length;
}

/**
 * Undoes a merge inside the caller's transaction: moved rows go back under their original keys, rows the merge
 * created are removed, the other record is active again with its match keys, worklist pairs get their status back.
 * Rows deleted on the survivor since the merge cannot come back; their count is reported and audited.
 */
export async function unmergeInTx(trx: Db, deps: MergeTxDeps, survivorScope: RecordScope, mergedScope: RecordScope, mergeId: string): Promise<{ mergeId: string; restored: number; missing: number }> {
  const actor = survivorScope.actor;
  const m = await trx.selectFrom('mpi_merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
  if (!m || m.survivor_id !== survivorScope.patientId || m.merged_id !== mergedScope.patientId) throw notFound('merge');
  if (m.status !== 'merged') throw conflict('this merge has already been undone');
  const survivor = await findPatientById(trx, m.survivor_id);
  if (survivor?.merged_into) throw conflict('the surviving record was merged again since: undo that merge first');
  const prior = JSON.parse(m.prior_state) as PriorState;
  const rows = await trx.selectFrom('mpi_merge_rows').selectAll().where('merge_id', '=', mergeId).orderBy('seq', 'desc').execute();
  let restored = 0;
  let missing = 0;
  for (const r of rows) {
    const table = r.table_name as MovableTable;
    if (!(MOVABLE_TABLES as readonly string[]).includes(table)) throw new Error(`merge journal names an unknown table`);
    if (r.action === 'created') {
      await trx.deleteFrom(table).where('patient_id', '=', m.survivor_id).where('id', '=', r.new_id).execute();
      continue;
    }
    const res = await trx.updateTable(table).set({ patient_id: m.merged_id, id: r.old_id! }).where('patient_id', '=', m.survivor_id).where('id', '=', r.new_id).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      restored++;
      if (table === 'encounters') await followEncounter(trx, { patientId: m.survivor_id, encounterId: r.new_id }, { patientId: m.merged_id, encounterId: r.old_id! });
    } else missing++;
  }
  const now = isoNow(deps.clock);
  await trx.updateTable('patients').set({ merged_into: null, updated_at: prior.merged.updated_at }).where('id', '=', m.merged_id).execute();
  if (survivor && survivor.restricted !== prior.survivor.restricted) {
    await trx.updateTable('patients').set({ restricted: prior.survivor.restricted, restriction_reason: prior.survivor.restriction_reason, updated_at: prior.survivor.updated_at }).where('id', '=', m.survivor_id).execute();
  }
  for (const p of prior.pairs) {
    await trx.updateTable('mpi_duplicate_pairs').set({ status: p.status, resolved_at: p.resolved_at, resolved_by: p.resolved_by, resolution_note: p.resolution_note, merge_id: p.merge_id }).where('id', '=', p.id).execute();
  }
  await trx.updateTable('mpi_merges').set({ status: 'unmerged', unmerged_at: now, unmerged_by: actor.username }).where('id', '=', mergeId).execute();
  const restoredRecord = (await findPatientById(trx, m.merged_id)) as PatientTable;
  await refreshMatchKeys(trx, deps, restoredRecord);
  if (survivor) await refreshMatchKeys(trx, deps, survivor);
  const detail = { mergeId, restored, missing };
  await recordAudit(trx, deps.audit, survivorScope.actor, { action: 'unmerge', resourceType: 'patient', resourceId: m.survivor_id, patientId: m.survivor_id, outcome: 'success', detail: scopeDetail(survivorScope, { ...detail, role: 'survivor' }) });
  await recordAudit(trx, deps.audit, mergedScope.actor, { action: 'unmerge', resourceType: 'patient', resourceId: m.merged_id, patientId: m.merged_id, outcome: 'success', detail: scopeDetail(mergedScope, { ...detail, role: 'merged' }) });
  return { mergeId, restored, missing };
}

/** Merges two records (HIM MPI work). `pairId` names the worklist pair being resolved, when there is one. */
export async function mergePatients(deps: MergeDeps, actor: Actor, input: { survivorId: string; mergedId: string; reason?: string | null }): Promise<MergeResult> {
  // Both records are opened for writing: a restricted one needs the glass broken first, as for any other change.
  const survivor = await deps.records.open(actor, { patientId: input.survivorId }, { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: input.survivorId });
  const merged = await deps.records.open(actor, { patientId: input.mergedId }, { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: input.mergedId });
  return deps.db.transaction().execute((trx) => mergePatientsInTx(trx, deps, survivor, merged, { source: 'worklist', reason: input.reason ?? null }));
}

/** Undoes a merge exactly (see unmergeInTx). */
export async function unmergePatients(deps: MergeDeps, actor: Actor, mergeId: string): Promise<{ mergeId: string; restored: number; missing: number }> {
  await requirePermission(deps, actor, Permission.mpiMerge, { type: 'mpi_merge', id: mergeId });
  const m = await deps.db.selectFrom('mpi_merges').select(['survivor_id', 'merged_id']).where('id', '=', mergeId).executeTakeFirst();
  if (!m) throw notFound('merge');
  const survivor = await deps.records.open(actor, { patientId: m.survivor_id }, { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: m.survivor_id });
  const merged = await deps.records.open(actor, { patientId: m.merged_id }, { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: m.merged_id });
  return deps.db.transaction().execute((trx) => unmergeInTx(trx, deps, survivor, merged, mergeId));
}

export interface MergeView {
  id: string; survivorId: string; mergedId: string; status: string; source: string; reason: string | null;
  mergedAt: string; mergedBy: string; unmergedAt: string | null; unmergedBy: string | null;
}

const toMergeView = (m: MpiMergeTable): MergeView => ({
  id: m.id, survivorId: m.survivor_id, mergedId: m.merged_id, status: m.status, source: m.source, reason: m.reason,
  mergedAt: m.merged_at, mergedBy: m.merged_by, unmergedAt: m.unmerged_at, unmergedBy: m.unmerged_by,
});

/** Merge history, newest first; of one patient (as survivor or merged record) when `patientId` is given. */
export async function listMerges(deps: MergeDeps, actor: Actor, opts: { patientId?: string; limit?: number } = {}): Promise<MergeView[]> {
  await requirePermission(deps, actor, Permission.mpiMerge, { type: 'mpi_merge' });
  let q = deps.db.selectFrom('mpi_merges').selectAll();
  if (opts.patientId) q = q.where((eb) => eb.or([eb('survivor_id', '=', opts.patientId!), eb('merged_id', '=', opts.patientId!)]));
  const rows = await q.orderBy('merged_at', 'desc').orderBy('id', 'desc').limit(opts.limit ?? 100).execute();
  return rows.map(toMergeView);
}
