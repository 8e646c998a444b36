/** Public surface of the de-identification core (HIPAA Safe Harbor, limited data set, date shifting). */
export { PHI_CATEGORIES, type PhiCategory, type PhiSpan } from './types.js';
export { buildDeidLexicon, type DeidLexicon } from './lexicon.js';
export { deidentifyText, findPhi, mergeSpans, redact } from './text.rules.js';
export { loadNameLists } from './name-lists.js';
