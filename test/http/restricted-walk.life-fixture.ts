/**
 * The restricted record's amendment requests and retention, for the restricted-record walk (restricted-walk.fixture.ts
 * builds them with the rest of the record): an open request whose requested change is a secret, an overdue one, and
 * helpers that make a fresh request in each state for the walk steps that change one.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import {
  acceptAmendmentRequest,
  createAmendmentRequest,
  denyAmendmentRequest,
  recordDisagreement,
  type AmendmentDeps,
} from '../../src/modules/amendments/index.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { makeWalkDocument } from './restricted-walk.documents-fixture.js';

/** What the patient asked to change: shown only through the record-access step. */
export const AMENDMENT_SECRET = 'Remove the indeterminate HIV-2 result from the problem list';

export interface LifeWalkIds {
  amendmentId: string;
}

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };

const amendmentDeps = (deps: AppDeps): AmendmentDeps => ({ ...deps, documents: createDocumentsService(documentsDepsOf(deps)) });

/** A new open request of the record (received 2026-02-25, due 2026-04-26; the walk's clock is at 2026-03-01). */
export async function makeAmendment(deps: AppDeps, patientId: string, receivedOn = '2026-02-25'): Promise<string> {
  const r = await createAmendmentRequest(amendmentDeps(deps), system, {
    patientId,
    information: 'Problem list',
    requestedChange: AMENDMENT_SECRET,
    receivedOn,
    receivedVia: 'mail',
  });
  return r.id;
}

/** A new accepted request with one recipient not yet told: its id and the recipient's. */
export async function makeAcceptedAmendment(deps: AppDeps, patientId: string): Promise<{ id: string; notificationId: string }> {
  const id = await makeAmendment(deps, patientId);
  const documentId = await makeWalkDocument(deps, patientId);
  const r = await acceptAmendmentRequest(amendmentDeps(deps), system, id, {
    documentId,
    amendmentText: 'Amended at the patient’s request.',
    notify: [{ recipient: 'Walk clinic', kind: 'organisation', identifiedBy: 'patient' }],
  });
  return { id, notificationId: r.notifications![0]!.id };
}

/** A new denied request; with `disagreement`, the patient's statement of disagreement is filed too. */
export async function makeDeniedAmendment(deps: AppDeps, patientId: string, disagreement = false): Promise<string> {
  const id = await makeAmendment(deps, patientId);
  await denyAmendmentRequest(amendmentDeps(deps), system, id, {
    basis: 'accurate_and_complete',
    explanation: 'The result is reported as the laboratory issued it.',
  });
  if (disagreement) await recordDisagreement(amendmentDeps(deps), system, id, { text: 'I disagree.', receivedOn: '2026-03-01' });
  return id;
}

export async function buildRestrictedLife(deps: AppDeps, ids: { patientId: string }): Promise<LifeWalkIds> {
  const amendmentId = await makeAmendment(deps, ids.patientId);
  // An overdue one (received 2025-12-01, due 2026-01-30), for the HIM director's overdue list.
  await makeAmendment(deps, ids.patientId, '2025-12-01');
  return { amendmentId };
}
