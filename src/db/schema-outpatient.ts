/** Tables of the stored outpatient abstract (migration 0031, src/modules/outpatient). */

/** One per outpatient encounter: side facility | professional; status draft | final; `data` is JSON (OutpatientAbstractData). */
export interface OutpatientAbstractTable {
  patient_id: string;
  encounter_id: string;
  side: string;
  status: string;
  version: number;
  data: string;
  /** The E/M code chosen, for lists and reports (also in data). */
  em_code: string | null;
  coded_by: string | null;
  coded_at: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** Every saved version: kind draft | final | reopen. Never updated. */
export interface OutpatientAbstractVersionTable {
  patient_id: string;
  encounter_id: string;
  version: number;
  kind: string;
  data: string;
  reason: string | null;
  saved_by: string;
  saved_at: string;
}

export interface OutpatientTables {
  outpatient_abstracts: OutpatientAbstractTable;
  outpatient_abstract_versions: OutpatientAbstractVersionTable;
}
