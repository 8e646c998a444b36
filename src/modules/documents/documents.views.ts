/**
 * What the documents module answers, made from stored rows: a document with its versions, signatures and active
 * holds; a summary for lists; a version; a signature; a hold; a misfile log entry; a document type.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type {
  DocumentMoveTable,
  DocumentSignatureTable,
  DocumentTable,
  DocumentTypeTable,
  DocumentVersionTable,
  LegalHoldTable,
} from '../../db/schema-documents.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { BlobStore } from './blob-store.js';
import type { PageImageRenderer } from './documents.page-image.js';
import type { DocVersionFacts } from './documents.repository.js';

/** What the documents service needs: the database, clock, audit log, record-access step and blob store. */
export interface DocumentsDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  blobs: BlobStore;
  /** Largest content accepted, in bytes (default 100 MiB). */
  maxBytes?: number;
  /** Renders TIFF pages as PNG for the web viewer (absent: page images answer a conflict naming ImageMagick). */
  pageImages?: PageImageRenderer;
}

export interface DocumentTypeView {
  code: string;
  name: string;
  loincCode: string | null;
  category: string;
  requiresCosign: boolean;
  defaultConfidentiality: string[];
  active: boolean;
  updatedAt: string;
}

export interface VersionView {
  version: number;
  kind: string;
  reason: string | null;
  sha256: string | null;
  mediaType: string;
  byteSize: number;
  pageCount: number;
  fileName: string | null;
  textSource: string;
  createdBy: string;
  createdAt: string;
}

export interface SignatureView {
  id: string;
  version: number;
  role: string;
  signerId: string;
  signerName: string;
  attestation: string;
  signedAt: string;
}

export interface HoldView {
  id: string;
  patientId: string;
  scope: string;
  encounterId: string | null;
  documentId: string | null;
  matter: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
  active: boolean;
}

export interface DocumentSummary {
  id: string;
  patientId: string;
  encounterId: string | null;
  typeCode: string;
  title: string;
  authorId: string | null;
  authorName: string | null;
  serviceAt: string;
  status: string;
  statusReason: string | null;
  confidentiality: string[];
  source: string;
  sourceSystem: string | null;
  externalId: string | null;
  currentVersion: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  destroyedAt: string | null;
  destructionCertificateId: string | null;
  /** Of the current version. */
  mediaType?: string;
  pageCount?: number;
  byteSize?: number;
  textSource?: string;
}

export interface DocumentView extends DocumentSummary {
  typeName: string;
  loincCode: string | null;
  versions: VersionView[];
  signatures: SignatureView[];
  holds: HoldView[];
  /** The type requires a co-signature and the current version has an author's signature but none of a co-signer. */
  awaitingCosign: boolean;
}

export interface MisfileView {
  id: string;
  documentId: string;
  fromPatientId: string;
  fromEncounterId: string | null;
  toPatientId: string;
  toEncounterId: string | null;
  reason: string;
  movedBy: string;
  movedAt: string;
}

export const parseFlags = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export function typeView(t: DocumentTypeTable): DocumentTypeView {
  return {
    code: t.code,
    name: t.name,
    loincCode: t.loinc_code,
    category: t.category,
    requiresCosign: t.requires_cosign === 1,
    defaultConfidentiality: parseFlags(t.default_confidentiality),
    active: t.active === 1,
    updatedAt: t.updated_at,
  };
}

export function summaryView(d: DocumentTable & Partial<DocVersionFacts>): DocumentSummary {
  return {
    id: d.id,
    patientId: d.patient_id,
    encounterId: d.encounter_id,
    typeCode: d.type_code,
    title: d.title,
    authorId: d.author_id,
    authorName: d.author_name,
    serviceAt: d.service_at,
    status: d.status,
    statusReason: d.status_reason,
    confidentiality: parseFlags(d.confidentiality),
    source: d.source,
    sourceSystem: d.source_system,
    externalId: d.external_id,
    currentVersion: d.current_version,
    createdBy: d.created_by,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    destroyedAt: d.destroyed_at,
    destructionCertificateId: d.destruction_certificate_id,
    ...(d.media_type !== undefined
      ? { mediaType: d.media_type, pageCount: Number(d.page_count), byteSize: Number(d.byte_size), textSource: d.text_source! }
      : {}),
  };
}

export function versionView(v: DocumentVersionTable): VersionView {
  return {
    version: v.version,
    kind: v.kind,
    reason: v.reason,
    sha256: v.blob_sha256,
    mediaType: v.media_type,
    byteSize: v.byte_size,
    pageCount: v.page_count,
    fileName: v.file_name,
    textSource: v.text_source,
    createdBy: v.created_by,
    createdAt: v.created_at,
  };
}

export function signatureView(s: DocumentSignatureTable): SignatureView {
  return {
    id: s.id,
    version: s.version,
    role: s.role,
    signerId: s.signer_id,
    signerName: s.signer_name,
    attestation: s.attestation,
    signedAt: s.signed_at,
  };
}

export function holdView(h: LegalHoldTable): HoldView {
  return {
    id: h.id,
    patientId: h.patient_id,
    scope: h.scope,
    encounterId: h.encounter_id,
    documentId: h.document_id,
    matter: h.matter,
    reason: h.reason,
    placedBy: h.placed_by,
    placedAt: h.placed_at,
    releasedBy: h.released_by,
    releasedAt: h.released_at,
    releaseReason: h.release_reason,
    active: h.released_at === null,
  };
}

export function misfileView(m: DocumentMoveTable): MisfileView {
  return {
    id: m.id,
    documentId: m.document_id,
    fromPatientId: m.from_patient_id,
    fromEncounterId: m.from_encounter_id,
    toPatientId: m.to_patient_id,
    toEncounterId: m.to_encounter_id,
    reason: m.reason,
    movedBy: m.moved_by,
    movedAt: m.moved_at,
  };
}
