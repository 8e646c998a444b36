/**
 * Suggests ICD-10-CM and ICD-10-PCS codes for one document's text, ranked, each with the spans of the text that
 * support it and the rules that read them. Clinical language per the ICD-10-CM Official Guidelines: negated
 * findings are not coded; uncertain diagnoses ("possible", "suspected") are coded as established for inpatients
 * (Section II.H) and not for outpatients (Section IV.H); "history of" a malignancy gives Z85 (I.C.21.c.4) and a
 * family member's condition Z80-Z84; "with" entries give combination codes (I.A.15, I.C.4.a, I.C.9.a); the side
 * named picks the lateral code (I.B.13); injuries take a 7th character (I.C.19.a). Pure: no I/O.
 */
import { encounterNear, keyOf, lateralityNear, readContext, tokenize, type Token, type TokenContext } from './text.js';
import { scoreCandidate } from './rank.js';
import { neighbourVotes, strongestSentence, type NeighbourVote } from './neighbours.js';
import type { CacKnowledge, Evidence, PhraseRule, Reason, Suggestion, SuggestOptions } from './types.js';

const MAX_NGRAM = 6;

/** One phrase of the text found in the knowledge: its key, token span and context. */
export interface PhraseMatch {
  key: string;
  rules: PhraseRule[];
  from: number;
  to: number;
  negated: boolean;
  uncertain: boolean;
  history: boolean;
  family: boolean;
  section: number;
}

/** A tokenised, context-read document. */
export interface ReadDocument {
  text: string;
  tokens: Token[];
  ctx: TokenContext[];
}

export function readDocument(text: string): ReadDocument {
  const tokens = tokenize(text);
  return { text, tokens, ctx: readContext(text, tokens) };
}

/**
 * Every n-gram of content words (within a sentence) whose order-free key the knowledge holds. A dictionary phrase
 * inside a longer dictionary phrase is dropped (the longer one is the more specific entry, e.g. "acute on chronic
 * systolic heart failure" over "heart failure"); learned phrases are kept.
 */
export function matchPhrases(k: CacKnowledge, doc: ReadDocument): PhraseMatch[] {
  const { tokens, ctx } = doc;
  const content: number[] = [];
  tokens.forEach((t, i) => {
    if (t.stem !== null) content.push(i);
  });
  const out: PhraseMatch[] = [];
  const maxN = Math.min(MAX_NGRAM, k.maxWords + 1);
  for (let a = 0; a < content.length; a++) {
    const first = content[a] as number;
    const stems: string[] = [];
    for (let n = 1; n <= maxN && a + n - 1 < content.length; n++) {
      const last = content[a + n - 1] as number;
      if ((tokens[last] as Token).sentence !== (tokens[first] as Token).sentence) break;
      stems.push((tokens[last] as Token).stem as string);
      const key = keyOf(stems);
      const rules = k.phrases.get(key);
      if (!rules) continue;
      const m: PhraseMatch = {
        key,
        rules,
        from: first,
        to: last,
        negated: false,
        uncertain: false,
        history: false,
        family: false,
        section: 1,
      };
      for (let i = first; i <= last; i++) {
        const c = ctx[i] as TokenContext;
        if (tokens[i]?.stem === null) continue;
        m.negated ||= c.negated;
        m.uncertain ||= c.uncertain;
        m.history ||= c.history;
        m.family ||= c.family;
        m.section = c.section;
      }
      out.push(m);
    }
  }
  const dictionary = (m: PhraseMatch): boolean => m.rules.some((r) => r.source !== 'learned');
  return out.filter(
    (m) =>
      !dictionary(m) || !out.some((o) => o !== m && dictionary(o) && o.from <= m.from && o.to >= m.to && o.to - o.from > m.to - m.from),
  );
}

/** A candidate code: the best weight of each rule that gave it, where, and how. */
export interface Candidate {
  code: string;
  system: 'cm' | 'pcs';
  /** Best weight per rule (source + term), so one phrase repeated counts once. */
  weights: Map<string, number>;
  evidence: Evidence[];
  /** The best rule weight behind each evidence span ("start:end"), to list the strongest evidence first. */
  evidenceWeight: Map<string, number>;
  why: Reason[];
  uncertain: boolean;
  allUncertain: boolean;
  /** A combination code took its place (Guidelines I.A.15): kept, ranked lower. */
  weakened?: boolean;
  /** Similarity-weighted share of the most similar coded notes that carry this code (0 without a neighbour index). */
  neighbours: number;
  /** Similarity of the most similar coded note carrying it, and how many of the nearest carry it. */
  neighbourBest: number;
  neighbourCount: number;
  /** The similar notes' other votes (see NeighbourVote). */
  vote?: NeighbourVote;
  /** Suggested from similar notes alone (no phrase of the note read for it). */
  learnedModelOnly?: boolean;
}

function add(
  cands: Map<string, Candidate>,
  doc: ReadDocument,
  m: PhraseMatch,
  code: string,
  r: PhraseRule,
  weight: number,
  why: Reason,
): void {
  const id = `${r.system}:${code}`;
  let c = cands.get(id);
  if (!c) {
    c = {
      code,
      system: r.system,
      weights: new Map(),
      evidence: [],
      evidenceWeight: new Map(),
      why: [],
      uncertain: false,
      allUncertain: true,
      neighbours: 0,
      neighbourBest: 0,
      neighbourCount: 0,
    };
    cands.set(id, c);
  }
  const ruleId = `${why.source}:${why.term}`;
  c.weights.set(ruleId, Math.max(c.weights.get(ruleId) ?? 0, weight));
  const start = (doc.tokens[m.from] as Token).start;
  const end = (doc.tokens[m.to] as Token).end;
  if (!c.evidence.some((e) => e.start === start && e.end === end)) c.evidence.push({ start, end, text: doc.text.slice(start, end) });
  const spanKey = `${start}:${end}`;
  c.evidenceWeight.set(spanKey, Math.max(c.evidenceWeight.get(spanKey) ?? 0, weight));
  if (!c.why.some((w) => w.source === why.source && w.term === why.term)) c.why.push(why);
  c.uncertain ||= m.uncertain;
  c.allUncertain &&= m.uncertain;
}

const isNeoplasm = (code: string): boolean => /^C/.test(code);

/** The code one rule gives at one place, after family/personal history, laterality and 7th character. */
function codeFor(k: CacKnowledge, doc: ReadDocument, m: PhraseMatch, r: PhraseRule): { code: string; why: Reason } | undefined {
  const why: Reason = { source: r.source, term: r.term };
  if (r.system === 'pcs') return m.family ? undefined : { code: r.code, why };
  if (m.family) {
    if (/^Z8[0-4]/.test(r.code)) return { code: r.code, why }; // the phrase named the family history itself
    if (r.source === 'learned') return undefined;
    const z = isNeoplasm(r.code) ? k.cancerHistory.get(r.code.slice(0, 3))?.[0] : k.familyHistory.get(m.key);
    return z === undefined ? undefined : { code: z, why: { source: 'family-history', term: r.term } };
  }
  if (m.history && r.source !== 'learned' && !/^Z8/.test(r.code)) {
    const z = isNeoplasm(r.code) ? k.cancerHistory.get(r.code.slice(0, 3))?.[1] : k.personalHistory.get(m.key);
    if (z !== undefined) return { code: z, why: { source: 'personal-history', term: r.term } };
  }
  let code = r.code;
  const lat = k.laterality.get(code);
  if (lat) {
    const side = lateralityNear(doc.tokens, m.from, m.to);
    const pick = side === 'right' ? lat[0] : side === 'left' ? lat[1] : side === 'bilateral' ? (lat[2] ?? lat[0]) : undefined;
    if (pick !== undefined) code = pick;
  }
  if (r.seventh) code = `${code}${encounterNear(doc.tokens, m.from)}`;
  return { code, why };
}

/** Combination codes: an Index "with" entry whose head and condition are both read, un-negated, in the document. */
function addCombinations(
  k: CacKnowledge,
  doc: ReadDocument,
  matches: PhraseMatch[],
  cands: Map<string, Candidate>,
  weakened: Set<string>,
): void {
  const present = new Map<string, PhraseMatch>();
  for (const m of matches) if (!m.negated && !m.family && !m.history && !present.has(m.key)) present.set(m.key, m);
  for (const [key, head] of present) {
    for (const combo of k.combos.get(key) ?? []) {
      const sub = present.get(combo.sub);
      if (!sub) continue;
      const rule: PhraseRule = { code: combo.code, system: 'cm', source: 'index', term: combo.term, weight: 0.6 };
      const why: Reason = { source: 'combination', term: combo.term };
      add(cands, doc, head, combo.code, rule, 0.6, why);
      add(cands, doc, sub, combo.code, rule, 0.6, why);
      for (const r of [...head.rules, ...sub.rules]) if (r.source !== 'learned' && r.code !== combo.code) weakened.add(`cm:${r.code}`);
    }
  }
}

/**
 * A code of the same category read only inside a longer Index or tabular phrase gives way to that phrase's code
 * (I.A.15 combination codes, and the more specific entry: "type 2 diabetes mellitus with diabetic nephropathy"
 * E11.21 over "diabetes mellitus" E11.9).
 */
function weakenContained(doc: ReadDocument, matches: PhraseMatch[], cands: Map<string, Candidate>): void {
  const spans: { start: number; end: number; category: string; code: string }[] = [];
  for (const m of matches) {
    if (m.negated || m.family || m.history) continue;
    const start = (doc.tokens[m.from] as Token).start;
    const end = (doc.tokens[m.to] as Token).end;
    for (const r of m.rules)
      if (r.source !== 'learned' && r.system === 'cm') spans.push({ start, end, category: r.code.slice(0, 3), code: r.code });
  }
  for (const c of cands.values()) {
    if (c.system !== 'cm' || c.evidence.length === 0) continue;
    const category = c.code.slice(0, 3);
    const inside = c.evidence.some((e) =>
      spans.some(
        (s) => s.category === category && s.code !== c.code && s.start <= e.start && s.end >= e.end && s.end - s.start > e.end - e.start,
      ),
    );
    if (inside) c.weakened = true;
  }
}

const LEARNED_MODEL: Reason = { source: 'learned', term: 'learned model: similar coded notes' };

/**
 * The similar coded notes' votes on each candidate, and the codes they carry that no phrase gave: suggested as
 * "learned model", with the sentence sharing most with those notes as evidence.
 */
function addNeighbourVotes(
  k: CacKnowledge,
  doc: ReadDocument,
  cands: Map<string, Candidate>,
  system: SuggestOptions['system'] & string,
  leftOut: Set<string>,
): void {
  const index = k.neighbours;
  if (!index) return;
  const hood = neighbourVotes(index, doc.tokens);
  for (const [id, v] of hood.votes) {
    let c = cands.get(id);
    if (!c && v.count > 0 && !leftOut.has(id)) {
      const sys = id.slice(0, id.indexOf(':')) as 'cm' | 'pcs';
      if (system !== 'both' && system !== sys) continue;
      const span = strongestSentence(index, hood, id, doc.tokens);
      if (!span) continue;
      const start = (doc.tokens[span[0]] as Token).start;
      const end = (doc.tokens[span[1]] as Token).end;
      c = {
        code: id.slice(id.indexOf(':') + 1),
        system: sys,
        weights: new Map(),
        evidence: [{ start, end, text: doc.text.slice(start, end) }],
        evidenceWeight: new Map(),
        why: [LEARNED_MODEL],
        uncertain: false,
        allUncertain: false,
        neighbours: 0,
        neighbourBest: 0,
        neighbourCount: 0,
        learnedModelOnly: true,
      };
      cands.set(id, c);
    }
    if (!c) continue;
    c.vote = v;
    c.neighbours = v.share;
    c.neighbourBest = v.best;
    c.neighbourCount = v.count;
  }
}

/** Every candidate code of a document with what supports it (before ranking). */
export function collectCandidates(
  k: CacKnowledge,
  text: string,
  options: SuggestOptions = {},
): { doc: ReadDocument; candidates: Candidate[] } {
  const system = options.system ?? 'both';
  const setting = options.setting ?? 'inpatient';
  const doc = readDocument(text);
  const matches = matchPhrases(k, doc);
  const cands = new Map<string, Candidate>();
  // Codes whose every reading was negated (or uncertain, outpatient): similar notes must not bring them back.
  const leftOut = new Set<string>();
  for (const m of matches) {
    // A negated finding is not coded; Section IV.H: uncertain diagnoses are not coded for outpatients.
    if (m.negated || (m.uncertain && setting === 'outpatient')) {
      for (const r of m.rules) leftOut.add(`${r.system}:${r.code}`);
      continue;
    }
    for (const r of m.rules) {
      if (system !== 'both' && r.system !== system) continue;
      const got = codeFor(k, doc, m, r);
      if (!got) continue;
      add(cands, doc, m, got.code, r, r.weight * m.section * (m.uncertain ? 0.85 : 1), got.why);
    }
  }
  const weakened = new Set<string>();
  if (system !== 'pcs') addCombinations(k, doc, matches, cands, weakened);
  for (const id of weakened) {
    const c = cands.get(id);
    if (c) c.weakened = true;
  }
  weakenContained(doc, matches, cands);
  if (k.neighbours) addNeighbourVotes(k, doc, cands, system, leftOut);
  for (const c of cands.values())
    c.evidence = c.evidence.filter(
      (e) => !c.evidence.some((o) => o !== e && o.start <= e.start && o.end >= e.end && o.end - o.start > e.end - e.start),
    );
  return { doc, candidates: [...cands.values()] };
}

/** Ranked code suggestions for one document's text (best first), with evidence spans in that text. */
export function suggestCodes(k: CacKnowledge, text: string, options: SuggestOptions = {}): Suggestion[] {
  const { doc, candidates } = collectCandidates(k, text, options);
  const out: Suggestion[] = [];
  const scores = candidates.map((c) => scoreCandidate(k, c, doc.text.length));
  const bestOf = new Map<string, number>();
  candidates.forEach((c, i) => {
    const cat = `${c.system}:${c.code.slice(0, 3)}`;
    if (!c.weakened) bestOf.set(cat, Math.max(bestOf.get(cat) ?? 0, scores[i] ?? 0));
  });
  candidates.forEach((c, i) => {
    // Guidelines I.A.15: where a combination or more specific code was read, the component ranks below it.
    let score = scores[i] ?? 0;
    if (c.weakened) score = Math.min(score * 0.5, Math.max(0, (bestOf.get(`${c.system}:${c.code.slice(0, 3)}`) ?? 1) - 0.001));
    const s: Suggestion = {
      code: c.code,
      system: c.system,
      score: Math.round(score * 1000) / 1000,
      // The strongest evidence first (the one a decision links to), then in reading order.
      evidence: c.evidence.sort(
        (a, b) =>
          (c.evidenceWeight.get(`${b.start}:${b.end}`) ?? 0) - (c.evidenceWeight.get(`${a.start}:${a.end}`) ?? 0) || a.start - b.start,
      ),
      why: c.why,
    };
    if (c.allUncertain) s.uncertain = true;
    out.push(s);
  });
  out.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  return out.slice(0, options.limit ?? out.length);
}
