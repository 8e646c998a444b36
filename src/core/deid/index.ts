/** Public surface of the de-identification core (HIPAA Safe Harbor, limited data set, date shifting). */
export { PHI_CATEGORIES, type PhiCategory, type PhiSpan } from './types.js';
export { buildDeidLexicon, type DeidLexicon } from './lexicon.js';
export { deidentifyText, findPhi, mergeSpans, redact } from './text.rules.js';
export { loadNameLists } from './name-lists.js';
export {
  DeidMethod,
  RESTRICTED_ZIP3,
  ageAt,
  dateShiftDays,
  deidentifyRecord,
  safeHarborAge,
  safeHarborZip,
  shiftDate,
  yearOf,
  type DeidRecord,
  type FieldKind,
  type RecordDeidOptions,
} from './records.rules.js';
export { deidentifyLine, runDeidBatch, type DeidBatchSummary } from './batch.js';
