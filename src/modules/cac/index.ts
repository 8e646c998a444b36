/** Computer-assisted coding in the workspace (issue 25): suggestions with evidence, decisions, the acceptance report. */
export {
  suggestForEncounter,
  decideSuggestion,
  acceptSuggestion,
  rejectSuggestion,
  cacAcceptanceReport,
  type CacDeps,
  type CacKnowledgeProvider,
  type SuggestionView,
  type SuggestionsResult,
  type DecisionResult,
  type CacReport,
} from './cac.service.js';
export { settingOf, acceptanceReport, addAcceptedCode, type EvidenceLink, type DecisionInput } from './cac.rules.js';
/** MPI merges (src/modules/mpi): decisions follow their encounter to the survivor. */
export { cacMergeParticipant } from './cac-merge.js';
export { cacRoutes } from './cac.routes.js';
