import type { Db } from '../../db/database.js';
import { findPatientsByIds } from '../patients/index.js';
import { comparePatients, REVIEW_THRESHOLD, type MatchDeps } from './matching.service.js';
import * as repo from './mpi.repository.js';
import { PairStatus } from './worklist.service.js';

/**
 * The live model scored against the HIM clerks' own decisions on the worklist: a merged pair is the same person,
 * a pair resolved "not a duplicate" two people. Counts only. These pairs reached the worklist because a model
 * scored them high, so they are a biased sample: they say how the model ranks the hard cases clerks saw, not
 * how many duplicates it misses elsewhere (a pair no model proposed never gets a decision).
 */

/** Most recent resolved pairs scored (the newest decisions say most about the data as it is now). */
export const EVALUATION_PAIRS = 1000;

/** One class of decisions: how many pairs, and how many the model in use scores at or above REVIEW_THRESHOLD. */
export interface DecisionClassCounts {
  pairs: number;
  atOrAboveReview: number;
}

/** The model in use against the clerks' decisions. */
export interface ClerkDecisionEvaluation {
  /** Most recent resolved pairs read, at most. */
  limit: number;
  /** The posterior from which a pair goes to the worklist. */
  reviewThreshold: number;
  /** Pairs merged: the same person. `atOrAboveReview` of them would reach the worklist again. */
  merged: DecisionClassCounts;
  /** Pairs resolved as not duplicates: different people. `atOrAboveReview` of them would be proposed again. */
  notDuplicate: DecisionClassCounts;
}

/**
 * Scores the most recent `limit` resolved worklist pairs with the live matcher (comparePatients), on the two
 * stored patient rows as they are now; a merged record keeps its row (merged_into set), so merged pairs score too.
 */
export async function evaluateAgainstDecisions(db: Db, deps: MatchDeps, limit = EVALUATION_PAIRS): Promise<ClerkDecisionEvaluation> {
  const pairs = await repo.listResolvedPairs(db, [PairStatus.merged, PairStatus.notDuplicate], limit);
  const rows = await findPatientsByIds(db, [...new Set(pairs.flatMap((p) => [p.patient_id_1, p.patient_id_2]))]);
  const out: ClerkDecisionEvaluation = {
    limit,
    reviewThreshold: REVIEW_THRESHOLD,
    merged: { pairs: 0, atOrAboveReview: 0 },
    notDuplicate: { pairs: 0, atOrAboveReview: 0 },
  };
  for (const p of pairs) {
    const a = rows.get(p.patient_id_1);
    const b = rows.get(p.patient_id_2);
    if (!a || !b) continue;
    const counts = p.status === PairStatus.merged ? out.merged : out.notDuplicate;
    counts.pairs++;
    if ((await comparePatients(db, deps, a, b)).score >= REVIEW_THRESHOLD) counts.atOrAboveReview++;
  }
  return out;
}
