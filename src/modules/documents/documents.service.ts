/**
 * The documents service: one object over the module's operations, made once with its deps (the contract other
 * modules build on; see /src/modules/documents/README.md). Each method checks access through the record-access step.
 */
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { addVersion, fileDocument, type FileDocumentInput, type NewVersionInput } from './documents.filing.js';
import {
  findByExternalId,
  getDocument,
  listDocumentTypes,
  listForPatient,
  listPages,
  readContent,
  type DocumentContent,
  type PageView,
} from './documents.reading.js';
import { destroyDocument, moveDocument, setStatus, signDocument } from './documents.lifecycle.js';
import { listHolds, listMisfiles, placeHold, releaseHold, updateDocumentType, type HoldInput } from './documents.admin.js';
import { renderPageImage, type PageImageSize } from './documents.page-image.js';
import { searchDocuments, type SearchHit, type SearchInput } from './documents.search.js';
import type { DocumentFilter } from './documents.repository.js';
import type { DocumentsDeps, DocumentSummary, DocumentTypeView, DocumentView, HoldView, MisfileView } from './documents.views.js';

export interface DocumentsService {
  fileDocument(actor: Actor, input: FileDocumentInput): Promise<DocumentView>;
  addVersion(actor: Actor, documentId: string, input: NewVersionInput): Promise<DocumentView>;
  getDocument(actor: Actor, documentId: string): Promise<DocumentView>;
  readContent(actor: Actor, documentId: string, version?: number): Promise<DocumentContent>;
  listPages(actor: Actor, documentId: string, version: number): Promise<PageView[]>;
  /** One page of a TIFF version as PNG (for the web viewer): an audited content read. */
  renderPageImage(actor: Actor, documentId: string, version: number, page: number, size?: PageImageSize): Promise<Uint8Array>;
  listForPatient(actor: Actor, patientId: string, filters?: DocumentFilter): Promise<DocumentSummary[]>;
  findByExternalId(actor: Actor, sourceSystem: string, externalId: string): Promise<DocumentView | null>;
  setStatus(actor: Actor, documentId: string, status: string, reason: string): Promise<DocumentView>;
  sign(actor: Actor, documentId: string, input: { attestation: string; role: string }): Promise<DocumentView>;
  moveDocument(
    actor: Actor,
    documentId: string,
    input: { patientId: string; encounterId?: string | null; reason: string },
  ): Promise<DocumentView>;
  placeHold(actor: Actor, input: HoldInput): Promise<HoldView>;
  releaseHold(actor: Actor, holdId: string, reason: string): Promise<HoldView>;
  listHolds(actor: Actor, opts?: { activeOnly?: boolean }): Promise<(HoldView & { mrn: string; details: boolean })[]>;
  listMisfiles(actor: Actor, opts?: { limit?: number }): Promise<(MisfileView & { details: boolean })[]>;
  destroyDocument(actor: Actor, documentId: string, input: { certificateId: string }): Promise<DocumentView>;
  search(actor: Actor, input: SearchInput): Promise<{ hits: SearchHit[]; terms: string[] }>;
  listTypes(actor: Actor, opts?: { includeInactive?: boolean }): Promise<DocumentTypeView[]>;
  updateType(actor: Actor, code: string, input: unknown): Promise<DocumentTypeView>;
}

export function createDocumentsService(deps: DocumentsDeps): DocumentsService {
  return {
    fileDocument: (actor, input) => fileDocument(deps, actor, input),
    addVersion: (actor, id, input) => addVersion(deps, actor, id, input),
    getDocument: (actor, id) => getDocument(deps, actor, id),
    readContent: (actor, id, version) => readContent(deps, actor, id, version),
    listPages: (actor, id, version) => listPages(deps, actor, id, version),
    renderPageImage: (actor, id, version, page, size) => renderPageImage(deps, actor, id, version, page, size),
    listForPatient: (actor, patientId, filters) => listForPatient(deps, actor, patientId, filters),
    findByExternalId: (actor, system, externalId) => findByExternalId(deps, actor, system, externalId),
    setStatus: (actor, id, status, reason) => setStatus(deps, actor, id, status, reason),
    sign: (actor, id, input) => signDocument(deps, actor, id, input),
    moveDocument: (actor, id, input) => moveDocument(deps, actor, id, input),
    placeHold: (actor, input) => placeHold(deps, actor, input),
    releaseHold: (actor, id, reason) => releaseHold(deps, actor, id, reason),
    listHolds: (actor, opts) => listHolds(deps, actor, opts),
    listMisfiles: (actor, opts) => listMisfiles(deps, actor, opts),
    destroyDocument: (actor, id, input) => destroyDocument(deps, actor, id, input),
    search: (actor, input) => searchDocuments(deps, actor, input),
    async listTypes(actor, opts) {
      if (!actor.system) await requirePermission(deps, actor, Permission.documentRead, { type: 'document_type' });
      return listDocumentTypes(deps, opts);
    },
    updateType: (actor, code, input) => updateDocumentType(deps, actor, code, input),
  };
}
