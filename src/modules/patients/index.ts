export * from './patients.service.js';
export { NewPatientSchema, NewEncounterSchema, type NewPatient, type NewEncounter } from './patients.schemas.js';
export { formatMrn, isValidMrn, luhnCheckDigit, parsePatientQuery } from './patients.rules.js';
