/** Tables of the reports module (migration 0027). */
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

export interface ReportsTables {
  drg_weights: DrgWeightTable;
}
