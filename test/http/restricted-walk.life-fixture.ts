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
import { approveBatch, createBatch, createRuleSet, executeBatch, type RetentionDeps } from '../../src/modules/retention/index.js';
import { makeWalkDocument } from './restricted-walk.documents-fixture.js';

/** What the patient asked to change: shown only through the record-access step. */
export const AMENDMENT_SECRET = 'Remove the indeterminate HIV-2 result from the problem list';

/** The service day of the record's old documents (eligible for destruction): shown only through the record-access step. */
export const OLD_SERVICE_DAY = '2001-06-07';

export interface LifeWalkIds {
  amendmentId: string;
  /** A rule set that makes documents a year old eligible (counted from the service date). */
  ruleSetId: string;
  /** A draft destruction batch of one old document of the record. */
  batchId: string;
  /** A performed batch (its document destroyed), for the certificate. */
  completedBatchId: string;
}

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };

const amendmentDeps = (deps: AppDeps): AmendmentDeps => ({ ...deps, documents: createDocumentsService(documentsDepsOf(deps)) });
const retentionDeps = (deps: AppDeps): RetentionDeps => amendmentDeps(deps);

/** A new document of the record served on OLD_SERVICE_DAY. */
export async function makeOldDocument(deps: AppDeps, patientId: string): Promise<string> {
  const d = await createDocumentsService(documentsDepsOf(deps)).fileDocument(system, {
    patientId,
    typeCode: 'PN',
    source: 'scan',
    serviceAt: `${OLD_SERVICE_DAY}T10:00:00Z`,
    content: { bytes: new TextEncoder().encode('Old progress note.'), mediaType: 'text/plain' },
  });
  return d.id;
}

/** A new destruction batch of a new old document of the record: draft, approved, or performed. */
export async function makeBatch(
  deps: AppDeps,
  patientId: string,
  ruleSetId: string,
  state: 'draft' | 'approved' | 'completed',
): Promise<string> {
  const r = retentionDeps(deps);
  const b = await createBatch(r, system, { ruleSetId, documentIds: [await makeOldDocument(deps, patientId)] });
  if (state !== 'draft') await approveBatch(r, system, b.id);
  if (state === 'completed') await executeBatch(r, system, b.id);
  return b.id;
}

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
  const ruleSet = await createRuleSet(retentionDeps(deps), system, {
    name: 'Walk rules (1 year from service)',
    jurisdiction: 'walk',
    ageOfMajority: 18,
    rules: [{ typeCode: null, adultYears: 1, anchor: 'service_date', minorYearsAfterMajority: null }],
  });
  const batchId = await makeBatch(deps, ids.patientId, ruleSet.id, 'draft');
  const completedBatchId = await makeBatch(deps, ids.patientId, ruleSet.id, 'completed');
  return { amendmentId, ruleSetId: ruleSet.id, batchId, completedBatchId };
}
