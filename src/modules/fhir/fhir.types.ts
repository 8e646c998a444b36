/** The FHIR R4 resource types this module answers with (types only: @medplum/fhirtypes, erased at build). */
export type {
  Bundle,
  Binary,
  CapabilityStatement,
  Condition,
  DocumentReference,
  Encounter,
  OperationOutcome,
  Organization,
  Patient,
  Practitioner,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
