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
import { codesVia, termPath } from './index-nav.js';
import { composePcsTitle } from './pcs-tables.js';
import { historyOfCancerCode, parseHistoryOfCancer, sequenceCodeFirst } from './search-conventions.js';
import { postingsOf, prefixPostings } from './search-index.js';
import {
  ENCOUNTER_CHARS,
  GENERIC_STEMS,
  indexTokens,
  parseCircumstances,
  parseQuery,
  stem,
  type Circumstances,
  type QueryTerm,
} from './text.js';
import type { CmRelease, CodeSets, IndexData, IndexKind, PcsRelease, SearchIndexData } from './types.js';

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

const scratch = new WeakMap<
  SearchIndexData,
  { count: Uint8Array; opt: Uint8Array; weight: Float32Array; stamp: Uint32Array; seen: Uint32Array; round: number }
>();

/** Inverse document frequency of each query term (its alternatives and prefix completions together). */
function termLists(index: SearchIndexData, term: QueryTerm): Uint32Array[] {
  const lists: Uint32Array[] = [];
  for (const alt of term.alternatives) {
    const p = postingsOf(index, alt);
    if (p) lists.push(p);
  }
  if (term.prefix) lists.push(...prefixPostings(index, term.alternatives[0] ?? term.word));
  return lists;
}

export function termIdf(index: SearchIndexData, term: QueryTerm): number {
  const df = termLists(index, term).reduce((a, l) => a + l.length, 0);
  return Math.log(1 + index.docLen.length / (1 + df));
}

/**
 * Documents matching all required terms (or all but one when too few match fully), scored by idf coverage and
 * brevity. Optional terms ("unspecified") add to the score of a document that has them but are never required.
 */
function matchDocs(index: SearchIndexData, terms: QueryTerm[], want: number, cap: number): DocScore[] {
  const n = index.docLen.length;
  let s = scratch.get(index);
  if (!s)
    scratch.set(
      index,
      (s = {
        count: new Uint8Array(n),
        opt: new Uint8Array(n),
        weight: new Float32Array(n),
        stamp: new Uint32Array(n),
        seen: new Uint32Array(n),
        round: 0,
      }),
    );
  const { count, weight, stamp, seen, opt } = s;
  const touched: number[] = [];
  const query = ++s.round;
  let totalIdf = 0;
  for (const term of terms) {
    const lists = termLists(index, term);
    const df = lists.reduce((a, l) => a + l.length, 0);
    const idf = Math.log(1 + n / (1 + df));
    if (!term.optional) totalIdf += idf;
    // A stamp per term, so a document reached through two alternatives counts once (cheaper than a Set).
    const mark = ++s.round;
    for (const l of lists) {
      for (const d of l) {
        if (stamp[d] === mark) continue;
        stamp[d] = mark;
        if (seen[d] !== query) {
          seen[d] = query;
          touched.push(d);
        }
        if (!term.optional) count[d] = (count[d] ?? 0) + 1;
        else if (!GENERIC_STEMS.has(term.alternatives[0] ?? '')) opt[d] = (opt[d] ?? 0) + 1;
        weight[d] = (weight[d] ?? 0) + (term.optional ? 0.2 * idf : idf);
      }
    }
  }
  // Relax one term at a time (down to half of them) until enough documents match.
  const full = terms.filter((t) => !t.optional).length;
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
    if (c >= need && c > 0) {
      // Required terms are never generic words, so they are all counted in the document's length.
      // Optional words the document has (laterality: "right") are counted in its length too.
      const extra = Math.max(0, (index.docLen[d] ?? 0) - c - (opt[d] ?? 0));
      docs.push(d);
      matched.push(c);
      keys.push((c === full ? 1000 : 0) + (10 * (weight[d] ?? 0)) / (totalIdf || 1) - 0.35 * extra - 4 * (full - c));
    }
    count[d] = 0;
    opt[d] = 0;
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

/** Tokens of one index term's title: its comma-separated variants, all essential words, and its nonessential modifiers. */
interface LevelTokens {
  parts: string[][];
  essential: Set<string>;
  nemod: Set<string>;
}
const levelCache = new WeakMap<IndexData, Map<number, LevelTokens>>();
function levelTokens(ix: IndexData, id: number): LevelTokens {
  let m = levelCache.get(ix);
  if (!m) levelCache.set(ix, (m = new Map<number, LevelTokens>()));
  let l = m.get(id);
  if (!l) {
    const t = ix.terms[id];
    const parts = (t?.title ?? '').split(',').map((p) => indexTokens(p));
    l = { parts, essential: new Set(parts.flat()), nemod: new Set(indexTokens(t?.nemod ?? '')) };
    m.set(id, l);
  }
  return l;
}

function termIn(term: QueryTerm, tokens: Set<string>): boolean {
  if (term.alternatives.some((a) => tokens.has(a))) return true;
  const p = term.alternatives[0] ?? '';
  return term.prefix && [...tokens].some((t) => t.startsWith(p));
}

/**
 * Scores an index entry the way a coder reads the Index: the main term (the condition) first, then each subterm.
 * Every level the query names is followed; a subterm the query does not name costs (so the default code of the
 * shallowest matching entry wins: "Meningitis" -> G03.9 before "Meningitis, viral"); words matched only in a
 * nonessential modifier count less, and words of the entry the query did not say count against it.
 */
function indexEntryScore(
  ix: IndexData,
  termId: number,
  col: number,
  terms: QueryTerm[],
  idf: number[],
): { score: number; complete: boolean } {
  const chain: number[] = [];
  for (let id = termId; id >= 0; id = ix.terms[id]?.parent ?? -1) chain.unshift(id);
  const levels = chain.map((id) => levelTokens(ix, id));
  if (col !== 255) {
    const heading = indexTokens(ix.columns[col] ?? '');
    levels.push({ parts: [heading], essential: new Set(heading), nemod: new Set() });
  }
  const deepest = levels.length - 1;
  const essentialHit = levels.map(() => false);
  const nemodHit = levels.map(() => false);
  const matchedWords = levels.map(() => new Set<string>());
  const said = new Set(terms.filter((t) => !t.optional).flatMap((t) => t.alternatives));
  let required = 0;
  let got = 0;
  let missing = 0;
  let score = 0;
  terms.forEach((term, ti) => {
    const w = idf[ti] ?? 1;
    if (!term.optional) required += w;
    const at = levels.findIndex((l) => termIn(term, l.essential));
    if (at >= 0) {
      essentialHit[at] = true;
      for (const a of term.alternatives) matchedWords[at]?.add(a);
      if (!term.optional) got += w;
      else score += 0.2;
      return;
    }
    const nm = levels.findIndex((l) => termIn(term, l.nemod));
    if (nm >= 0) {
      nemodHit[nm] = true;
      if (!term.optional) got += w;
      score -= nm === deepest ? 0.1 : 0.25;
      return;
    }
    if (!term.optional) missing++;
  });
  score += (10 * got) / (required || 1) - 4 * missing;
  if (essentialHit[0]) score += 1;
  levels.forEach((l, i) => {
    const table = col !== 255 && i === deepest;
    const meaningful = [...l.essential].some((t) => !GENERIC_STEMS.has(t));
    if (essentialHit[i]) {
      // Words of the matched variant ("malignant pleural") that the query did not say.
      // A word the query said that was read at another level counts as said here too ("heart > with heart failure").
      const m = new Set([...(matchedWords[i] ?? []), ...said]);
      // A variant after the first comma part stands for the whole title only when the head is named too
      // ("Epilepsy, epileptic" yes; "Kojevnikov's, epilepsy" leaves "Kojevnikov's" unsaid).
      const unsaid = (p: string[]) => p.filter((t) => !m.has(t) && !GENERIC_STEMS.has(t)).length;
      const head = l.parts[0] ?? [];
      const headSaid = head.some((t) => m.has(t));
      const extras = l.parts
        .map((p, pi) => (p.some((t) => m.has(t)) ? unsaid(p) + (pi > 0 && !headSaid ? unsaid(head) : 0) : Infinity))
        .filter((x) => x !== Infinity);
      score -= 0.5 * Math.min(...extras, 3);
    } else if (table) {
      // A table column the query does not name: the poisoning (accidental) and unspecified-behaviour columns are the defaults.
      score -= col === 0 || /unspecified/i.test(ix.columns[col] ?? '') ? 0 : 0.3;
    } else if (nemodHit[i]) {
      score -= l.essential.size === 0 ? 0 : 0.6;
    } else {
      score -= meaningful ? 1 : 0.5;
    }
  });
  return { score, complete: missing === 0 };
}

const subsCache = new WeakMap<CmRelease, Map<string, number[]>>();
/** Billable codes under a header (at most 400 looked at), memoised per release: the index leads to the same headers often. */
function billableUnder(sets: CodeSets, rel: CmRelease, ri: number, code: string): number[] {
  let m = subsCache.get(rel);
  if (!m) subsCache.set(rel, (m = new Map<string, number[]>()));
  let l = m.get(code);
  if (!l) m.set(code, (l = cmPrefixPositions(sets, ri, code, 400).filter((p) => rel.billable[p] === 1)));
  return l;
}

const titleCache = new WeakMap<CmRelease, Map<number, { all: Set<string>; core: Set<string> }>>();
/**
 * Words of a code title, all of them and its core: without the default clauses ("without dyskinesia", "not having
 * achieved remission", "not intractable"), which say what the unspecified case is rather than add a specific.
 */
function titleTokens(rel: CmRelease, pos: number): { all: Set<string>; core: Set<string> } {
  let m = titleCache.get(rel);
  if (!m) titleCache.set(rel, (m = new Map<number, { all: Set<string>; core: Set<string> }>()));
  let t = m.get(pos);
  if (!t) {
    const title = rel.titles[pos] ?? '';
    t = { all: new Set(indexTokens(title)), core: new Set(indexTokens(title.replace(/\b(?:without|not)\b[^,;]*/gi, ' '))) };
    m.set(pos, t);
  }
  return t;
}

const drugPathCache = new WeakMap<IndexData, Set<string>[]>();
/** Essential words of each drug-table row with its parent rows ("Insulin" > "zinc"). */
function drugPaths(ix: IndexData): Set<string>[] {
  let paths = drugPathCache.get(ix);
  if (!paths) {
    const out: Set<string>[] = [];
    ix.terms.forEach((t, id) => {
      const own = new Set(t.parent >= 0 ? out[t.parent] : []);
      for (const x of levelTokens(ix, id).essential) own.add(x);
      out[id] = own;
    });
    drugPathCache.set(ix, (paths = out));
  }
  return paths;
}

/** Query words that make an injury, poisoning or complication code (chapter 19) a fair answer. */
const INJURY_STEMS = new Set(
  [
    'injury',
    'injured',
    'fracture',
    'laceration',
    'wound',
    'contusion',
    'trauma',
    'traumatic',
    'sprain',
    'strain',
    'burn',
    'dislocation',
    'subluxation',
    'crush',
    'bite',
    'puncture',
    'abrasion',
    'amputation',
    'avulsion',
    'concussion',
    'poisoning',
    'overdose',
    'toxic',
    'adverse',
    'underdosing',
    'complication',
    'frostbite',
    'foreign',
    'tear',
    'torn',
    'gunshot',
    'stab',
    'fall',
    'accidental',
    'assault',
    'encounter',
    'sequela',
    'subsequent',
    'initial',
    'effect',
    'reaction',
    'infusion',
    'transfusion',
    'transplant',
    'graft',
    'prosthetic',
    'implant',
    'device',
    'anaphylaxis',
    'anaphylactic',
    'allergy',
    'allergic',
    'hypothermia',
    'heat',
    'drowning',
    'asphyxia',
    'electrocution',
    'lightning',
    'abuse',
    'maltreatment',
    'shock',
    'hematoma',
    'rupture',
    'blister',
    'injuries',
    'whiplash',
    'intoxication',
    'toxicity',
    'sting',
    'venom',
    'embolism',
    'failure',
    'rejection',
    'leak',
    'displacement',
    'malfunction',
    'postprocedural',
    'postoperative',
    'procedure',
    'surgery',
    'surgical',
  ].map((w) => stem(w)),
);

/** The Table of Drugs and Chemicals read like a coder: substance row, intent or effect column, then the 7th character. */
function drugTableHits(sets: CodeSets, rel: CmRelease, ri: number, circ: Circumstances): (SearchHit & { order: number })[] {
  const ix = rel.indexes.find((x) => x.kind === 'drug');
  const want = indexTokens(circ.rest);
  if (!ix || want.length === 0) return [];
  const column = circ.column ?? 0;
  const found: { id: number; extra: number }[] = [];
  const paths = drugPaths(ix);
  ix.terms.forEach((t, id) => {
    const code = t.codes[column];
    if (code === null || code === undefined) return;
    const own = paths[id] ?? new Set<string>();
    if (!want.every((w) => own.has(w))) return;
    found.push({ id, extra: own.size - new Set(want).size });
  });
  found.sort((a, b) => a.extra - b.extra || a.id - b.id);
  const out: (SearchHit & { order: number })[] = [];
  for (const { id, extra } of found.slice(0, 5)) {
    const raw = normalizeCode(ix.terms[id]?.codes[column] ?? '');
    const base = raw.padEnd(6, 'X');
    const code = circ.encounter ? `${base}${circ.encounter}` : raw;
    const path = [...termPath(ix, id), ix.columns[column] ?? ''];
    const hit =
      cmHit(sets, rel, ri, code, { matchedBy: 'drug', path, source: ix.source.label, score: 12 - 0.5 * extra }) ??
      cmHit(sets, rel, ri, raw, { matchedBy: 'drug', path, source: ix.source.label, score: 12 - 0.5 * extra });
    if (hit) out.push(hit);
  }
  return out;
}

/** A prefix written closed up ("preeclampsia", "nonhealing") is split when only the split form is indexed ("pre-eclampsia"). */
function splitPrefixes(index: SearchIndexData, query: string): string {
  return query.replace(
    /\b(pre|post|non|anti|intra|peri|sub|extra|inter|trans|hyper|hypo|poly|multi)([a-z]{4,})\b/gi,
    (word, pre: string, rest: string) =>
      postingsOf(index, stem(word.toLowerCase())) || !postingsOf(index, stem(rest.toLowerCase())) ? word : `${pre} ${rest}`,
  );
}

function searchCmWords(sets: CodeSets, rel: CmRelease, ri: number, query: string, date: string, limit: number): SearchHit[] {
  const terms = parseQuery(splitPrefixes(rel.search, query), 'cm');
  if (terms.length === 0) return [];
  const circ = parseCircumstances(query);
  const injuryWords = terms.some((t) => t.alternatives.some((a) => INJURY_STEMS.has(a))) || circ.drug;
  const idf = terms.map((t) => termIdf(rel.search, t));
  const best = new Map<string, RankedHit>();
  let complete = true;
  const offer = (h: RankedHit | undefined): void => {
    if (!h) return;
    h.complete = complete;
    // A disease phrase does not bring injury codes; an encounter named picks the 7th character.
    if (!injuryWords && h.matchedBy !== 'drug' && /^[ST]/.test(h.code)) h.score -= 3;
    if (circ.encounter && h.code.length === 7 && /^(?:[ST]|M48|M80|M84)/.test(h.code)) {
      if (!ENCOUNTER_CHARS[circ.encounter].includes(h.code.slice(6))) h.score -= 1.5;
    }
    const prev = best.get(h.code);
    if (!prev || byRank(h, prev) < 0) best.set(h.code, h);
  };
  if (circ.drug) {
    complete = true;
    for (const h of drugTableHits(sets, rel, ri, circ)) offer(h);
  }
  // The index path (main term, subterms, default code) outranks word overlap with a title: index documents are
  // rescored as a coder reads the entry, then only the best candidates are expanded into hits.
  const candidates = matchDocs(rel.search, terms, limit, 400).map((d) => {
    if (d.doc < rel.codes.length) return d;
    const k = d.doc - rel.codes.length;
    const ix = rel.indexes[rel.indexDocs.source[k] ?? 0];
    if (!ix) return d;
    const entry = indexEntryScore(ix, rel.indexDocs.term[k] ?? 0, rel.indexDocs.col[k] ?? 255, terms, idf);
    return { ...d, score: entry.score, complete: d.complete && entry.complete };
  });
  candidates.sort((a, b) => Number(b.complete) - Number(a.complete) || b.score - a.score || a.doc - b.doc);
  for (const { doc, score, complete: isComplete } of candidates.slice(0, Math.max(80, 3 * limit))) {
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
    const entry = { score };
    for (const [ci, c] of codes.entries()) {
      const code = normalizeCode(c);
      // A second code of an entry (the manifestation in brackets) is sequenced after the first.
      const extra = { matchedBy: ix.kind, path: fullPath, source: ix.source.label, score: entry.score - (ci > 0 ? 0.2 : 0) };
      const hit = cmHit(sets, rel, ri, code, extra);
      offer(hit && { ...hit });
      // The index often leads to a subcategory ("I82.40-", "T39.1X2"): like a coder turning to the tabular,
      // offer its few billable subdivisions (7th characters included) just below it.
      // The encounter named narrows them to its 7th characters; laterality and "closed" words pick among them.
      if (hit && !hit.billable) {
        const subs = billableUnder(sets, rel, ri, code).filter(
          (p) =>
            rel.billable[p] === 1 &&
            (!circ.encounter || (rel.codes[p] ?? '').length < 7 || ENCOUNTER_CHARS[circ.encounter].includes((rel.codes[p] ?? '').slice(6))),
        );
        if (subs.length <= 24)
          for (const p of subs) {
            // The query's words in the subdivision's title pick it ("stage 2", "right"); else its unspecified code.
            const title = titleTokens(rel, p);
            const picked = terms.filter((t) => t.alternatives.some((a) => title.all.has(a))).length;
            const unsaid = [...title.core].filter((x) => !GENERIC_STEMS.has(x) && !terms.some((t) => t.alternatives.includes(x))).length;
            const unspecified = (title.all.has('unspecifi') ? 0.1 : 0) - 0.04 * Math.min(unsaid, 5);
            offer(
              cmHit(sets, rel, ri, rel.codes[p] ?? '', {
                ...extra,
                path: [...fullPath, `${hit.display} (tabular)`],
                score: extra.score - 0.3 + 0.2 * picked + unspecified,
              }),
            );
          }
      }
    }
  }
  offerHistoryOfCancer(sets, rel, ri, query, date, best);
  sequenceCodeFirst(sets, rel, best.values());
  return withValidity(sets, [...best.values()].sort(byRank).slice(0, limit), date).map(strip);
}

/**
 * "Family history of colon cancer": the site's primary code from the Neoplasm table leads to the Z80/Z85 code whose
 * tabular range holds it (search-conventions.ts), put first; the words alone reach only "malignant neoplasm NOS".
 */
function offerHistoryOfCancer(sets: CodeSets, rel: CmRelease, ri: number, query: string, date: string, best: Map<string, RankedHit>): void {
  const asked = parseHistoryOfCancer(query);
  if (!asked) return;
  const primary = searchCmWords(sets, rel, ri, `${asked.site} malignant primary`, date, 5).find(
    (h) => h.matchedBy === 'neoplasm' && h.code.startsWith('C'),
  );
  const code = primary && historyOfCancerCode(sets, rel, ri, asked.family, primary.code);
  if (!code) return;
  const top = Math.max(0, ...[...best.values()].map((h) => h.score));
  const hit = cmHit(sets, rel, ri, code, {
    matchedBy: 'index',
    path: [
      asked.family ? 'History, family' : 'History, personal',
      'malignant neoplasm',
      primary.display,
      `${formatCode('cm', code)} (tabular)`,
    ],
    source: rel.label,
    score: top + 1,
  });
  if (hit) best.set(code, { ...hit, complete: true });
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
