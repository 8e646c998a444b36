/**
 * Reading the record: a document with its versions, signatures and holds; its content (hash verified, never served
 * when it fails); its pages' text and word boxes; a patient's documents; a document by its sender's number. Every
 * read opens the record through the record-access step (audited); a document under a confidentiality flag needs
 * `document:sensitive` or break-the-glass.
 */
import { conflict, notFound } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { DocumentTable } from '../../db/schema-documents.js';
import { Permission, scopeDetail, type Actor, type PermissionRule, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { BlobCorruptError } from './blob-store.js';
import * as repo from './documents.repository.js';
import * as pages from './documents.pages.repository.js';
import { DocumentStatus, extensionOf } from './documents.rules.js';
import {
  holdView,
  parseFlags,
  signatureView,
  summaryView,
  typeView,
  versionView,
  type DocumentsDeps,
  type DocumentSummary,
  type DocumentView,
} from './documents.views.js';

/** Opens the record a document is in (not found answered alike for a missing document and a missing record). */
export async function openDocument(
  deps: DocumentsDeps,
  actor: Actor,
  documentId: string,
  use: { permission: PermissionRule; mode: 'read' | 'write'; resourceType?: string; detail?: Record<string, unknown> },
): Promise<{ scope: RecordScope; location: repo.DocumentLocation }> {
  const location = await repo.locateDocument(deps.db, documentId);
  if (!location) throw notFound('document');
  const flagged = parseFlags(location.confidentiality).length > 0;
  const scope = await deps.records.open(
    actor,
    { patientId: location.patient_id },
    {
      permission: use.permission,
      mode: use.mode,
      resourceType: use.resourceType ?? 'document',
      resourceId: documentId,
      ...(use.detail ? { detail: use.detail } : {}),
      // Reading flagged content needs document:sensitive or a grant; changing it is the writer's permission alone.
      ...(flagged && use.mode === 'read' ? { sensitive: Permission.documentSensitive } : {}),
    },
  );
  return { scope, location };
}

/** Refuses a change to a document under an active legal hold (on its patient, its encounter or itself). */
export async function assertNoHold(
  trx: Db,
  scope: RecordScope,
  doc: Pick<DocumentTable, 'id' | 'encounter_id'>,
  what: string,
): Promise<void> {
  const holds = await repo.activeHoldsCovering(trx, scope, doc);
  if (holds.length > 0) throw conflict(`a legal hold covers this document: cannot ${what} it until the hold is released`);
}

/** The full view of a document inside an open scope. */
export async function documentView(db: Db, scope: RecordScope, documentId: string): Promise<DocumentView> {
  const doc = await repo.findDocument(db, scope, documentId);
  if (!doc) throw notFound('document');
  const [versions, signatures, holds, type] = await Promise.all([
    repo.listVersions(db, scope, documentId),
    repo.listSignatures(db, scope, documentId),
    repo.activeHoldsCovering(db, scope, doc),
    repo.findType(db, doc.type_code),
  ]);
  const current = versions.find((v) => v.version === doc.current_version);
  const onCurrent = signatures.filter((s) => s.version === doc.current_version);
  return {
    ...summaryView({
      ...doc,
      ...(current
        ? { media_type: current.media_type, page_count: current.page_count, byte_size: current.byte_size, text_source: current.text_source }
        : {}),
    }),
    typeName: type?.name ?? doc.type_code,
    loincCode: type?.loinc_code ?? null,
    versions: versions.map(versionView),
    signatures: signatures.map(signatureView),
    holds: holds.map(holdView),
    awaitingCosign:
      (type?.requires_cosign ?? 0) === 1 && onCurrent.some((s) => s.role === 'author') && !onCurrent.some((s) => s.role === 'cosigner'),
  };
}

/** A document with its versions, signatures and holds: an audited read. */
export async function getDocument(deps: DocumentsDeps, actor: Actor, documentId: string): Promise<DocumentView> {
  const { scope } = await openDocument(deps, actor, documentId, { permission: Permission.documentRead, mode: 'read' });
  return documentView(deps.db, scope, documentId);
}

export interface DocumentContent {
  bytes: Uint8Array;
  mediaType: string;
  fileName: string;
  sha256: string;
  version: number;
}

/**
 * The content of one version (the current one by default), verified against its hash. Content that fails the check
 * is not served: the failure is audited (outcome failure, the hash and reason) and BlobCorruptError thrown.
 */
export async function readContent(deps: DocumentsDeps, actor: Actor, documentId: string, version?: number): Promise<DocumentContent> {
  const { scope } = await openDocument(deps, actor, documentId, {
    permission: Permission.documentRead,
    mode: 'read',
    resourceType: 'document_content',
    ...(version !== undefined ? { detail: { version } } : {}),
  });
  const doc = await repo.findDocument(deps.db, scope, documentId);
  if (!doc) throw notFound('document');
  const n = version ?? doc.current_version;
  const v = await repo.findVersion(deps.db, scope, documentId, n);
  if (!v) throw notFound('document version');
  if (!v.blob_sha256 || doc.status === DocumentStatus.destroyed)
    throw conflict('this document was destroyed: only its record of existence remains');
  try {
    const bytes = await deps.blobs.get(v.blob_sha256);
    return {
      bytes,
      mediaType: v.media_type,
      fileName: v.file_name ?? `document-${documentId}-v${n}.${extensionOf(v.media_type)}`,
      sha256: v.blob_sha256,
      version: n,
    };
  } catch (e) {
    if (e instanceof BlobCorruptError) {
      await deps.db.transaction().execute((trx) =>
        recordAudit(trx, deps.audit, scope.actor, {
          action: AuditAction.read,
          resourceType: 'document_content',
          resourceId: documentId,
          patientId: scope.patientId,
          outcome: 'failure',
          detail: scopeDetail(scope, { version: n, sha256: v.blob_sha256, integrity: e.reason }),
        }),
      );
    }
    throw e;
  }
}

export interface PageView {
  page: number;
  source: string;
  text: string;
  confidence: number | null;
  words: { text: string; x: number; y: number; w: number; h: number }[];
}

/** The text of each page of a version with its word boxes (for the viewer's hit highlighting): an audited read. */
export async function listPages(deps: DocumentsDeps, actor: Actor, documentId: string, version: number): Promise<PageView[]> {
  const { scope } = await openDocument(deps, actor, documentId, {
    permission: Permission.documentRead,
    mode: 'read',
    resourceType: 'document_text',
    detail: { version },
  });
  if (!(await repo.findVersion(deps.db, scope, documentId, version))) throw notFound('document version');
  return (await pages.listPages(deps.db, scope, documentId, version)).map((p) => ({
    page: p.page,
    source: p.source,
    text: p.text,
    confidence: p.confidence === null ? null : p.confidence,
    words: p.words ? (JSON.parse(p.words) as PageView['words']) : [],
  }));
}

/** A patient's documents (newest service date first), filtered by encounter, type or status: an audited read. */
export async function listForPatient(
  deps: DocumentsDeps,
  actor: Actor,
  patientId: string,
  filters: repo.DocumentFilter = {},
): Promise<DocumentSummary[]> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.documentRead, mode: 'read', resourceType: 'document', detail: { list: true } },
  );
  return (await repo.listDocuments(deps.db, scope, filters)).map(summaryView);
}

/** The document a source system numbered so (HL7 TXA-12), or null: for interfaces replacing or addending it. */
export async function findByExternalId(
  deps: DocumentsDeps,
  actor: Actor,
  sourceSystem: string,
  externalId: string,
): Promise<DocumentView | null> {
  const loc = await repo.locateByExternalId(deps.db, sourceSystem, externalId);
  if (!loc) return null;
  return getDocument(deps, actor, loc.id);
}

/** The document types (active ones unless asked): no patient data. */
export async function listDocumentTypes(deps: DocumentsDeps, opts: { includeInactive?: boolean } = {}) {
  return (await repo.listTypes(deps.db, opts)).map(typeView);
}
