/**
 * The restricted record's release-of-information requests, for the restricted-record walk: helpers that make a fresh
 * request in the state each walk step needs (the requester's name is a secret of the record).
 */
import type { AppDeps } from '../../src/app/deps.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { createRoiRequest, releaseRoiRequest, selectDocuments, type NewRequest } from '../../src/modules/roi/index.js';
import { makeWalkDocument } from './restricted-walk.documents-fixture.js';
import type { WalkIds } from './restricted-walk.fixture.js';

/** Who asked for the record's release: shown only through the record-access step. */
export const ROI_SECRET = 'Quillfeather & Vance, attorneys';

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };

/** The walk's authorization: valid on the walk's clock (2026-03-01). */
export const WALK_AUTHORIZATION = {
  description: 'Progress notes of 2026',
  discloser: 'Custodian General Hospital',
  recipient: ROI_SECRET,
  purpose: 'Litigation',
  expirationDate: '2026-12-31',
  signatureDate: '2026-02-20',
  signedBy: 'patient' as const,
  statements: { rightToRevoke: true, revocationHowTo: true, conditioning: true, redisclosure: true },
  plainLanguage: true,
};

/**
 * A new request of the record: an attorney's under a valid authorization (`open`), a patient's with a document
 * selected (`selected`), released (`released`), or a patient's request for an accounting (`accounting`).
 */
export async function makeRoiRequest(
  deps: AppDeps,
  patientId: string,
  state: 'open' | 'selected' | 'released' | 'accounting' = 'open',
): Promise<string> {
  const roi = buildModuleDeps(deps).roi;
  const base: NewRequest = {
    patientId,
    requesterType: state === 'open' ? 'attorney' : 'patient',
    requesterName: ROI_SECRET,
    receivedOn: '2026-02-25',
    format: 'pdf',
    delivery: 'secure_download',
    ...(state === 'open' ? { authorization: WALK_AUTHORIZATION } : {}),
    ...(state === 'accounting' ? { asksFor: 'accounting' as const } : {}),
  };
  const r = await createRoiRequest(roi, system, base);
  if (state === 'selected' || state === 'released')
    await selectDocuments(roi, system, r.id, { documentIds: [await makeWalkDocument(deps, patientId)] });
  if (state === 'released') await releaseRoiRequest(roi, system, r.id);
  return r.id;
}

/**
 * How the walk treats the delivery routes (merged into its cases): logging how a released packet went out opens the
 * record; the recipient's download has no session (the link's token and the passcode are the key) and opens the
 * record as the system's own work, audited.
 */
export const roiDeliveryCases = {
  'POST /api/roi/requests/:id/deliveries': {
    kind: 'record' as const,
    path: async (i: WalkIds, d: AppDeps) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId, 'released')}/deliveries`,
    body: () => ({ method: 'mail', mailedOn: '2026-03-01', carrier: 'USPS' }),
    ok: [201],
    audit: 'change' as const,
  },
  'GET /api/roi/requests/:id/fhir-bundle': {
    kind: 'record' as const,
    path: async (i: WalkIds, d: AppDeps) => `/api/roi/requests/${await makeRoiRequest(d, i.patientId, 'released')}/fhir-bundle`,
    ok: [200],
    audit: 'change' as const,
  },
  'POST /api/roi/downloads/:token': {
    kind: 'none' as const,
    reason: "the recipient's download of a released packet: the link's token and a passcode, no session; audited",
  },
};
