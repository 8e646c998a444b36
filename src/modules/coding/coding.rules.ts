/**
 * Pure rules of the coding workspace: the abstract's shape, the UHDDS / Official Guidelines checks the screen
 * enforces, the claim sent to the MS-DRG grouper, which Medicare Code Editor edits block final coding, DNFB age
 * buckets, and the code-level agreement between a coder's and an auditor's abstract. No I/O.
 */
import { z } from 'zod';
import type { Claim } from '../../core/claim/claim.js';

/** Codes are stored as the grouper reads them: upper case, no dot. */
const cmCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase().replace(/\./g, ''))
  .pipe(z.string().regex(/^[A-Z0-9]{3,7}$/, 'ICD-10-CM code of 3 to 7 characters'));
const pcsCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{7}$/, 'ICD-10-PCS code of 7 characters'));

/** POA indicator (CMS POA reporting guidelines): Y, N, U, W, 1 (exempt), or blank while not yet assigned. */
export const PoaValue = z.enum(['Y', 'N', 'U', 'W', '1', '']);

export const DiagnosisSchema = z.object({ code: cmCode, poa: PoaValue.default('') });
export const ProcedureSchema = z.object({
  code: pcsCode,
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
    .nullable()
    .default(null),
  operatingProviderId: z.string().max(64).nullable().default(null),
});

/** The abstract of one encounter (UHDDS items a coder assigns). Secondary diagnoses have no fixed limit. */
export const AbstractDataSchema = z.object({
  principalDx: DiagnosisSchema.nullable().default(null),
  secondaryDx: z.array(DiagnosisSchema).max(300).default([]),
  admittingDx: cmCode.nullable().default(null),
  /** Patient's reason for visit (UB-04 FL 70), outpatient and emergency encounters. */
  reasonForVisit: z.array(cmCode).max(3).default([]),
  procedures: z.array(ProcedureSchema).max(100).default([]),
  /** UB-04 patient discharge status (FL 17). */
  dischargeStatus: z
    .string()
    .regex(/^\d{2}$/, 'two-digit UB-04 discharge status')
    .nullable()
    .default(null),
  /** Grams, for newborns (UB-04 value code 54). */
  birthWeightGrams: z.number().int().min(100).max(9999).nullable().default(null),
});
export type AbstractData = z.infer<typeof AbstractDataSchema>;
export type AbstractInput = z.input<typeof AbstractDataSchema>;

export function emptyAbstract(dischargeStatus: string | null): AbstractData {
  return {
    principalDx: null,
    secondaryDx: [],
    admittingDx: null,
    reasonForVisit: [],
    procedures: [],
    dischargeStatus,
    birthWeightGrams: null,
  };
}

/** The 837I carries 24 other diagnoses and 24 other procedures besides the principal (X12 005010X223A2 HI segments). */
export const CLAIM_SECONDARY_DX_LIMIT = 24;
export const CLAIM_PROCEDURE_LIMIT = 25;

export interface AbstractIssue {
  severity: 'error' | 'warning' | 'info';
  rule: string;
  field: string;
  message: string;
}

export interface EncounterFacts {
  type: string;
  admitAt: string;
  dischargeAt: string | null;
  dateOfBirth: string | null;
  sex: string | null;
}

export const isInpatient = (type: string): boolean => type === 'inpatient';

/** A code as printed in messages: ICD-10-CM with its dot (I50.23), PCS as is. */
export const shown = (code: string): string => (/^[A-Z]\d/.test(code) && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code);

/** Age in whole days at a date (for newborn rules). */
export function ageInDays(dateOfBirth: string | null, at: string): number | null {
  if (!dateOfBirth) return null;
  return Math.floor((Date.parse(at.slice(0, 10)) - Date.parse(dateOfBirth)) / 86_400_000);
}

/**
 * Checks the abstract against the rules the workspace enforces (errors block final coding) or reminds of:
 * UHDDS one principal diagnosis; POA for every inpatient diagnosis unless exempt (ICD-10-CM Official Guidelines
 * Appendix I); discharge status and procedure dates for inpatients (UHDDS); birth weight for newborns.
 */
export function checkAbstract(data: AbstractData, e: EncounterFacts): AbstractIssue[] {
  const out: AbstractIssue[] = [];
  const inpatient = isInpatient(e.type);
  const principalWord = inpatient ? 'principal diagnosis' : 'first-listed diagnosis';
  if (!data.principalDx)
    out.push({
      severity: 'error',
      rule: 'principal_required',
      field: 'principalDx',
      message: `Enter the ${principalWord} (UHDDS: exactly one)`,
    });
  if (data.principalDx && data.secondaryDx.some((d) => d.code === data.principalDx?.code)) {
    out.push({
      severity: 'error',
      rule: 'principal_repeated',
      field: 'secondaryDx',
      message: `${shown(data.principalDx.code)} is the ${principalWord}; do not list it again as a secondary diagnosis`,
    });
  }
  const seen = new Set<string>();
  data.secondaryDx.forEach((d, i) => {
    if (seen.has(d.code))
      out.push({
        severity: 'warning',
        rule: 'duplicate_dx',
        field: `secondaryDx.${i}`,
        message: `${shown(d.code)} is listed more than once`,
      });
    seen.add(d.code);
  });
  if (inpatient) {
    const all = [
      ...(data.principalDx ? [{ d: data.principalDx, field: 'principalDx' }] : []),
      ...data.secondaryDx.map((d, i) => ({ d, field: `secondaryDx.${i}` })),
    ];
    for (const { d, field } of all) {
      if (d.poa === '')
        out.push({
          severity: 'error',
          rule: 'poa_required',
          field,
          message: `${shown(d.code)} needs a POA indicator (Y, N, U, W, or 1 if exempt)`,
        });
    }
    if (!data.dischargeStatus)
      out.push({
        severity: 'error',
        rule: 'discharge_status_required',
        field: 'dischargeStatus',
        message: 'Enter the discharge status (UB-04 FL 17)',
      });
    if (!data.admittingDx)
      out.push({
        severity: 'warning',
        rule: 'admitting_dx_missing',
        field: 'admittingDx',
        message: 'Admitting diagnosis is required on inpatient claims (UB-04 FL 69)',
      });
    data.procedures.forEach((p, i) => {
      if (!p.date)
        out.push({
          severity: 'error',
          rule: 'procedure_date_required',
          field: `procedures.${i}.date`,
          message: `${p.code} needs the date it was performed (UHDDS)`,
        });
      else if (p.date < e.admitAt.slice(0, 10) || (e.dischargeAt && p.date > e.dischargeAt.slice(0, 10))) {
        out.push({
          severity: 'warning',
          rule: 'procedure_date_outside_stay',
          field: `procedures.${i}.date`,
          message: `${p.code} is dated ${p.date}, outside the stay`,
        });
      }
      if (!p.operatingProviderId)
        out.push({
          severity: 'warning',
          rule: 'operating_physician_missing',
          field: `procedures.${i}.operatingProviderId`,
          message: `${p.code}: name the operating physician (UHDDS)`,
        });
    });
    const days = ageInDays(e.dateOfBirth, e.admitAt);
    if (days !== null && days < 29 && data.birthWeightGrams === null) {
      out.push({
        severity: 'error',
        rule: 'birth_weight_required',
        field: 'birthWeightGrams',
        message: 'Newborn: enter the birth weight in grams (UB-04 value code 54)',
      });
    }
  } else if (data.reasonForVisit.length === 0 && (e.type === 'emergency' || e.type === 'outpatient')) {
    out.push({
      severity: 'warning',
      rule: 'reason_for_visit_missing',
      field: 'reasonForVisit',
      message: "Enter the patient's reason for visit (UB-04 FL 70, unscheduled outpatient visits)",
    });
  }
  if (data.secondaryDx.length > CLAIM_SECONDARY_DX_LIMIT) {
    out.push({
      severity: 'info',
      rule: 'claim_dx_limit',
      field: 'secondaryDx',
      message: `${data.secondaryDx.length} secondary diagnoses: the first ${CLAIM_SECONDARY_DX_LIMIT} go to the claim and the grouper; all stay in the abstract`,
    });
  }
  return out;
}

/**
 * MCE edits that block final coding: code and data errors the coder must fix. Coverage edits (NON_COVERED,
 * LIMITED_COVERAGE_*), QUESTIONABLE_ADMISSION, UNSPECIFIED, NONSPECIFIC_PDX and MEDICARE_IS_SECONDARY_PAYER are
 * payer review matters (CMS MCE Definitions Manual) and are shown as warnings.
 */
export const BLOCKING_MCE_EDITS: ReadonlySet<string> = new Set([
  'INVALID_CODE',
  'SEX_CONFLICT',
  'AGE_CONFLICT',
  'MANIFESTATION_AS_PDX',
  'E_CODE_AS_PDX',
  'UNACCEPTABLE_PDX',
  'DUPLICATE_OF_PDX',
  'REQUIRES_SDX',
  'INVALID_AGE',
  'INVALID_SEX',
  'INVALID_DISCHARGE_STATUS',
  'QUESTIONABLE_OBSTETRIC_ADMISSION',
  'WRONG_PROCEDURE_PERFORMED',
  'INCONSISTENT_WITH_LENGTH_OF_STAY',
]);

/** Whole days between two dates (calendar days, UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}

/**
 * The claim the grouper and the MCE read: the first 24 secondary diagnoses and 25 procedures, age at admission,
 * length of stay in days (admission to discharge), discharge status. Null when the abstract cannot be grouped yet.
 */
export function toClaim(id: string, data: AbstractData, e: EncounterFacts): Claim | null {
  if (!data.principalDx || !e.dischargeAt) return null;
  const status = Number.parseInt(data.dischargeStatus ?? '', 10);
  const ageDays = ageInDays(e.dateOfBirth, e.admitAt);
  const dischargeAgeDays = ageInDays(e.dateOfBirth, e.dischargeAt);
  const ageYears = e.dateOfBirth ? Math.max(0, Math.min(124, yearsBetween(e.dateOfBirth, e.admitAt.slice(0, 10)))) : 50;
  return {
    id,
    ageYears,
    ...(ageYears === 0 && ageDays !== null ? { ageDaysAdmit: Math.min(365, Math.max(0, ageDays)) } : {}),
    ...(ageYears === 0 && dischargeAgeDays !== null ? { ageDaysDischarge: Math.min(365, Math.max(0, dischargeAgeDays)) } : {}),
    sex: e.sex === 'M' || e.sex === 'F' ? e.sex : 'U',
    dischargeStatus: Number.isFinite(status) ? status : 1,
    principalDx: { code: data.principalDx.code, poa: data.principalDx.poa },
    ...(data.admittingDx ? { admitDx: { code: data.admittingDx } } : {}),
    secondaryDx: data.secondaryDx.slice(0, CLAIM_SECONDARY_DX_LIMIT).map((d) => ({ code: d.code, poa: d.poa })),
    procedures: data.procedures.slice(0, CLAIM_PROCEDURE_LIMIT).map((p) => ({ code: p.code })),
    dischargeDate: e.dischargeAt.slice(0, 10),
    lengthOfStay: Math.max(0, daysBetween(e.admitAt, e.dischargeAt)),
  };
}

function yearsBetween(dob: string, at: string): number {
  const [y1, m1, d1] = dob.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = at.split('-').map(Number) as [number, number, number];
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/** DNFB age buckets (days since discharge) the HIM director watches. */
export const AGE_BUCKETS = [
  { label: '0-3', min: 0, max: 3 },
  { label: '4-7', min: 4, max: 7 },
  { label: '8-14', min: 8, max: 14 },
  { label: '15-30', min: 15, max: 30 },
  { label: '30+', min: 31, max: Number.POSITIVE_INFINITY },
] as const;

export function ageBucketOf(days: number): string {
  return AGE_BUCKETS.find((b) => days >= b.min && days <= b.max)?.label ?? '30+';
}

export interface CodeAgreement {
  principalDx: { coder: string | null; auditor: string | null; agree: boolean };
  secondaryDx: { matched: string[]; coderOnly: string[]; auditorOnly: string[]; poaDiffers: string[] };
  procedures: { matched: string[]; coderOnly: string[]; auditorOnly: string[] };
  drg: { coder: string | null; auditor: string | null; agree: boolean };
  /** Codes both assigned / codes either assigned (principal, secondary and procedures together). */
  codeAgreementRate: number;
}

/** Code-level comparison of a coder's and an auditor's abstract (order of secondary codes does not matter). */
export function compareAbstracts(
  coder: AbstractData,
  auditor: AbstractData,
  drgs: { coder: string | null; auditor: string | null },
): CodeAgreement {
  const set = (xs: string[]) => new Set(xs);
  const split = (a: string[], b: string[]) => {
    const sa = set(a),
      sb = set(b);
    return {
      matched: [...sa].filter((x) => sb.has(x)),
      coderOnly: [...sa].filter((x) => !sb.has(x)),
      auditorOnly: [...sb].filter((x) => !sa.has(x)),
    };
  };
  const sdx = split(
    coder.secondaryDx.map((d) => d.code),
    auditor.secondaryDx.map((d) => d.code),
  );
  const poaOf = (d: AbstractData) => new Map(d.secondaryDx.map((x) => [x.code, x.poa]));
  const cp = poaOf(coder),
    ap = poaOf(auditor);
  const px = split(
    coder.procedures.map((p) => p.code),
    auditor.procedures.map((p) => p.code),
  );
  const pc = coder.principalDx?.code ?? null,
    pa = auditor.principalDx?.code ?? null;
  const matched = (pc !== null && pc === pa ? 1 : 0) + sdx.matched.length + px.matched.length;
  const union = new Set([
    ...(pc ? [`p:${pc}`] : []),
    ...(pa ? [`p:${pa}`] : []),
    ...[...sdx.matched, ...sdx.coderOnly, ...sdx.auditorOnly].map((c) => `s:${c}`),
    ...[...px.matched, ...px.coderOnly, ...px.auditorOnly].map((c) => `x:${c}`),
  ]).size;
  return {
    principalDx: { coder: pc, auditor: pa, agree: pc === pa },
    secondaryDx: { ...sdx, poaDiffers: sdx.matched.filter((c) => cp.get(c) !== ap.get(c)) },
    procedures: px,
    drg: { ...drgs, agree: drgs.coder === drgs.auditor },
    codeAgreementRate: union === 0 ? 1 : Math.round((matched / union) * 1000) / 1000,
  };
}
