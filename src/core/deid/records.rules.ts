/**
 * De-identification of structured records (research extracts), three ways:
 * - Safe Harbor, 45 CFR 164.514(b)(2): the 18 identifiers removed; dates reduced to the year; ages over 89 and
 *   their birth years aggregated ("90+", no birth year); ZIP codes cut to their first three digits, or 000 where the
 *   three-digit area holds 20,000 people or fewer (the 17 prefixes of the 2000 Census named in HHS guidance).
 * - Limited data set, 164.514(e)(2): direct identifiers removed; dates, ages, city, state and ZIP kept. Released
 *   only under a data use agreement (164.514(e)(4)), which the caller records.
 * - Date shift: identifiers removed as for Safe Harbor, but each patient's dates moved by one keyed, deterministic
 *   offset so that intervals between a patient's dates are kept. Shifted dates are not Safe Harbor (they are
 *   dates); a study needs an IRB/privacy-board decision or an expert determination (164.514(b)(1)) to use them.
 * Pure: the key and the reference date are parameters.
 */
import { createHmac } from 'node:crypto';
import type { DeidLexicon } from './lexicon.js';
import { deidentifyText } from './text.rules.js';
import type { PhiCategory } from './types.js';

/**
 * Three-digit ZIP areas with 20,000 people or fewer (2000 Census), which Safe Harbor writes as 000
 * (HHS, Guidance Regarding Methods for De-identification of PHI, 2012, section 3.3).
 */
export const RESTRICTED_ZIP3 = new Set([
  '036',
  '059',
  '063',
  '102',
  '203',
  '556',
  '692',
  '790',
  '821',
  '823',
  '830',
  '831',
  '878',
  '879',
  '884',
  '890',
  '893',
]);

export const DeidMethod = { safeHarbor: 'safe-harbor', limitedDataSet: 'limited-data-set', dateShift: 'date-shift' } as const;
export type DeidMethod = (typeof DeidMethod)[keyof typeof DeidMethod];

/** What a field of a record holds, which decides what each method does with it. */
export type FieldKind =
  | 'keep' // not an identifier (codes, DRG, charges, sex)
  | 'identifier' // a direct identifier: name, MRN, SSN, phone, e-mail, account, health plan number...: removed
  | 'street' // street address: removed
  | 'city' // city, county: removed (Safe Harbor), kept (limited data set)
  | 'state' // kept
  | 'zip' // ZIP code
  | 'date' // a date of service, admission, discharge, death...
  | 'birthDate'
  | 'age' // age in years
  | 'text'; // free text: de-identified by `deidentifyText`

export type DeidRecord = Record<string, unknown>;

export interface RecordDeidOptions {
  method: DeidMethod;
  /** Needed for 'text' fields. */
  lexicon?: DeidLexicon;
  /** The date ages are computed at when a record has a birth date but no age (ISO date), e.g. the extract date. */
  referenceDate?: string;
  /** Date shift: the patient's offset in days (`dateShiftDays`). */
  shiftDays?: number;
}

/** The first three digits of a ZIP code, 000 for the restricted areas; null when it is not a ZIP code. */
export function safeHarborZip(zip: string): string | null {
  const m = /^\s*(\d{3})\d{2}(?:-?\d{4})?\s*$/.exec(zip);
  if (!m?.[1]) return null;
  return RESTRICTED_ZIP3.has(m[1]) ? '000' : m[1];
}

/** An age in years, with every age over 89 grouped as "90+". */
export function safeHarborAge(age: number): number | '90+' {
  return age > 89 ? '90+' : Math.max(0, Math.floor(age));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

/** The year of an ISO date or date-time, or null. */
export function yearOf(date: string): number | null {
  const m = ISO_DATE.exec(date);
  return m ? Number(m[1]) : null;
}

/** Whole years between a birth date and a later date (ISO). */
export function ageAt(birthDate: string, at: string): number | null {
  const b = ISO_DATE.exec(birthDate);
  const a = ISO_DATE.exec(at);
  if (!b || !a) return null;
  let age = Number(a[1]) - Number(b[1]);
  if (`${a[2]}${a[3]}` < `${b[2]}${b[3]}`) age--;
  return age;
}

/**
 * One patient's date offset: HMAC-SHA256 of the patient id under the study's key, mapped to a whole number of
 * days in [-maxDays, -1] or [1, maxDays]. The same key and patient always give the same offset; without the key
 * it cannot be recomputed.
 */
export function dateShiftDays(key: string | Uint8Array, patientId: string, maxDays = 365): number {
  const h = createHmac('sha256', key).update(patientId, 'utf8').digest();
  const n = h.readUInt32BE(0) % (2 * maxDays);
  return n < maxDays ? n - maxDays : n - maxDays + 1;
}

/** Moves an ISO date (or date-time, keeping its time) by whole days. */
export function shiftDate(date: string, days: number): string | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10) + (m[4] ?? '');
}

/** Categories a limited data set may keep in free text: dates and ages (164.514(e)(2) keeps them). */
const LDS_TEXT_KEEPS: ReadonlySet<PhiCategory> = new Set(['DATE', 'AGE', 'ZIP']);

/**
 * De-identifies one record by `fields` (fields not listed are dropped: an extract holds only what was declared).
 * Removed values become null, so every output record has the same columns.
 */
export function deidentifyRecord(record: DeidRecord, fields: Readonly<Record<string, FieldKind>>, o: RecordDeidOptions): DeidRecord {
  const out: DeidRecord = {};
  const birth = Object.entries(fields).find(([, k]) => k === 'birthDate')?.[0];
  const birthDate = birth ? record[birth] : undefined;
  const ageEntry = Object.entries(fields).find(([, k]) => k === 'age')?.[0];
  const statedAge = ageEntry ? record[ageEntry] : undefined;
  const age =
    typeof statedAge === 'number' ? statedAge : typeof birthDate === 'string' && o.referenceDate ? ageAt(birthDate, o.referenceDate) : null;
  for (const [name, kind] of Object.entries(fields)) {
    const v = record[name];
    out[name] = v === null || v === undefined ? null : deidentifyField(kind, v, age, o);
  }
  return out;
}

function deidentifyField(kind: FieldKind, v: unknown, age: number | null, o: RecordDeidOptions): unknown {
  const lds = o.method === DeidMethod.limitedDataSet;
  const s = String(v);
  switch (kind) {
    case 'keep':
    case 'state':
      return v;
    case 'identifier':
    case 'street':
      return null;
    case 'city':
      return lds ? v : null;
    case 'zip':
      return lds ? v : safeHarborZip(s);
    case 'age':
      return typeof v === 'number' && !lds ? safeHarborAge(v) : v;
    case 'birthDate':
      // 164.514(b)(2)(i)(C): the year of birth of a person over 89 is aggregated too.
      if (lds) return v;
      if (age === null || age > 89) return null;
      return o.method === DeidMethod.dateShift ? shiftDate(s, o.shiftDays ?? 0) : yearOf(s);
    case 'date':
      if (lds) return v;
      return o.method === DeidMethod.dateShift ? shiftDate(s, o.shiftDays ?? 0) : yearOf(s);
    case 'text': {
      if (!o.lexicon) throw new Error('a lexicon is needed to de-identify free text');
      return deidentifyText(s, o.lexicon, lds ? { keep: LDS_TEXT_KEEPS } : {}).text;
    }
  }
}
