/**
 * Research extracts, the pure part (issue 24): the extract request (cohort, purpose, IRB/privacy-board reference,
 * de-identification method), cohort matching on one encounter, the columns each method releases, and CSV.
 * Not yet wired: the repository, service (record-access step, extract log), routes and migration 0021.
 */
import { z } from 'zod';
import { ageAt, DeidMethod, deidentifyRecord, type DeidLexicon, type DeidRecord, type FieldKind } from '../../core/deid/index.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.]{1,8}$/, 'an ICD-10 code or code prefix')
  .transform((c) => c.replace('.', '').toUpperCase());

/** Who is in the cohort: every listed criterion must hold; within a list, any entry. */
export const CohortSchema = z
  .object({
    /** ICD-10-CM/PCS codes or prefixes (E11 matches E11.9), any position on the abstract. */
    diagnosisCodes: z.array(code).max(500).default([]),
    procedureCodes: z.array(code).max(500).default([]),
    drgs: z
      .array(z.string().regex(/^\d{3}$/, 'a three-digit MS-DRG'))
      .max(800)
      .default([]),
    dischargedFrom: isoDate.optional(),
    dischargedTo: isoDate.optional(),
    sex: z.array(z.enum(['F', 'M', 'U', 'X'])).default([]),
    ageFrom: z.number().int().min(0).max(130).optional(),
    ageTo: z.number().int().min(0).max(130).optional(),
    encounterTypes: z.array(z.string().min(1).max(20)).default([]),
  })
  .refine((c) => !c.dischargedFrom || !c.dischargedTo || c.dischargedFrom <= c.dischargedTo, {
    error: 'dischargedFrom must not be after dischargedTo',
    path: ['dischargedTo'],
  });
export type Cohort = z.infer<typeof CohortSchema>;

/** An extract request: the cohort, why, under which approval, and how it is de-identified. */
export const ExtractRequestSchema = z
  .object({
    cohort: CohortSchema,
    purpose: z.string().trim().min(10, 'say what the data is for (10 characters or more)').max(2000),
    /** IRB or privacy-board approval reference (45 CFR 164.512(i)). */
    irbReference: z.string().trim().min(1).max(100),
    method: z.enum([DeidMethod.safeHarbor, DeidMethod.limitedDataSet, DeidMethod.dateShift]),
    /** Data use agreement reference: required for a limited data set (164.514(e)(4)). */
    dataUseAgreement: z.string().trim().min(1).max(100).optional(),
    includeNotes: z.boolean().default(false),
  })
  .refine((r) => r.method !== DeidMethod.limitedDataSet || r.dataUseAgreement !== undefined, {
    error: 'a limited data set needs the data use agreement reference (45 CFR 164.514(e)(4))',
    path: ['dataUseAgreement'],
  });
export type ExtractRequest = z.infer<typeof ExtractRequestSchema>;

/** One encounter as the cohort sees it (from the encounter, the patient and the final abstract). */
export interface CohortCandidate {
  encounterId: string;
  patientId: string;
  type: string;
  admitDate: string;
  dischargeDate: string | null;
  birthDate: string | null;
  sex: string;
  postalCode: string | null;
  city: string | null;
  state: string | null;
  drg: string | null;
  diagnosisCodes: readonly string[];
  procedureCodes: readonly string[];
  note?: string;
}

const norm = (c: string): string => c.replace('.', '').toUpperCase();
const anyPrefix = (codes: readonly string[], prefixes: readonly string[]): boolean =>
  prefixes.length === 0 || codes.some((c) => prefixes.some((p) => norm(c).startsWith(p)));

/** Whether an encounter belongs to the cohort. Age is counted at discharge (else admission). */
export function matchesCohort(e: CohortCandidate, c: Cohort): boolean {
  const day = (e.dischargeDate ?? '').slice(0, 10);
  if (c.dischargedFrom && (day === '' || day < c.dischargedFrom)) return false;
  if (c.dischargedTo && (day === '' || day > c.dischargedTo)) return false;
  if (c.drgs.length > 0 && (e.drg === null || !c.drgs.includes(e.drg))) return false;
  if (c.sex.length > 0 && !c.sex.includes(e.sex as 'F')) return false;
  if (c.encounterTypes.length > 0 && !c.encounterTypes.includes(e.type)) return false;
  if (c.ageFrom !== undefined || c.ageTo !== undefined) {
    const age = e.birthDate ? ageAt(e.birthDate.slice(0, 10), (e.dischargeDate ?? e.admitDate).slice(0, 10)) : null;
    if (age === null || (c.ageFrom !== undefined && age < c.ageFrom) || (c.ageTo !== undefined && age > c.ageTo)) return false;
  }
  return anyPrefix(e.diagnosisCodes, c.diagnosisCodes) && anyPrefix(e.procedureCodes, c.procedureCodes);
}

/** The extract's columns and what each holds (drives `deidentifyRecord`). */
export const EXTRACT_FIELDS: Readonly<Record<string, FieldKind>> = {
  study_id: 'keep',
  encounter_type: 'keep',
  admit_date: 'date',
  discharge_date: 'date',
  birth_date: 'birthDate',
  age: 'age',
  sex: 'keep',
  city: 'city',
  state: 'state',
  zip: 'zip',
  drg: 'keep',
  diagnosis_codes: 'keep',
  procedure_codes: 'keep',
  note: 'text',
};

/**
 * One extract row: the encounter de-identified by the request's method. `studyId` replaces every record number
 * (a code not derived from them, 164.514(c)); `shiftDays` is the patient's offset for the date-shift method.
 */
export function extractRow(
  e: CohortCandidate,
  r: Pick<ExtractRequest, 'method' | 'includeNotes'>,
  o: { studyId: string; lexicon: DeidLexicon; shiftDays?: number },
): DeidRecord {
  const refDate = (e.dischargeDate ?? e.admitDate).slice(0, 10);
  const raw: DeidRecord = {
    study_id: o.studyId,
    encounter_type: e.type,
    admit_date: e.admitDate,
    discharge_date: e.dischargeDate,
    birth_date: e.birthDate,
    age: e.birthDate ? ageAt(e.birthDate.slice(0, 10), refDate) : null,
    sex: e.sex,
    city: e.city,
    state: e.state,
    zip: e.postalCode,
    drg: e.drg,
    diagnosis_codes: e.diagnosisCodes.join(' '),
    procedure_codes: e.procedureCodes.join(' '),
    note: r.includeNotes ? (e.note ?? null) : null,
  };
  return deidentifyRecord(raw, EXTRACT_FIELDS, { method: r.method, lexicon: o.lexicon, referenceDate: refDate, shiftDays: o.shiftDays });
}

/**
 * CSV (RFC 4180): a header line, CRLF line ends, fields quoted when they hold a comma, quote or line break. A text
 * field starting with = + - @ (or a tab or CR) is prefixed with ' so a spreadsheet does not run it as a formula
 * (OWASP CSV injection).
 */
export function toCsv(columns: readonly string[], rows: readonly DeidRecord[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
