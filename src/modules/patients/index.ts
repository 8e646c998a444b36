export * from './patients.service.js';
export * from './encounters.service.js';
export {
  NewPatientSchema,
  NewEncounterSchema,
  PatientUpdateSchema,
  EncounterUpdateSchema,
  EncounterSearchSchema,
  MatchQuerySchema,
  AliasSchema,
  EncounterStatus,
  type NewPatient,
  type NewEncounter,
  type PatientUpdate,
  type EncounterUpdate,
  type EncounterSearch,
  type MatchQuery,
} from './patients.schemas.js';
export { formatMrn, isValidMrn, luhnCheckDigit, parsePatientQuery, maskSsn, ssnLast4 } from './patients.rules.js';
export { insertPatient, updatePatientInTx, type PatientWriteDeps, type PatientMatching, type MatchCandidate } from './patient-write.js';
export { findPatientById, findPatientByMrn, findPatientsByIds, listOtherNames, listUnmergedPatientsAfter } from './patients.repository.js';
export { listFacilityIds, insertFacility, findProviderId, insertProvider } from './facilities.repository.js';
export { findPatientByMrnWithVisit, findPatientByIdentifierWithVisit, type PatientWithVisit } from './patient-adt.repository.js';
export { findEncounter, findEncounterByAccount, listDischargedEncounters } from './encounters.repository.js';
/** Readers of one opened record (they take the RecordScope the record-access step returned). */
export {
  readPatient as readPatientRecord,
  readPatientLists,
  listEncountersOfPatient as listEncountersOfRecord,
} from './patients.repository.js';
export { setRestrictionInTx, changeIdentifierInTx, addIdentifiersAndAliasesInTx } from './patient-write.js';
/** MPI merges (src/modules/mpi): the rows of patients' tables move through this module. */
export { patientsMergeParticipant, type MergeJournalRow } from './patient-merge.js';
export { setMergeState } from './patient-merge.repository.js';
import { findRecordFacts, restrictedAmong } from './patients.repository.js';
import type { RecordDirectory } from '../access/index.js';
/** The patients module's side of the record-access step (ids and flags of a patient or an encounter). */
export const patientRecordDirectory: RecordDirectory = { findRecord: findRecordFacts, restrictedAmong };
export type { BreakGlassEntry } from '../access/index.js';
export { patientRoutes } from './patients.routes.js';
