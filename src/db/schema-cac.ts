/** Tables of computer-assisted coding (migration 0023, src/modules/cac). */
export interface CacDecisionTable {
  patient_id: string;
  id: string;
  encounter_id: string;
  code: string;
  system: string;
  decision: string;
  reason: string | null;
  accepted_as: string | null;
  evidence_document_id: string | null;
  evidence_version: number | null;
  evidence_start: number | null;
  evidence_end: number | null;
  evidence_text: string | null;
  score: number;
  rank: number;
  decided_by: string;
  decided_at: string;
}

export interface CacTables {
  cac_decisions: CacDecisionTable;
}
