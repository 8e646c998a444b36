/**
 * Lookup helpers over loaded code sets: release selection by date (the discharge date picks the code set,
 * never "latest"), MCE validity on a date, code formatting.
 */
import { invalid } from '../errors.js';
import { NoReleaseForDateError } from './errors.js';
import type { CmRelease, CodeSets, CodeSetsData, PcsRelease, ValidityData } from './types.js';

/** Adds the lookup maps used by every encoder function; call once after loading. */
export function prepareCodeSets(data: CodeSetsData): CodeSets {
  const byCode = (codes: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    codes.forEach((c, i) => m.set(c, i));
    return m;
  };
  return {
    ...data,
    cmIndexByCode: data.cm.map((r) => byCode(r.codes)),
    pcsIndexByCode: data.pcs.map((r) => byCode(r.codes)),
    cmValidityByCode: byCode(data.cmValidity?.codes ?? []),
    pcsValidityByCode: byCode(data.pcsValidity?.codes ?? []),
    hcpcsIndexByCode: data.hcpcs.map((r) => byCode(r.codes.map((e) => e.code))),
    hcpcsModifierByCode: data.hcpcs.map((r) => byCode(r.modifiers.map((e) => e.code))),
    cptIndexByCode: byCode(data.cpt?.codes ?? []),
  };
}

/** ISO date check (YYYY-MM-DD). */
export function isIsoDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`));
}

function pick<R extends { effectiveFrom: string; effectiveTo: string; label: string }>(
  releases: R[],
  date: string,
  system: string,
): { release: R; index: number } {
  if (!isIsoDate(date)) throw invalid(`date must be YYYY-MM-DD, got "${date}"`);
  const index = releases.findIndex((r) => r.effectiveFrom <= date && date <= r.effectiveTo);
  const release = releases[index];
  if (!release)
    throw new NoReleaseForDateError(
      system,
      date,
      releases.map((r) => `${r.label} ${r.effectiveFrom}..${r.effectiveTo}`),
    );
  return { release, index };
}

/** The ICD-10-CM release in force on `date` (YYYY-MM-DD); throws NoReleaseForDateError if none is loaded. */
export function cmReleaseFor(sets: CodeSets, date: string): { release: CmRelease; index: number } {
  return pick(sets.cm, date, 'ICD-10-CM');
}

/** The ICD-10-PCS release in force on `date`. */
export function pcsReleaseFor(sets: CodeSets, date: string): { release: PcsRelease; index: number } {
  return pick(sets.pcs, date, 'ICD-10-PCS');
}

/** A validity period, dates as YYYY-MM-DD, `to` null when open-ended. */
export interface ValidityPeriod {
  from: string;
  to: string | null;
}

const iso = (d: string): string => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

/** Validity periods of a code in the MCE master table (empty when the MCE never listed it as valid). */
export function validityPeriods(sets: CodeSets, system: 'cm' | 'pcs', code: string): ValidityPeriod[] {
  const data: ValidityData | null = system === 'cm' ? sets.cmValidity : sets.pcsValidity;
  const i = (system === 'cm' ? sets.cmValidityByCode : sets.pcsValidityByCode).get(code);
  if (!data || i === undefined) return [];
  return (data.periods[i] ?? '').split(';').map((p) => {
    const [from = '', to = ''] = p.split('-');
    return { from: iso(from), to: to === '' ? null : iso(to) };
  });
}

/** MCE edit flags of a code (e.g. "manifestation", "unacceptable"). */
export function mceFlags(sets: CodeSets, system: 'cm' | 'pcs', code: string): string[] {
  const data = system === 'cm' ? sets.cmValidity : sets.pcsValidity;
  const i = (system === 'cm' ? sets.cmValidityByCode : sets.pcsValidityByCode).get(code);
  const f = i === undefined ? '' : (data?.flags[i] ?? '');
  return f === '' ? [] : f.split('|');
}

/**
 * Whether a code is valid for reporting on a date per the MCE master table; `undefined` when no MCE table
 * is loaded, in which case callers fall back to the release's billable flag.
 */
export function isValidOn(sets: CodeSets, system: 'cm' | 'pcs', code: string, date: string): boolean | undefined {
  if ((system === 'cm' ? sets.cmValidity : sets.pcsValidity) === null) return undefined;
  return validityPeriods(sets, system, code).some((p) => p.from <= date && (p.to === null || date <= p.to));
}

/** "I5023" -> "I50.23"; PCS codes have no dot. */
export function formatCode(system: 'cm' | 'pcs', code: string): string {
  return system === 'cm' && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** Upper-case, dots and spaces removed, a trailing "-" (index "more characters needed") dropped. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[.\s]/g, '').replace(/-+$/, '');
}

/** A CM code or code prefix as typed ("I50", "S72.001A", "QA0"): letter first, at least one digit. */
export const CM_CODE_PATTERN = /^(?=.*[0-9])[A-Z][0-9A-Z]{1,6}$/;
/** A PCS code or prefix: digits and letters except I and O. */
export const PCS_CODE_PATTERN = /^[0-9A-HJ-NP-Z]{1,7}$/;

/** Immediate parent of a CM code: the longest shorter prefix present in the release. */
export function cmParent(sets: CodeSets, releaseIndex: number, code: string): string | undefined {
  const map = sets.cmIndexByCode[releaseIndex];
  for (let n = code.length - 1; n >= 3; n--) {
    const p = code.slice(0, n);
    if (map?.has(p)) return p;
  }
  return undefined;
}

/** Positions (tabular order) of the CM codes of a release that start with `prefix` (at most `max`, if given). */
export function cmPrefixPositions(sets: CodeSets, releaseIndex: number, prefix: string, max = Infinity): number[] {
  const rel = sets.cm[releaseIndex];
  const sorted = rel?.sortedOrder;
  if (!rel || !sorted) return [];
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rel.codes[sorted[mid] ?? 0] ?? '') < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let k = lo; k < sorted.length; k++) {
    const pos = sorted[k] ?? 0;
    if (!(rel.codes[pos] ?? '').startsWith(prefix) || out.length >= max) break;
    out.push(pos);
  }
  return out.sort((a, b) => a - b);
}
