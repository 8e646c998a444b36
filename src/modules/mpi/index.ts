/** Master patient index: potential-duplicate worklist, merge and unmerge. */
export { mergePatients, unmergePatients, mergePatientsInTx, unmergeInTx, listMerges, MOVABLE_TABLES, type MergeDeps, type MergeTxDeps, type MergeResult, type MergeView } from './merge.service.js';
export { listDuplicatePairs, getDuplicatePair, markNotDuplicate, scanForDuplicates, PairStatus, type DuplicatePairView, type DuplicatePairDetail } from './worklist.service.js';
export {
  fitMpiModel, getMpiModel, listMpiModels, resetMpiModel, activateMpiModel, MODEL_VIEW_ACCESS,
  type FitOutcome, type FitOptions, type MpiModelView, type ModelLevelView, type MpiModelFitView, type ModelChangeOutcome,
} from './model.service.js';
export { evaluateAgainstDecisions, EVALUATION_PAIRS, type ClerkDecisionEvaluation, type DecisionClassCounts } from './model-evaluation.js';
export { mpiRoutes } from './mpi.routes.js';
