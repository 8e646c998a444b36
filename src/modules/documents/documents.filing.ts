/**
 * Filing: a new document with its first version, and a new version of a document (never overwriting one). Content
 * is checked (type told from its bytes, size, readable), stored in the blob store before the transaction (a blob
 * no version references is harmless: content-addressed, encrypted), and its native text indexed; scanned content is
 * queued for OCR (`document.ocr`) in the same transaction, so the job exists exactly when the version does.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import { Permission, scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { enqueueJob } from '../jobs/index.js';
import { OCR_JOB_KIND } from '../ocr/index.js';
import * as repo from './documents.repository.js';
import * as pages from './documents.pages.repository.js';
import { analyzeContent } from './documents.content.js';
import {
  DocumentStatus,
  FileDocumentSchema,
  NewVersionSchema,
  parseInput,
  resolveMediaType,
  statusAfterVersion,
  TextSource,
  versionProblem,
  type MediaType,
  type VersionKind,
} from './documents.rules.js';
import { parseFlags, type DocumentsDeps } from './documents.views.js';
import { assertNoHold, documentView, openDocument } from './documents.reading.js';
import type { DocumentView } from './documents.views.js';

/** Content to file: the bytes, the type the sender declared (told from the bytes when unspecified), the file name. */
export interface ContentInput {
  bytes: Uint8Array;
  mediaType: string;
  fileName?: string | null | undefined;
}

export interface FileDocumentInput {
  patientId: string;
  encounterId?: string | null | undefined;
  typeCode: string;
  title?: string | null | undefined;
  authorId?: string | null | undefined;
  authorName?: string | null | undefined;
  serviceAt?: string | null | undefined;
  status?: 'preliminary' | 'final' | null | undefined;
  confidentiality?: string[] | null | undefined;
  source: string;
  externalId?: string | null | undefined;
  sourceSystem?: string | null | undefined;
  content: ContentInput;
}

export interface NewVersionInput {
  content: ContentInput;
  kind: string;
  reason: string;
  status?: string | null | undefined;
}

/** Checked content, stored: what a version row needs. */
interface StoredContent {
  sha256: string;
  byteSize: number;
  mediaType: MediaType;
  fileName: string | null;
  pageCount: number;
  pages: { page: number; text: string }[] | null;
}

async function storeContent(deps: DocumentsDeps, c: ContentInput): Promise<StoredContent> {
  if (!(c.bytes instanceof Uint8Array)) throw invalid('content: bytes are required');
  const max = deps.maxBytes ?? 100 * 1024 * 1024;
  if (c.bytes.byteLength > max) throw invalid(`content: the file is larger than the ${Math.floor(max / 1048576)} MiB allowed`);
  const mediaType = resolveMediaType(c.bytes, c.mediaType);
  const facts = await analyzeContent(c.bytes, mediaType);
  const { sha256, byteSize } = await deps.blobs.put(c.bytes);
  // eslint-disable-next-line no-control-regex -- control characters (and path separators) are taken out of file names
  const fileName = c.fileName ? c.fileName.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200) : null;
  return { sha256, byteSize, mediaType, fileName, pageCount: facts.pageCount, pages: facts.pages };
}

/** Writes a version row, its native pages or its OCR job, in the caller's transaction. */
async function writeVersion(
  trx: Db,
  deps: DocumentsDeps,
  scope: RecordScope,
  v: { documentId: string; version: number; kind: VersionKind; reason: string | null; content: StoredContent; actor: Actor },
): Promise<void> {
  const c = v.content;
  const textSource = c.pages ? TextSource.native : TextSource.ocrPending;
  await repo.insertVersion(trx, scope, {
    patient_id: scope.patientId,
    document_id: v.documentId,
    version: v.version,
    kind: v.kind,
    reason: v.reason,
    blob_sha256: c.sha256,
    media_type: c.mediaType,
    byte_size: c.byteSize,
    page_count: c.pageCount,
    file_name: c.fileName,
    text_source: textSource,
    created_by: v.actor.userId,
    created_at: isoNow(deps.clock),
  });
  if (c.pages) {
    await pages.insertPages(
      trx,
      scope,
      c.pages.map((p) => ({
        document_id: v.documentId,
        version: v.version,
        page: p.page,
        source: 'native',
        text: p.text,
        confidence: null,
        words: null,
      })),
    );
  } else {
    await enqueueJob(trx, deps.clock, {
      kind: OCR_JOB_KIND,
      payload: { documentId: v.documentId, version: v.version },
      patientId: scope.patientId,
      dedupeKey: `ocr:${v.documentId}:${v.version}`,
      createdBy: v.actor.userId,
    });
  }
}

/** Files a new document (version 1) in a patient's record, or in one encounter of it. */
export async function fileDocument(deps: DocumentsDeps, actor: Actor, input: FileDocumentInput): Promise<DocumentView> {
  const m = parseInput(FileDocumentSchema, input);
  const type = await repo.findType(deps.db, m.typeCode);
  if (!type || type.active !== 1) throw invalid('typeCode: not a document type in use');
  if ((m.externalId && !m.sourceSystem) || (!m.externalId && m.sourceSystem)) throw invalid('externalId: give it with its sourceSystem');
  const use = { permission: Permission.documentWrite, mode: 'write' as const, resourceType: 'document' };
  const scope = m.encounterId
    ? await deps.records.open(actor, { encounterId: m.encounterId }, use)
    : await deps.records.open(actor, { patientId: m.patientId }, use);
  if (scope.patientId !== m.patientId) throw notFound('encounter');
  if (scope.mergedInto) throw conflict('this record was merged into another: file the document under the surviving record');
  const content = await storeContent(deps, input.content);
  const id = newId();
  const now = isoNow(deps.clock);
  return deps.db.transaction().execute(async (trx) => {
    if (m.externalId && m.sourceSystem && (await repo.locateByExternalId(trx, m.sourceSystem, m.externalId)))
      throw conflict('a document with this external id from this source system is already filed');
    await repo.insertDocument(trx, scope, {
      patient_id: scope.patientId,
      id,
      encounter_id: m.encounterId ?? null,
      type_code: type.code,
      title: m.title ?? type.name,
      author_id: m.authorId ?? null,
      author_name: m.authorName ?? null,
      service_at: m.serviceAt ? new Date(m.serviceAt).toISOString() : now,
      status: m.status ?? DocumentStatus.preliminary,
      status_reason: null,
      confidentiality: JSON.stringify(m.confidentiality ?? parseFlags(type.default_confidentiality)),
      source: m.source,
      source_system: m.sourceSystem ?? null,
      external_id: m.externalId ?? null,
      current_version: 1,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      destroyed_at: null,
      destruction_certificate_id: null,
    });
    await writeVersion(trx, deps, scope, { documentId: id, version: 1, kind: 'original', reason: null, content, actor });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.create,
      resourceType: 'document',
      resourceId: id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, {
        typeCode: type.code,
        version: 1,
        mediaType: content.mediaType,
        pages: content.pageCount,
        sha256: content.sha256,
      }),
    });
    return documentView(trx, scope, id);
  });
}

/** Adds a version to a document: every earlier version stays as it was, and readable. Refused under a legal hold. */
export async function addVersion(deps: DocumentsDeps, actor: Actor, documentId: string, input: NewVersionInput): Promise<DocumentView> {
  const v = parseInput(NewVersionSchema, { kind: input.kind, reason: input.reason, status: input.status });
  const { scope } = await openDocument(deps, actor, documentId, { permission: Permission.documentWrite, mode: 'write' });
  const content = await storeContent(deps, input.content);
  return deps.db.transaction().execute(async (trx) => {
    const doc = await repo.findDocument(trx, scope, documentId);
    if (!doc) throw notFound('document');
    const problem = versionProblem(doc.status);
    if (problem) throw conflict(problem);
    await assertNoHold(trx, scope, doc, 'add a version to');
    const version = doc.current_version + 1;
    await writeVersion(trx, deps, scope, { documentId, version, kind: v.kind, reason: v.reason, content, actor });
    const status = statusAfterVersion(doc.status, v.kind, v.status ?? undefined);
    await repo.updateDocument(trx, scope, documentId, { current_version: version, status, updated_at: isoNow(deps.clock) });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.update,
      resourceType: 'document',
      resourceId: documentId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { version, kind: v.kind, mediaType: content.mediaType, sha256: content.sha256 }),
    });
    return documentView(trx, scope, documentId);
  });
}
