/**
 * Amendment requests (45 CFR 164.526): logged with their 60-day clock, extended once, accepted (the amendment filed as
 * a version of kind amendment, the people to tell listed and ticked off) or denied (a written denial filed in the
 * record, then the patient's statement of disagreement and any rebuttal, filed beside it so that they go with the
 * record when it is released). Every use opens the record through the record-access step (`amendment:manage`), so a
 * restricted record's requests need break-the-glass like the record itself; each change is audited in its transaction.
 *
 * Letters and amendments are filed through the documents service, which opens the record again with its own
 * permission (`document:write`) and commits on its own; the request is changed after, only if it is still in the state
 * read, so that a second decision is refused (the document a lost race filed stays in the record, marked by its title).
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { DocumentView } from '../documents/index.js';
import * as repo from './amendments.repository.js';
import {
  AcceptSchema,
  addDays,
  AmendmentStatus,
  dateOf,
  decisionProblem,
  denialLetterText,
  DenySchema,
  DisagreementSchema,
  dueDateOf,
  EXTENSION_DAYS,
  ExtendSchema,
  extensionProblem,
  NewAmendmentSchema,
  NotifiedSchema,
  parseInput,
  RebuttalSchema,
  RecipientSchema,
  type AcceptInput,
  type DenyInput,
  type ExtendInput,
  type NewAmendment,
  type RecipientInput,
} from './amendments.rules.js';
import { amendmentView, notificationView, withheldView, type AmendmentDeps, type AmendmentView } from './amendments.views.js';

const use = (mode: 'read' | 'write', resourceId?: string) => ({
  permission: Permission.amendmentManage,
  mode,
  resourceType: 'amendment_request',
  ...(resourceId ? { resourceId } : {}),
});

const today = (deps: AmendmentDeps) => dateOf(deps.clock.now());

async function openRequest(deps: AmendmentDeps, actor: Actor, id: string, mode: 'read' | 'write'): Promise<RecordScope> {
  const loc = await repo.locateRequest(deps.db, id);
  if (!loc) throw notFound('amendment request');
  return deps.records.open(actor, { patientId: loc.patient_id }, use(mode, id));
}

async function viewOf(deps: AmendmentDeps, scope: RecordScope, id: string): Promise<AmendmentView> {
  const row = await repo.findRequest(deps.db, scope, id);
  if (!row) throw notFound('amendment request');
  const notifications = (await repo.listNotifications(deps.db, scope, id)).map(notificationView);
  return { ...amendmentView(row, deps.clock.now()), notifications };
}

async function audit(
  deps: AmendmentDeps,
  trx: Parameters<typeof recordAudit>[0],
  scope: RecordScope,
  action: AuditAction,
  id: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, deps.audit, scope.actor, {
    action,
    resourceType: 'amendment_request',
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, detail),
  });
}

/** Logs a patient's request to amend: what, the change asked for, when and how it came; due 60 days after receipt. */
export async function createAmendmentRequest(deps: AmendmentDeps, actor: Actor, input: NewAmendment): Promise<AmendmentView> {
  const m = parseInput(NewAmendmentSchema, input);
  if (m.receivedOn > today(deps)) throw invalid('receivedOn: cannot be in the future');
  const scope = await deps.records.open(actor, { patientId: m.patientId }, use('write'));
  if (scope.mergedInto) throw conflict('this record was merged into another: log the request under the surviving record');
  const documentIds = [...new Set(m.documentIds)];
  if (documentIds.length > 0) {
    const mine = new Set((await deps.documents.listForPatient(actor, scope.patientId)).map((d) => d.id));
    if (documentIds.some((d) => !mine.has(d))) throw invalid("documentIds: each must be a document of the patient's record");
  }
  const id = newId();
  const now = isoNow(deps.clock);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRequest(trx, scope, {
      patient_id: scope.patientId,
      id,
      document_ids: JSON.stringify(documentIds),
      information: m.information,
      requested_change: m.requestedChange,
      reason: m.reason?.trim() || null,
      received_on: m.receivedOn,
      received_via: m.receivedVia,
      due_on: dueDateOf(m.receivedOn),
      extended_due_on: null,
      extension_reason: null,
      extension_notice_on: null,
      extended_by: null,
      status: AmendmentStatus.open,
      decided_on: null,
      decided_by: null,
      denial_basis: null,
      denial_explanation: null,
      denial_document_id: null,
      amendment_document_id: null,
      amendment_version: null,
      disagreement_document_id: null,
      disagreement_received_on: null,
      rebuttal_document_id: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await audit(deps, trx, scope, AuditAction.create, id, { documents: documentIds.length });
  });
  return viewOf(deps, scope, id);
}

/** One request with its notifications and clock (an audited read of the record). */
export async function getAmendmentRequest(deps: AmendmentDeps, actor: Actor, id: string): Promise<AmendmentView> {
  const scope = await openRequest(deps, actor, id, 'read');
  return viewOf(deps, scope, id);
}

/**
 * Requests across patients (open first, by the date that counts), or only the overdue ones. A restricted record the
 * user has not opened shows who, the status and the clock — the deadline runs for it too — and nothing it asks.
 */
export async function listAmendmentRequests(
  deps: AmendmentDeps,
  actor: Actor,
  opts: { status?: string | undefined; overdueOnly?: boolean } = {},
): Promise<AmendmentView[]> {
  const list = await deps.records.openList(actor, { permission: Permission.amendmentManage, resourceType: 'amendment_request' });
  const rows = opts.overdueOnly
    ? await repo.listOverdue(deps.db, list, today(deps))
    : await repo.listRequests(deps.db, list, { status: opts.status, limit: 2000 });
  const now = deps.clock.now();
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'amendment_request',
      outcome: 'success',
      detail: { resultCount: rows.length, overdueOnly: opts.overdueOnly === true },
    }),
  );
  return rows.map((r) => {
    const v = { ...amendmentView(r, now), mrn: r.mrn, patientName: `${r.family_name}, ${r.given_name}` };
    return list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }) ? v : withheldView(v);
  });
}

/** The one extension of up to 30 days, with its written reason and the date the patient was told (164.526(b)(2)(ii)). */
export async function extendAmendmentRequest(deps: AmendmentDeps, actor: Actor, id: string, input: ExtendInput): Promise<AmendmentView> {
  const e = parseInput(ExtendSchema, input);
  if (e.noticeOn > today(deps)) throw invalid('noticeOn: cannot be in the future');
  const scope = await openRequest(deps, actor, id, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const r = await repo.findRequest(trx, scope, id);
    if (!r) throw notFound('amendment request');
    const newDueOn = e.newDueOn ?? addDays(r.due_on, EXTENSION_DAYS);
    const problem = extensionProblem(
      { status: r.status, receivedOn: r.received_on, dueOn: r.due_on, extendedDueOn: r.extended_due_on },
      { noticeOn: e.noticeOn, newDueOn },
    );
    if (problem) throw r.extended_due_on !== null || r.status !== AmendmentStatus.open ? conflict(problem) : invalid(problem);
    const set = {
      extended_due_on: newDueOn,
      extension_reason: e.reason,
      extension_notice_on: e.noticeOn,
      extended_by: actor.userId,
      updated_at: isoNow(deps.clock),
    };
    // Only while not yet extended: a second extension racing this one finds the row changed.
    if (!(await repo.updateRequestOnce(trx, scope, id, 'extended_due_on', set)))
      throw conflict('the time to act may be extended only once (45 CFR 164.526(b)(2)(ii))');
    await audit(deps, trx, scope, AuditAction.extend, id, { dueOn: r.due_on, extendedDueOn: newDueOn });
  });
  return viewOf(deps, scope, id);
}

const text = (s: string) => ({ bytes: new TextEncoder().encode(s), mediaType: 'text/plain' });

async function checkOpen(deps: AmendmentDeps, scope: RecordScope, id: string, decidedOn: string): Promise<void> {
  const r = await repo.findRequest(deps.db, scope, id);
  if (!r) throw notFound('amendment request');
  const problem = decisionProblem({ status: r.status, receivedOn: r.received_on }, decidedOn, today(deps));
  if (problem) throw r.status !== AmendmentStatus.open ? conflict(problem) : invalid(problem);
}

async function addRecipients(
  deps: AmendmentDeps,
  trx: Parameters<typeof repo.insertNotification>[0],
  scope: RecordScope,
  id: string,
  recipients: readonly RecipientInput[],
): Promise<void> {
  for (const n of recipients)
    await repo.insertNotification(trx, scope, {
      patient_id: scope.patientId,
      id: newId(),
      request_id: id,
      recipient: n.recipient,
      recipient_kind: n.kind,
      identified_by: n.identifiedBy,
      notified_on: null,
      notified_by: null,
      created_at: isoNow(deps.clock),
    });
}

/**
 * Accepts the request (164.526(c)): the amendment is a version of kind amendment of the document — added here from
 * its text, or one already added and named by its number — and the persons and organisations to tell are listed.
 */
export async function acceptAmendmentRequest(deps: AmendmentDeps, actor: Actor, id: string, input: AcceptInput): Promise<AmendmentView> {
  const a = parseInput(AcceptSchema, input);
  const decidedOn = a.decidedOn ?? today(deps);
  const scope = await openRequest(deps, actor, id, 'write');
  await checkOpen(deps, scope, id, decidedOn);
  const doc = await deps.documents.getDocument(actor, a.documentId);
  if (doc.patientId !== scope.patientId) throw invalid("documentId: not a document of this patient's record");
  let version: number;
  if (a.amendmentText) {
    const amended = await deps.documents.addVersion(actor, a.documentId, {
      content: text(a.amendmentText),
      kind: 'amendment',
      reason: `Amendment accepted under 45 CFR 164.526 (request ${id})`,
    });
    version = amended.currentVersion;
  } else {
    const v = doc.versions.find((x) => x.version === a.version);
    if (!v || v.kind !== 'amendment') throw invalid('version: not an amendment version of this document');
    version = v.version;
  }
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateRequest(trx, scope, id, AmendmentStatus.open, {
      status: AmendmentStatus.accepted,
      decided_on: decidedOn,
      decided_by: actor.userId,
      amendment_document_id: a.documentId,
      amendment_version: version,
      updated_at: isoNow(deps.clock),
    });
    if (!ok) throw conflict('this request was decided meanwhile');
    await addRecipients(deps, trx, scope, id, a.notify);
    await audit(deps, trx, scope, AuditAction.accept, id, { documentId: a.documentId, version, recipients: a.notify.length });
  });
  return viewOf(deps, scope, id);
}

/** Adds a person or organisation to tell of an accepted amendment (164.526(c)(3)). */
export async function addAmendmentRecipient(deps: AmendmentDeps, actor: Actor, id: string, input: RecipientInput): Promise<AmendmentView> {
  const n = parseInput(RecipientSchema, input);
  const scope = await openRequest(deps, actor, id, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const r = await repo.findRequest(trx, scope, id);
    if (!r) throw notFound('amendment request');
    if (r.status !== AmendmentStatus.accepted) throw conflict('only an accepted amendment is sent to others');
    await addRecipients(deps, trx, scope, id, [n]);
    await audit(deps, trx, scope, AuditAction.update, id, { recipients: 1 });
  });
  return viewOf(deps, scope, id);
}

/** Records the day a recipient was given the amendment. */
export async function markRecipientNotified(
  deps: AmendmentDeps,
  actor: Actor,
  id: string,
  notificationId: string,
  input: { notifiedOn: string },
): Promise<AmendmentView> {
  const n = parseInput(NotifiedSchema, input);
  if (n.notifiedOn > today(deps)) throw invalid('notifiedOn: cannot be in the future');
  const scope = await openRequest(deps, actor, id, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const r = await repo.findRequest(trx, scope, id);
    if (!r) throw notFound('amendment request');
    if (r.decided_on && n.notifiedOn < r.decided_on) throw invalid('notifiedOn: cannot come before the amendment was accepted');
    if (!(await repo.markNotified(trx, scope, id, notificationId, { notified_on: n.notifiedOn, notified_by: actor.userId })))
      throw notFound('recipient');
    await audit(deps, trx, scope, AuditAction.notify, id, { notificationId });
  });
  return viewOf(deps, scope, id);
}

/** Files a letter of the amendment process in the patient's record (type AMEND, final). */
async function fileLetter(deps: AmendmentDeps, actor: Actor, scope: RecordScope, title: string, body: string): Promise<DocumentView> {
  return deps.documents.fileDocument(actor, {
    patientId: scope.patientId,
    typeCode: 'AMEND',
    title,
    source: 'amendment',
    status: 'final',
    content: text(body),
  });
}

/** Denies the request (164.526(d)): the written denial, with its ground of 164.526(a)(2), is filed in the record. */
export async function denyAmendmentRequest(deps: AmendmentDeps, actor: Actor, id: string, input: DenyInput): Promise<AmendmentView> {
  const d = parseInput(DenySchema, input);
  const decidedOn = d.decidedOn ?? today(deps);
  const scope = await openRequest(deps, actor, id, 'write');
  await checkOpen(deps, scope, id, decidedOn);
  const r = (await repo.findRequest(deps.db, scope, id))!;
  const letter = await fileLetter(
    deps,
    actor,
    scope,
    `Denial of amendment request received ${r.received_on}`,
    denialLetterText({
      receivedOn: r.received_on,
      decidedOn,
      basis: d.basis,
      explanation: d.explanation,
      complaintContact: d.complaintContact,
    }),
  );
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateRequest(trx, scope, id, AmendmentStatus.open, {
      status: AmendmentStatus.denied,
      decided_on: decidedOn,
      decided_by: actor.userId,
      denial_basis: d.basis,
      denial_explanation: d.explanation,
      denial_document_id: letter.id,
      updated_at: isoNow(deps.clock),
    });
    if (!ok) throw conflict('this request was decided meanwhile');
    await audit(deps, trx, scope, AuditAction.deny, id, { basis: d.basis, documentId: letter.id });
  });
  return viewOf(deps, scope, id);
}

/** The patient's statement of disagreement with a denial (164.526(d)(1)(ii), (d)(2)), filed in the record beside it. */
export async function recordDisagreement(
  deps: AmendmentDeps,
  actor: Actor,
  id: string,
  input: { text: string; receivedOn: string },
): Promise<AmendmentView> {
  const s = parseInput(DisagreementSchema, input);
  if (s.receivedOn > today(deps)) throw invalid('receivedOn: cannot be in the future');
  const scope = await openRequest(deps, actor, id, 'write');
  const r = await repo.findRequest(deps.db, scope, id);
  if (!r) throw notFound('amendment request');
  if (r.status !== AmendmentStatus.denied) throw conflict('a statement of disagreement answers a denial');
  if (r.disagreement_document_id) throw conflict('the statement of disagreement is already filed');
  if (r.decided_on && s.receivedOn < r.decided_on) throw invalid('receivedOn: cannot come before the denial');
  const doc = await fileLetter(deps, actor, scope, `Statement of disagreement received ${s.receivedOn}`, s.text);
  await deps.db.transaction().execute(async (trx) => {
    const set = { disagreement_document_id: doc.id, disagreement_received_on: s.receivedOn, updated_at: isoNow(deps.clock) };
    if (!(await repo.updateRequestOnce(trx, scope, id, 'disagreement_document_id', set)))
      throw conflict('the statement of disagreement is already filed');
    await audit(deps, trx, scope, AuditAction.update, id, { disagreement: doc.id });
  });
  return viewOf(deps, scope, id);
}

/** The entity's rebuttal of a statement of disagreement (164.526(d)(3)), filed in the record beside it. */
export async function recordRebuttal(deps: AmendmentDeps, actor: Actor, id: string, input: { text: string }): Promise<AmendmentView> {
  const s = parseInput(RebuttalSchema, input);
  const scope = await openRequest(deps, actor, id, 'write');
  const r = await repo.findRequest(deps.db, scope, id);
  if (!r) throw notFound('amendment request');
  if (!r.disagreement_document_id) throw conflict('a rebuttal answers a statement of disagreement: file that first');
  if (r.rebuttal_document_id) throw conflict('the rebuttal is already filed');
  const doc = await fileLetter(deps, actor, scope, `Rebuttal of statement of disagreement (${dateOf(deps.clock.now())})`, s.text);
  await deps.db.transaction().execute(async (trx) => {
    const set = { rebuttal_document_id: doc.id, updated_at: isoNow(deps.clock) };
    if (!(await repo.updateRequestOnce(trx, scope, id, 'rebuttal_document_id', set))) throw conflict('the rebuttal is already filed');
    await audit(deps, trx, scope, AuditAction.update, id, { rebuttal: doc.id });
  });
  return viewOf(deps, scope, id);
}
