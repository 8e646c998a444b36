/**
 * The outpatient code sets over loaded data: HCPCS Level II (CMS file, shipped) and CPT (AMA, only when the user
 * imported a licensed file; otherwise code numbers are checked for format and range only). Release by date of
 * service, validity by each code's added and termination dates, search, details and the checks a service line needs.
 */
import { NoReleaseForDateError } from './errors.js';
import { isIsoDate } from './codesets.js';
import { invalid } from '../errors.js';
import { CPT_MODIFIER_PATTERN, HCPCS_CODE_PATTERN, cptFormatCheck, hcpcsValidOn } from './hcpcs.js';
import { postingsOf, prefixPostings } from './search-index.js';
import { indexTokens, words } from './text.js';
import type { CodeSets, HcpcsEntry, HcpcsRelease, SearchIndexData } from './types.js';

export type OutpatientSystem = 'hcpcs' | 'cpt';

/** What the CPT answers say while no licensed file is imported. */
export const CPT_NOT_LOADED =
  'CPT descriptors are licensed by the AMA and not shipped; no CPT file is imported (custodian codes import-cpt FILE), so CPT codes are checked for format and range only';

/** The HCPCS release for a date of service; `notice` when the date precedes every loaded file (validity then from the codes' own dates). */
export function hcpcsReleaseFor(sets: CodeSets, date: string): { release: HcpcsRelease; index: number; notice?: string } {
  if (!isIsoDate(date)) throw invalid(`date must be YYYY-MM-DD, got "${date}"`);
  const loaded = sets.hcpcs.map((r) => `${r.label} ${r.effectiveFrom}..${r.effectiveTo}`);
  const first = sets.hcpcs[0];
  if (!first) throw new NoReleaseForDateError('HCPCS Level II', date, loaded);
  if (date < first.effectiveFrom)
    return {
      release: first,
      index: 0,
      notice: `${date} precedes ${first.label}: validity comes from its added and termination dates; codes deleted before it are unknown`,
    };
  const index = sets.hcpcs.findIndex((r) => r.effectiveFrom <= date && date <= r.effectiveTo);
  const release = sets.hcpcs[index];
  if (!release) throw new NoReleaseForDateError('HCPCS Level II', date, loaded);
  return { release, index };
}

export interface OutpatientHit {
  system: OutpatientSystem;
  code: string;
  display: string;
  title: string;
  shortTitle: string;
  billable: true;
  matchedBy: 'code' | 'title';
  path: string[];
  source: string;
  /** HCPCS: added on or before the date and not terminated before it. CPT: undefined (the AMA files carry no dates). */
  validOnDate: boolean | undefined;
  score: number;
}

export interface OutpatientSearchResponse {
  query: string;
  system: OutpatientSystem;
  date: string;
  release: string;
  notice?: string;
  hits: OutpatientHit[];
}

/** Documents matching every word of the query (the last one as a prefix, for search as you type), scored by brevity. */
function wordSearch(index: SearchIndexData, query: string, limit: number): { doc: number; score: number }[] {
  const tokens = indexTokens(query);
  if (tokens.length === 0) return [];
  const lastWord = words(query).pop() ?? '';
  const counts = new Map<number, number>();
  tokens.forEach((t, k) => {
    const lists =
      k === tokens.length - 1 && lastWord.length >= 2
        ? [postingsOf(index, t), ...prefixPostings(index, lastWord, 32)]
        : [postingsOf(index, t)];
    const seen = new Set<number>();
    for (const l of lists) if (l) for (const d of l) seen.add(d);
    for (const d of seen) counts.set(d, (counts.get(d) ?? 0) + 1);
  });
  const out: { doc: number; score: number }[] = [];
  for (const [doc, n] of counts) if (n === tokens.length) out.push({ doc, score: n / Math.max(1, index.docLen[doc] ?? 1) });
  return out.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, limit);
}

const CODEISH = /^[A-Z0-9]{1,5}$/;

/** Search HCPCS Level II or CPT by code (prefix) or words; never "latest": the date of service picks the HCPCS file. */
export function searchOutpatient(
  sets: CodeSets,
  query: string,
  opts: { system: OutpatientSystem; date: string; limit?: number },
): OutpatientSearchResponse {
  const limit = opts.limit ?? 25;
  const q = query.trim();
  const upper = q.toUpperCase().replace(/\s/g, '');
  if (opts.system === 'hcpcs') {
    const { release, notice } = hcpcsReleaseFor(sets, opts.date);
    const hit = (e: HcpcsEntry, matchedBy: 'code' | 'title', score: number): OutpatientHit => ({
      system: 'hcpcs',
      code: e.code,
      display: e.code,
      title: e.long,
      shortTitle: e.short,
      billable: true,
      matchedBy,
      path: [],
      source: release.label,
      validOnDate: hcpcsValidOn(e, opts.date),
      score,
    });
    let hits: OutpatientHit[];
    if (CODEISH.test(upper) && /^[A-V]\d/.test(upper))
      hits = release.codes
        .filter((e) => e.code.startsWith(upper))
        .slice(0, limit)
        .map((e) => hit(e, 'code', 1));
    else
      hits = wordSearch(release.search, q, limit * 2).flatMap(({ doc, score }) => {
        const e = release.codes[doc];
        return e ? [hit(e, 'title', score)] : [];
      });
    // Codes valid on the date first (a terminated code is kept for history, below them).
    hits.sort((a, b) => Number(b.validOnDate) - Number(a.validOnDate));
    return {
      query: q,
      system: 'hcpcs',
      date: opts.date,
      release: release.label,
      ...(notice ? { notice } : {}),
      hits: hits.slice(0, limit),
    };
  }
  if (!isIsoDate(opts.date)) throw invalid(`date must be YYYY-MM-DD, got "${opts.date}"`);
  const cpt = sets.cpt;
  if (!cpt) {
    const check = cptFormatCheck(upper);
    const hits: OutpatientHit[] = check.ok
      ? [
          {
            system: 'cpt',
            code: upper,
            display: upper,
            title: `CPT ${check.section} (descriptor not loaded)`,
            shortTitle: '',
            billable: true,
            matchedBy: 'code',
            path: [],
            source: 'CPT format and range check',
            validOnDate: undefined,
            score: 1,
          },
        ]
      : [];
    return { query: q, system: 'cpt', date: opts.date, release: 'CPT not loaded', notice: CPT_NOT_LOADED, hits };
  }
  const cptHit = (i: number, matchedBy: 'code' | 'title', score: number): OutpatientHit => {
    const code = cpt.codes[i] ?? '';
    return {
      system: 'cpt',
      code,
      display: code,
      title: cpt.long[i] || cpt.medium[i] || cpt.short[i] || '',
      shortTitle: cpt.short[i] ?? '',
      billable: true,
      matchedBy,
      path: [],
      source: cpt.label,
      validOnDate: undefined,
      score,
    };
  };
  const hits =
    CODEISH.test(upper) && /^\d/.test(upper)
      ? cpt.codes
          .flatMap((c, i) => (c.startsWith(upper) ? [i] : []))
          .slice(0, limit)
          .map((i) => cptHit(i, 'code', 1))
      : wordSearch(cpt.search, q, limit).map(({ doc, score }) => cptHit(doc, 'title', score));
  return { query: q, system: 'cpt', date: opts.date, release: cpt.label, hits };
}

/** Field 9 pricing indicator meanings (HCPCS record layout 2026). */
export const PRICING_INDICATORS: Record<string, string> = {
  '00': 'Service not separately priced by Part B',
  '11': 'Physician fee schedule: national RVUs',
  '12': 'Physician fee schedule: national anesthesia base units',
  '13': 'Physician fee schedule: priced by carriers',
  '21': 'Clinical lab fee schedule: national limitation amount',
  '22': 'Clinical lab fee schedule: priced by carriers',
  '31': 'DMEPOS: frequently serviced DME',
  '32': 'DMEPOS: inexpensive and routinely purchased DME',
  '33': 'DMEPOS: oxygen and oxygen equipment',
  '34': 'DMEPOS: DME supplies',
  '35': 'DMEPOS: surgical dressings',
  '36': 'DMEPOS: capped rental DME',
  '37': 'DMEPOS: ostomy, tracheostomy and urological supplies',
  '38': 'DMEPOS: orthotics, prosthetics, prosthetic devices and vision services',
  '39': 'DMEPOS: parenteral and enteral nutrition',
  '40': 'DMEPOS: lymphedema compression treatment items',
  '45': 'DMEPOS: customized DME items',
  '46': 'DMEPOS: carrier priced',
  '51': 'Drugs',
  '52': 'Reasonable charge',
  '53': 'Statute',
  '54': 'Vaccinations',
  '55': 'Splints and casts',
  '56': "IOLs inserted in a physician's office",
  '57': 'Other carrier priced',
  '99': 'Value not established',
};

/** Field 16 coverage code meanings. */
export const COVERAGE_CODES: Record<string, string> = {
  C: 'Carrier judgment',
  D: 'Special coverage instructions apply',
  I: 'Not payable by Medicare',
  M: 'Non-covered by Medicare',
  S: 'Non-covered by Medicare statute',
};

export interface OutpatientCodeDetails {
  system: OutpatientSystem;
  code: string;
  display: string;
  title: string;
  shortTitle: string;
  release: string;
  date: string;
  known: boolean;
  validOnDate: boolean | undefined;
  statusText: string;
  notice?: string;
  added?: string;
  actionEffective?: string;
  terminated?: string;
  action?: string;
  pricing?: { code: string; meaning: string }[];
  coverage?: { code: string; meaning: string };
  betos?: string;
  typeOfService?: string[];
  processingNote?: string;
  /** CPT: its section by range (always), and whether descriptors come from a licensed import. */
  section?: string;
  licensed?: boolean;
}

function hcpcsEntry(sets: CodeSets, index: number, code: string, modifier: boolean): HcpcsEntry | undefined {
  const map = (modifier ? sets.hcpcsModifierByCode : sets.hcpcsIndexByCode)[index];
  const i = map?.get(code);
  const r = sets.hcpcs[index];
  return i === undefined || !r ? undefined : (modifier ? r.modifiers : r.codes)[i];
}

function entryDetails(e: HcpcsEntry): Partial<OutpatientCodeDetails> {
  return {
    added: e.added,
    actionEffective: e.actionEffective,
    terminated: e.terminated,
    action: e.action,
    pricing: e.pricing.map((p) => ({ code: p, meaning: PRICING_INDICATORS[p] ?? 'unknown indicator' })),
    ...(e.coverage ? { coverage: { code: e.coverage, meaning: COVERAGE_CODES[e.coverage] ?? 'unknown' } } : {}),
    betos: e.betos,
    typeOfService: e.typeOfService,
    processingNote: e.processingNote,
  };
}

/** Details of a HCPCS Level II or CPT code on a date of service. */
export function outpatientCodeDetails(
  sets: CodeSets,
  rawCode: string,
  opts: { system: OutpatientSystem; date: string },
): OutpatientCodeDetails {
  const code = rawCode.trim().toUpperCase();
  if (opts.system === 'hcpcs') {
    if (!HCPCS_CODE_PATTERN.test(code)) throw invalid(`code: ${rawCode} is not a HCPCS Level II code (a letter A-V and four digits)`);
    const { release, index, notice } = hcpcsReleaseFor(sets, opts.date);
    const e = hcpcsEntry(sets, index, code, false);
    const base = { system: 'hcpcs' as const, code, display: code, release: release.label, date: opts.date, ...(notice ? { notice } : {}) };
    if (!e)
      return { ...base, title: '', shortTitle: '', known: false, validOnDate: false, statusText: `${code} is not in ${release.label}` };
    const valid = hcpcsValidOn(e, opts.date);
    const statusText = valid
      ? `Valid on ${opts.date} (added ${e.added || 'before the file'}${e.terminated ? `, last day ${e.terminated}` : ''})`
      : e.added !== '' && opts.date < e.added
        ? `Not yet valid on ${opts.date}: added ${e.added}`
        : `Not valid on ${opts.date}: discontinued, last day ${e.terminated}`;
    return { ...base, title: e.long, shortTitle: e.short, known: true, validOnDate: valid, statusText, ...entryDetails(e) };
  }
  if (!isIsoDate(opts.date)) throw invalid(`date must be YYYY-MM-DD, got "${opts.date}"`);
  const check = cptFormatCheck(code);
  if (!check.ok) throw invalid(`code: ${check.reason}`);
  const i = sets.cptIndexByCode.get(code);
  const cpt = sets.cpt;
  const base = { system: 'cpt' as const, code, display: code, date: opts.date, section: check.section };
  if (!cpt)
    return {
      ...base,
      title: '',
      shortTitle: '',
      release: 'CPT not loaded',
      known: true,
      validOnDate: undefined,
      licensed: false,
      statusText: `CPT ${check.section}: format and range valid; descriptor not loaded`,
      notice: CPT_NOT_LOADED,
    };
  if (i === undefined)
    return {
      ...base,
      title: '',
      shortTitle: '',
      release: cpt.label,
      known: false,
      validOnDate: false,
      licensed: true,
      statusText: `${code} is not in the imported CPT file`,
    };
  return {
    ...base,
    title: cpt.long[i] || cpt.medium[i] || cpt.short[i] || '',
    shortTitle: cpt.short[i] ?? '',
    release: cpt.label,
    known: true,
    validOnDate: undefined,
    licensed: true,
    statusText: `In the imported CPT file (${check.section})`,
  };
}

/** Which system a service-line code belongs to by its shape: HCPCS Level II (letter first) or CPT (digits first). */
export function serviceCodeSystem(code: string): OutpatientSystem | undefined {
  const c = code.trim().toUpperCase();
  if (HCPCS_CODE_PATTERN.test(c)) return 'hcpcs';
  if (cptFormatCheck(c).ok) return 'cpt';
  return undefined;
}

export interface ServiceCodeCheck {
  code: string;
  system: OutpatientSystem | undefined;
  /** False: unknown, or not valid on the date. True for a CPT code of valid format without a licensed file. */
  ok: boolean;
  title: string;
  message?: string;
}

/** Whether a service line's code may be reported on the date of service. */
export function checkServiceCode(sets: CodeSets, rawCode: string, date: string): ServiceCodeCheck {
  const code = rawCode.trim().toUpperCase();
  const system = serviceCodeSystem(code);
  if (!system) return { code, system, ok: false, title: '', message: `${rawCode} is neither a HCPCS Level II code nor a CPT code` };
  const d = outpatientCodeDetails(sets, code, { system, date });
  if (system === 'cpt' && d.licensed === false) return { code, system, ok: true, title: '', message: d.statusText };
  const ok = d.known && d.validOnDate !== false;
  return { code, system, ok, title: d.title, ...(ok ? {} : { message: d.statusText }) };
}

export interface ModifierCheck {
  modifier: string;
  kind: 'hcpcs' | 'cpt' | undefined;
  ok: boolean;
  title: string;
  message?: string;
}

/** A Level II modifier valid on the date (from the HCPCS file), or a CPT modifier (two digits, accepted as a number). */
export function checkModifier(sets: CodeSets, rawModifier: string, date: string): ModifierCheck {
  const modifier = rawModifier.trim().toUpperCase();
  if (CPT_MODIFIER_PATTERN.test(modifier))
    return {
      modifier,
      kind: 'cpt',
      ok: true,
      title: '',
      message: 'CPT modifier (AMA): accepted as a number, its descriptor is not shipped',
    };
  if (!/^[A-Z0-9]{2}$/.test(modifier))
    return { modifier, kind: undefined, ok: false, title: '', message: `${rawModifier} is not a modifier (two characters)` };
  const { index } = hcpcsReleaseFor(sets, date);
  const e = hcpcsEntry(sets, index, modifier, true);
  if (!e) return { modifier, kind: 'hcpcs', ok: false, title: '', message: `${modifier} is not a HCPCS Level II modifier` };
  if (!hcpcsValidOn(e, date)) return { modifier, kind: 'hcpcs', ok: false, title: e.long, message: `${modifier} is not valid on ${date}` };
  return { modifier, kind: 'hcpcs', ok: true, title: e.long };
}

/** The Level II modifiers valid on a date (for pick lists). */
export function hcpcsModifiersOn(sets: CodeSets, date: string): { code: string; title: string; shortTitle: string }[] {
  const { release } = hcpcsReleaseFor(sets, date);
  return release.modifiers.filter((m) => hcpcsValidOn(m, date)).map((m) => ({ code: m.code, title: m.long, shortTitle: m.short }));
}
