/** The legal health record: documents, versions, content (encrypted blob store), signatures, holds, misfiles, search. */
export { createDocumentsService, type DocumentsService } from './documents.service.js';
export type { ContentInput, FileDocumentInput, NewVersionInput } from './documents.filing.js';
export type { DocumentContent, PageView } from './documents.reading.js';
export type { HoldInput } from './documents.admin.js';
export type { SearchHit, SearchInput } from './documents.search.js';
export type { DocumentFilter } from './documents.repository.js';
export type {
  DocumentsDeps,
  DocumentSummary,
  DocumentTypeView,
  DocumentView,
  HoldView,
  MisfileView,
  SignatureView,
  VersionView,
} from './documents.views.js';
export { BlobCorruptError, createLocalBlobStore, sha256Hex, type BlobStore } from './blob-store.js';
export {
  DocumentStatus,
  DocumentSource,
  VersionKind,
  MediaType,
  confidentialityFlags,
  detectDocumentType,
  resolveMediaType,
  type ConfidentialityFlag,
} from './documents.rules.js';
export { renderCdaText, hl7MessageText, pdfTextPages } from './documents.content.js';
export { documentsOcrJobDeps } from './documents.ocr.js';
export { createTiffPageRenderer, PageImageSize, type PageImageRenderer } from './documents.page-image.js';
/** MPI merges (src/modules/mpi): a patient's documents, holds and misfile log entries go to the survivor. */
export { documentsMergeParticipant, DOCUMENTS_PATIENT_TABLES } from './documents-merge.js';
export { documentRoutes, type DocumentsRoutesDeps } from './documents.routes.js';
