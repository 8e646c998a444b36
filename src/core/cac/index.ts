/**
 * Public surface of computer-assisted coding (CAC): build the knowledge once (`loadCacKnowledge`, cached under the
 * var dir), then `suggestCodes(knowledge, text, options)` for each document.
 */
export type * from './types.js';
export { suggestCodes, matchPhrases, readDocument, type PhraseMatch, type ReadDocument } from './suggest.js';
export { buildClassificationKnowledge, CAC_FORMAT_VERSION } from './knowledge.js';
export { learnFromCorpus, learnRules, type CodedDocument } from './learn.js';
export {
  buildCacKnowledge,
  loadCacKnowledge,
  readCodiEspSplit,
  normalizeCorpusCode,
  readCacKnowledge,
  writeCacKnowledge,
  type LoadKnowledgeOptions,
} from './store.js';
export { tokenize, phraseKey, readContext } from './text.js';
