/**
 * Table types of chart completion (src/modules/completion, migration 0014), part of `Database` (schema.ts). Same
 * conventions: UUIDv7 text ids, ISO-8601 UTC text timestamps, 0/1 integers; one patient's rows lead their key with
 * patient_id.
 */

/** A facility's completion settings (JSON of CompletionSettings), set by the HIM director. */
export interface CompletionSettingsTable {
  facility_id: string;
  settings: string;
  updated_by: string;
  updated_at: string;
}

/** The completion status of one analysed encounter: status incomplete | complete (delinquent is told by the date). */
export interface CompletionRecordTable {
  patient_id: string;
  encounter_id: string;
  facility_id: string;
  discharge_at: string;
  status: string;
  /** Open or disputed deficiencies. */
  outstanding_count: number;
  /** Dictated documents awaiting transcription. */
  pending_count: number;
  analysed_at: string;
  /** When the record last became complete (null while incomplete). */
  completed_at: string | null;
  updated_at: string;
}

/**
 * A deficiency: type missing_document | unsigned | cosignature | verbal_order | incomplete_content; status open |
 * completed | waived | disputed; source analysis (key set: stable across analyses) | manual (by an analyst).
 */
export interface DeficiencyTable {
  patient_id: string;
  id: string;
  encounter_id: string;
  key: string | null;
  type: string;
  requirement: string;
  document_id: string | null;
  document_type_code: string;
  responsible_provider_id: string | null;
  citation: string;
  message: string;
  /** Where in the record an analyst found it (a page reference), for a deficiency added by hand. */
  page_ref: string | null;
  source: string;
  status: string;
  due_at: string;
  created_by: string;
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  /** Why it was waived or disputed. */
  reason: string | null;
  updated_at: string;
}

/** What happened to a deficiency: kind created | reassigned | waived | disputed | completed | reopened. */
export interface DeficiencyEventTable {
  patient_id: string;
  id: string;
  deficiency_id: string;
  kind: string;
  from_provider_id: string | null;
  to_provider_id: string | null;
  reason: string | null;
  by_user: string;
  at: string;
}

export interface CompletionTables {
  completion_settings: CompletionSettingsTable;
  completion_records: CompletionRecordTable;
  deficiencies: DeficiencyTable;
  deficiency_events: DeficiencyEventTable;
}
