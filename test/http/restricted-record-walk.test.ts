import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import type { RouteAccess } from '../../src/http/context.js';
import type { AppDeps } from '../../src/app/deps.js';
import { roleMeets, roles, type PermissionRule, type Role } from '../../src/modules/access/index.js';
import { queryAuditEvents } from '../../src/modules/audit/index.js';
import { createCodesService } from '../../src/modules/codes/index.js';
import { emptyAbstract } from '../../src/modules/coding/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';
import {
  buildRestrictedRecord,
  FAMILY,
  makeLookalike,
  makeMerge,
  multipleChoiceQuery,
  SECRET,
  type WalkIds,
} from './restricted-walk.fixture.js';
import { makeChartRequest } from './restricted-walk.charts-fixture.js';
import { makeQaPages } from './restricted-walk.scanning-fixture.js';
import {
  makeWalkDocument,
  makeWalkHold,
  makeWalkTiffDocument,
  MULTIPART_BOUNDARY,
  multipartBody,
} from './restricted-walk.documents-fixture.js';
import { makeDeficiency } from './restricted-walk.completion-fixture.js';
import { TEST_PASSWORD } from '../support/sessions.js';
import { fhirCases, fhirWalkRoutes } from './restricted-walk.fhir-fixture.js';
import { makeAcceptedAmendment, makeAmendment, makeBatch, makeDeniedAmendment, makeOldDocument } from './restricted-walk.life-fixture.js';
import { makeRoiRequest, roiDeliveryCases, WALK_AUTHORIZATION } from './restricted-walk.roi-fixture.js';
import { CAC_WALK_CODE, ensureCacWalkNote, walkCacKnowledge } from './restricted-walk.cac-fixture.js';
import { makeAppointment, nextBooking, nextStart, schedulingSetup } from './restricted-walk.scheduling-fixture.js';
import { makeWalkDictation, silentWav } from './restricted-walk.transcription-fixture.js';
import { makeWalkClaim, makeWalkUnmatched, walk277, walkDenial835 } from './restricted-walk.claims-fixture.js';
import { emptyOutpatient, ensureOutpatientWalkVisits } from './restricted-walk.outpatient-fixture.js';

/**
 * The restricted-record walk: every API route, as every role, on a restricted (VIP) record, without and with
 * break-the-glass, checking the answer and the audit trail. The routes are read from the running app and each must
 * be classified below (a new route fails this test until it says how it treats a restricted record). HIPAA
 * 164.312(a)(1), (a)(2)(ii), (b).
 */

type Body = (ids: WalkIds, deps: AppDeps, role: Role) => unknown;
type PathOf = (ids: WalkIds, deps: AppDeps, role: Role) => string | Promise<string>;

/** A route that opens one record: without a grant 403 break_glass_required (audited); with one, through (audited). */
interface RecordCase {
  kind: 'record';
  path: PathOf;
  body?: Body;
  /** Answers expected with a grant (a domain refusal after the access step, e.g. 412 "nothing to final-code", counts too). */
  ok: number[];
  /** The audit event a 2xx answer leaves, carrying the grant: the read, or the change. */
  audit: 'read' | 'change' | 'none';
  /** The body's content type when it is not JSON (a multipart upload). */
  contentType?: string;
}

/** A list across patients: the restricted record shows its existence (when `shows`) and none of SECRET without a grant. */
interface ListCase {
  kind: 'list';
  path: PathOf;
  body?: Body;
  /** What the answer must contain without a grant (the record's existence), if anything. */
  shows?: (ids: WalkIds) => string;
  /** A secret the answer shows once the glass is broken. */
  revealed?: string;
}

/** A route with no patient data, or one that is open to a restricted record by design; the reason says which. */
interface NoneCase {
  kind: 'none';
  reason: string;
}

type Case = RecordCase | ListCase | NoneCase;

const empty = { data: emptyAbstract('01') };
/** Each auditing role works on its own audit (another's is not found). */
const auditOf = (i: WalkIds, role: Role) => (role === 'him_director' ? i.directorAuditId : i.auditId);
const none = (reason: string): NoneCase => ({ kind: 'none', reason });
const aggregate = none('totals and rates only, no individual patient');

/** The queued walk CLPs, newest last (a case's body is made before its path). */
const walkUnmatched: string[] = [];

const cases: Record<string, Case> = {
  'POST /api/auth/login': none('sign-in'),
  'POST /api/auth/logout': none('sign-out'),
  'GET /api/auth/session': none('the signed-in user'),
  'POST /api/auth/mfa/setup': none('the signed-in user'),
  'POST /api/auth/mfa/enable': none('the signed-in user'),
  'POST /api/auth/password': none('the signed-in user'),
  'GET /api/users': none('users'),
  'GET /api/users/directory': none('users, no patient data'),
  'POST /api/users': none('users'),
  'POST /api/users/:id/disable': none('users'),
  'POST /api/users/:id/enable': none('users'),
  'POST /api/users/:id/reset-mfa': none('users'),
  'POST /api/users/:id/unlock': none('users'),
  'POST /api/users/:id/email': none('users'),
  'POST /api/patients': none('registers a new record (the match candidates it is checked against are walked below)'),
  'GET /api/openapi.json': none('the API description'),
  'GET /api/facilities': none('facilities'),
  'GET /api/audit/events': none('the privacy officer reviews who used a restricted record: ids and actions, no clinical content'),
  'GET /api/audit/events.csv': none('as the audit log'),
  'POST /api/audit/verify': none('chain verification'),
  'GET /api/audit/break-glass': none('the review of break-the-glass grants (MRN, user, reason)'),
  'POST /api/audit/break-glass/:id/review': none('the review of break-the-glass grants'),
  'POST /api/patients/:id/break-glass': none('the way a user opens a restricted record (its grant and audit are checked below)'),
  'GET /api/coding/encounters/:id/access': none('ids and flags only, to offer break-the-glass before trying'),
  'GET /api/codes/search': none('code sets'),
  'GET /api/codes/releases': none('code sets'),
  'GET /api/codes/:system/:code': none('code sets'),
  'POST /api/codes/validate': none('code sets'),
  'GET /api/codes/pcs/builder': none('code sets'),
  'GET /api/codes/index': none('code sets'),
  'GET /api/codes/modifiers': none('code sets'),
  'POST /api/outpatient/check': none('codes, units and dates only'),
  'POST /api/grouper/group': none('the claim comes from the caller'),
  'POST /api/grouper/batch': none('the claims come from the caller'),
  'POST /api/mce/edit': none('the claim comes from the caller'),
  'POST /api/grouper/what-if': none('the claim comes from the caller'),
  'GET /api/grouper/versions': none('grouper versions'),
  'GET /api/coding/coders': none('coders'),
  'GET /api/reports/coding/dnfb': aggregate,
  'GET /api/reports/coding/productivity': aggregate,
  'GET /api/reports/coding/quality': aggregate,
  'GET /api/reports/queries': aggregate,
  'GET /api/reports/queries/aging': aggregate,
  'POST /api/queries/check': none('the draft comes from the caller'),
  'POST /api/queries/escalate': none('the aging job: counts only'),
  'POST /api/notifications/:id/read': none("the user's own notification"),
  'POST /api/mpi/scan': none('the duplicate scan: counts only'),
  'GET /api/mpi/model': none('matcher weights and evaluation counts'),
  'GET /api/mpi/models': none('matcher fits'),
  'POST /api/mpi/model/reset': none('matcher model'),
  'POST /api/mpi/models/:id/activate': none('matcher model'),
  'POST /api/mpi/model/fit': none('matcher model (fitted over all records, weights only)'),
  'POST /api/interfaces/hl7/messages': none(
    'the interface feed: the sending system keeps restricted records too (applied as the system, audited)',
  ),
  'POST /api/interfaces/hl7/messages/:id/reprocess': none('the interface feed, on behalf of the administrator (audited)'),

  // Patients and encounters.
  'GET /api/patients/:id': { kind: 'record', path: (i) => `/api/patients/${i.patientId}`, ok: [200], audit: 'read' },
  'PATCH /api/patients/:id': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}`,
    body: () => ({ phone: '555-0100' }),
    ok: [200],
    audit: 'change',
  },
  'GET /api/patients/:id/encounters': { kind: 'record', path: (i) => `/api/patients/${i.patientId}/encounters`, ok: [200], audit: 'read' },
  'POST /api/patients/:id/encounters': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}/encounters`,
    body: (_i, _d, role) => ({ accountNumber: `R-new-${role}`, type: 'outpatient', admitAt: '2026-03-01T10:00:00Z' }),
    ok: [201],
    audit: 'change',
  },
  'PATCH /api/patients/:id/encounters/:encounterId': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}/encounters/${i.e2}`,
    body: (_i, _d, role) => ({ reasonForVisit: `Follow-up (${role})` }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/patients/:id/encounters/:encounterId/cancel': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}/encounters/${i.e2}/cancel`,
    body: () => ({ reason: 'registered in error' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/patients/:id/restriction': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}/restriction`,
    body: () => ({ restricted: true, reason: 'VIP (reviewed)' }),
    ok: [204],
    audit: 'change',
  },
  'POST /api/patients/search': {
    kind: 'list',
    path: () => '/api/patients/search',
    body: () => ({ q: FAMILY }),
    shows: (i) => i.mrn,
    revealed: SECRET.dateOfBirth,
  },
  'POST /api/patients/match-candidates': {
    kind: 'list',
    path: () => '/api/patients/match-candidates',
    body: () => ({ familyName: FAMILY, givenName: 'Quill', dateOfBirth: SECRET.dateOfBirth, sex: 'M' }),
    shows: (i) => i.mrn,
  },
  'POST /api/encounters/search': {
    kind: 'list',
    path: () => '/api/encounters/search',
    body: () => ({ accountNumber: 'R-1' }),
    shows: () => 'R-1',
    revealed: SECRET.payer,
  },

  // Coding.
  'GET /api/coding/worklist': { kind: 'list', path: () => '/api/coding/worklist', shows: (i) => i.mrn, revealed: SECRET.payer },
  'POST /api/coding/worklist/search': {
    kind: 'list',
    path: () => '/api/coding/worklist/search',
    body: () => ({}),
    shows: (i) => i.mrn,
    revealed: SECRET.payer,
  },
  'POST /api/coding/worklist/claim-next': { kind: 'list', path: () => '/api/coding/worklist/claim-next', body: () => ({}) },
  'POST /api/coding/encounters/:id/assign': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e1}/assign`,
    body: () => ({ userId: null }),
    ok: [200],
    audit: 'change',
  },
  'GET /api/coding/encounters/:id': { kind: 'record', path: (i) => `/api/coding/encounters/${i.e1}`, ok: [200], audit: 'read' },
  'POST /api/coding/encounters/:id/feedback': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e1}/feedback`,
    body: () => empty,
    ok: [200],
    audit: 'read',
  },
  'PUT /api/coding/encounters/:id/draft': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e1}/draft`,
    body: () => empty,
    ok: [200],
    audit: 'change',
  },
  // Nothing to final-code (no principal diagnosis): refused after the record opened.
  'POST /api/coding/encounters/:id/final': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e1}/final`,
    body: () => empty,
    ok: [412],
    audit: 'none',
  },
  'POST /api/coding/encounters/:id/reopen': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e4}/reopen`,
    body: () => ({ reason: 'Reopened during the access walk' }),
    ok: [200],
    audit: 'change',
  },
  // Computer-assisted coding (src/modules/cac): suggestions read the stay's documents, decisions change the abstract
  // or record a rejection; both open the record. The acceptance report is rates only.
  'GET /api/coding/encounters/:id/cac/suggestions': {
    kind: 'record',
    path: async (i, d) => {
      await ensureCacWalkNote(d, i.patientId, i.e1);
      return `/api/coding/encounters/${i.e1}/cac/suggestions`;
    },
    ok: [200],
    audit: 'read',
  },
  'POST /api/coding/encounters/:id/cac/decisions': {
    kind: 'record',
    path: async (i, d) => {
      await ensureCacWalkNote(d, i.patientId, i.e1);
      return `/api/coding/encounters/${i.e1}/cac/decisions`;
    },
    body: () => ({ decision: 'rejected', ...CAC_WALK_CODE, reason: 'not supported by the record (access walk)' }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/reports/cac': aggregate,
  // The stored outpatient abstract (src/modules/outpatient): every route opens the ED visit's record.
  'GET /api/outpatient/encounters/:id': {
    kind: 'record',
    path: async (i, d) => `/api/outpatient/encounters/${(await ensureOutpatientWalkVisits(d, i.patientId)).visit}`,
    ok: [200],
    audit: 'read',
  },
  'PUT /api/outpatient/encounters/:id/draft': {
    kind: 'record',
    path: async (i, d) => `/api/outpatient/encounters/${(await ensureOutpatientWalkVisits(d, i.patientId)).visit}/draft`,
    body: () => emptyOutpatient,
    ok: [200],
    audit: 'change',
  },
  // Nothing to final-code (no first-listed diagnosis) or no code sets: refused after the record opened.
  'POST /api/outpatient/encounters/:id/final': {
    kind: 'record',
    path: async (i, d) => `/api/outpatient/encounters/${(await ensureOutpatientWalkVisits(d, i.patientId)).visit}/final`,
    body: () => emptyOutpatient,
    ok: [412],
    audit: 'none',
  },
  'POST /api/outpatient/encounters/:id/reopen': {
    kind: 'record',
    path: async (i, d) => `/api/outpatient/encounters/${(await ensureOutpatientWalkVisits(d, i.patientId)).finalVisit}/reopen`,
    body: () => ({ reason: 'Reopened during the access walk' }),
    ok: [200],
    audit: 'change',
  },
  'GET /api/outpatient/encounters/:id/versions': {
    kind: 'record',
    path: async (i, d) => `/api/outpatient/encounters/${(await ensureOutpatientWalkVisits(d, i.patientId)).finalVisit}/versions`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/coding/encounters/:id/versions': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e3}/versions`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/coding/encounters/:id/versions/:version': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e3}/versions/1`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/coding/encounters/:id/summary': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e3}/summary`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/coding/audits': { kind: 'list', path: () => '/api/coding/audits', shows: () => 'R-3', revealed: SECRET.dischargeDay },
  'POST /api/coding/encounters/:id/audits': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e3}/audits`,
    body: () => ({}),
    ok: [200],
    audit: 'read',
  },
  'GET /api/coding/audits/:id': {
    kind: 'record',
    path: (i, _d, role) => `/api/coding/audits/${auditOf(i, role)}`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/coding/audits/:id/feedback': {
    kind: 'record',
    path: (i, _d, role) => `/api/coding/audits/${auditOf(i, role)}/feedback`,
    body: () => empty,
    ok: [200],
    audit: 'read',
  },
  'PUT /api/coding/audits/:id': {
    kind: 'record',
    path: (i, _d, role) => `/api/coding/audits/${auditOf(i, role)}`,
    body: () => ({ ...empty, submit: false }),
    ok: [200],
    audit: 'change',
  },

  // Physician queries.
  'POST /api/coding/encounters/:id/queries': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e1}/queries`,
    body: (i) => ({ ...multipleChoiceQuery, providerId: i.providerId }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/coding/encounters/:id/queries': {
    kind: 'record',
    path: (i) => `/api/coding/encounters/${i.e1}/queries`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/queries/inbox': { kind: 'list', path: () => '/api/queries/inbox', shows: () => 'R-1', revealed: SECRET.indicator },
  'GET /api/queries/:id': { kind: 'record', path: (i) => `/api/queries/${i.queryId}`, ok: [200], audit: 'read' },
  'POST /api/queries/:id/answer': {
    kind: 'record',
    path: (i) => `/api/queries/${i.queryId}/answer`,
    body: () => ({ choice: 'HIV disease', attest: true }),
    ok: [200],
    audit: 'change',
  },
  'GET /api/notifications': { kind: 'list', path: () => '/api/notifications' },

  // Master patient index.
  'GET /api/mpi/duplicates': { kind: 'list', path: () => '/api/mpi/duplicates', shows: (i) => i.mrn, revealed: SECRET.dateOfBirth },
  'GET /api/mpi/duplicates/:id': { kind: 'record', path: (i) => `/api/mpi/duplicates/${i.pairId}`, ok: [200], audit: 'read' },
  // Two roles resolve the same pair: the second finds it resolved (after the records opened).
  'POST /api/mpi/duplicates/:id/not-duplicate': {
    kind: 'record',
    path: (i) => `/api/mpi/duplicates/${i.pairId}/not-duplicate`,
    body: () => ({ note: 'different people' }),
    ok: [204, 409],
    audit: 'change',
  },
  'GET /api/mpi/merges': { kind: 'list', path: () => '/api/mpi/merges' },
  'POST /api/mpi/merges': {
    kind: 'record',
    path: () => '/api/mpi/merges',
    body: async (i, d) => ({ survivorId: i.patientId, mergedId: await makeLookalike(d), reason: 'same person: DOB and SSN agree' }),
    ok: [201],
    audit: 'change',
  },
  'POST /api/mpi/merges/:id/unmerge': {
    kind: 'record',
    path: async (i, d) => `/api/mpi/merges/${await makeMerge(d, i.patientId)}/unmerge`,
    body: () => ({}),
    ok: [200],
    audit: 'change',
  },

  // HL7 interface: the administrator sees the message log and a restricted record's message as structure only.
  'GET /api/interfaces/hl7/messages': { kind: 'list', path: () => '/api/interfaces/hl7/messages' },
  'GET /api/interfaces/hl7/messages/:id': {
    kind: 'list',
    path: (i) => `/api/interfaces/hl7/messages/${i.messageId}`,
    shows: () => 'WALK-1',
  },

  // Chart requests and paper chart tracking (src/modules/charts). A request's reason and encounter are the record's
  // content: making or reading a request opens the record (break-the-glass). Tracking — find, move, label, the queue,
  // fulfil, cancel — shows and changes only what a list shows (MRN, name, barcode, where the paper is) and is open to
  // a restricted record by design, without break-the-glass: a clerk must be able to move a VIP's chart, and moving
  // the paper reveals nothing it hides. So these are walked as lists: answered without a grant, showing the record's
  // existence and none of its secrets (the request's reason and its encounter's dates included).
  'GET /api/charts/locations': none('chart locations: shelves, departments, persons, off-site boxes'),
  'POST /api/charts/locations': none('chart locations'),
  'PATCH /api/charts/locations/:id': none('chart locations'),
  'GET /api/charts/locations/:id/charts': { kind: 'list', path: (i) => `/api/charts/locations/${i.boxId}/charts`, shows: (i) => i.mrn },
  'POST /api/charts': {
    kind: 'list',
    path: () => '/api/charts',
    body: (i) => ({ patientId: i.patientId, homeLocationId: i.shelfId }),
    shows: (i) => i.mrn,
  },
  'POST /api/charts/search': { kind: 'list', path: () => '/api/charts/search', body: (i) => ({ q: i.chartBarcode }), shows: (i) => i.mrn },
  'GET /api/charts/overdue': { kind: 'list', path: () => '/api/charts/overdue' },
  'GET /api/charts/:id': { kind: 'list', path: (i) => `/api/charts/${i.chartId}`, shows: (i) => i.chartBarcode },
  'GET /api/charts/:id/label.svg': { kind: 'list', path: (i) => `/api/charts/${i.chartId}/label.svg`, shows: (i) => i.mrn },
  'POST /api/charts/check-out': {
    kind: 'list',
    path: () => '/api/charts/check-out',
    body: (i) => ({ barcode: i.chartBarcode, to: { locationId: i.departmentId } }),
    shows: (i) => i.mrn,
  },
  'POST /api/charts/check-in': {
    kind: 'list',
    path: () => '/api/charts/check-in',
    body: (i) => ({ barcode: i.chartBarcode }),
    shows: (i) => i.mrn,
  },
  'POST /api/charts/relocate': {
    kind: 'list',
    path: () => '/api/charts/relocate',
    body: (i) => ({ barcode: i.boxChartBarcode, locationId: i.boxId }),
    shows: (i) => i.mrn,
  },
  'GET /api/charts/requests': {
    kind: 'list',
    path: () => '/api/charts/requests',
    shows: (i) => i.mrn,
    revealed: SECRET.chartRequestReason,
  },
  'POST /api/charts/requests': {
    kind: 'record',
    path: () => '/api/charts/requests',
    body: (i) => ({ patientId: i.patientId, encounterId: i.e1, reason: 'Requested during the access walk' }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/charts/requests/:id': { kind: 'record', path: (i) => `/api/charts/requests/${i.chartRequestId}`, ok: [200], audit: 'read' },
  // Each call fulfils or cancels a request of its own (the walk's physician asked for it, so a physician may cancel it).
  'POST /api/charts/requests/:id/fulfil': {
    kind: 'list',
    path: async (i, d) => `/api/charts/requests/${await makeChartRequest(d, i.patientId, i.physicianUserId, i.e1)}/fulfil`,
    body: () => ({ method: 'electronic' }),
    shows: (i) => i.mrn,
  },
  'POST /api/charts/requests/:id/cancel': {
    kind: 'list',
    path: async (i, d) => `/api/charts/requests/${await makeChartRequest(d, i.patientId, i.physicianUserId, i.e1)}/cancel`,
    body: () => ({ reason: 'no longer needed' }),
    shows: (i) => i.mrn,
  },

  // The legal health record (src/modules/documents): every document route opens the record (break-the-glass), except
  // the type list, the whole-record search (restricted records are left out of it: they are searched through the
  // record), the misfile log and hold list (existence only), and the job list (ids, kinds, counts).
  'GET /api/document-types': none('document types'),
  'PUT /api/document-types/:code': none('document types'),
  'GET /api/patients/:patientId/documents': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}/documents`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/patients/:patientId/documents': {
    kind: 'record',
    path: (i) => `/api/patients/${i.patientId}/documents`,
    body: () => multipartBody({ typeCode: 'PN' }),
    contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`,
    ok: [201],
    audit: 'change',
  },
  'GET /api/documents/:documentId': { kind: 'record', path: (i) => `/api/documents/${i.documentId}`, ok: [200], audit: 'read' },
  'GET /api/documents/:documentId/versions/:version/content': {
    kind: 'record',
    path: (i) => `/api/documents/${i.documentId}/versions/1/content`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/documents/:documentId/versions/:version/pages': {
    kind: 'record',
    path: (i) => `/api/documents/${i.documentId}/versions/1/pages`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/documents/:documentId/versions/:version/pages/:page/image': {
    kind: 'record',
    path: async (i, d) => `/api/documents/${await makeWalkTiffDocument(d, i.patientId)}/versions/1/pages/1/image`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/documents/:documentId/versions': {
    kind: 'record',
    path: async (i, d) => `/api/documents/${await makeWalkDocument(d, i.patientId)}/versions`,
    body: () => multipartBody({ kind: 'addendum', reason: 'late entry' }),
    contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`,
    ok: [201],
    audit: 'change',
  },
  'POST /api/documents/:documentId/sign': {
    kind: 'record',
    path: async (i, d) => `/api/documents/${await makeWalkDocument(d, i.patientId)}/sign`,
    body: () => ({ attestation: 'Electronically signed by the author', role: 'author' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/documents/:documentId/status': {
    kind: 'record',
    path: async (i, d) => `/api/documents/${await makeWalkDocument(d, i.patientId)}/status`,
    body: () => ({ status: 'final', reason: 'reviewed' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/documents/:documentId/move': {
    kind: 'record',
    path: async (i, d) => `/api/documents/${await makeWalkDocument(d, i.patientId)}/move`,
    body: (i) => ({ patientId: i.patientId, encounterId: i.e1, reason: 'filed without its encounter' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/documents/search': { kind: 'list', path: () => '/api/documents/search', body: () => ({ words: 'Kaposi sarcoma' }) },
  'GET /api/misfiles': { kind: 'list', path: () => '/api/misfiles' },
  'GET /api/legal-holds': { kind: 'list', path: () => '/api/legal-holds', shows: (i) => i.mrn },
  'POST /api/legal-holds': {
    kind: 'record',
    path: () => '/api/legal-holds',
    body: async (i, d) => ({
      patientId: i.patientId,
      documentId: await makeWalkDocument(d, i.patientId),
      matter: 'WALK-2',
      reason: 'walk',
    }),
    ok: [201],
    audit: 'change',
  },
  'POST /api/legal-holds/:holdId/release': {
    kind: 'record',
    path: async (i, d) => `/api/legal-holds/${await makeWalkHold(d, i.patientId)}/release`,
    body: () => ({ reason: 'matter closed' }),
    ok: [200],
    audit: 'change',
  },

  // Release of information (src/modules/roi): every request route opens the record (break-the-glass). The queue shows
  // a restricted record's request as its existence and clock only, never who asked or what is on file.
  'GET /api/roi/requests': {
    kind: 'list',
    path: async (i, d) => {
      await makeRoiRequest(d, i.patientId);
      return '/api/roi/requests';
    },
    shows: (i) => i.mrn,
    revealed: SECRET.roiRequester,
  },
  'POST /api/roi/requests': {
    kind: 'record',
    path: () => '/api/roi/requests',
    body: (i) => ({
      patientId: i.patientId,
      requesterType: 'attorney',
      requesterName: SECRET.roiRequester,
      receivedOn: '2026-02-27',
      format: 'pdf',
      delivery: 'mail',
      authorization: WALK_AUTHORIZATION,
    }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/roi/requests/:id': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/roi/requests/:id/authorization': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}/authorization`,
    body: () => WALK_AUTHORIZATION,
    ok: [200],
    audit: 'change',
  },
  'GET /api/roi/requests/:id/documents': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}/documents`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/roi/requests/:id/selection': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}/selection`,
    body: () => ({ documentIds: [] }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/roi/requests/:id/release': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId, 'selected')}/release`,
    body: () => ({}),
    ok: [200],
    audit: 'change',
  },
  'POST /api/roi/requests/:id/revoke': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}/revoke`,
    body: () => ({ revokedOn: '2026-03-01' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/roi/requests/:id/deny': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}/deny`,
    body: () => ({ ground: 'no_valid_basis', explanation: 'The authorization does not cover this.' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/roi/requests/:id/extend': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId, 'accounting')}/extend`,
    body: () => ({ noticeOn: '2026-03-01', reason: 'Records are stored off-site' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/roi/requests/:id/payment': {
    kind: 'record',
    // An open request has no invoice yet: 400 after the access step (releasing one here would slow the walk).
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId)}/payment`,
    body: () => ({ cents: 0, paidOn: '2026-03-01' }),
    ok: [400],
    audit: 'change',
  },
  'POST /api/roi/requests/:id/accounting': {
    kind: 'record',
    path: async (i, d) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId, 'accounting')}/accounting`,
    body: () => ({}),
    ok: [200],
    audit: 'change',
  },

  // Amendment requests (src/modules/amendments, 45 CFR 164.526): every request route opens the record
  // (break-the-glass). The lists show a restricted record's request as its existence and clock only (the deadline runs
  // for it too), never what was asked.
  'GET /api/amendments': { kind: 'list', path: () => '/api/amendments', shows: (i) => i.mrn, revealed: SECRET.amendmentChange },
  'GET /api/amendments/overdue': {
    kind: 'list',
    path: () => '/api/amendments/overdue',
    shows: (i) => i.mrn,
    revealed: SECRET.amendmentChange,
  },
  'POST /api/amendments': {
    kind: 'record',
    path: () => '/api/amendments',
    body: (i) => ({
      patientId: i.patientId,
      information: 'Problem list',
      requestedChange: SECRET.amendmentChange,
      receivedOn: '2026-02-27',
      receivedVia: 'portal',
    }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/amendments/:id': { kind: 'record', path: (i) => `/api/amendments/${i.amendmentId}`, ok: [200], audit: 'read' },
  'POST /api/amendments/:id/extend': {
    kind: 'record',
    path: async (i, d) => `/api/amendments/${await makeAmendment(d, i.patientId)}/extend`,
    body: () => ({ reason: 'Waiting for the outside laboratory', noticeOn: '2026-03-01' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/amendments/:id/accept': {
    kind: 'record',
    path: async (i, d) => `/api/amendments/${await makeAmendment(d, i.patientId)}/accept`,
    body: async (i, d) => ({ documentId: await makeWalkDocument(d, i.patientId), amendmentText: 'Amended on request.' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/amendments/:id/deny': {
    kind: 'record',
    path: async (i, d) => `/api/amendments/${await makeAmendment(d, i.patientId)}/deny`,
    body: () => ({ basis: 'not_created_by_entity', explanation: 'The result came from an outside laboratory.' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/amendments/:id/disagreement': {
    kind: 'record',
    path: async (i, d) => `/api/amendments/${await makeDeniedAmendment(d, i.patientId)}/disagreement`,
    body: () => ({ text: 'I disagree with the denial.', receivedOn: '2026-03-01' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/amendments/:id/rebuttal': {
    kind: 'record',
    path: async (i, d) => `/api/amendments/${await makeDeniedAmendment(d, i.patientId, true)}/rebuttal`,
    body: () => ({ text: 'The laboratory confirmed its report.' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/amendments/:id/notifications': {
    kind: 'record',
    path: async (i, d) => `/api/amendments/${(await makeAcceptedAmendment(d, i.patientId)).id}/notifications`,
    body: () => ({ recipient: 'Walk pharmacy', kind: 'organisation', identifiedBy: 'entity' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/amendments/:id/notifications/:notificationId/notified': {
    kind: 'record',
    path: async (i, d) => {
      const a = await makeAcceptedAmendment(d, i.patientId);
      return `/api/amendments/${a.id}/notifications/${a.notificationId}/notified`;
    },
    body: () => ({ notifiedOn: '2026-03-01' }),
    ok: [200],
    audit: 'change',
  },

  // Retention (src/modules/retention): rule sets hold no patient data. The eligible list leaves a restricted record out
  // until it is opened (its dates are what it hides); selecting a document for a batch opens its record; batches show
  // a restricted record's lines as MRN and name only, and performing one skips a restricted record's document unless
  // the performer broke the glass (the documents service's own step refuses it).
  'GET /api/retention/rule-sets': none('retention rule sets: periods by jurisdiction and document type'),
  'POST /api/retention/rule-sets': none('retention rule sets'),
  'PUT /api/retention/rule-sets/:id': none('retention rule sets'),
  'POST /api/retention/rule-sets/:id/activate': none('retention rule sets'),
  'GET /api/retention/eligible': {
    kind: 'list',
    path: (i) => `/api/retention/eligible?ruleSetId=${i.ruleSetId}`,
    revealed: SECRET.oldServiceDay,
  },
  'GET /api/retention/batches': { kind: 'list', path: () => '/api/retention/batches' },
  'POST /api/retention/batches': {
    kind: 'record',
    path: () => '/api/retention/batches',
    body: async (i, d) => ({ ruleSetId: i.ruleSetId, documentIds: [await makeOldDocument(d, i.patientId)] }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/retention/batches/:id': {
    kind: 'list',
    path: (i) => `/api/retention/batches/${i.batchId}`,
    shows: (i) => i.mrn,
    revealed: SECRET.oldServiceDay,
  },
  'POST /api/retention/batches/:id/approve': {
    kind: 'list',
    path: async (i, d) => `/api/retention/batches/${await makeBatch(d, i.patientId, i.ruleSetId, 'draft')}/approve`,
    shows: (i) => i.mrn,
  },
  'POST /api/retention/batches/:id/execute': {
    kind: 'list',
    path: async (i, d) => `/api/retention/batches/${await makeBatch(d, i.patientId, i.ruleSetId, 'approved')}/execute`,
    shows: (i) => i.mrn,
  },
  'GET /api/retention/batches/:id/certificate.pdf': {
    kind: 'list',
    path: (i) => `/api/retention/batches/${i.completedBatchId}/certificate.pdf`,
  },
  'GET /api/jobs': none('background jobs: ids, kinds, status and counts, no clinical content'),
  'GET /api/jobs/:jobId': none('a background job: ids, status and counts'),

  // Intake scanning (src/modules/scanning): printing a cover sheet and filing QA pages by hand open the record (the
  // filing through the documents service); the batch and QA lists carry ids, reasons and counts, no patient; a QA
  // page and its thumbnail belong to no record until filed.
  'POST /api/scanning/cover-sheets': {
    kind: 'record',
    path: () => '/api/scanning/cover-sheets',
    body: (i) => ({ patientId: i.patientId, encounterId: i.e1, typeCode: 'PN' }),
    ok: [201],
    audit: 'change',
  },
  'GET /api/scanning/batches': { kind: 'list', path: () => '/api/scanning/batches' },
  'GET /api/scanning/qa': { kind: 'list', path: () => '/api/scanning/qa' },
  'GET /api/scanning/qa/:pageId/thumbnail': none('a scanned page not yet filed to any record (an audited read)'),
  'POST /api/scanning/qa/index': {
    kind: 'record',
    path: () => '/api/scanning/qa/index',
    body: async (i, d) => ({ pageIds: await makeQaPages(d), patientId: i.patientId, typeCode: 'PN' }),
    ok: [201],
    audit: 'change',
  },
  'POST /api/scanning/qa/discard': none('pages not filed to any record: ids and the reason (audited)'),

  // Chart completion (src/modules/completion): a chart's completion and every change to a deficiency open the record;
  // the worklist and the physician's inbox show a restricted record's existence (MRN, name, account) only; the sweep,
  // the reports and the suspension list carry counts and physicians, no patient; signing from the inbox signs through
  // the documents service, whose own record-access step refuses a restricted record's document per item.
  'GET /api/completion/worklist': { kind: 'list', path: () => '/api/completion/worklist', shows: (i) => i.mrn },
  'POST /api/completion/analyse': none('the discharge sweep: counts only'),
  'GET /api/completion/encounters/:id': { kind: 'record', path: (i) => `/api/completion/encounters/${i.e1}`, ok: [200], audit: 'read' },
  'POST /api/completion/encounters/:id/analyse': {
    kind: 'record',
    path: (i) => `/api/completion/encounters/${i.e1}/analyse`,
    ok: [200],
    audit: 'change',
  },
  'POST /api/completion/encounters/:id/deficiencies': {
    kind: 'record',
    path: (i) => `/api/completion/encounters/${i.e1}/deficiencies`,
    body: (i) => ({
      type: 'missing_document',
      documentTypeCode: 'CN',
      responsibleProviderId: i.completionProviderId,
      message: 'Consultation ordered on day 2 not in the chart',
      pageRef: 'orders p. 2',
    }),
    ok: [201],
    audit: 'change',
  },
  'POST /api/completion/deficiencies/:id/waive': {
    kind: 'record',
    path: async (i, d) => `/api/completion/deficiencies/${await makeDeficiency(d, i.e1, i.completionProviderId)}/waive`,
    body: () => ({ reason: 'documented elsewhere in the chart' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/completion/deficiencies/:id/reassign': {
    kind: 'record',
    path: async (i, d) => `/api/completion/deficiencies/${await makeDeficiency(d, i.e1, i.completionProviderId)}/reassign`,
    body: (i) => ({ providerId: i.completionProviderId, reason: 'covering physician' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/completion/deficiencies/:id/complete': {
    kind: 'record',
    path: async (i, d) => `/api/completion/deficiencies/${await makeDeficiency(d, i.e1, i.completionProviderId)}/complete`,
    ok: [200],
    audit: 'change',
  },
  'POST /api/completion/deficiencies/:id/dispute': {
    kind: 'record',
    path: async (i, d) => `/api/completion/deficiencies/${await makeDeficiency(d, i.e1, i.completionProviderId)}/dispute`,
    body: () => ({ reason: 'not my patient' }),
    ok: [200],
    audit: 'change',
  },
  'GET /api/completion/inbox': { kind: 'list', path: () => '/api/completion/inbox', shows: (i) => i.mrn },
  'POST /api/completion/inbox/sign': {
    kind: 'list',
    path: () => '/api/completion/inbox/sign',
    body: async (i, d) => ({
      deficiencyIds: [await makeDeficiency(d, i.e1, i.completionProviderId)],
      attestation: 'I have reviewed and authenticate this document.',
      password: TEST_PASSWORD,
    }),
  },
  'GET /api/completion/suspensions': aggregate,
  'GET /api/reports/completion': aggregate,
  'GET /api/reports/completion/scorecards': aggregate,
  'GET /api/reports/roi': aggregate,
  // The director's dashboard (src/modules/reports): figures count the record; the list behind the plain DNFB figure
  // shows its existence (MRN, name, account), its payer only once the glass is broken.
  'GET /api/reports/dashboard': aggregate,
  'GET /api/reports/dashboard/weights': none('MS-DRG relative weights, no patient data'),
  // The analysts' SQL console reads the tables directly (reports:sql: HIM director, auditor): it does not go through
  // the record-access step, so a restricted record is not told apart there. By design, like the audit log search:
  // a read-only guard for analysts, every statement audited (sql_query, its hash and row count).
  // Saved reports hold a user's dashboard filters and schedule; their delivery emails the figures only.
  'GET /api/reports/saved': none('saved dashboard filter sets, no patient data'),
  'POST /api/reports/saved': none('saves a dashboard filter set, no patient data'),
  'DELETE /api/reports/saved/:id': none('deletes a saved dashboard filter set, no patient data'),
  'POST /api/reports/sql': none('raw read-only SQL for analysts by design (reports:sql), every statement audited; not record-scoped'),
  // The HIM indexes list discharges under a code or physician: a restricted one not opened is counted, not listed.
  'GET /api/reports/indexes/:kind': {
    kind: 'list',
    path: () => '/api/reports/indexes/physician?from=2026-01-01',
    revealed: SECRET.dischargeDay,
  },
  'GET /api/reports/dashboard/encounters': {
    kind: 'list',
    path: () => '/api/reports/dashboard/encounters?figure=dnfb',
    shows: (i) => i.mrn,
    revealed: SECRET.payer,
  },

  // Claims and remittance (src/modules/claims): one claim, building, working a denial and loading a file that names
  // the record's claim open the record (a file is refused whole); the worklists show the claim id (and MRN) only.
  'GET /api/claims': {
    kind: 'list',
    path: async (i, d) => {
      await makeWalkClaim(d, i.patientId, SECRET.payer, 'built');
      return '/api/claims';
    },
    revealed: SECRET.payer,
  },
  'GET /api/claims/payers': none('payers: reference data'),
  'GET /api/claims/unbilled': {
    kind: 'list',
    path: async (i, d) => {
      await makeWalkClaim(d, i.patientId, SECRET.payer, 'coded');
      return '/api/claims/unbilled';
    },
    shows: (i) => i.mrn,
  },
  'POST /api/claims/encounters/:encounterId/build': {
    kind: 'record',
    path: async (i, d) => `/api/claims/encounters/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'coded')).encounterId}/build`,
    body: () => ({ kind: '837I' }),
    // 412 with a grant: the walk's server has no code sets for the scrubber.
    ok: [200, 412],
    audit: 'change',
  },
  'POST /api/claims/release': {
    kind: 'list',
    path: async (i, d) => {
      await makeWalkClaim(d, i.patientId, SECRET.payer, 'built');
      return '/api/claims/release';
    },
    body: () => ({ kind: '837I' }),
  },
  'GET /api/claims/denials': {
    kind: 'list',
    path: async (i, d) => {
      await makeWalkClaim(d, i.patientId, SECRET.payer, 'denied');
      return '/api/claims/denials';
    },
    revealed: SECRET.payer,
  },
  'GET /api/claims/ar': aggregate,
  'GET /api/claims/:id': {
    kind: 'record',
    path: async (i, d) => `/api/claims/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'built')).claimId ?? ''}`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/claims/:id/form': {
    kind: 'record',
    path: async (i, d) => `/api/claims/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'built')).claimId ?? ''}/form?mode=data`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/claims/:id/rebuild': {
    kind: 'record',
    path: async (i, d) => `/api/claims/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'built')).claimId ?? ''}/rebuild`,
    ok: [200, 412],
    audit: 'change',
  },
  'POST /api/claims/:id/denial-work': {
    kind: 'record',
    path: async (i, d) => `/api/claims/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'denied')).claimId ?? ''}/denial-work`,
    body: () => ({ action: 'appeal', note: 'Appeal sent with records' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/remittance/835': {
    kind: 'record',
    path: () => '/api/remittance/835',
    body: async (i, d) => ({
      text: walkDenial835((await makeWalkClaim(d, i.patientId, SECRET.payer, 'released')).patientControlNumber ?? ''),
    }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/remittance/acknowledgements': {
    kind: 'record',
    path: () => '/api/remittance/acknowledgements',
    body: async (i, d) => ({ text: walk277((await makeWalkClaim(d, i.patientId, SECRET.payer, 'released')).patientControlNumber ?? '') }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/remittance/postings/:id/reverse': {
    kind: 'record',
    path: async (i, d) =>
      `/api/remittance/postings/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'denied')).postingId ?? ''}/reverse`,
    body: () => ({ reason: 'Posted to the wrong claim' }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/claims/:id/correct': {
    kind: 'record',
    path: async (i, d) => `/api/claims/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'denied')).claimId ?? ''}/correct`,
    body: () => ({ frequency: '7' }),
    // 412 with a grant: the walk's server has no code sets for the scrubber.
    ok: [200, 412],
    audit: 'change',
  },
  'POST /api/claims/:id/secondary': {
    kind: 'record',
    path: async (i, d) => `/api/claims/${(await makeWalkClaim(d, i.patientId, SECRET.payer, 'denied')).claimId ?? ''}/secondary`,
    // 400 with a grant: the walk's record has one coverage, there is no next payer to bill.
    ok: [200, 400, 412],
    audit: 'change',
  },
  'POST /api/remittance/unmatched/:id/post': {
    kind: 'record',
    // The body is made first: it queues the CLP and names the claim; the path posts that queued row.
    body: async (i, d) => {
      const u = await makeWalkUnmatched(d, i.patientId, SECRET.payer);
      walkUnmatched.push(u.unmatchedId);
      return { claimId: u.claimId };
    },
    path: () => `/api/remittance/unmatched/${walkUnmatched.at(-1) ?? ''}/post`,
    ok: [200],
    audit: 'change',
  },
  'GET /api/remittance/unmatched': none('remittance that matched no claim: control numbers and amounts, no record'),
  'POST /api/remittance/unmatched/:id/resolve': none('remittance that matched no claim'),
  'GET /api/completion/settings/:id': none('facility settings (bylaws)'),
  'PUT /api/completion/settings/:id': none('facility settings (bylaws)'),

  // Scheduling (src/modules/scheduling): booking, moving, changing an appointment's status and the waitlist open the
  // record; the calendar and the waitlist show a restricted record's appointment as its existence (MRN, name, time);
  // set-up, first available and the provider feed carry resources, types and times, no patient.
  'GET /api/scheduling/setup': none('resources and appointment types: reference data'),
  'GET /api/scheduling/calendar': {
    kind: 'list',
    path: async (i, d) => {
      await makeAppointment(d, i.patientId);
      return '/api/scheduling/calendar?from=2026-04-01T00:00:00Z&to=2026-04-30T00:00:00Z';
    },
    shows: (i) => i.mrn,
  },
  'GET /api/scheduling/first-available': {
    kind: 'list',
    path: async (_i, d) => `/api/scheduling/first-available?typeId=${(await schedulingSetup(d)).typeId}&from=2026-04-01T00:00:00Z`,
  },
  'POST /api/scheduling/appointments': {
    kind: 'record',
    path: () => '/api/scheduling/appointments',
    body: (i, d) => nextBooking(d, i.patientId),
    ok: [201],
    audit: 'change',
  },
  'POST /api/scheduling/appointments/:id/reschedule': {
    kind: 'record',
    path: async (i, d) => `/api/scheduling/appointments/${await makeAppointment(d, i.patientId)}/reschedule`,
    body: async (_i, d) => ({ start: await nextStart(d) }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/scheduling/appointments/:id/status': {
    kind: 'record',
    path: async (i, d) => `/api/scheduling/appointments/${await makeAppointment(d, i.patientId)}/status`,
    body: () => ({ status: 'checked_in' }),
    ok: [200],
    audit: 'change',
  },
  'GET /api/scheduling/waitlist': { kind: 'list', path: () => '/api/scheduling/waitlist' },
  'POST /api/scheduling/waitlist': {
    kind: 'record',
    path: () => '/api/scheduling/waitlist',
    body: async (i, d) => ({
      patientId: i.patientId,
      typeId: (await schedulingSetup(d)).typeId,
      earliest: '2026-04-01T00:00:00Z',
      latest: '2026-04-30T00:00:00Z',
    }),
    ok: [201],
    audit: 'change',
  },
  'POST /api/scheduling/reminders': {
    kind: 'list',
    path: () => '/api/scheduling/reminders',
    body: () => ({ from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' }),
  },
  'POST /api/scheduling/chart-requests': {
    kind: 'list',
    path: async (i, d) => {
      await makeAppointment(d, i.patientId);
      return '/api/scheduling/chart-requests';
    },
    body: () => ({ from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' }),
  },
  'POST /api/scheduling/resources': none('a provider, room or equipment: reference data'),
  'POST /api/scheduling/resources/:id/templates': none("a resource's weekly hours: reference data"),
  'POST /api/scheduling/resources/:id/feed-token': none('a feed token for a resource: no patient'),
  'POST /api/scheduling/types': none('an appointment type: reference data'),
  'POST /api/scheduling/exceptions': none('a closed day or extra hours: reference data'),
  'GET /api/scheduling/feeds/:token': none("a provider's iCalendar feed by its token: types and times, no patient"),
  // Dictation and transcription (src/modules/transcription): every dictation opens its record; the queue lists.
  'GET /api/transcription/work-types': none('work types, turnaround hours and templates: reference data'),
  'POST /api/transcription/spelling': none('spell check of the text in the body: reads no record, stores nothing'),
  'GET /api/reports/transcription': aggregate,
  'GET /api/dictations': {
    kind: 'list',
    path: async (i, d) => {
      await makeWalkDictation(d, i, 'draft');
      return '/api/dictations';
    },
    shows: (i) => i.mrn,
  },
  'POST /api/dictations': {
    kind: 'record',
    path: (i) => `/api/dictations?patientId=${i.patientId}&encounterId=${i.e1}&workType=PN`,
    body: () => silentWav(),
    contentType: 'audio/wav',
    ok: [201],
    audit: 'change',
  },
  'GET /api/dictations/:id': {
    kind: 'record',
    path: async (i, d) => `/api/dictations/${await makeWalkDictation(d, i, 'draft')}`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/dictations/:id/audio': {
    kind: 'record',
    path: async (i, d) => `/api/dictations/${await makeWalkDictation(d, i, 'draft')}/audio`,
    ok: [200],
    audit: 'read',
  },
  'GET /api/dictations/:id/versions': {
    kind: 'record',
    path: async (i, d) => `/api/dictations/${await makeWalkDictation(d, i, 'draft')}/versions`,
    ok: [200],
    audit: 'read',
  },
  'POST /api/dictations/:id/claim': {
    kind: 'record',
    path: async (i, d) => `/api/dictations/${await makeWalkDictation(d, i, 'draft')}/claim`,
    ok: [200],
    audit: 'change',
  },
  'PUT /api/dictations/:id/text': {
    kind: 'record',
    path: async (i, d, role) => `/api/dictations/${await makeWalkDictation(d, i, 'claimed', role)}/text`,
    body: () => ({ text: 'Stable overnight.', baseVersion: 1 }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/dictations/:id/send': {
    kind: 'record',
    path: async (i, d, role) => `/api/dictations/${await makeWalkDictation(d, i, 'claimed', role)}/send`,
    body: () => ({ text: 'Stable overnight.', baseVersion: 1 }),
    ok: [200],
    audit: 'change',
  },
  'POST /api/dictations/:id/sign': {
    kind: 'record',
    path: async (i, d) => `/api/dictations/${await makeWalkDictation(d, i, 'awaiting')}/sign`,
    body: () => ({ attestation: 'I have reviewed this report.', password: TEST_PASSWORD }),
    ok: [200],
    audit: 'change',
  },
};

// Release of information's deliveries (src/modules/roi), listed by its fixture file.
Object.assign(cases, roiDeliveryCases);

// The FHIR API (src/modules/fhir): its routes are outside /api, listed by its fixture file.
for (const [k, v] of Object.entries(fhirCases)) cases[k] = v.c;

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const forbiddenSecrets = Object.values(SECRET);

/** Each walking test calls every route as every role (hundreds of requests): more than the default 30 s on a busy machine. */
const WALK_TIMEOUT_MS = 180_000;

/** The error code of a problem+json answer, or of a FHIR OperationOutcome (its first issue's details). */
function errorCodeOf(body: { code?: string; issue?: { details?: { coding?: { code?: string }[] } }[] }): string | null {
  return body.code ?? body.issue?.[0]?.details?.coding?.[0]?.code ?? null;
}

describe.each(engines)('the restricted-record walk on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: AppDeps;
  let ids: WalkIds;
  const sessions = new Map<Role, SignedIn>();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    // No code sets: the coding routes answer without loading the CMS files (feedback says they are unavailable).
    const noCodeSets = path.join(os.tmpdir(), `custodian-walk-no-code-sets-${process.pid}`);
    deps = {
      ...makeAppDeps(t),
      codes: createCodesService({ dataDir: noCodeSets, codesetsDir: noCodeSets }),
      cacKnowledge: walkCacKnowledge,
    };
    app = await buildApp(deps);
    for (const role of roles) sessions.set(role, await signIn(app, deps, role));
    ids = await buildRestrictedRecord(t, deps, {
      auditorId: sessions.get('auditor')!.userId,
      directorId: sessions.get('him_director')!.userId,
      physicianUserId: sessions.get('physician')!.userId,
    });
  });
  afterAll(async () => {
    // Unset when beforeAll failed before assigning them (the declared types cannot say so).
    /* eslint-disable @typescript-eslint/no-unnecessary-condition */
    await app?.close();
    await t?.dispose();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  const call = async (route: { method: string; url: string }, c: RecordCase | ListCase, role: Role) => {
    const s = sessions.get(role)!;
    const body = c.body ? await c.body(ids, deps, role) : route.method === 'GET' ? undefined : {};
    return app.inject({
      method: route.method as 'GET',
      url: await c.path(ids, deps, role),
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrfToken,
        ...('contentType' in c && c.contentType ? { 'content-type': c.contentType } : {}),
      },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  };
  const lastSeq = async () => (await queryAuditEvents(t.db, { order: 'desc' }, 1))[0]?.seq ?? 0;
  const eventsSince = async (seq: number, role: Role) =>
    queryAuditEvents(t.db, { afterSeq: seq, userId: sessions.get(role)!.userId, patientId: ids.patientId }, 50);
  const walkRoutes = () => [...app.apiRoutes, ...fhirWalkRoutes];
  const routesOf = (kind: Case['kind']) =>
    walkRoutes().filter((r) => cases[key(r)]?.kind === kind) as { method: string; url: string; access: PermissionRule }[];
  const allowed = (r: { access: RouteAccess }, role: Role) =>
    r.access !== 'public' && r.access !== 'authenticated' && roleMeets(role, r.access);

  it('classifies every route of the app', () => {
    const unclassified = walkRoutes()
      .map(key)
      .filter((k) => !cases[k]);
    expect(unclassified).toEqual([]);
    const stale = Object.keys(cases).filter((k) => !walkRoutes().some((r) => key(r) === k));
    expect(stale).toEqual([]);
  });

  it(
    'answers break_glass_required to every role that may use a route on the record, and audits the denial',
    async () => {
      const failures: string[] = [];
      for (const r of routesOf('record')) {
        for (const role of roles.filter((x) => allowed(r, x))) {
          const before = await lastSeq();
          const res = await call(r, cases[key(r)] as RecordCase, role);
          const code = res.statusCode === 403 ? errorCodeOf(res.json()) : null;
          const events = await eventsSince(before, role);
          if (code !== 'break_glass_required') failures.push(`${role} ${key(r)}: ${res.statusCode} ${code ?? res.body.slice(0, 120)}`);
          else if (!events.some((e) => e.action === 'access_denied' && e.outcome === 'denied'))
            failures.push(`${role} ${key(r)}: no access_denied event`);
          if (events.some((e) => e.outcome === 'success')) failures.push(`${role} ${key(r)}: a success event without a grant`);
          if (forbiddenSecrets.some((x) => res.body.includes(x))) failures.push(`${role} ${key(r)}: the answer shows a secret`);
        }
      }
      expect(failures).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'shows a restricted record in lists as its existence only, and never through what it hides',
    async () => {
      const failures: string[] = [];
      for (const r of routesOf('list')) {
        const c = cases[key(r)] as ListCase;
        for (const role of roles.filter((x) => allowed(r, x))) {
          const res = await call(r, c, role);
          if (res.statusCode >= 300) failures.push(`${role} ${key(r)}: ${res.statusCode} ${res.body.slice(0, 120)}`);
          const leaked = forbiddenSecrets.filter((x) => res.body.includes(x));
          if (leaked.length) failures.push(`${role} ${key(r)}: shows ${leaked.join(', ')}`);
          if (c.shows && !res.body.includes(c.shows(ids)) && key(r) !== 'POST /api/coding/worklist/claim-next')
            failures.push(`${role} ${key(r)}: does not show that the record exists`);
        }
      }
      expect(failures).toEqual([]);
      // A search by what the record hides does not find it.
      const s = sessions.get('coder')!;
      const byDate = await app.inject({
        method: 'POST',
        url: '/api/encounters/search',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
        payload: { admittedFrom: SECRET.admitDay, admittedTo: SECRET.admitDay },
      });
      expect(byDate.json()).toEqual({ items: [] });
      const byDob = await app.inject({
        method: 'POST',
        url: '/api/patients/search',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
        payload: { q: `${FAMILY} ${SECRET.dateOfBirth}` },
      });
      expect(byDob.json()).toEqual({ items: [] });
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'lets each role that broke the glass through, audited with the grant',
    async () => {
      const failures: string[] = [];
      for (const role of roles) {
        if (!roleMeets(role, 'patient:read')) continue;
        const s = sessions.get(role)!;
        const res = await app.inject({
          method: 'POST',
          url: `/api/patients/${ids.patientId}/break-glass`,
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
          payload: { reason: `Access walk as ${role}` },
        });
        expect(res.statusCode).toBe(200);
      }
      for (const r of routesOf('record')) {
        const c = cases[key(r)] as RecordCase;
        for (const role of roles.filter((x) => allowed(r, x))) {
          const before = await lastSeq();
          const res = await call(r, c, role);
          const events = await eventsSince(before, role);
          if (!c.ok.includes(res.statusCode)) failures.push(`${role} ${key(r)}: ${res.statusCode} ${res.body.slice(0, 160)}`);
          if (events.some((e) => e.action === 'access_denied')) failures.push(`${role} ${key(r)}: denied with a grant`);
          if (c.audit === 'none' || res.statusCode >= 300) continue;
          const withGrant = events.filter(
            (e) => e.outcome === 'success' && typeof e.detail?.breakGlass === 'string' && e.purposeOfUse === 'ETREAT',
          );
          const wanted = c.audit === 'read' ? withGrant.filter((e) => e.action === 'read') : withGrant.filter((e) => e.action !== 'read');
          if (wanted.length === 0)
            failures.push(`${role} ${key(r)}: no ${c.audit} event with the grant (${events.map((e) => e.action).join(', ')})`);
        }
      }
      expect(failures).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'shows the details in lists once the glass is broken',
    async () => {
      const failures: string[] = [];
      for (const r of routesOf('list')) {
        const c = cases[key(r)] as ListCase;
        if (!c.revealed) continue;
        for (const role of roles.filter((x) => allowed(r, x) && roleMeets(x, 'patient:read'))) {
          const res = await call(r, c, role);
          if (!res.body.includes(c.revealed)) failures.push(`${role} ${key(r)}: does not show ${c.revealed}`);
        }
      }
      expect(failures).toEqual([]);
    },
    WALK_TIMEOUT_MS,
  );

  it("shows the administrator a restricted record's HL7 message as its structure only, and audits the read", async () => {
    const s = sessions.get('administrator')!;
    const res = await app.inject({ method: 'GET', url: `/api/interfaces/hl7/messages/${ids.messageId}`, headers: { cookie: s.cookie } });
    const m = res.json<{ raw: string; withheld: boolean }>();
    expect(m.withheld).toBe(true);
    expect(m.raw).toMatch(/^MSH\|/);
    expect(m.raw).toContain('\rPID|…withheld');
    expect(m.raw).not.toContain(FAMILY.toUpperCase());
    const events = await queryAuditEvents(t.db, { userId: s.userId, patientId: ids.patientId });
    expect(events.at(-1)).toMatchObject({ action: 'read', resourceType: 'hl7_message', detail: { withheld: true } });
  });
});
