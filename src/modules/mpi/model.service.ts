import { conflict, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import {
  defaultModel,
  countTermFrequencies,
  estimateModel,
  storeTermFrequencies,
  FIELDS,
  FIELD_LEVELS,
  normalizeRecord,
  parseMatchModel,
  type MatchModel,
  type NormalizedRecord,
} from '../../core/matching/index.js';
import type { MpiModelTable } from '../../db/schema.js';
import { anyOf, Permission, requirePermission, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { listUnmergedPatientsAfter } from '../patients/index.js';
import {
  activeMatchModel,
  CANDIDATE_THRESHOLD,
  personOfPatient,
  reloadMatchModel,
  REVIEW_THRESHOLD,
  termKeyOf,
} from './matching.service.js';
import type { MergeDeps } from './merge.service.js';
import * as repo from './mpi.repository.js';
import { evaluateAgainstDecisions, type ClerkDecisionEvaluation } from './model-evaluation.js';

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
  /** The model in use against the pairs HIM clerks resolved (counts only; a biased sample, see model-evaluation.ts). */
  evaluation: ClerkDecisionEvaluation;
}

/** Who may view the model and its fits: the clerks who resolve duplicates, and the administrator who fits it. */
export const MODEL_VIEW_ACCESS = anyOf(Permission.mpiMerge, Permission.interfaceAdmin);

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

function viewOf(model: MatchModel, row: MpiModelTable | null): Omit<MpiModelView, 'evaluation'> {
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
    const page = await listUnmergedPatientsAfter(deps.db, after, pageSize);
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
  const termFrequencies = storeTermFrequencies(countTermFrequencies(population), termKeyOf(deps));
  population.length = 0;
  const counts = { patients: fit.records, candidatePairs: fit.candidatePairs, randomPairs: fit.randomPairs, iterations: fit.iterations };
  const id = fit.defaultReason === null ? newId() : null;
  await changeModel(deps, async (trx) => {
    if (id) {
      await repo.deactivateModels(trx);
      await repo.insertModel(trx, {
        id,
        fitted_at: isoNow(deps.clock),
        fitted_by: actor.username,
        patient_count: fit.records,
        candidate_pairs: fit.candidatePairs,
        random_pairs: fit.randomPairs,
        estimated_matches: fit.estimatedMatches,
        iterations: fit.iterations,
        model: JSON.stringify({ ...fit.model, termFrequencies }),
        active: 1,
      });
    }
    await recordAudit(trx, deps.audit, actor, {
      action: 'fit',
      resourceType: 'mpi_model',
      resourceId: id,
      outcome: 'success',
      detail: {
        ...counts,
        estimatedMatches: Math.round(fit.estimatedMatches),
        fitted: id !== null,
        ...(fit.defaultReason ? { reason: fit.defaultReason } : {}),
      },
    });
  });
  return { fitted: id !== null, reason: fit.defaultReason, ...counts, model: await modelInUse(deps) };
}

/**
 * The model in use now, with its evaluation. Reloads this process's live matcher first, so that the evaluation
 * (comparePatients) scores with the model shown even when another process changed it within the refresh period.
 */
async function modelInUse(deps: MergeDeps): Promise<MpiModelView> {
  await reloadMatchModel(deps.db, deps);
  const active = await activeMatchModel(deps.db);
  const evaluation = await evaluateAgainstDecisions(deps.db, deps);
  return { ...viewOf(active?.model ?? defaultModel(), active?.row ?? null), evaluation };
}

/** The model the live matcher uses (fitted or default) with its weights per field and level. */
export async function getMpiModel(deps: MergeDeps, actor: Actor): Promise<MpiModelView> {
  await requirePermission(deps, actor, MODEL_VIEW_ACCESS, { type: 'mpi_model' });
  return modelInUse(deps);
}

/** One stored fit, for the history: when, by whom, from how much data; counts only, no patient. */
export interface MpiModelFitView {
  id: string;
  fittedAt: string;
  fittedBy: string;
  patients: number;
  candidatePairs: number;
  randomPairs: number;
  estimatedMatches: number;
  iterations: number;
  /** The fit's prior; null when this version cannot read the fit (other fields or levels). */
  prior: number | null;
  /** The fit the live matcher uses now. */
  active: boolean;
}

/** What a change of the live model did: which fit was in use before (null: the default) and the model now in use. */
export interface ModelChangeOutcome {
  previousId: string | null;
  model: MpiModelView;
}

/** The stored fits, newest first (at most `limit`, default 100). */
export async function listMpiModels(deps: MergeDeps, actor: Actor, opts: { limit?: number } = {}): Promise<MpiModelFitView[]> {
  await requirePermission(deps, actor, MODEL_VIEW_ACCESS, { type: 'mpi_model' });
  const rows = await repo.listModels(deps.db, opts.limit ?? 100);
  const inUse = (await activeMatchModel(deps.db))?.row.id ?? null;
  return rows.map((r) => ({
    id: r.id,
    fittedAt: r.fitted_at,
    fittedBy: r.fitted_by,
    patients: r.patient_count,
    candidatePairs: r.candidate_pairs,
    randomPairs: r.random_pairs,
    estimatedMatches: round(r.estimated_matches),
    iterations: r.iterations,
    prior: parseMatchModel(r.model)?.prior ?? null,
    active: r.id === inUse,
  }));
}

/** The fit in use (the latest active row), read in the transaction. */
/**
 * Runs a change of the model in use in one transaction. At most one fit is active (unique index
 * mpi_models_one_active): when another administrator's change commits first, this one is refused with a 409.
 */
async function changeModel<T>(deps: MergeDeps, work: (trx: MergeDeps['db']) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction().execute(work);
  } catch (e) {
    const m = e instanceof Error ? e.message : '';
    if (m.includes('mpi_models_one_active') || m.includes('mpi_models.active'))
      throw conflict('another administrator changed the model in use at the same time; look at it again and retry');
    throw e;
  }
}

const activeFitId = (trx: MergeDeps['db']) => repo.findActiveModelId(trx);

/**
 * Goes back to the built-in default model: no fit stays active, and the live matcher of this database changes
 * at once (another process within 60 s). The fits stay, for `activateMpiModel`. Audited (action `reset`, ids only).
 */
export async function resetMpiModel(deps: MergeDeps, actor: Actor): Promise<ModelChangeOutcome> {
  await requirePermission(deps, actor, Permission.interfaceAdmin, { type: 'mpi_model' });
  const previousId = await changeModel(deps, async (trx) => {
    const current = await activeFitId(trx);
    if (current === null) throw conflict('the default model is already in use');
    const deactivated = await repo.deactivateModels(trx);
    await recordAudit(trx, deps.audit, actor, {
      action: 'reset',
      resourceType: 'mpi_model',
      resourceId: current,
      outcome: 'success',
      detail: { previousId: current, deactivated },
    });
    return current;
  });
  return { previousId, model: await modelInUse(deps) };
}

/**
 * Makes an earlier fit the model in use (the others inactive), e.g. after a fit on bad data. 404 for an unknown
 * fit, 409 when it is in use already or this version cannot read it. Audited (action `activate`, ids only).
 */
export async function activateMpiModel(deps: MergeDeps, actor: Actor, id: string): Promise<ModelChangeOutcome> {
  await requirePermission(deps, actor, Permission.interfaceAdmin, { type: 'mpi_model', id });
  const previousId = await changeModel(deps, async (trx) => {
    const row = await repo.findModel(trx, id);
    if (!row) throw notFound('fitted model');
    if (!parseMatchModel(row.model)) throw conflict('this fit was made for other fields or levels; this version cannot use it');
    const current = await activeFitId(trx);
    if (current === id) throw conflict('this fit is already the model in use');
    await repo.deactivateModels(trx);
    await repo.activateModel(trx, id);
    await recordAudit(trx, deps.audit, actor, {
      action: 'activate',
      resourceType: 'mpi_model',
      resourceId: id,
      outcome: 'success',
      detail: { previousId: current, patients: row.patient_count },
    });
    return current;
  });
  return { previousId, model: await modelInUse(deps) };
}
