export * from './patients.service.js';
export * from './encounters.service.js';
export {
  NewPatientSchema, NewEncounterSchema, PatientUpdateSchema, EncounterUpdateSchema, EncounterSearchSchema, MatchQuerySchema, AliasSchema, EncounterStatus,
  type NewPatient, type NewEncounter, type PatientUpdate, type EncounterUpdate, type EncounterSearch, type MatchQuery,
} from './patients.schemas.js';
export { formatMrn, isValidMrn, luhnCheckDigit, parsePatientQuery, maskSsn, ssnLast4 } from './patients.rules.js';
export { insertPatient, updatePatientInTx, replaceLists, type PatientWriteDeps } from './patient-write.js';
export {
  refreshMatchKeys, dropMatchKeys, findScoredCandidates, comparePatients, screenForDuplicates, personOfPatient, matchKeysOf, reloadMatchModel, activeMatchModel,
  rebuildMatchKeys, ensureMatchKeysCurrent, currentMatchKeyVersion, type MatchKeyRebuild,
  REVIEW_THRESHOLD, CANDIDATE_THRESHOLD, type MatchDeps, type ScoredPatient,
} from './patient-matching.js';
export { findPatientById, findPatientByMrn, hasActiveBreakGlass } from './patients.repository.js';
