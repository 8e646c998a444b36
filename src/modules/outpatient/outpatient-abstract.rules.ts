/**
 * The stored outpatient abstract, pure: its shape (first-listed and other diagnoses, reasons for visit, service lines,
 * the side it is coded for, the E/M level and its basis), what blocks final coding among the outpatient edits, and
 * what changed between two versions. No I/O.
 */
import { z } from 'zod';
import { EM_TABLE, MDM_LEVELS, type EmCategory } from './outpatient.rules.js';
import type { OutpatientCheck } from './outpatient.service.js';

const Icd10Cm = z
  .string()
  .trim()
  .regex(/^[A-Za-z][0-9A-Za-z]{2}\.?[0-9A-Za-z]{0,4}$/, 'an ICD-10-CM code')
  .transform((c) => c.replace('.', '').toUpperCase());

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const EM_CATEGORIES = ['office-new', 'office-established', 'emergency', 'hospital-initial', 'hospital-subsequent'] as const;

/** One service line of the claim (837P SV1 / 837I SV2; UB-04 FL 42-47). */
export const ServiceLineSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{5}$/, 'a HCPCS Level II or CPT code (5 characters)')
    .transform((c) => c.toUpperCase()),
  /** At most four (837 SV101-3..6). */
  modifiers: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9]{2}$/, 'a modifier: two characters')
        .transform((m) => m.toUpperCase()),
    )
    .max(4, 'at most four modifiers a line')
    .default([]),
  units: z.number().int().min(1).max(99999),
  dateOfService: Day,
  /** 1-based pointers into the diagnoses (837P SV107), up to four. */
  pointers: z.array(z.number().int().min(1).max(12)).max(4).default([]),
  /** NUBC revenue code, four digits, on the facility side. */
  revenueCode: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'a four-digit revenue code')
    .nullable()
    .default(null),
  /** Charge in dollars, optional. */
  charge: z.number().min(0).max(99_999_999).nullable().default(null),
});

const Mdm = z.enum(MDM_LEVELS).nullable().default(null);

/** The E/M level the coder chose and what it rests on: the MDM elements as documented, or total time on the date. */
export const EmSchema = z.object({
  category: z.enum(EM_CATEGORIES),
  basis: z.enum(['mdm', 'time']),
  problems: Mdm,
  data: Mdm,
  risk: Mdm,
  totalMinutes: z.number().int().min(0).max(1440).nullable().default(null),
  /** The E/M code chosen (a service line carries it too). */
  code: z.string().regex(/^99\d{3}$/, 'an E/M code (99xxx)'),
});

export const OutpatientAbstractSchema = z.object({
  /** Facility (837I / UB-04, hospital edits and APC) or professional (837P / CMS-1500, practitioner edits). */
  side: z.enum(['facility', 'professional']).default('facility'),
  /** The diagnosis chiefly responsible for the services (Official Guidelines IV.A, IV.G); null while uncoded. */
  firstListedDx: Icd10Cm.nullable().default(null),
  otherDx: z.array(Icd10Cm).max(24).default([]),
  /** The patient's reason for visit (UB-04 FL 70a-c), up to three. */
  reasonForVisit: z.array(Icd10Cm).max(3).default([]),
  lines: z.array(ServiceLineSchema).max(450).default([]),
  em: EmSchema.nullable().default(null),
});

export type OutpatientAbstractData = z.output<typeof OutpatientAbstractSchema>;
export type OutpatientAbstractInput = z.input<typeof OutpatientAbstractSchema>;
export type StoredServiceLine = z.output<typeof ServiceLineSchema>;

export function emptyOutpatientAbstract(side: 'facility' | 'professional' = 'facility'): OutpatientAbstractData {
  return { side, firstListedDx: null, otherDx: [], reasonForVisit: [], lines: [], em: null };
}

/** The E/M category an encounter type starts with (the coder may change it: a clinic visit may be new or established). */
export function defaultEmCategory(encounterType: string): EmCategory {
  if (encounterType === 'emergency') return 'emergency';
  if (encounterType === 'observation') return 'hospital-initial';
  return 'office-established';
}

/** The diagnoses in claim order: first-listed, then the others (what pointers 1..n name). */
export function diagnosesOf(d: OutpatientAbstractData): string[] {
  return [...(d.firstListedDx ? [d.firstListedDx] : []), ...d.otherDx];
}

/**
 * What holds final coding: every error of the outpatient check (Section IV, line edits), an NCCI PTP pair not
 * bypassed (indicator 0, or 1 without an NCCI-associated modifier), units over an MUE with indicator 1 (line) or 2
 * (date of service, policy: absolute), an E/M choice the rules refuse (a code not of its category; time on an ED
 * visit), and ICD-10-CM code errors. MUE indicator 3 (clinical) and the E/M level above what the documentation
 * supports are warnings: the coder decides, with the record.
 */
export function blockingEdits(d: OutpatientAbstractData, check: OutpatientCheck, codeErrors: string[]): string[] {
  const out: string[] = [];
  for (const f of check.findings)
    if (f.severity === 'error') out.push(f.line !== undefined ? `line ${f.line + 1}: ${f.message}` : f.message);
  for (const c of check.ptp.conflicts)
    if (!c.bypassed)
      out.push(
        `NCCI PTP: ${c.column2} (line ${c.column2Line + 1}) is bundled into ${c.column1} (line ${c.column1Line + 1})${c.modifierIndicator === '1' ? ': an NCCI-associated modifier may bypass it when the record supports it' : ': no modifier bypasses it'}`,
      );
  for (const m of check.mue.excess)
    if (m.indicator !== '3') out.push(`MUE: ${m.units} units of ${m.code} on ${m.dateOfService} exceed ${m.mue}`);
  out.push(...emErrors(d));
  out.push(...codeErrors);
  return out;
}

/** Warnings final coding goes past: E/M above what the recorded elements support, MUE indicator 3. */
export function warningEdits(d: OutpatientAbstractData, check: OutpatientCheck): string[] {
  const out = check.findings.filter((f) => f.severity === 'warning').map((f) => f.message);
  for (const m of check.mue.excess)
    if (m.indicator === '3') out.push(`MUE (clinical): ${m.units} units of ${m.code} on ${m.dateOfService} exceed ${m.mue}`);
  if (d.em && check.em?.code && rankOf(d.em.category, d.em.code) > rankOf(d.em.category, check.em.code))
    out.push(`E/M ${d.em.code} is above the level the recorded ${d.em.basis === 'time' ? 'time' : 'MDM'} supports (${check.em.code})`);
  return out;
}

const rankOf = (category: EmCategory, code: string) => EM_TABLE[category].findIndex((r) => r.code === code);

function emErrors(d: OutpatientAbstractData): string[] {
  if (!d.em) return [];
  const out: string[] = [];
  if (rankOf(d.em.category, d.em.code) < 0) out.push(`E/M ${d.em.code} is not a code of the ${d.em.category} category`);
  if (d.em.basis === 'time' && d.em.category === 'emergency')
    out.push('E/M: emergency department visits are selected by MDM only, not by time (CPT E/M guidelines 2023)');
  if (d.em.basis === 'time' && d.em.totalMinutes === null) out.push('E/M by time: record the total minutes on the date');
  if (!d.lines.some((l) => l.code === d.em?.code)) out.push(`E/M ${d.em.code} is chosen but no service line carries it`);
  return out;
}

/** What changed between two versions, as a coder reads a version history: codes added and removed, other items. */
export function diffOutpatient(
  before: OutpatientAbstractData | null,
  after: OutpatientAbstractData,
): { added: string[]; removed: string[] } {
  const codes = (d: OutpatientAbstractData | null) =>
    d ? [...diagnosesOf(d), ...d.lines.map((l) => [l.code, ...l.modifiers].join('-')), ...(d.em ? [`E/M ${d.em.code}`] : [])] : [];
  const a = codes(after);
  const b = codes(before);
  return { added: a.filter((x) => !b.includes(x)), removed: b.filter((x) => !a.includes(x)) };
}
