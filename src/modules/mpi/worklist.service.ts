import { isoNow } from '../../core/shared/clock.js';
import { conflict, notFound } from '../../core/errors.js';
import type { PatientTable } from '../../db/schema.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { listEncountersOfRecord, listUnmergedPatientsAfter, maskSsn, readPatientLists, readPatientRecord } from '../patients/index.js';
import { comparePatients, screenForDuplicates } from './matching.service.js';
import type { MergeDeps } from './merge.service.js';
import * as repo from './mpi.repository.js';

/**
 * The potential-duplicate worklist: pairs of records the matcher scored above the review threshold (at
 * registration, from ADT, or by a scan), for an HIM clerk to compare side by side and resolve as "not a
 * duplicate" or by a merge.
 */
export const PairStatus = { open: 'open', notDuplicate: 'not_duplicate', merged: 'merged' } as const;
export type PairStatus = (typeof PairStatus)[keyof typeof PairStatus];

export interface PairPatientBrief {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string | null;
  sex: string;
  restricted: boolean;
  mergedInto: string | null;
}

export interface DuplicatePairView {
  /** Null when either record is restricted and not opened by this user: the score would tell what it hides. */
  id: string;
  score: number | null;
  status: string;
  source: string;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  mergeId: string | null;
  patients: [PairPatientBrief, PairPatientBrief];
}

const brief = (p: PatientTable): PairPatientBrief => ({
  id: p.id,
  mrn: p.mrn,
  familyName: p.family_name,
  givenName: p.given_name,
  dateOfBirth: p.date_of_birth,
  sex: p.sex,
  restricted: p.restricted === 1,
  mergedInto: p.merged_into,
});

/** A pair (ids of its two records), after the permission check; unknown ids answer not found. */
async function findPair(deps: MergeDeps, actor: Actor, pairId: string) {
  await requirePermission(deps, actor, Permission.mpiMerge, { type: 'mpi_duplicate_pair', id: pairId });
  const d = await repo.findPair(deps.db, pairId);
  if (!d) throw notFound('duplicate pair');
  return d;
}

/** Pairs of a status (open by default), highest score first. Open pairs whose record was merged elsewhere are left out. */
export async function listDuplicatePairs(
  deps: MergeDeps,
  actor: Actor,
  opts: { status?: PairStatus; limit?: number } = {},
): Promise<DuplicatePairView[]> {
  const list = await deps.records.openList(actor, { permission: Permission.mpiMerge, resourceType: 'mpi_duplicate_pair' });
  const status = opts.status ?? PairStatus.open;
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.listPairsWithPatients(trx, list, status, {
      onlyUnmerged: status === PairStatus.open,
      limit: opts.limit ?? 100,
    });
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'mpi_duplicate_pair',
      outcome: 'success',
      detail: { resultCount: rows.length, status },
    });
    // A restricted record the clerk has not opened shows its existence (name, MRN); its date of birth, sex and the
    // pair's score (which would tell how well they agree with the other record's) are withheld.
    return rows.map((r) => {
      const da = list.showsDetails({ patientId: r.patient_id_1, restricted: r.a_restricted });
      const db = list.showsDetails({ patientId: r.patient_id_2, restricted: r.b_restricted });
      return {
        id: r.id,
        score: da && db ? r.score : null,
        status: r.status,
        source: r.source,
        detectedAt: r.detected_at,
        resolvedAt: r.resolved_at,
        resolvedBy: r.resolved_by,
        mergeId: r.merge_id,
        patients: [
          {
            id: r.patient_id_1,
            mrn: r.a_mrn,
            familyName: r.a_family,
            givenName: r.a_given,
            dateOfBirth: da ? r.a_dob : null,
            sex: da ? r.a_sex : '',
            restricted: r.a_restricted === 1,
            mergedInto: r.a_merged,
          },
          {
            id: r.patient_id_2,
            mrn: r.b_mrn,
            familyName: r.b_family,
            givenName: r.b_given,
            dateOfBirth: db ? r.b_dob : null,
            sex: db ? r.b_sex : '',
            restricted: r.b_restricted === 1,
            mergedInto: r.b_merged,
          },
        ],
      };
    });
  });
}

export interface SideBySidePatient extends PairPatientBrief {
  middleName: string | null;
  address: { line1: string | null; line2: string | null; city: string | null; state: string | null; postalCode: string | null };
  phone: string | null;
  email: string | null;
  ssnMasked: string | null;
  deceasedAt: string | null;
  createdAt: string;
  aliases: { use: string; familyName: string; givenName: string }[];
  identifiers: { system: string; value: string; type: string | null }[];
  encounters: { accountNumber: string; type: string; status: string; admitAt: string; dischargeAt: string | null }[];
}

export interface DuplicatePairDetail {
  pair: DuplicatePairView;
  left: SideBySidePatient;
  right: SideBySidePatient;
  /** Field by field: agreement level and match weight (log2 m/u) of the current data. */
  comparison: { field: string; level: string | null; weight: number }[];
  currentScore: number;
  transposedNames: boolean;
}

/** One pair with both records side by side and the field-by-field comparison; audited as a read of both records. */
export async function getDuplicatePair(deps: MergeDeps, actor: Actor, pairId: string): Promise<DuplicatePairDetail> {
  const d = await findPair(deps, actor, pairId);
  // Both records open for reading (a restricted one needs the glass broken); each read is audited there.
  const use = {
    permission: Permission.mpiMerge,
    mode: 'read',
    resourceType: 'patient',
    detail: { via: 'duplicate_pair', pairId },
  } as const;
  const sa = await deps.records.open(actor, { patientId: d.patient_id_1 }, { ...use, resourceId: d.patient_id_1 });
  const sb = await deps.records.open(actor, { patientId: d.patient_id_2 }, { ...use, resourceId: d.patient_id_2 });
  return deps.db.transaction().execute(async (trx) => {
    const [a, b] = await Promise.all([readPatientRecord(trx, sa), readPatientRecord(trx, sb)]);
    if (!a || !b) throw notFound('duplicate pair');
    const side = async (p: PatientTable, scope: RecordScope): Promise<SideBySidePatient> => {
      const [{ aliases: names, identifiers: ids }, encs] = await Promise.all([
        readPatientLists(trx, scope),
        listEncountersOfRecord(trx, scope),
      ]);
      return {
        ...brief(p),
        middleName: p.middle_name,
        address: { line1: p.address_line1, line2: p.address_line2, city: p.city, state: p.state, postalCode: p.postal_code },
        phone: p.phone,
        email: p.email,
        ssnMasked: maskSsn(p.ssn_last4),
        deceasedAt: p.deceased_at,
        createdAt: p.created_at,
        aliases: names.map((n) => ({ use: n.use, familyName: n.family_name, givenName: n.given_name })),
        identifiers: ids.map((i) => ({ system: i.system, value: i.value, type: i.type })),
        encounters: encs.map((e) => ({
          accountNumber: e.account_number,
          type: e.type,
          status: e.status,
          admitAt: e.admit_at,
          dischargeAt: e.discharge_at,
        })),
      };
    };
    const [left, right] = [await side(a, sa), await side(b, sb)];
    const cmp = await comparePatients(trx, deps, a, b);
    return {
      pair: {
        id: d.id,
        score: d.score,
        status: d.status,
        source: d.source,
        detectedAt: d.detected_at,
        resolvedAt: d.resolved_at,
        resolvedBy: d.resolved_by,
        mergeId: d.merge_id,
        patients: [brief(a), brief(b)],
      },
      left,
      right,
      comparison: Object.entries(cmp.fields).map(([field, c]) => ({ field, level: c.level, weight: Math.round(c.weight * 100) / 100 })),
      currentScore: cmp.score,
      transposedNames: cmp.transposedNames,
    };
  });
}

/** Resolves an open pair as two different people; the pair is not proposed again. */
export async function markNotDuplicate(deps: MergeDeps, actor: Actor, pairId: string, note: string | null): Promise<void> {
  const d = await findPair(deps, actor, pairId);
  // Deciding that two records are different people is a judgement on both: a restricted one is opened first.
  const use = { permission: Permission.mpiMerge, mode: 'write', resourceType: 'mpi_duplicate_pair', resourceId: pairId } as const;
  const sa = await deps.records.open(actor, { patientId: d.patient_id_1 }, use);
  await deps.records.open(actor, { patientId: d.patient_id_2 }, use);
  await deps.db.transaction().execute(async (trx) => {
    const now = await repo.findPairStatus(trx, pairId);
    if (now !== PairStatus.open) throw conflict(`the pair is already resolved (${now ?? d.status})`);
    await repo.updatePair(trx, pairId, {
      status: PairStatus.notDuplicate,
      resolved_at: isoNow(deps.clock),
      resolved_by: actor.username,
      resolution_note: note?.trim() || null,
    });
    await recordAudit(trx, deps.audit, sa.actor, {
      action: AuditAction.update,
      resourceType: 'mpi_duplicate_pair',
      resourceId: pairId,
      patientId: d.patient_id_1,
      outcome: 'success',
      detail: scopeDetail(sa, { status: PairStatus.notDuplicate, otherId: d.patient_id_2 }),
    });
  });
}

/** Screens every active record against the others (after a data migration); returns the number of new pairs. */
export async function scanForDuplicates(
  deps: MergeDeps,
  actor: Actor,
  opts: { batchSize?: number } = {},
): Promise<{ scanned: number; newPairs: number }> {
  await requirePermission(deps, actor, Permission.mpiMerge, { type: 'mpi_duplicate_pair' });
  let after = '';
  let scanned = 0;
  let newPairs = 0;
  for (;;) {
    const batch = await listUnmergedPatientsAfter(deps.db, after, opts.batchSize ?? 500);
    if (batch.length === 0) break;
    await deps.db.transaction().execute(async (trx) => {
      for (const p of batch) newPairs += await screenForDuplicates(trx, deps, p, 'scan', isoNow(deps.clock));
    });
    scanned += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: 'scan',
      resourceType: 'mpi_duplicate_pair',
      outcome: 'success',
      detail: { scanned, newPairs },
    }),
  );
  return { scanned, newPairs };
}
