/**
 * Learning from coded notes (CodiEsp train: English text, gold codes per document): phrase -> code rules with the
 * chance the code is assigned when the phrase is read, and the calibration of the classification's own rules by
 * how often each was right in those notes. Counting only; reproducible from the same files. Pure: no I/O.
 */
import { collectCandidates, matchPhrases, readDocument } from './suggest.js';
import { candidateFeatures, fitRanker } from './rank.js';
import { buildNeighbourIndex } from './neighbours.js';
import { keyOf, type Token, type TokenContext } from './text.js';
import type { CacKnowledge, CacSystem, PhraseRule } from './types.js';

/** A coded note: its text and the codes a coder assigned (no dots, upper case). */
export interface CodedDocument {
  name: string;
  text: string;
  codes: { code: string; system: CacSystem }[];
}

const LEARN_MAX_N = 3;
/** A phrase must be seen with the code in at least this many notes. */
const MIN_SUPPORT = 2;
/** Pseudo-counts pulling a rule's observed rate towards its source prior (additive smoothing). */
const SMOOTHING = 2;
/** Pseudo-count of notes without the code added to a learned phrase's notes (a phrase seen twice is not yet sure). */
const LEARN_SMOOTHING = 4;
const MIN_WEIGHT = 0.06;
/** A learned rule must make its code at least this many times likelier than in notes at large. */
const MIN_LIFT = 2;

/** Keys of the un-negated, non-family content n-grams (1..3 words, within a sentence) of a document. */
function ngramKeys(tokens: Token[], ctx: TokenContext[]): Set<string> {
  const content: number[] = [];
  tokens.forEach((t, i) => {
    const c = ctx[i] as TokenContext;
    if (t.stem !== null && !c.negated && !c.family && !/^\d+$/.test(t.stem)) content.push(i);
  });
  const keys = new Set<string>();
  for (let a = 0; a < content.length; a++) {
    const stems: string[] = [];
    for (let n = 1; n <= LEARN_MAX_N && a + n - 1 < content.length; n++) {
      const i = content[a + n - 1] as number;
      if (
        (tokens[i] as Token).sentence !== (tokens[content[a] as number] as Token).sentence ||
        (n > 1 && i - (content[a + n - 2] as number) > 3)
      )
        break;
      stems.push((tokens[i] as Token).stem as string);
      keys.add(keyOf(stems));
    }
  }
  return keys;
}

/** A copy of the knowledge whose rules can be re-weighted without touching the original's. */
function cloneKnowledge(base: CacKnowledge): CacKnowledge {
  const phrases = new Map<string, PhraseRule[]>();
  for (const [key, rules] of base.phrases)
    phrases.set(
      key,
      rules.map((r) => ({ ...r })),
    );
  const { ranker: _ranker, neighbours: _neighbours, ...rest } = base;
  return { ...rest, phrases, prior: new Map() };
}

/**
 * Learned phrase rules and calibrated classification rules from `docs`, on a copy of `base`. A learned rule's
 * weight is the share of notes containing the phrase that carry the code (smoothed); a classification rule's is
 * the share of notes where it fired that carry its code, smoothed towards its source prior.
 */
export function learnRules(base: CacKnowledge, docs: CodedDocument[]): { knowledge: CacKnowledge; added: number } {
  const k = cloneKnowledge(base);
  // Calibrate the classification rules first, on what they read before any learned phrase is added.
  const fired = new Map<PhraseRule, { n: number; hit: number }>();
  const df = new Map<string, number>();
  const co = new Map<string, Map<string, number>>();
  const prior = new Map<string, number>();
  const vectors: { tokens: Token[]; codes: string[] }[] = [];
  for (const d of docs) {
    const gold = new Set(d.codes.map((c) => `${c.system}:${c.code}`));
    for (const g of gold) prior.set(g.slice(g.indexOf(':') + 1), (prior.get(g.slice(g.indexOf(':') + 1)) ?? 0) + 1 / docs.length);
    const doc = readDocument(d.text);
    vectors.push({ tokens: doc.tokens, codes: [...gold] });
    const seen = new Set<PhraseRule>();
    for (const m of matchPhrases(k, doc)) {
      if (m.negated || m.family || m.history) continue;
      for (const r of m.rules) if (!seen.has(r)) seen.add(r);
    }
    for (const r of seen) {
      const f = fired.get(r) ?? { n: 0, hit: 0 };
      f.n++;
      if (gold.has(`${r.system}:${r.code}`) || (r.seventh && [...gold].some((g) => g.startsWith(`cm:${r.code}`)))) f.hit++;
      fired.set(r, f);
    }
    for (const key of ngramKeys(doc.tokens, doc.ctx)) {
      df.set(key, (df.get(key) ?? 0) + 1);
      let m = co.get(key);
      for (const g of gold) {
        m ??= new Map();
        m.set(g, (m.get(g) ?? 0) + 1);
      }
      if (m) co.set(key, m);
    }
  }
  for (const [r, f] of fired) r.weight = (f.hit + SMOOTHING * r.weight) / (f.n + SMOOTHING);
  let added = 0;
  for (const [key, codes] of co) {
    const n = df.get(key) ?? 0;
    if (n < MIN_SUPPORT) continue;
    for (const [g, hits] of codes) {
      if (hits < MIN_SUPPORT) continue;
      const weight = hits / (n + LEARN_SMOOTHING);
      const system = g.slice(0, g.indexOf(':')) as CacSystem;
      const code = g.slice(g.indexOf(':') + 1);
      if (weight < MIN_WEIGHT || weight < MIN_LIFT * (prior.get(code) ?? 0)) continue;
      const list = k.phrases.get(key) ?? [];
      list.push({ code, system, source: 'learned', term: key, weight });
      k.phrases.set(key, list);
      added++;
    }
  }
  k.prior = prior;
  k.neighbours = buildNeighbourIndex(vectors);
  return { knowledge: k, added };
}

const FOLDS = 5;

/**
 * The knowledge learned from coded notes: rules learned and calibrated on all of `docs`, and a ranker fitted on
 * candidates each note gets from rules learned on the other folds (cross-fitting, so the ranker sees rules as
 * they behave on notes they were not learned from). Deterministic: folds by position in `docs`.
 */
export function learnFromCorpus(base: CacKnowledge, docs: CodedDocument[], corpusLabel: string): CacKnowledge {
  const xs: Record<CacSystem, number[][]> = { cm: [], pcs: [] };
  const ys: Record<CacSystem, number[]> = { cm: [], pcs: [] };
  for (let f = 0; f < FOLDS; f++) {
    const { knowledge } = learnRules(
      base,
      docs.filter((_, i) => i % FOLDS !== f),
    );
    docs.forEach((d, i) => {
      if (i % FOLDS !== f) return;
      const gold = new Set(d.codes.map((c) => `${c.system}:${c.code}`));
      const { doc, candidates } = collectCandidates(knowledge, d.text);
      for (const c of candidates) {
        xs[c.system].push(candidateFeatures(knowledge, c, doc.text.length));
        ys[c.system].push(gold.has(`${c.system}:${c.code}`) ? 1 : 0);
      }
    });
  }
  const { knowledge, added } = learnRules(base, docs);
  knowledge.ranker = { cm: fitRanker(xs.cm, ys.cm), pcs: fitRanker(xs.pcs, ys.pcs) };
  knowledge.builtFrom = { ...knowledge.builtFrom, corpus: `${corpusLabel} (${added} learned phrase rules)`, trainDocuments: docs.length };
  return knowledge;
}
