/**
 * Types of the MS-DRG grouper: the compiled tables and the result of grouping one claim.
 * Field names of {@link GroupResult} follow the CMS Java grouper output (see README.md).
 */

export const ReturnCode = {
  OK: 'OK',
  INVALID_PDX: 'INVALID_PDX',
  DX_CANNOT_BE_PDX: 'DX_CANNOT_BE_PDX',
  INVALID_SEX: 'INVALID_SEX',
  INVALID_DISCHARGE_STATUS: 'INVALID_DISCHARGE_STATUS',
  HAC_MISSING_ONE_POA: 'HAC_MISSING_ONE_POA',
  HAC_STATUS_INVALID_POA_N_OR_U: 'HAC_STATUS_INVALID_POA_N_OR_U',
  HAC_STATUS_INVALID_POA_INVALID_OR_1: 'HAC_STATUS_INVALID_POA_INVALID_OR_1',
  HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W: 'HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W',
} as const;
export type ReturnCode = (typeof ReturnCode)[keyof typeof ReturnCode];

export type MedSurg = 'MEDICAL' | 'SURGICAL' | 'NONE';
export type Severity = 'MCC' | 'CC' | 'NON_CC' | 'NONE';
export type HacStatus = 'NOT_APPLICABLE' | 'FINAL_DRG_NO_CHANGE' | 'FINAL_DRG_CHANGES' | 'FINAL_DRG_UNGROUPABLE';
export type SdxSeverityFlag =
  'MCC' | 'CC' | 'MCC_EXCLUDED' | 'CC_EXCLUDED' | 'MCC_EXCLUDED_BY_DRG_LOGIC' | 'CC_EXCLUDED_BY_DRG_LOGIC' | 'NEITHER';

/** Why a secondary diagnosis has the severity flag it has (explanation). */
export interface SdxExplanation {
  code: string;
  flag: SdxSeverityFlag;
  /** CC/MCC level of the code in the table (Tables 6I/6J), before any exclusion. */
  tableSeverity: 'MCC' | 'CC' | 'NON_CC' | 'INVALID';
  reason: string;
}

export type DrgRule = { mdc: string; rank: number; drg: string; formula: string } | { step: string };

/** How the DRG was reached: the rows and the facts the grouper used. */
export interface GroupExplanation {
  version: string;
  mdcReason: string;
  /** The drg_formulas.tsv row that assigned the final DRG, or a named grouper step (e.g. unrelated OR procedure). */
  drgRule: DrgRule;
  /** The rule of the initial DRG when HAC logic regrouped the claim. */
  initialDrgRule: DrgRule | undefined;
  /** Operating-room procedures of the claim. */
  orProcedures: string[];
  /** Procedures whose attributes the chosen formula tests (e.g. the procedure that made the claim surgical). */
  formulaProcedures: string[];
  secondaryDx: SdxExplanation[];
  hac: { code: string; hac: string; poa: string; effect: string }[];
}

export interface GroupResult {
  initialDrg: string;
  initialMdc: string;
  initialReturnCode: ReturnCode;
  finalDrg: string;
  finalMdc: string;
  finalReturnCode: ReturnCode;
  medSurg: MedSurg;
  severity: Severity;
  hacStatus: HacStatus;
  secondaryDxSeverity: SdxSeverityFlag[];
  proceduresOR: boolean[];
  drgTitle: string;
  mdcTitle: string;
  initialDrgTitle: string;
}

export interface GroupResultWithExplanation extends GroupResult {
  explanation: GroupExplanation;
}
