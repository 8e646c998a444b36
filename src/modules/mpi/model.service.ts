import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { defaultModel, estimateModel, FIELDS, FIELD_LEVELS, normalizeRecord, type MatchModel, type NormalizedRecord } from '../../core/matching/index.js';
import type { MpiModelTable } from '../../db/schema.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { activeMatchModel, CANDIDATE_THRESHOLD, personOfPatient, reloadMatchModel, REVIEW_THRESHOLD } from '../patients/index.js';
import type { MergeDeps } from './merge.service.js';

/**
 * The live MPI's Fellegi–Sunter model fitted to the stored patients (m by EM on blocked candidate pairs, u on
 * random pairs, prior from the EM match rate: src/core/matching `estimateModel`), stored in mpi_models and
 * used by registration lookups, ADT screening and the worklist from then on.
 */

/** One level of one field: m, u and the match weight log2(m/u) it adds when a comparison lands there. */
export interface ModelLevelView {
  level: string;
  m: number;
  u: number;
  weight: number;
}

/** The model the live matcher uses, for display: who fitted it from how much data, and its weights. */
export interface MpiModelView {
  /** 'fitted' from the stored patients, or the built-in 'default' when none is stored. */
  source: 'fitted' | 'default';
  id: string | null;
  fittedAt: string | null;
  fittedBy: string | null;
  patients: number | null;
  candidatePairs: number | null;
  randomPairs: number | null;
  estimatedMatches: number | null;
  iterations: number | null;
  /** Prior probability that two records are the same person. */
  prior: number;
  /** Total weight a pair needs, under this prior, to reach the worklist (review) and registration (candidate) thresholds. */
  thresholdWeights: { review: number; candidate: number };
  fields: { field: string; levels: ModelLevelView[] }[];
}

export interface FitOutcome {
  /** False when the data were too few and the live model did not change. */
  fitted: boolean;
  /** Why nothing was fitted (counts only); null when fitted. */
  reason: string | null;
  patients: number;
  candidatePairs: number;
  randomPairs: number;
  iterations: number;
  /** The model live after the fit. */
  model: MpiModelView;
}

export interface FitOptions {
  /** Patients read per query (default 1,000). */
  pageSize?: number;
  /** Fewest unmerged patients to fit at all (default 100). */
  minPatients?: number;
  /** Fewest likely duplicate pairs to trust m (default 10). */
  minMatches?: number;
}

const round = (v: number, digits = 4) => Number(v.toPrecision(digits));

function viewOf(model: MatchModel, row: MpiModelTable | null): MpiModelView {
  const p = Math.min(Math.max(model.prior, 1e-15), 1 - 1e-9);
  const priorWeight = Math.log2(p / (1 - p));
  const needed = (t: number) => round(Math.log2(t / (1 - t)) - priorWeight, 3);
  return {
    source: row ? 'fitted' : 'default',
    id: row?.id ?? null,
    fittedAt: row?.fitted_at ?? null,
    fittedBy: row?.fitted_by ?? null,
    patients: row?.patient_count ?? null,
    candidatePairs: row?.candidate_pairs ?? null,
    randomPairs: row?.random_pairs ?? null,
    estimatedMatches: row ? round(row.estimated_matches) : null,
    iterations: row?.iterations ?? null,
    prior: model.prior,
    thresholdWeights: { review: needed(REVIEW_THRESHOLD), candidate: needed(CANDIDATE_THRESHOLD) },
    fields: FIELDS.map((f) => ({
      field: f,
      levels: FIELD_LEVELS[f].map((level, k) => {
        const m = model.fields[f].m[k] ?? 0;
        const u = model.fields[f].u[k] ?? 1;
        return { level, m: round(m), u: round(u), weight: round(Math.log2(Math.max(m, 1e-12) / Math.max(u, 1e-12)), 3) };
      }),
    })),
  };
}

/** The unmerged patients as normalised match records, read page by page (SSN decrypted in memory only). */
async function readPopulation(deps: MergeDeps, pageSize: number): Promise<NormalizedRecord[]> {
  const out: NormalizedRecord[] = [];
  let after = '';
  for (;;) {
    const page = await deps.db.selectFrom('patients').selectAll().where('merged_into', 'is', null).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    for (const p of page) out.push(normalizeRecord(personOfPatient(deps, p)));
    if (page.length < pageSize) return out;
    after = page[page.length - 1]!.id;
  }
}

/**
 * Fits the matching model to the stored, unmerged patients (legal names; aliases would pose as duplicates),
 * stores it as the active model and makes it the live matcher of this database. With too few patients or
 * likely duplicates nothing is stored and the live model stays. Audited with counts only.
 */
export async function fitMpiModel(deps: MergeDeps, actor: Actor, opts: FitOptions = {}): Promise<FitOutcome> {
  await requirePermission(deps, actor, Permission.interfaceAdmin, { type: 'mpi_model' });
  const population = await readPopulation(deps, opts.pageSize ?? 1000);
  const fit = estimateModel(population, { minRecords: opts.minPatients ?? 100, minMatches: opts.minMatches ?? 10 });
  population.length = 0;
  const counts = { patients: fit.records, candidatePairs: fit.candidatePairs, randomPairs: fit.randomPairs, iterations: fit.iterations };
  const id = fit.defaultReason === null ? newId() : null;
  await deps.db.transaction().execute(async (trx) => {
    if (id) {
      await trx.updateTable('mpi_models').set({ active: 0 }).where('active', '=', 1).execute();
      await trx
        .insertInto('mpi_models')
        .values({
          id, fitted_at: isoNow(deps.clock), fitted_by: actor.username, patient_count: fit.records, candidate_pairs: fit.candidatePairs, random_pairs: fit.randomPairs,
          estimated_matches: fit.estimatedMatches, iterations: fit.iterations, model: JSON.stringify(fit.model), active: 1,
        })
        .execute();
    }
    await recordAudit(trx, deps.clock, actor, {
      action: 'fit', resourceType: 'mpi_model', resourceId: id, outcome: 'success',
      detail: { ...counts, estimatedMatches: Math.round(fit.estimatedMatches), fitted: id !== null, ...(fit.defaultReason ? { reason: fit.defaultReason } : {}) },
    });
  });
  await reloadMatchModel(deps.db);
  const active = await activeMatchModel(deps.db);
  return { fitted: id !== null, reason: fit.defaultReason, ...counts, model: viewOf(active?.model ?? defaultModel(), active?.row ?? null) };
}

/** The model the live matcher uses (fitted or default) with its weights per field and level. */
export async function getMpiModel(deps: MergeDeps, actor: Actor): Promise<MpiModelView> {
  await requirePermission(deps, actor, Permission.mpiMerge, { type: 'mpi_model' });
  const active = await activeMatchModel(deps.db);
  return viewOf(active?.model ?? defaultModel(), active?.row ?? null);
}
