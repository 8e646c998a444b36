/** Tables of the research module (migration 0021). */
export interface ResearchExtractTable {
  id: string;
  created_by: string;
  created_at: string;
  /** The cohort as JSON (CohortSchema). */
  cohort: string;
  purpose: string;
  irb_reference: string;
  method: string;
  data_use_agreement: string | null;
  include_notes: number;
  row_count: number;
}

export interface ResearchTables {
  research_extracts: ResearchExtractTable;
}
