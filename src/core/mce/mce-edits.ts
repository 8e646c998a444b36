/**
 * The Medicare Code Editor edit catalogue: every edit the CMS MCE 2.0 (Java) component can report, in the
 * CMS ordinal order, with the payment review it calls for. Source: CMS MCE Definitions Manual, "Edit
 * type" column (prepayment edits stop the claim before payment, postpayment edits are reviewed after).
 */

/** Claim-level outcome: which payment review the edits call for, or a discharge date the release cannot edit. */
export const MceEditType = {
  NONE: 'NONE',
  PREPAYMENT: 'PREPAYMENT',
  POSTPAYMENT: 'POSTPAYMENT',
  BOTH: 'BOTH',
  INVALID_DISCHARGE_DATE: 'INVALID_DISCHARGE_DATE',
} as const;
export type MceEditType = (typeof MceEditType)[keyof typeof MceEditType];

/** How an edit affects the claim-level edit type. `none` edits are informational only. */
type Review = 'pre' | 'post' | 'none';

const CATALOGUE = [
  ['INVALID_CODE', 'pre'],
  ['SEX_CONFLICT', 'pre'],
  ['AGE_CONFLICT', 'pre'],
  ['QUESTIONABLE_ADMISSION', 'pre'],
  ['MANIFESTATION_AS_PDX', 'pre'],
  ['NONSPECIFIC_PDX', 'post'],
  ['E_CODE_AS_PDX', 'pre'],
  ['UNACCEPTABLE_PDX', 'pre'],
  ['DUPLICATE_OF_PDX', 'pre'],
  ['MEDICARE_IS_SECONDARY_PAYER', 'post'],
  ['REQUIRES_SDX', 'pre'],
  ['NONSPECIFIC_OR', 'post'],
  ['OPEN_BIOPSY', 'post'],
  ['NON_COVERED', 'pre'],
  ['BILATERAL', 'post'],
  ['LIMITED_COVERAGE_LVRS', 'pre'],
  ['LIMITED_COVERAGE', 'pre'],
  ['LIMITED_COVERAGE_LUNG_TRANSPLANT', 'pre'],
  ['QUESTIONABLE_OBSTETRIC_ADMISSION', 'pre'],
  ['LIMITED_COVERAGE_COMBINATION_HEART_LUNG', 'pre'],
  ['LIMITED_COVERAGE_HEART_TRANSPLANT', 'pre'],
  ['LIMITED_COVERAGE_HEART_IMPLANT', 'pre'],
  ['LIMITED_COVERAGE_INTESTINE', 'pre'],
  ['LIMITED_COVERAGE_LIVER', 'pre'],
  ['INVALID_ADMIT_DX', 'none'],
  ['INVALID_AGE', 'pre'],
  ['INVALID_SEX', 'pre'],
  ['INVALID_DISCHARGE_STATUS', 'pre'],
  ['LIMITED_COVERAGE_KIDNEY', 'pre'],
  ['LIMITED_COVERAGE_PANCREAS', 'pre'],
  ['TYPE_OF_AGE_CONFLICT', 'none'],
  ['INVALID_POA', 'none'],
  ['LIMITED_COVERAGE_ARTIFICIAL_HEART', 'pre'],
  ['WRONG_PROCEDURE_PERFORMED', 'pre'],
  ['INCONSISTENT_WITH_LENGTH_OF_STAY', 'pre'],
  ['UNSPECIFIED', 'pre'],
] as const satisfies readonly (readonly [string, Review])[];

/** CMS name of an MCE edit. */
export type MceEditName = (typeof CATALOGUE)[number][0];

/** Edit names by ordinal. */
export const MCE_EDIT_NAMES: readonly MceEditName[] = CATALOGUE.map((e) => e[0]);

/** Ordinal of each edit, e.g. `Edit.AGE_CONFLICT === 2`. */
export const Edit = Object.freeze(Object.fromEntries(CATALOGUE.map(([name], i) => [name, i])) as { readonly [K in MceEditName]: number });

const PRE = CATALOGUE.map((e) => e[1] === 'pre');
const POST = CATALOGUE.map((e) => e[1] === 'post');

/** Claim edit type from per-edit counts (indexed by ordinal): PREPAYMENT, POSTPAYMENT, BOTH or NONE. */
export function editTypeOf(counts: ArrayLike<number>): MceEditType {
  let pre = false;
  let post = false;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    if (PRE[i] === true) pre = true;
    else if (POST[i] === true) post = true;
  }
  if (pre && post) return MceEditType.BOTH;
  if (pre) return MceEditType.PREPAYMENT;
  return post ? MceEditType.POSTPAYMENT : MceEditType.NONE;
}

/**
 * Edit ordinals in the alphabetical order of their names: the CMS reference output lists the edit
 * counts map sorted by name.
 */
export const EDITS_BY_NAME: readonly number[] = MCE_EDIT_NAMES.map((_, i) => i).sort((a, b) =>
  (MCE_EDIT_NAMES[a] ?? '') < (MCE_EDIT_NAMES[b] ?? '') ? -1 : 1,
);
