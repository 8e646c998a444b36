/**
 * The FHIR API's routes (src/modules/fhir) for the restricted-record walk: each route with the permission the walk
 * checks roles against, and how it treats the restricted record. The FHIR routes live outside /api (their own
 * authentication), so they are listed here from FHIR_ROUTES rather than read from `app.apiRoutes`; the walk still
 * fails when a route is added there and not classified here.
 */
import { Permission, type PermissionRule } from '../../src/modules/access/index.js';
import { FHIR_ROUTES, MRN_SYSTEM } from '../../src/modules/fhir/index.js';
import { FAMILY, SECRET, type WalkIds } from './restricted-walk.fixture.js';

type PathOf = (ids: WalkIds) => string;
type FhirCase =
  | { kind: 'record'; path: PathOf; ok: number[]; audit: 'read' | 'change'; body?: (ids: WalkIds) => object }
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
  'GET /fhir/Patient/:id/_history': { access: Permission.patientRead, c: record((i) => `/fhir/Patient/${i.patientId}/_history`) },
  // vread of a version that is not the current one: after the record-access step, not found.
  'GET /fhir/Patient/:id/_history/:vid': {
    access: Permission.patientRead,
    c: record((i) => `/fhir/Patient/${i.patientId}/_history/0`, [404]),
  },
  'GET /fhir/Encounter/:id/_history': { access: Permission.encounterRead, c: record((i) => `/fhir/Encounter/${i.e1}/_history`) },
  'GET /fhir/Encounter/:id/_history/:vid': {
    access: Permission.encounterRead,
    c: record((i) => `/fhir/Encounter/${i.e1}/_history/0`, [404]),
  },
  'GET /fhir/Condition/:id/_history': {
    access: Permission.codingRead,
    c: record((i) => `/fhir/Condition/${i.e3}.dx1/_history`, [200, 404]),
  },
  'GET /fhir/Condition/:id/_history/:vid': {
    access: Permission.codingRead,
    c: record((i) => `/fhir/Condition/${i.e3}.dx1/_history/0`, [404]),
  },
  'GET /fhir/Procedure/:id/_history': {
    access: Permission.codingRead,
    c: record((i) => `/fhir/Procedure/${i.e3}.px1/_history`, [200, 404]),
  },
  'GET /fhir/Procedure/:id/_history/:vid': {
    access: Permission.codingRead,
    c: record((i) => `/fhir/Procedure/${i.e3}.px1/_history/0`, [404]),
  },
  'GET /fhir/DocumentReference/:id/_history': {
    access: Permission.documentRead,
    c: record((i) => `/fhir/DocumentReference/${i.documentId}/_history`),
  },
  'GET /fhir/DocumentReference/:id/_history/:vid': {
    access: Permission.documentRead,
    c: record((i) => `/fhir/DocumentReference/${i.documentId}/_history/0`, [404]),
  },
  'GET /fhir/Patient/:id/$everything': { access: Permission.patientRead, c: record((i) => `/fhir/Patient/${i.patientId}/$everything`) },
  // A new patient is no restricted record; a conditional create that matches one opens it through the access step.
  'POST /fhir/Patient': { access: Permission.patientWrite, c: none('creates a new record') },
  // The body names another MRN: with a grant the update is refused after the access step (400), so nothing changes.
  'PUT /fhir/Patient/:id': {
    access: Permission.patientWrite,
    c: {
      kind: 'record',
      path: (i) => `/fhir/Patient/${i.patientId}`,
      ok: [400],
      audit: 'change',
      body: (i) => ({
        resourceType: 'Patient',
        id: i.patientId,
        identifier: [{ system: MRN_SYSTEM, value: 'not-its-mrn' }],
        name: [{ use: 'official', family: FAMILY, given: ['Walk'] }],
      }),
    },
  },
  'POST /fhir/DocumentReference': {
    access: Permission.documentWrite,
    c: {
      kind: 'record',
      path: () => '/fhir/DocumentReference',
      ok: [201],
      audit: 'change',
      body: (i) => ({
        resourceType: 'DocumentReference',
        status: 'current',
        type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] },
        subject: { reference: `Patient/${i.patientId}` },
        content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Walk note.').toString('base64') } }],
      }),
    },
  },
  // New content of the walk's document, as its next version (refused under a legal hold: 409 after the access step).
  'POST /fhir/Binary': {
    access: Permission.documentWrite,
    c: {
      kind: 'record',
      path: () => '/fhir/Binary',
      ok: [201, 409],
      audit: 'change',
      body: (i) => ({
        resourceType: 'Binary',
        contentType: 'text/plain',
        securityContext: { reference: `DocumentReference/${i.documentId}` },
        data: Buffer.from('Walk addendum.').toString('base64'),
      }),
    },
  },
  'GET /fhir/Practitioner/:id': { access: 'public', c: none('providers: no patient data') },
  'GET /fhir/Practitioner/:id/_history': { access: 'public', c: none('providers: no patient data') },
  'GET /fhir/Practitioner/:id/_history/:vid': { access: 'public', c: none('providers: no patient data') },
  'GET /fhir/Organization/:id/_history': { access: 'public', c: none('facilities: no patient data') },
  'GET /fhir/Organization/:id/_history/:vid': { access: 'public', c: none('facilities: no patient data') },
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
