import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, MpiMergeTable, PatientTable } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordAccess, type RecordScope } from '../access/index.js';
import { recordAudit, type AuditLog } from '../audit/index.js';
import { findPatientById, setMergeState } from '../patients/index.js';
import { dropMatchKeys, refreshMatchKeys, type MatchDeps } from './matching.service.js';
import { encounterMoves, MERGE_PARTICIPANTS, type MergeJournalEntry } from './merge-participants.js';
import * as repo from './mpi.repository.js';

/**
 * Merge and unmerge of duplicate records (AHIMA "Fundamentals for Building a Master Patient Index/Enterprise
 * MPI"): the survivor keeps everything it had; every patient-keyed row of the other record moves to it, each
 * through the merge participant of the module that owns its table (MERGE_PARTICIPANTS); the other record's MRN
 * becomes an identifier (type MR) of the survivor and its name an alias; the other record stays, marked
 * merged_into. Each moved or created row is written to the journal (mpi_merge_rows) so that an unmerge puts every
 * row back under its original key. Both run in one transaction with their audit events.
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

interface PriorState {
  merged: { updated_at: string };
  survivor: { restricted: number; restriction_reason: string | null; updated_at: string };
  pairs: repo.PairResolution[];
}

export interface MergeResult {
  mergeId: string;
  survivorId: string;
  mergedId: string;
  moved: Record<string, number>;
}

/** Merges the `merged` record into the `survivor` inside the caller's transaction (both opened for writing). */
export async function mergePatientsInTx(
  trx: Db,
  deps: MergeTxDeps,
  survivorScope: RecordScope,
  mergedScope: RecordScope,
  opts: { source: string; reason?: string | null },
): Promise<MergeResult> {
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
  const pairs = await repo.listPairsBetween(trx, survivorId, mergedId);
  const prior: PriorState = {
    merged: { updated_at: merged.updated_at },
    survivor: { restricted: survivor.restricted, restriction_reason: survivor.restriction_reason, updated_at: survivor.updated_at },
    pairs,
  };
  await repo.insertMerge(trx, {
    id: mergeId,
    survivor_id: survivorId,
    merged_id: mergedId,
    status: 'merged',
    source: opts.source,
    reason: opts.reason ?? null,
    merged_at: now,
    merged_by: actor.username,
    unmerged_at: null,
    unmerged_by: null,
    prior_state: JSON.stringify(prior),
  });

  // Each module moves its own rows: patients first (with the encounters), then the rows that follow an encounter.
  const journal: MergeJournalEntry[] = [];
  const moved: Record<string, number> = {};
  for (const participant of MERGE_PARTICIPANTS) {
    Object.assign(
      moved,
      await participant.merge(trx, { from: mergedScope, to: survivorScope, encounters: encounterMoves(journal, 'merge') }, journal),
    );
  }
  await repo.insertMergeRows(
    trx,
    journal.map((j, seq) => ({ merge_id: mergeId, seq, ...j })),
  );

  // A restricted record keeps its protection after the merge.
  if (merged.restricted === 1 && survivor.restricted === 0) {
    await setMergeState(trx, survivorScope, { restricted: 1, restriction_reason: merged.restriction_reason, updated_at: now });
  }
  await setMergeState(trx, mergedScope, { merged_into: survivorId, updated_at: now });
  await dropMatchKeys(trx, mergedId);
  // The survivor is now also found under the merged record's names.
  await refreshMatchKeys(trx, deps, survivor);
  for (const p of pairs)
    await repo.updatePair(trx, p.id, { status: 'merged', merge_id: mergeId, resolved_at: now, resolved_by: actor.username });
  const detail = { mergeId, source: opts.source, moved };
  await recordAudit(trx, deps.audit, survivorScope.actor, {
    action: 'merge',
    resourceType: 'patient',
    resourceId: survivorId,
    patientId: survivorId,
    outcome: 'success',
    detail: scopeDetail(survivorScope, { ...detail, role: 'survivor', otherId: mergedId }),
  });
  await recordAudit(trx, deps.audit, mergedScope.actor, {
    action: 'merge',
    resourceType: 'patient',
    resourceId: mergedId,
    patientId: mergedId,
    outcome: 'success',
    detail: scopeDetail(mergedScope, { ...detail, role: 'merged', otherId: survivorId }),
  });
  return { mergeId, survivorId, mergedId, moved };
}

/**
 * Undoes a merge inside the caller's transaction: moved rows go back under their original keys, rows the merge
 * created are removed, the other record is active again with its match keys, worklist pairs get their status back.
 * Rows deleted on the survivor since the merge cannot come back; their count is reported and audited.
 */
export async function unmergeInTx(
  trx: Db,
  deps: MergeTxDeps,
  survivorScope: RecordScope,
  mergedScope: RecordScope,
  mergeId: string,
): Promise<{ mergeId: string; restored: number; missing: number }> {
  const actor = survivorScope.actor;
  const m = await repo.findMerge(trx, mergeId);
  if (!m || m.survivor_id !== survivorScope.patientId || m.merged_id !== mergedScope.patientId) throw notFound('merge');
  if (m.status !== 'merged') throw conflict('this merge has already been undone');
  const survivor = await findPatientById(trx, m.survivor_id);
  if (survivor?.merged_into) throw conflict('the surviving record was merged again since: undo that merge first');
  const prior = JSON.parse(m.prior_state) as PriorState;
  const rows = await repo.listMergeRows(trx, mergeId);
  if (rows.some((r) => !MERGE_PARTICIPANTS.some((p) => p.tables.includes(r.table_name))))
    throw new Error(`merge journal names an unknown table`);
  // Each module puts its own rows back, in the order they moved: the encounters first, then the rows that follow them.
  const back: MergeJournalEntry[] = [];
  let missing = 0;
  for (const participant of MERGE_PARTICIPANTS) {
    const entries = rows.filter((r) => participant.tables.includes(r.table_name));
    const r = await participant.unmerge(
      trx,
      { from: survivorScope, to: mergedScope, encounters: encounterMoves(back, 'unmerge') },
      entries,
    );
    back.push(...r.restored);
    missing += r.missing;
  }
  const restored = back.length;
  const now = isoNow(deps.clock);
  await setMergeState(trx, mergedScope, { merged_into: null, updated_at: prior.merged.updated_at });
  if (survivor && survivor.restricted !== prior.survivor.restricted) {
    await setMergeState(trx, survivorScope, {
      restricted: prior.survivor.restricted,
      restriction_reason: prior.survivor.restriction_reason,
      updated_at: prior.survivor.updated_at,
    });
  }
  for (const p of prior.pairs)
    await repo.updatePair(trx, p.id, {
      status: p.status,
      resolved_at: p.resolved_at,
      resolved_by: p.resolved_by,
      resolution_note: p.resolution_note,
      merge_id: p.merge_id,
    });
  await repo.updateMerge(trx, mergeId, { status: 'unmerged', unmerged_at: now, unmerged_by: actor.username });
  const restoredRecord = (await findPatientById(trx, m.merged_id)) as PatientTable;
  await refreshMatchKeys(trx, deps, restoredRecord);
  if (survivor) await refreshMatchKeys(trx, deps, survivor);
  const detail = { mergeId, restored, missing };
  await recordAudit(trx, deps.audit, survivorScope.actor, {
    action: 'unmerge',
    resourceType: 'patient',
    resourceId: m.survivor_id,
    patientId: m.survivor_id,
    outcome: 'success',
    detail: scopeDetail(survivorScope, { ...detail, role: 'survivor' }),
  });
  await recordAudit(trx, deps.audit, mergedScope.actor, {
    action: 'unmerge',
    resourceType: 'patient',
    resourceId: m.merged_id,
    patientId: m.merged_id,
    outcome: 'success',
    detail: scopeDetail(mergedScope, { ...detail, role: 'merged' }),
  });
  return { mergeId, restored, missing };
}

/** Merges two records (HIM MPI work). `pairId` names the worklist pair being resolved, when there is one. */
export async function mergePatients(
  deps: MergeDeps,
  actor: Actor,
  input: { survivorId: string; mergedId: string; reason?: string | null },
): Promise<MergeResult> {
  // Both records are opened for writing: a restricted one needs the glass broken first, as for any other change.
  const survivor = await deps.records.open(
    actor,
    { patientId: input.survivorId },
    { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: input.survivorId },
  );
  const merged = await deps.records.open(
    actor,
    { patientId: input.mergedId },
    { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: input.mergedId },
  );
  return deps.db
    .transaction()
    .execute((trx) => mergePatientsInTx(trx, deps, survivor, merged, { source: 'worklist', reason: input.reason ?? null }));
}

/** Undoes a merge exactly (see unmergeInTx). */
export async function unmergePatients(
  deps: MergeDeps,
  actor: Actor,
  mergeId: string,
): Promise<{ mergeId: string; restored: number; missing: number }> {
  await requirePermission(deps, actor, Permission.mpiMerge, { type: 'mpi_merge', id: mergeId });
  const m = await repo.findMergeRecords(deps.db, mergeId);
  if (!m) throw notFound('merge');
  const survivor = await deps.records.open(
    actor,
    { patientId: m.survivor_id },
    { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: m.survivor_id },
  );
  const merged = await deps.records.open(
    actor,
    { patientId: m.merged_id },
    { permission: Permission.mpiMerge, mode: 'write', resourceType: 'patient', resourceId: m.merged_id },
  );
  return deps.db.transaction().execute((trx) => unmergeInTx(trx, deps, survivor, merged, mergeId));
}

export interface MergeView {
  id: string;
  survivorId: string;
  mergedId: string;
  status: string;
  source: string;
  reason: string | null;
  mergedAt: string;
  mergedBy: string;
  unmergedAt: string | null;
  unmergedBy: string | null;
  /** Each record's MRN and "FAMILY, Given" (what a list shows of any record), and the users' names. */
  survivorMrn?: string | null;
  survivorName?: string | null;
  mergedMrn?: string | null;
  mergedName?: string | null;
  mergedByName?: string | null;
  unmergedByName?: string | null;
}

const toMergeView = (m: MpiMergeTable): MergeView => ({
  id: m.id,
  survivorId: m.survivor_id,
  mergedId: m.merged_id,
  status: m.status,
  source: m.source,
  reason: m.reason,
  mergedAt: m.merged_at,
  mergedBy: m.merged_by,
  unmergedAt: m.unmerged_at,
  unmergedBy: m.unmerged_by,
});

/** Merge history, newest first; of one patient (as survivor or merged record) when `patientId` is given. */
export async function listMerges(deps: MergeDeps, actor: Actor, opts: { patientId?: string; limit?: number } = {}): Promise<MergeView[]> {
  const list = await deps.records.openList(actor, { permission: Permission.mpiMerge, resourceType: 'mpi_merge' });
  const rows = await repo.listMergesNamed(deps.db, list, { patientId: opts.patientId, limit: opts.limit ?? 100 });
  const name = (f: string | null, g: string | null) => (f ? `${f.toUpperCase()}, ${g ?? ''}`.trim() : null);
  return rows.map((r) => ({
    ...toMergeView(r),
    survivorMrn: r.survivor_mrn,
    survivorName: name(r.survivor_family, r.survivor_given),
    mergedMrn: r.merged_mrn,
    mergedName: name(r.merged_family, r.merged_given),
    mergedByName: r.merged_by_name,
    unmergedByName: r.unmerged_by_name,
  }));
}
