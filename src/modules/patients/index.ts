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
export { findPatientById, findPatientByMrn } from './patients.repository.js';
/** Readers of one opened record (they take the RecordScope the record-access step returned). */
export { readPatient as readPatientRecord, readPatientLists, listEncountersOfPatient as listEncountersOfRecord } from './patients.repository.js';
export { setRestrictionInTx, changeIdentifierInTx, addIdentifiersAndAliasesInTx } from './patient-write.js';
import { findRecordFacts, restrictedAmong } from './patients.repository.js';
import type { RecordDirectory } from '../access/index.js';
/** The patients module's side of the record-access step (ids and flags of a patient or an encounter). */
export const patientRecordDirectory: RecordDirectory = { findRecord: findRecordFacts, restrictedAmong };
export type { BreakGlassEntry } from '../access/index.js';
export { patientRoutes } from './patients.routes.js';
