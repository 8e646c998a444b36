/**
 * Table types of intake scanning (src/modules/scanning, migration 0012), part of `Database` (schema.ts). Same
 * conventions: UUIDv7 text ids, ISO-8601 UTC text timestamps.
 */

/** A printed cover sheet: the record, encounter and document type the pages behind it are filed to. */
export interface ScanCoverSheetTable {
  patient_id: string;
  id: string;
  encounter_id: string | null;
  type_code: string;
  /** The token in the sheet's barcode (`CUST1|patient|encounter|type|sheet`): a decoded sheet must match it. */
  token: string;
  created_by: string;
  created_at: string;
}

/** A file claimed from the scan inbox; status queued | processing | done | failed. No patient data. */
export interface ScanBatchTable {
  id: string;
  /** The name the scanner gave the file (never logged). */
  file_name: string;
  /** Where the claimed file waits (the inbox's processing folder) until every page is filed or in QA. */
  stored_path: string;
  byte_size: number;
  /** pdf | tiff, once told from the bytes; null for a file of neither. */
  format: string | null;
  status: string;
  page_count: number | null;
  job_id: string | null;
  /** Why the batch could not be read (no PHI). */
  error: string | null;
  received_at: string;
  finished_at: string | null;
}

/**
 * One page of a batch and its outcome: status filed (document_id) | cover (a cover sheet) | qa (reason; its content
 * and thumbnail kept in the scan store) | indexed (filed by hand) | discarded (reason, by whom). Page 0 stands for a
 * whole file that could not be read.
 */
export interface ScanPageTable {
  id: string;
  batch_id: string;
  page: number;
  status: string;
  reason: string | null;
  sheet_id: string | null;
  document_id: string | null;
  media_type: string | null;
  content_sha256: string | null;
  thumbnail_sha256: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
  created_at: string;
}

export interface ScanningTables {
  scan_cover_sheets: ScanCoverSheetTable;
  scan_batches: ScanBatchTable;
  scan_pages: ScanPageTable;
}
