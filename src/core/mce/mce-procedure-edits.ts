import { Edit } from './mce-edits.js';
import { DxFlag, SgFlag } from './mce-flags.js';

/**
 * Procedure coverage rules of the MCE (CMS MCE Definitions Manual: "Non-covered procedure", "Limited
 * coverage", "Bilateral procedure", "Non-specific OR procedure", "Questionable obstetric admission",
 * "Procedure inconsistent with length of stay"). Pure functions over attribute bitmasks.
 */

/** Claim-wide facts the procedure edits look at, gathered once per claim. */
export interface ProcedureContext {
  /** OR of the attributes of every valid diagnosis (principal and secondary) */
  readonly anyDxFlags: number;
  /** OR of the attributes of the valid secondary diagnoses */
  readonly sdxFlags: number;
  /** attributes of the principal diagnosis (0 when invalid) */
  readonly pdxFlags: number;
  /** OR of the attributes of every valid procedure */
  readonly anySgFlags: number;
  /** some OR procedure is not a non-specific one */
  readonly specificOrPresent: boolean;
  /** number of distinct bilateral procedure codes */
  readonly bilateralCodes: number;
  readonly ageYears: number;
  readonly lengthOfStay: number | undefined;
  readonly dischargeDate: number;
}

/** Pancreas transplant coverage changed on this date (NCD 260.3): since then it needs a kidney transplant or type 1 diabetes. */
const PANCREAS_NCD_DATE = 20060426;
/** ICD-10 mechanical ventilation 96+ hours (5A1955Z) needs a stay of at least this many days. */
const MIN_LOS_FOR_LOS_ATTRIBUTE = 5;
/** Hip resurfacing is covered only at or under this age. */
const MAX_COVERED_AGE_NCOV12 = 60;

const has = (flags: number, bit: number): boolean => (flags & bit) !== 0;

/** NON_COVERED: the procedure is not covered by Medicare given the claim's diagnoses and age. */
export function isNonCovered(f: number, c: ProcedureContext): boolean {
  if (has(f, SgFlag.noncovered)) return true;
  if (has(f, SgFlag.ncov45)) {
    if (c.dischargeDate < PANCREAS_NCD_DATE) {
      if (!has(c.anyDxFlags, DxFlag.ncov4) || !has(c.anyDxFlags, DxFlag.ncov5)) return true;
    } else if (!has(c.anySgFlags, SgFlag.kidneyxp) && !has(c.anyDxFlags, DxFlag.diabtypeI)) {
      return true;
    }
  }
  if (artificialHeartPair(f, c) && !has(c.anyDxFlags, DxFlag.clintrial)) return true;
  if (has(f, SgFlag.ncov6) && has(c.anyDxFlags, DxFlag.ncov6)) return true;
  if (has(f, SgFlag.ncov7) && has(c.anyDxFlags, DxFlag.ncov7)) return true;
  if (has(f, SgFlag.ncov12agele60) && (c.ageYears < 0 || c.ageYears > MAX_COVERED_AGE_NCOV12)) return true;
  if (has(f, SgFlag.ncov_z302) && has(c.anyDxFlags, DxFlag.ncov_z302)) return true;
  if (has(f, SgFlag.ncov2) && !has(c.anyDxFlags, DxFlag.ncov2)) {
    if (has(c.anyDxFlags, DxFlag.ncov2agelt64)) {
      if (c.ageYears < 0 || c.ageYears >= 64) return true;
    } else if (has(c.anyDxFlags, DxFlag.ncov2agelt78)) {
      if (c.ageYears < 0 || c.ageYears >= 78) return true;
    } else {
      return true;
    }
  }
  if (has(f, SgFlag.ncov3) && !has(c.anyDxFlags, DxFlag.ncov3)) return true;
  if (has(f, SgFlag.ncov8) && (!has(c.sdxFlags, DxFlag.ncov89) || !has(c.anySgFlags, SgFlag.ncov9))) return true;
  if (has(f, SgFlag.ncov13a) && !has(c.anySgFlags, SgFlag.ncov13b)) return true;
  return has(f, SgFlag.lcov_artheartxp) && !has(c.anyDxFlags, DxFlag.clintrial);
}

/** Both halves of the artificial-heart pair (lcov_artheartxpa and ...b) are on the claim and this is one. */
function artificialHeartPair(f: number, c: ProcedureContext): boolean {
  return (
    has(f, SgFlag.lcov_artheartxpa | SgFlag.lcov_artheartxpb) &&
    has(c.anySgFlags, SgFlag.lcov_artheartxpa) &&
    has(c.anySgFlags, SgFlag.lcov_artheartxpb)
  );
}

/** LIMITED_COVERAGE: covered only under conditions; checked only when the procedure is not non-covered. */
export function isLimitedCoverage(f: number, c: ProcedureContext): boolean {
  if (has(f, SgFlag.lcov) || has(f, SgFlag.lcov_artheartxp)) return true;
  return artificialHeartPair(f, c) && has(c.anyDxFlags, DxFlag.clintrial);
}

/**
 * The edits of one valid procedure, in the order the MCE reports them, written to `out`; returns how many.
 * BILATERAL is returned here for each bilateral code but counted once per claim by the caller.
 */
export function procedureEdits(f: number, c: ProcedureContext, out: Int32Array): number {
  let n = 0;
  if (has(f, SgFlag.nonspecific) && !c.specificOrPresent) out[n++] = Edit.NONSPECIFIC_OR;
  if (has(f, SgFlag.biopsy)) out[n++] = Edit.OPEN_BIOPSY;
  if (has(f, SgFlag.los) && c.lengthOfStay !== undefined && c.lengthOfStay < MIN_LOS_FOR_LOS_ATTRIBUTE) {
    out[n++] = Edit.INCONSISTENT_WITH_LENGTH_OF_STAY;
  }
  if (isNonCovered(f, c)) out[n++] = Edit.NON_COVERED;
  else if (isLimitedCoverage(f, c)) out[n++] = Edit.LIMITED_COVERAGE;
  if (has(f, SgFlag.bilateral) && has(c.pdxFlags, DxFlag.mdc08) && c.bilateralCodes >= 2) out[n++] = Edit.BILATERAL;
  if (has(f, SgFlag.csect | SgFlag.vagdel) && !has(c.sdxFlags, DxFlag.delout)) {
    out[n++] = Edit.QUESTIONABLE_OBSTETRIC_ADMISSION;
  }
  return n;
}
