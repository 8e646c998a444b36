/**
 * The FHIR API's routes (src/modules/fhir) for the restricted-record walk: each route with the permission the walk
 * checks roles against, and how it treats the restricted record. The FHIR routes live outside /api (their own
 * authentication), so they are listed here from FHIR_ROUTES rather than read from `app.apiRoutes`; the walk still
 * fails when a route is added there and not classified here.
 */
import { Permission, type PermissionRule } from '../../src/modules/access/index.js';
import { FHIR_ROUTES } from '../../src/modules/fhir/index.js';
import { FAMILY, SECRET, type WalkIds } from './restricted-walk.fixture.js';

type PathOf = (ids: WalkIds) => string;
type FhirCase =
  | { kind: 'record'; path: PathOf; ok: number[]; audit: 'read' }
  | { kind: 'list'; path: PathOf; shows?: (ids: WalkIds) => string; revealed?: string }
  | { kind: 'none'; reason: string };

const none = (reason: string): FhirCase => ({ kind: 'none', reason });
const record = (path: PathOf, ok = [200]): FhirCase => ({ kind: 'record', path, ok, audit: 'read' });

/** How each FHIR route treats the restricted record, and the permission a role needs to be walked on it. */
export const fhirCases: Record<string, { access: PermissionRule | 'public'; c: FhirCase }> = {
  'GET /fhir/metadata': { access: 'public', c: none('the CapabilityStatement') },
  'GET /fhir/.well-known/smart-configuration': { access: 'public', c: none('the SMART configuration') },
  'POST /fhir/auth/token': { access: 'public', c: none('the token endpoint (client credentials)') },
  'GET /fhir/Patient/:id': { access: Permission.patientRead, c: record((i) => `/fhir/Patient/${i.patientId}`) },
  'GET /fhir/Patient': {
    access: Permission.patientSearch,
    c: { kind: 'list', path: () => `/fhir/Patient?family=${FAMILY}`, shows: (i) => i.mrn, revealed: SECRET.dateOfBirth },
  },
  'POST /fhir/Patient/_search': {
    access: Permission.patientSearch,
    c: { kind: 'list', path: () => `/fhir/Patient/_search?family=${FAMILY}`, shows: (i) => i.mrn, revealed: SECRET.dateOfBirth },
  },
  'GET /fhir/Encounter/:id': { access: Permission.encounterRead, c: record((i) => `/fhir/Encounter/${i.e1}`) },
  'GET /fhir/Encounter': { access: Permission.encounterRead, c: record((i) => `/fhir/Encounter?patient=${i.patientId}`) },
  'POST /fhir/Encounter/_search': { access: Permission.encounterRead, c: record((i) => `/fhir/Encounter/_search?patient=${i.patientId}`) },
  // The walk's final abstracts have no codes: with a grant the read is audited and the Condition is not found.
  'GET /fhir/Condition/:id': { access: Permission.codingRead, c: record((i) => `/fhir/Condition/${i.e3}.dx1`, [200, 404]) },
  'GET /fhir/Condition': { access: Permission.codingRead, c: record((i) => `/fhir/Condition?patient=${i.patientId}`) },
  'POST /fhir/Condition/_search': { access: Permission.codingRead, c: record((i) => `/fhir/Condition/_search?encounter=${i.e3}`) },
  'GET /fhir/Procedure/:id': { access: Permission.codingRead, c: record((i) => `/fhir/Procedure/${i.e3}.px1`, [200, 404]) },
  'GET /fhir/Procedure': { access: Permission.codingRead, c: record((i) => `/fhir/Procedure?patient=${i.patientId}`) },
  'POST /fhir/Procedure/_search': { access: Permission.codingRead, c: record((i) => `/fhir/Procedure/_search?patient=${i.patientId}`) },
  'GET /fhir/DocumentReference/:id': { access: Permission.documentRead, c: record((i) => `/fhir/DocumentReference/${i.documentId}`) },
  'GET /fhir/DocumentReference': { access: Permission.documentRead, c: record((i) => `/fhir/DocumentReference?patient=${i.patientId}`) },
  'POST /fhir/DocumentReference/_search': {
    access: Permission.documentRead,
    c: record((i) => `/fhir/DocumentReference/_search?patient=${i.patientId}`),
  },
  'GET /fhir/Binary/:id': { access: Permission.documentRead, c: record((i) => `/fhir/Binary/${i.documentId}.v1`) },
  'GET /fhir/Practitioner/:id': { access: 'public', c: none('providers: no patient data') },
  'GET /fhir/Practitioner': { access: 'public', c: none('providers: no patient data') },
  'POST /fhir/Practitioner/_search': { access: 'public', c: none('providers: no patient data') },
  'GET /fhir/Organization/:id': { access: 'public', c: none('facilities: no patient data') },
  'GET /fhir/Organization': { access: 'public', c: none('facilities: no patient data') },
  'POST /fhir/Organization/_search': { access: 'public', c: none('facilities: no patient data') },
};

/** The FHIR routes as the walk lists routes: method, url and the access rule to pick the roles by. */
export const fhirWalkRoutes = FHIR_ROUTES.map((r) => ({
  method: r.method,
  url: r.url,
  access: fhirCases[`${r.method} ${r.url}`]?.access ?? 'public',
}));
