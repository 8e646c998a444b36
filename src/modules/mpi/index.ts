/** Master patient index: matching (match keys, candidate look-up, duplicate screen, the model), the potential-duplicate worklist, merge and unmerge. */
export {
  mergePatients,
  unmergePatients,
  mergePatientsInTx,
  unmergeInTx,
  listMerges,
  type MergeDeps,
  type MergeTxDeps,
  type MergeResult,
  type MergeView,
} from './merge.service.js';
export {
  MERGE_PARTICIPANTS,
  NOT_MOVED_BY_MERGE,
  type MergeParticipant,
  type MergeStep,
  type MergeJournalEntry,
  type EncounterMove,
} from './merge-participants.js';
export {
  createPatientMatching,
  refreshMatchKeys,
  dropMatchKeys,
  findScoredCandidates,
  comparePatients,
  screenForDuplicates,
  personOfPatient,
  matchKeysOf,
  reloadMatchModel,
  activeMatchModel,
  rebuildMatchKeys,
  ensureMatchKeysCurrent,
  currentMatchKeyVersion,
  type MatchKeyRebuild,
  REVIEW_THRESHOLD,
  CANDIDATE_THRESHOLD,
  type MatchDeps,
  type ScoredPatient,
} from './matching.service.js';
export {
  listDuplicatePairs,
  getDuplicatePair,
  markNotDuplicate,
  scanForDuplicates,
  PairStatus,
  type DuplicatePairView,
  type DuplicatePairDetail,
} from './worklist.service.js';
export {
  fitMpiModel,
  getMpiModel,
  listMpiModels,
  resetMpiModel,
  activateMpiModel,
  MODEL_VIEW_ACCESS,
  type FitOutcome,
  type FitOptions,
  type MpiModelView,
  type ModelLevelView,
  type MpiModelFitView,
  type ModelChangeOutcome,
} from './model.service.js';
export { evaluateAgainstDecisions, EVALUATION_PAIRS, type ClerkDecisionEvaluation, type DecisionClassCounts } from './model-evaluation.js';
export { mpiRoutes } from './mpi.routes.js';
