/** The FHIR R4 API (issue 21): read, vread, history and search of Patient, Encounter, Condition, Procedure, DocumentReference, Binary, Practitioner, Organization; Patient, DocumentReference and Binary writes; $everything. */
export { fhirRoutes, FHIR_ROUTES, type FhirRoutesDeps } from './fhir.routes.js';
export { readResource, searchResources, resourceTypes, type FhirDeps, type FhirCaller, type ResourceType } from './fhir.service.js';
export {
  createClient,
  listClients,
  issueToken,
  resolveToken,
  parseJwks,
  NewClientSchema,
  TOKEN_SECONDS,
  type NewClient,
  type TokenAnswer,
} from './fhir-clients.service.js';
export { capabilityStatement, smartConfiguration } from './fhir.capability.js';
export {
  parseScope,
  parseScopes,
  scopeCovers,
  grantScopes,
  scopeFor,
  parseDateSearch,
  dateBounds,
  parseTokenSearch,
  operationOutcome,
  FHIR_JSON,
  FHIR_VERSION,
  MRN_SYSTEM,
  POA_EXTENSION,
  ICD10CM_SYSTEM,
  ICD10PCS_SYSTEM,
  type ApiGrant,
  type ResourceScope,
} from './fhir.rules.js';
/** DocumentReference and Binary of a document (release of information's FHIR copy reuses them). */
export { toDocumentReference, toBinary, binaryId } from './document-reference.map.js';
