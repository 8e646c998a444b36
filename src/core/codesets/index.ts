/**
 * Public surface of the code-set library (ICD-10-CM / ICD-10-PCS encoder). Load once with `loadCodeSets()`
 * (snapshot, else raw files), then call the pure functions below with the loaded `CodeSets`.
 */
export type * from './types.js';
export { CodeSetFileError, NoReleaseForDateError } from './errors.js';
export { buildCodeSets, type ProgressFn } from './build.js';
export { importCodeSets, loadCodeSets, readSnapshot, type ImportResult } from './store.js';
export {
  prepareCodeSets,
  cmReleaseFor,
  pcsReleaseFor,
  isValidOn,
  validityPeriods,
  formatCode,
  normalizeCode,
  isIsoDate,
  type ValidityPeriod,
} from './codesets.js';
export { searchCodes, pcsTitle, type SearchHit, type SearchOptions, type SearchResponse, type CodeSystem } from './search.js';
export { getCodeDetails, seventhCharacterFor, type CodeDetails, type CodeRefInfo, type SeventhCharacterInfo } from './details.js';
export {
  validateEncounterCodes,
  FINDING_RULES,
  type Finding,
  type FindingRule,
  type EncounterCodes,
  type ValidationReport,
} from './validate.js';
export { pcsTableBuilder, pcsAxisDetails, type PcsBuilderStep, type PcsValueMeaning, type PcsAxisDetail } from './pcs-builder.js';
export { historyOfCancerCode, parseHistoryOfCancer } from './search-conventions.js';
export { cmPrefixPositions } from './codesets.js';
export { termPath, termChildren, findTerm, resolveSee, codesVia } from './index-nav.js';
export { notesFor, parseCodeRefs, type NoteBlock, type CodeRef } from './notes.js';
export { parseTabularXml } from './tabular-xml.js';
export { parseIndexXml } from './index-xml.js';
export { parseOrderFile, parseIndexCsv, parseMceMaster } from './flat-files.js';
export { parsePcsTablesXml, expandPcsCodes, composePcsTitle } from './pcs-tables.js';
export { browseIndex, type IndexBrowseResult, type IndexTermView } from './browse.js';
export { importCpt, readCpt, importNcci, importOpps, readEdits } from './store.js';
export {
  parsePtpFile,
  parseMueFile,
  parseAddendumB,
  mergeNcciFiles,
  NO_EDITS,
  type LicensedEdits,
  type PtpTable,
  type MueTable,
  type OppsTable,
  type EditSetting,
} from './edits.js';
export {
  parseHcpcsFile,
  parseCptFiles,
  hcpcsValidOn,
  cptFormatCheck,
  cptDescriptorKind,
  HCPCS_CODE_PATTERN,
  HCPCS_MODIFIER_PATTERN,
  CPT_CODE_PATTERN,
  CPT_MODIFIER_PATTERN,
} from './hcpcs.js';
export {
  hcpcsReleaseFor,
  searchOutpatient,
  outpatientCodeDetails,
  checkServiceCode,
  checkModifier,
  hcpcsModifiersOn,
  serviceCodeSystem,
  CPT_NOT_LOADED,
  PRICING_INDICATORS,
  COVERAGE_CODES,
  type OutpatientSystem,
  type OutpatientHit,
  type OutpatientSearchResponse,
  type OutpatientCodeDetails,
  type ServiceCodeCheck,
  type ModifierCheck,
} from './outpatient.js';
