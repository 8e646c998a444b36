/** Tables of the reports module (migrations 0027, 0029). */
export interface DrgWeightTable {
  fiscal_year: number;
  drg: string;
  mdc: string | null;
  drg_type: string | null;
  title: string;
  weight: number;
  geometric_mean_los: number | null;
  arithmetic_mean_los: number | null;
  source_file: string;
  imported_at: string;
}

/** A saved set of dashboard filters and its email schedule (migration 0029). */
export interface ReportSavedTable {
  id: string;
  name: string;
  owner: string;
  filters: string;
  schedule: 'none' | 'daily' | 'weekly';
  recipients: string;
  last_sent_at: string | null;
  created_at: string;
}

export interface ReportsTables {
  drg_weights: DrgWeightTable;
  reports_saved: ReportSavedTable;
}
