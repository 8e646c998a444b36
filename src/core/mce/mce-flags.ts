/**
 * MCE code attributes ("flags" column of i10dx_master.tsv / i10sg_master.tsv) as bit positions, so the
 * per-claim work is integer tests. Names are the CMS MCE attribute names. Attributes the MCE 43.1 tables do
 * not use (nonspecific, msp, bilateral, biopsy, ...) are kept: an older or newer release may carry them and
 * the edit logic for them costs nothing when absent.
 */

export const DxFlag = {
  unacceptable: 1 << 0,
  manifestation: 1 << 1,
  maternity: 1 << 2,
  newborn: 1 << 3,
  pediatric: 1 << 4,
  adult: 1 << 5,
  ecodepdx: 1 << 6,
  unspecified: 1 << 7,
  qadm: 1 << 8,
  female: 1 << 9,
  male: 1 << 10,
  delout: 1 << 11,
  reqsdx: 1 << 12,
  wrngproc: 1 << 13,
  clintrial: 1 << 14,
  diabtypeI: 1 << 15,
  ncov6: 1 << 16,
  ncov7: 1 << 17,
  ncov_z302: 1 << 18,
  nonspecific: 1 << 19,
  msp: 1 << 20,
  mdc08: 1 << 21,
  ncov2: 1 << 22,
  ncov2agelt64: 1 << 23,
  ncov2agelt78: 1 << 24,
  ncov3: 1 << 25,
  ncov4: 1 << 26,
  ncov5: 1 << 27,
  ncov89: 1 << 28,
} as const;
export type DxFlagName = keyof typeof DxFlag;

export const SgFlag = {
  female: 1 << 0,
  male: 1 << 1,
  noncovered: 1 << 2,
  lcov: 1 << 3,
  kidneyxp: 1 << 4,
  ncov45: 1 << 5,
  ncov6: 1 << 6,
  ncov7: 1 << 7,
  ncov_z302: 1 << 8,
  ncov12agele60: 1 << 9,
  lcov_artheartxpa: 1 << 10,
  lcov_artheartxpb: 1 << 11,
  csect: 1 << 12,
  vagdel: 1 << 13,
  los: 1 << 14,
  biopsy: 1 << 15,
  bilateral: 1 << 16,
  nonspecific: 1 << 17,
  or_indic: 1 << 18,
  ncov2: 1 << 19,
  ncov3: 1 << 20,
  ncov8: 1 << 21,
  ncov9: 1 << 22,
  ncov13a: 1 << 23,
  ncov13b: 1 << 24,
  lcov_artheartxp: 1 << 25,
} as const;
export type SgFlagName = keyof typeof SgFlag;

/** Age-group attributes of a diagnosis, in the order the MCE tests them (first conflict wins). */
export const AGE_GROUP_ORDER = [
  { flag: DxFlag.pediatric, group: 'Pediatric' },
  { flag: DxFlag.newborn, group: 'Newborn' },
  { flag: DxFlag.maternity, group: 'Maternity' },
  { flag: DxFlag.adult, group: 'Adult' },
] as const;

/** Diagnosis attributes that make a procedure's coverage depend on the claim (see mce-procedure-edits.ts). */
export const DX_COVERAGE_FLAGS =
  DxFlag.clintrial |
  DxFlag.diabtypeI |
  DxFlag.ncov6 |
  DxFlag.ncov7 |
  DxFlag.ncov_z302 |
  DxFlag.ncov2 |
  DxFlag.ncov2agelt64 |
  DxFlag.ncov2agelt78 |
  DxFlag.ncov3 |
  DxFlag.ncov4 |
  DxFlag.ncov5;
