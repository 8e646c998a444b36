/**
 * The encoder search: by code (with or without the dot; a prefix lists its children), by words over code titles
 * and through the Alphabetic Index, External Cause Index, Drug and Neoplasm tables (ICD-10-CM), and by words over
 * ICD-10-PCS titles. Billable codes rank first; every hit carries the path that led to it.
 */
import {
  CM_CODE_PATTERN,
  PCS_CODE_PATTERN,
  cmPrefixPositions,
  cmReleaseFor,
  formatCode,
  isValidOn,
  normalizeCode,
  pcsReleaseFor,
} from './codesets.js';
import { codesVia } from './index-nav.js';
import { composePcsTitle } from './pcs-tables.js';
import { postingsOf, prefixPostings } from './search-index.js';
import { indexTokens, parseQuery, type QueryTerm } from './text.js';
import type { CmRelease, CodeSets, IndexKind, PcsRelease, SearchIndexData } from './types.js';

export type CodeSystem = 'cm' | 'pcs';

export interface SearchOptions {
  /** Date of service / discharge (YYYY-MM-DD): picks the release. */
  date: string;
  /** Default: PCS for a query shaped like a PCS code (starts with a digit), else CM. */
  system?: CodeSystem;
  limit?: number;
}

export interface SearchHit {
  system: CodeSystem;
  /** Without dot ("I5023"). */
  code: string;
  /** As printed ("I50.23"). */
  display: string;
  title: string;
  billable: boolean;
  matchedBy: 'code' | 'title' | IndexKind;
  /** How the hit was reached: index main term -> subterms (-> table column), or the title that matched. */
  path: string[];
  /** Release label of the content that matched (title release, or index/table release). */
  source: string;
  /** Valid for reporting on the date per the MCE master table (undefined when no MCE table is loaded). */
  validOnDate: boolean | undefined;
  score: number;
}

export interface SearchResponse {
  query: string;
  system: CodeSystem;
  date: string;
  release: string;
  hits: SearchHit[];
}

interface DocScore {
  doc: number;
  matched: number;
  score: number;
  /** Matched every query term (not a relaxed, all-but-one match). */
  complete: boolean;
}

const scratch = new WeakMap<SearchIndexData, { count: Uint8Array; weight: Float32Array; stamp: Uint32Array; round: number }>();

/** Documents matching all terms (or all but one when too few match fully), scored by idf coverage and brevity. */
function matchDocs(index: SearchIndexData, terms: QueryTerm[], want: number, cap: number): DocScore[] {
  const n = index.docLen.length;
  let s = scratch.get(index);
  if (!s) scratch.set(index, (s = { count: new Uint8Array(n), weight: new Float32Array(n), stamp: new Uint32Array(n), round: 0 }));
  const { count, weight, stamp } = s;
  const touched: number[] = [];
  let totalIdf = 0;
  for (const term of terms) {
    const lists: Uint32Array[] = [];
    for (const alt of term.alternatives) {
      const p = postingsOf(index, alt);
      if (p) lists.push(p);
    }
    if (term.prefix) lists.push(...prefixPostings(index, term.alternatives[0] ?? term.word));
    const df = lists.reduce((a, l) => a + l.length, 0);
    const idf = Math.log(1 + n / (1 + df));
    totalIdf += idf;
    // A stamp per term, so a document reached through two alternatives counts once (cheaper than a Set).
    const mark = ++s.round;
    for (const l of lists) {
      for (const d of l) {
        if (stamp[d] === mark) continue;
        stamp[d] = mark;
        if (count[d] === 0) touched.push(d);
        count[d] = (count[d] ?? 0) + 1;
        weight[d] = (weight[d] ?? 0) + idf;
      }
    }
  }
  // Relax one term at a time (down to half of them) until enough documents match.
  const full = terms.length;
  const atLeast = new Array<number>(full + 2).fill(0);
  for (const d of touched) atLeast[count[d] ?? 0] = (atLeast[count[d] ?? 0] ?? 0) + 1;
  for (let k = full - 1; k >= 0; k--) atLeast[k] = (atLeast[k] ?? 0) + (atLeast[k + 1] ?? 0);
  let need = full;
  while (need > 1 && need - 1 >= Math.ceil(full / 2) && (atLeast[need] ?? 0) < want) need--;
  if ((atLeast[need] ?? 0) === 0) need = full;
  // Score qualifying documents, then keep only the best `cap` (complete matches first): sorting tens of
  // thousands of objects for a common word typed so far would dominate the latency.
  const docs: number[] = [];
  const keys: number[] = [];
  const matched: number[] = [];
  for (const d of touched) {
    const c = count[d] ?? 0;
    if (c >= need) {
      const extra = Math.max(0, (index.docLen[d] ?? 0) - c);
      docs.push(d);
      matched.push(c);
      keys.push((c === full ? 1000 : 0) + (10 * (weight[d] ?? 0)) / (totalIdf || 1) - 0.35 * extra - 4 * (full - c));
    }
    count[d] = 0;
    weight[d] = 0;
  }
  let threshold = -Infinity;
  if (docs.length > cap) {
    const sorted = Float64Array.from(keys).sort();
    threshold = sorted[sorted.length - cap] ?? -Infinity;
  }
  const out: DocScore[] = [];
  docs.forEach((d, i) => {
    const key = keys[i] ?? 0;
    if (key >= threshold) out.push({ doc: d, matched: matched[i] ?? 0, complete: key >= 500, score: key >= 500 ? key - 1000 : key });
  });
  return out.sort((a, b) => Number(b.complete) - Number(a.complete) || b.score - a.score || a.doc - b.doc).slice(0, cap);
}

type RankedHit = SearchHit & { order: number; complete?: boolean };

/** Complete matches before relaxed ones; within each, billable codes first, then score, then tabular order. */
function byRank(a: RankedHit, b: RankedHit): number {
  return (
    Number(b.complete !== false) - Number(a.complete !== false) ||
    Number(b.billable) - Number(a.billable) ||
    b.score - a.score ||
    a.order - b.order
  );
}

function cmHit(
  sets: CodeSets,
  rel: CmRelease,
  ri: number,
  code: string,
  extra: Pick<SearchHit, 'matchedBy' | 'path' | 'source' | 'score'>,
): (SearchHit & { order: number }) | undefined {
  const i = sets.cmIndexByCode[ri]?.get(code);
  if (i === undefined) return undefined;
  const billable = rel.billable[i] === 1;
  return {
    system: 'cm',
    code,
    display: formatCode('cm', code),
    title: rel.titles[i] ?? '',
    billable,
    // Filled in for the final hits only (see withValidity): parsing periods for every candidate is wasted work.
    validOnDate: billable ? undefined : false,
    order: i,
    ...extra,
  };
}

function searchCmCode(sets: CodeSets, rel: CmRelease, ri: number, prefix: string, date: string, limit: number): SearchHit[] {
  const positions = cmPrefixPositions(sets, ri, prefix);
  const hits = positions.slice(0, limit).flatMap((pos) => {
    const h = cmHit(sets, rel, ri, rel.codes[pos] ?? '', {
      matchedBy: 'code',
      path: [formatCode('cm', prefix)],
      source: rel.label,
      score: 0,
    });
    return h ? [h] : [];
  });
  return withValidity(sets, hits, date).map(strip);
}

function strip(h: RankedHit): SearchHit {
  const { order: _order, complete: _complete, ...hit } = h;
  return hit;
}

const mainStems = new Map<string, Set<string>>();
function mainTermStems(title: string): Set<string> {
  let s = mainStems.get(title);
  if (!s) mainStems.set(title, (s = new Set(indexTokens(title))));
  return s;
}

function searchCmWords(sets: CodeSets, rel: CmRelease, ri: number, query: string, date: string, limit: number): SearchHit[] {
  const terms = parseQuery(query, 'cm');
  if (terms.length === 0) return [];
  const best = new Map<string, RankedHit>();
  let complete = true;
  const offer = (h: RankedHit | undefined): void => {
    if (!h) return;
    h.complete = complete;
    const prev = best.get(h.code);
    if (!prev || byRank(h, prev) < 0) best.set(h.code, h);
  };
  const docs = matchDocs(rel.search, terms, limit, 400);
  for (const { doc, score, complete: isComplete } of docs) {
    complete = isComplete;
    if (doc < rel.codes.length) {
      const code = rel.codes[doc] ?? '';
      offer(cmHit(sets, rel, ri, code, { matchedBy: 'title', path: [rel.titles[doc] ?? ''], source: rel.label, score }));
      continue;
    }
    const k = doc - rel.codes.length;
    const ix = rel.indexes[rel.indexDocs.source[k] ?? 0];
    const termId = rel.indexDocs.term[k] ?? 0;
    const col = rel.indexDocs.col[k] ?? 255;
    if (!ix) continue;
    const { codes, path } =
      col === 255 ? codesVia(ix, termId) : { codes: [ix.terms[termId]?.codes[col] ?? ''], path: codesVia(ix, termId).path };
    const fullPath = col === 255 ? path : [...path, ix.columns[col] ?? ''];
    // The index is entered by the main term (the condition); a path entered through a query word is the
    // route a coder takes, so it outranks a title match with the same words.
    const main = mainTermStems(path[0] ?? '');
    let bonus = terms.some((t) => t.alternatives.some((a) => main.has(a))) ? 1 : 0;
    // Intent not stated: code the poisoning as accidental (Official Guidelines I.C.19.e.5.b).
    if (ix.kind === 'drug' && col === 0) bonus += 0.1;
    for (const c of codes) {
      const code = normalizeCode(c);
      const extra = { matchedBy: ix.kind, path: fullPath, source: ix.source.label, score: score + bonus };
      const hit = cmHit(sets, rel, ri, code, extra);
      offer(hit);
      // The index often leads to a subcategory ("I82.40-", "T39.1X2"): like a coder turning to the tabular,
      // offer its few billable subdivisions (7th characters included) just below it.
      if (hit && !hit.billable) {
        const subs = cmPrefixPositions(sets, ri, code, 60).filter((p) => rel.billable[p] === 1);
        if (subs.length <= 24)
          for (const p of subs)
            offer(
              cmHit(sets, rel, ri, rel.codes[p] ?? '', {
                ...extra,
                path: [...fullPath, `${hit.display} (tabular)`],
                score: extra.score - 0.3,
              }),
            );
      }
    }
  }
  return withValidity(sets, [...best.values()].sort(byRank).slice(0, limit), date).map(strip);
}

function withValidity(sets: CodeSets, hits: RankedHit[], date: string): RankedHit[] {
  for (const h of hits) if (h.billable) h.validOnDate = isValidOn(sets, h.system, h.code, date);
  return hits;
}

function pcsHit(
  rel: PcsRelease,
  i: number,
  extra: Pick<SearchHit, 'matchedBy' | 'path' | 'source' | 'score'>,
): SearchHit & { order: number } {
  const code = rel.codes[i] ?? '';
  return { system: 'pcs', code, display: code, title: pcsTitle(rel, i), billable: true, validOnDate: undefined, order: i, ...extra };
}

/** Title of the PCS code at position `i` of the release, composed from its table row. */
export function pcsTitle(rel: PcsRelease, i: number): string {
  const packed = rel.codeRow[i] ?? 0;
  const table = rel.tables[packed >>> 10];
  const row = table?.rows[packed & 1023];
  return table && row ? composePcsTitle(table, row, rel.codes[i] ?? '') : '';
}

function searchPcs(sets: CodeSets, rel: PcsRelease, query: string, date: string, limit: number): SearchHit[] {
  const code = normalizeCode(query);
  if (PCS_CODE_PATTERN.test(code) && /[0-9]/.test(code)) {
    let lo = 0;
    let hi = rel.codes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rel.codes[mid] ?? '') < code) lo = mid + 1;
      else hi = mid;
    }
    const hits: RankedHit[] = [];
    for (let i = lo; i < rel.codes.length && hits.length < limit && (rel.codes[i] ?? '').startsWith(code); i++) {
      hits.push(pcsHit(rel, i, { matchedBy: 'code', path: [code], source: rel.label, score: 0 }));
    }
    if (hits.length > 0) return withValidity(sets, hits, date).map(strip);
  }
  const terms = parseQuery(query, 'pcs');
  if (terms.length === 0) return [];
  // Most word searches are for operations: Medical and Surgical (section 0) wins a tie with imaging or others.
  const sectionBonus = (doc: number): number => ((rel.codes[doc] ?? '').startsWith('0') ? 0.3 : 0);
  const ranked = matchDocs(rel.search, terms, limit, limit + 200)
    .map((d) => ({ ...d, score: d.score + sectionBonus(d.doc) }))
    .sort((a, b) => Number(b.complete) - Number(a.complete) || b.score - a.score || a.doc - b.doc)
    .slice(0, limit)
    .map(({ doc, score }) => pcsHit(rel, doc, { matchedBy: 'title', path: [pcsTitle(rel, doc)], source: rel.label, score }));
  return withValidity(sets, ranked, date).map(strip);
}

/**
 * Searches the code set in force on `options.date`. A code-shaped query lists that code and its children; other
 * text is matched word by word (any order, stemmed, abbreviations expanded) against titles and the indexes.
 */
export function searchCodes(sets: CodeSets, query: string, options: SearchOptions): SearchResponse {
  const limit = Math.max(1, Math.min(options.limit ?? 20, 500));
  const code = normalizeCode(query);
  const system: CodeSystem = options.system ?? (/^[0-9]/.test(code) && PCS_CODE_PATTERN.test(code) ? 'pcs' : 'cm');
  if (system === 'pcs') {
    const { release } = pcsReleaseFor(sets, options.date);
    return { query, system, date: options.date, release: release.label, hits: searchPcs(sets, release, query, options.date, limit) };
  }
  const { release, index } = cmReleaseFor(sets, options.date);
  let hits: SearchHit[] = [];
  if (CM_CODE_PATTERN.test(code)) hits = searchCmCode(sets, release, index, code, options.date, limit);
  if (hits.length === 0) hits = searchCmWords(sets, release, index, query, options.date, limit);
  return { query, system, date: options.date, release: release.label, hits };
}
