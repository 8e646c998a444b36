/**
 * MS-DRG grouper (CMS v43.0 / v43.1 and later versions as new data folders): the module's public surface.
 */
export { loadGrouper, discoverGrouperVersions, type Grouper } from './load-grouper.js';
export { openGrouperSet, versionEffectiveDate, versionForDate, type GrouperSet } from './grouper-set.js';
export { groupClaim, explainClaim } from './group-claim.js';
export { whatIf, type WhatIfResult, type WhatIfCandidates, type WhatIfScenario } from './what-if.js';
export {
  runGrouperBatch,
  runGrouperBatchParallel,
  groupLine,
  loadClaimSchema,
  type GrouperBatchOptions,
  type ParallelBatchOptions,
  type GrouperBatchSummary,
} from './batch.js';
export * from './types.js';
