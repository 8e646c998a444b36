/** Public surface of the matching core (Fellegi–Sunter probabilistic patient matching). */
export * from './types.js';
export { createMatcher, type Matcher, type MatcherConfig, type QuickScore } from './matcher.js';
export { MatchIndex, type FindOptions, type MatchCandidate } from './match-index.js';
export {
  dedupeRecords,
  linkRecords,
  estimateModel,
  createPrng,
  type LinkageOptions,
  type LinkageResult,
  type MatchedPair,
  type ModelFit,
  type EstimateOptions,
} from './linkage.js';
export { defaultModel, parseMatchModel } from './model.js';
export {
  countTermFrequencies,
  storeTermFrequencies,
  parseStoredTermFrequencies,
  type TermFrequencies,
  type StoredTermFrequencies,
} from './term-frequency.js';
export { normalizeRecord, normalizeName, normalizePhone, normalizeSsn, normalizeStreet, parseDateOfBirth } from './normalize.js';
export { canonicalGivenName, areNicknames } from './nicknames.js';
export { jaroWinkler, withinOneEdit } from './string-metrics.js';
export { blockingKeys, BLOCKING_KEY_VERSION } from './blocking.js';
export { parseFebrlCsv, parsePersonCsv, FEBRL_COLUMNS, type RowError } from './febrl.js';
export { evaluatePairs, pairsFromClusters, febrlCluster, type LinkageQuality } from './evaluate.js';
