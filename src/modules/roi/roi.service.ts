/**
 * Release-of-information requests: intake with the authorization check and the clock, document selection from the
 * record (what the rules hold back says why), the release packet, the release itself (disclosure recorded for the
 * accounting, invoice), revocation, denial, extension, payment. Every use opens the record through the record-access
 * step (`roi:manage`), so a restricted record's requests need break-the-glass like the record itself; documents are
 * read through the documents service (its own permission check and audit); each change is audited in its transaction.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, roleMeets, scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { DocumentSummary } from '../documents/index.js';
import { countTiffPages } from '../ocr/index.js';
import type { RoiRequestTable } from '../../db/schema-roi.js';
import * as repo from './roi.repository.js';
import { listDeliveries as listDeliveryRows } from './roi.delivery.repository.js';
import { deliveryView } from './roi.delivery.view.js';
import { checkAuthorization } from './roi.authorization.rules.js';
import { addDays, clockLimits, type ClockKind } from './roi.clock.rules.js';
import {
  DEFAULT_IDENTIFIERS,
  findIdentifierAreas,
  identifierAreasFromOcrWords,
  pdftotextBeside,
  type IdentifierKind,
  type IdentifierRules,
} from './roi.identifiers.js';
import { buildReleasePacket, type RedactionArea } from './roi.packet.js';
import { heldBackReason, needsPart2Notice, REQUEST_TYPE_RULES, type SensitiveCategory } from './roi.requests.rules.js';
import {
  factsOf,
  NewRequestSchema,
  parseInput,
  requestView,
  SelectSchema,
  withheldView,
  type NewRequest,
  type RoiDeps,
  type RoiRequestView,
  type SelectInput,
} from './roi.views.js';

const use = (mode: 'read' | 'write', resourceId?: string) => ({
  permission: Permission.roiManage,
  mode,
  resourceType: 'roi_request',
  ...(resourceId ? { resourceId } : {}),
});

export const today = (deps: RoiDeps): string => deps.clock.now().toISOString().slice(0, 10);

export async function openRequest(deps: RoiDeps, actor: Actor, id: string, mode: 'read' | 'write'): Promise<RecordScope> {
  const loc = await repo.locateRequest(deps.db, id);
  if (!loc) throw notFound('release request');
  return deps.records.open(actor, { patientId: loc.patient_id }, use(mode, id));
}

export async function loadRequest(deps: RoiDeps, scope: RecordScope, id: string): Promise<RoiRequestTable> {
  const row = await repo.findRequest(deps.db, scope, id);
  if (!row) throw notFound('release request');
  return row;
}

export async function auditRoi(
  deps: RoiDeps,
  trx: Parameters<typeof recordAudit>[0],
  scope: RecordScope,
  action: AuditAction,
  id: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, deps.audit, scope.actor, {
    action,
    resourceType: 'roi_request',
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, detail),
  });
}

/** The defects of an authorization as of `on` (stored with the request; re-checked at release). */
export const defectsOf = (auth: unknown, on: string): string[] =>
  auth === null || auth === undefined ? [] : checkAuthorization({ ...auth, id: 'form', checkedOn: on }).defects;

/** Logs a request: who asks and how they were verified, what, in what form; its clock starts on receipt. */
export async function createRoiRequest(deps: RoiDeps, actor: Actor, input: NewRequest): Promise<RoiRequestView> {
  const m = parseInput(NewRequestSchema, input);
  const now = today(deps);
  if (m.receivedOn > now) throw invalid('receivedOn: cannot be in the future');
  const scope = await deps.records.open(actor, { patientId: m.patientId }, use('write'));
  if (scope.mergedInto) throw conflict('this record was merged into another: log the request under the surviving record');
  const individual = REQUEST_TYPE_RULES[m.requesterType].basis === 'individual_access';
  const kind: ClockKind = m.asksFor === 'accounting' ? 'accounting' : individual ? 'access' : 'third_party';
  const id = newId();
  const at = isoNow(deps.clock);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRequest(trx, scope, {
      patient_id: scope.patientId,
      id,
      requester_type: m.requesterType,
      requester_name: m.requesterName,
      requester_address: m.requesterAddress ?? null,
      identity_verified_by: m.identityVerifiedBy ?? null,
      received_on: m.receivedOn,
      clock_kind: kind,
      due_on: addDays(m.receivedOn, clockLimits(kind, deps.roiClockPolicy).days),
      extended_due_on: null,
      extension_reason: null,
      extension_notice_on: null,
      asked: JSON.stringify(m.asked),
      purpose: m.purpose ?? null,
      format: m.format,
      delivery: m.delivery,
      authorization: m.authorization ? JSON.stringify(m.authorization) : null,
      authorization_defects: m.authorization ? JSON.stringify(defectsOf(m.authorization, now)) : null,
      authorization_document_id: m.authorizationDocumentId ?? null,
      revoked_on: null,
      facts: JSON.stringify(m.facts),
      selected: '[]',
      redactions: '{}',
      status: 'open',
      closed_on: null,
      denial_ground: null,
      denial_explanation: null,
      packet_sha256: null,
      packet_pages: null,
      created_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    await auditRoi(deps, trx, scope, AuditAction.create, id, { requesterType: m.requesterType, clock: kind });
  });
  return requestView(await loadRequest(deps, scope, id), deps.roiClockPolicy, now);
}

/** One request with its clock, authorization check and blockers (an audited read of the record). */
export async function getRoiRequest(deps: RoiDeps, actor: Actor, id: string): Promise<RoiRequestView> {
  const scope = await openRequest(deps, actor, id, 'read');
  const view = requestView(await loadRequest(deps, scope, id), deps.roiClockPolicy, today(deps));
  const inv = await repo.findInvoice(deps.db, scope, id);
  const invoice = inv
    ? {
        totalCents: inv.total_cents,
        paidCents: inv.paid_cents,
        paidOn: inv.paid_on,
        lines: JSON.parse(inv.lines) as { label: string; cents: number }[],
      }
    : null;
  const deliveries = (await listDeliveryRows(deps.db, scope, id)).map(deliveryView);
  return { ...view, invoice, deliveries };
}

/** The ROI queue: open requests first by due date, with days left; a restricted record shows its clock only. */
export async function listRoiRequests(deps: RoiDeps, actor: Actor, opts: { status?: string } = {}): Promise<RoiRequestView[]> {
  const list = await deps.records.openList(actor, { permission: Permission.roiManage, resourceType: 'roi_request' });
  const rows = await repo.listRequests(deps.db, list, { status: opts.status, limit: 2000 });
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'roi_request',
      outcome: 'success',
      detail: { resultCount: rows.length },
    }),
  );
  const now = today(deps);
  return rows.map((r) => {
    const v = { ...requestView(r, deps.roiClockPolicy, now), mrn: r.mrn, patientName: `${r.family_name}, ${r.given_name}` };
    return list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }) ? v : withheldView(v);
  });
}

/** Records (or replaces) the authorization read from the form and checks it as of today (164.508(b)(2), (c)). */
export async function recordAuthorization(deps: RoiDeps, actor: Actor, id: string, form: unknown): Promise<RoiRequestView> {
  const auth = parseInput(NewRequestSchema.shape.authorization, form);
  const scope = await openRequest(deps, actor, id, 'write');
  const defects = defectsOf(auth, today(deps));
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateRequest(trx, scope, id, 'open', {
      authorization: auth ? JSON.stringify(auth) : null,
      authorization_defects: auth ? JSON.stringify(defects) : null,
      revoked_on: null,
      updated_at: isoNow(deps.clock),
    });
    if (!ok) throw conflict('only an open request takes an authorization');
    await auditRoi(deps, trx, scope, AuditAction.checkAuthorization, id, { valid: defects.length === 0, defects });
  });
  return getRoiRequest(deps, actor, id);
}

export interface CandidateDocument {
  id: string;
  title: string;
  typeCode: string;
  serviceAt: string;
  encounterId: string | null;
  confidentiality: string[];
  /** Why the rules hold it back from this requester (null: it may go). */
  heldBack: string | null;
}

const categoryOf = (flag: string): SensitiveCategory => (flag === 'part2_sud' ? 'part2' : (flag as SensitiveCategory));

/** Why a flagged document is not the user's to release (the law's reasons come first). */
export const NEEDS_SENSITIVE_PERMISSION =
  'under a confidentiality flag: releasing it needs the document:sensitive permission (an HIM director)';

function heldBackOf(facts: ReturnType<typeof factsOf>, d: DocumentSummary, mayReleaseSensitive: boolean): string | null {
  for (const flag of d.confidentiality) {
    const why = heldBackReason(facts, categoryOf(flag));
    if (why !== null) return why;
  }
  // Even where the law lets it go, a flagged document is released only by a role that may read flagged content
  // (minimum necessary by role, 45 CFR 164.514(d)(2)); a break-the-glass grant is for care, not for releases.
  return d.confidentiality.length > 0 && !mayReleaseSensitive ? NEEDS_SENSITIVE_PERMISSION : null;
}

/** The record's documents that match what was asked (dates, encounters, types), each with what the rules hold back. */
export async function candidateDocuments(deps: RoiDeps, actor: Actor, id: string): Promise<CandidateDocument[]> {
  const scope = await openRequest(deps, actor, id, 'read');
  const r = await loadRequest(deps, scope, id);
  const asked = JSON.parse(r.asked) as { from?: string; to?: string; encounterIds?: string[]; documentTypes?: string[] };
  const facts = factsOf(r);
  const docs = await deps.documents.listForPatient(actor, scope.patientId);
  const mayReleaseSensitive = actor.system === true || roleMeets(actor.role, Permission.documentSensitive);
  return docs
    .filter((d) => d.destroyedAt === null && d.status !== 'entered_in_error')
    .filter(
      (d) =>
        (asked.from === undefined || d.serviceAt.slice(0, 10) >= asked.from) &&
        (asked.to === undefined || d.serviceAt.slice(0, 10) <= asked.to),
    )
    .filter((d) => !asked.encounterIds?.length || (d.encounterId !== null && asked.encounterIds.includes(d.encounterId)))
    .filter((d) => !asked.documentTypes?.length || asked.documentTypes.includes(d.typeCode))
    .map((d) => ({
      id: d.id,
      title: d.title,
      typeCode: d.typeCode,
      serviceAt: d.serviceAt,
      encounterId: d.encounterId,
      confidentiality: d.confidentiality,
      heldBack: heldBackOf(facts, d, mayReleaseSensitive),
    }));
}

/** Chooses the documents to release (each of the record, none held back) and the areas to redact on them. */
export async function selectDocuments(deps: RoiDeps, actor: Actor, id: string, input: SelectInput): Promise<RoiRequestView> {
  const s = parseInput(SelectSchema, input);
  const candidates = new Map((await candidateDocuments(deps, actor, id)).map((c) => [c.id, c]));
  const ids = [...new Set(s.documentIds)];
  for (const d of ids) {
    const c = candidates.get(d);
    if (!c) throw invalid('documentIds: each must be a document of the record that matches the request');
    if (c.heldBack !== null) throw invalid(`documentIds: ${d} is held back: ${c.heldBack}`);
  }
  if (Object.keys(s.redactions).some((d) => !ids.includes(d))) throw invalid('redactions: only on selected documents');
  const scope = await openRequest(deps, actor, id, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateRequest(trx, scope, id, 'open', {
      selected: JSON.stringify(ids),
      redactions: JSON.stringify(s.redactions),
      updated_at: isoNow(deps.clock),
    });
    if (!ok) throw conflict('only an open request can change what it releases');
    await auditRoi(deps, trx, scope, AuditAction.select, id, {
      documents: ids.length,
      redactedDocuments: Object.keys(s.redactions).length,
    });
  });
  return getRoiRequest(deps, actor, id);
}

function coverLetter(r: ReturnType<typeof requestView>, docs: readonly string[], on: string): string {
  return [
    `Date: ${on}`,
    `To: ${r.requesterName}${r.requesterAddress ? `\n${r.requesterAddress}` : ''}`,
    `Request received: ${r.receivedOn}. Request id: ${r.id}`,
    `Enclosed are copies of the following records (${docs.length}):`,
    ...docs.map((t, i) => `${i + 1}. ${t}`),
    'This information has been disclosed to you from records protected by federal and state confidentiality law. ' +
      'It is released for the purpose stated in the request only. Each page carries a Bates number.',
  ].join('\n');
}

/**
 * Builds the packet of the selected documents (cover letter, Bates numbers, footer, Part 2 notice), the ticked
 * identifiers (SSNs by default; `mrn` is the patient's own) found in text layers and text and redacted.
 */
export async function buildPacket(
  deps: RoiDeps,
  actor: Actor,
  id: string,
  identifiers: readonly IdentifierKind[] = DEFAULT_IDENTIFIERS,
): Promise<{ bytes: Uint8Array; pages: number; part2: boolean }> {
  const scope = await openRequest(deps, actor, id, 'read');
  const row = await loadRequest(deps, scope, id);
  const rules = { kinds: identifiers, mrn: identifiers.includes('mrn') ? await repo.patientMrn(deps.db, scope) : null };
  const view = requestView(row, deps.roiClockPolicy, today(deps));
  const redactions = JSON.parse(row.redactions) as Record<string, RedactionArea[]>;
  const docs = await Promise.all(
    view.selected.map(async (docId) => {
      const d = await deps.documents.getDocument(actor, docId);
      const c = await deps.documents.readContent(actor, docId);
      // Identifiers the OCR read on scanned pages are burned in with the areas drawn (164.514(b)(2)(i)).
      const areas = [...(redactions[docId] ?? []), ...(await scannedIdentifierAreas(deps, actor, docId, c.version, rules))];
      const part2 = d.confidentiality.includes('part2_sud');
      // A (multi-page) TIFF goes in page by page, each rendered to PNG by the documents service (ImageMagick), its
      // areas moved to that page's own first page.
      const parts =
        c.mediaType === 'image/tiff'
          ? await Promise.all(
              Array.from({ length: countTiffPages(c.bytes) }, async (_, i) => ({
                title: d.title,
                mediaType: 'image/png',
                bytes: await deps.documents.renderPageImage(actor, docId, c.version, i + 1, 'full'),
                redactions: areas.filter((a) => a.page === i + 1).map((a) => ({ ...a, page: 1 })),
              })),
            )
          : c.mediaType === 'application/pdf'
            ? // Identifiers in the text layer are found and burned in with the areas drawn (164.514(b)(2)(i)).
              [
                {
                  title: d.title,
                  mediaType: c.mediaType,
                  bytes: c.bytes,
                  redactions: [...areas, ...(await findIdentifierAreas(pdftotextBeside(deps.pdftoppmPath), c.bytes, rules))],
                },
              ]
            : [{ title: d.title, mediaType: c.mediaType, bytes: c.bytes, redactions: areas }];
      return { title: d.title, parts, part2 };
    }),
  );
  const part2 = needsPart2Notice(
    row.requester_type as never,
    docs.some((d) => d.part2),
  );
  const packet = await buildReleasePacket({
    coverLetter: coverLetter(
      view,
      docs.map((d) => d.title),
      today(deps),
    ),
    documents: docs.flatMap((d) => d.parts),
    part2Notice: part2,
    batesPrefix: `ROI-${id.slice(-8).toUpperCase()}-`,
    footer: 'CONFIDENTIAL - protected health information; redisclosure may be prohibited by law',
    pdftoppmPath: deps.pdftoppmPath,
    identifiers: rules,
  });
  return { ...packet, part2 };
}

/** The ticked identifiers on the pages of a version that were read by OCR (scans), as areas on those pages. */
async function scannedIdentifierAreas(
  deps: RoiDeps,
  actor: Actor,
  documentId: string,
  version: number,
  rules: IdentifierRules,
): Promise<RedactionArea[]> {
  if (rules.kinds.length === 0) return [];
  const pages = await deps.documents.listPages(actor, documentId, version);
  return pages.filter((p) => p.source === 'ocr').flatMap((p) => identifierAreasFromOcrWords(p.page, p.words, rules));
}
