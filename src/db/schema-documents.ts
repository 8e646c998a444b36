/**
 * Table types of the legal health record (src/modules/documents, migration 0010), part of `Database` (schema.ts).
 * Same conventions: UUIDv7 text ids, ISO-8601 UTC text timestamps, 0/1 integers; the tables of one patient's rows
 * lead their primary key with patient_id.
 */

/** A document type of the controlled list (editable by the HIM director). */
export interface DocumentTypeTable {
  code: string;
  name: string;
  /** LOINC document code (e.g. 18842-5 discharge summary), when one fits. */
  loinc_code: string | null;
  /** clinical | diagnostic | legal | administrative | outside */
  category: string;
  /** 1 when an author's signature needs a co-signature (a resident's note). */
  requires_cosign: number;
  /** JSON string[]: confidentiality flags a new document of this type carries unless told otherwise. */
  default_confidentiality: string;
  active: number;
  updated_at: string;
}

/** A document of a patient; status preliminary | final | amended | entered_in_error | destroyed. */
export interface DocumentTable {
  patient_id: string;
  id: string;
  encounter_id: string | null;
  type_code: string;
  title: string;
  author_id: string | null;
  author_name: string | null;
  service_at: string;
  status: string;
  /** Why it was marked entered in error (or another status change that needs one). */
  status_reason: string | null;
  /** JSON string[]: part2_sud | behavioral_health | hiv | reproductive_health | psychotherapy_notes. */
  confidentiality: string;
  /** upload | import | scan | hl7 | amendment | system */
  source: string;
  source_system: string | null;
  /** The sender's document number (HL7 TXA-12), unique per source system. */
  external_id: string | null;
  current_version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  destroyed_at: string | null;
  destruction_certificate_id: string | null;
}

/** One version of a document's content (never overwritten); kind original | revision | addendum | correction | replacement | amendment. */
export interface DocumentVersionTable {
  patient_id: string;
  document_id: string;
  version: number;
  kind: string;
  reason: string | null;
  /** SHA-256 (hex) of the plaintext content in the blob store; null once destroyed. */
  blob_sha256: string | null;
  media_type: string;
  byte_size: number;
  page_count: number;
  file_name: string | null;
  /** Where its searchable text comes from: native | ocr_pending | ocr | none. */
  text_source: string;
  created_by: string;
  created_at: string;
}

/** An electronic signature on a version: role author | cosigner. */
export interface DocumentSignatureTable {
  patient_id: string;
  id: string;
  document_id: string;
  version: number;
  role: string;
  signer_id: string;
  signer_name: string;
  attestation: string;
  signed_at: string;
}

/** The text of one page of a version (native or OCR), with its word boxes (JSON) for hit highlighting. */
export interface DocumentPageTable {
  patient_id: string;
  document_id: string;
  version: number;
  page: number;
  /** native | ocr */
  source: string;
  text: string;
  confidence: number | null;
  /** JSON [{text, x, y, w, h}] relative 0..1, or null. */
  words: string | null;
  /** SQLite: the row of document_pages_fts holding this page's text. */
  fts_rowid: number | null;
}

/** A legal hold on a patient's record, one encounter or one document (scope patient | encounter | document). */
export interface LegalHoldTable {
  patient_id: string;
  id: string;
  scope: string;
  encounter_id: string | null;
  document_id: string | null;
  /** The litigation or investigation it is for (a matter number). */
  matter: string;
  reason: string;
  placed_by: string;
  placed_at: string;
  released_by: string | null;
  released_at: string | null;
  release_reason: string | null;
}

/** The misfile log: a document moved to the right patient or encounter (patient_id = where it went). */
export interface DocumentMoveTable {
  patient_id: string;
  id: string;
  document_id: string;
  from_patient_id: string;
  from_encounter_id: string | null;
  to_patient_id: string;
  to_encounter_id: string | null;
  reason: string;
  moved_by: string;
  moved_at: string;
}

export interface DocumentsTables {
  document_types: DocumentTypeTable;
  documents: DocumentTable;
  document_versions: DocumentVersionTable;
  document_signatures: DocumentSignatureTable;
  document_pages: DocumentPageTable;
  legal_holds: LegalHoldTable;
  document_moves: DocumentMoveTable;
}
