import { BlockIndex, StaticBlockIndex, blockingKeys, type CandidateSource } from './blocking.js';
import { compareRecords } from './comparators.js';
import { createMatcher } from './matcher.js';
import { defaultModel, estimateByEm, estimateU, PatternCounts } from './model.js';
import { normalizeRecord } from './normalize.js';
import { FIELDS, type MatchModel, type NormalizedRecord, type PersonRecord } from './types.js';

export interface LinkageOptions {
  /** Posterior probability at or above which a pair is reported (default 0.5). */
  threshold?: number;
  /** Use this model instead of estimating one from the data. */
  model?: MatchModel;
  /** Records whose candidates feed EM (default 20,000); more is slower, not much better. */
  emSampleSize?: number;
  /** Stop drawing EM sample records once this many candidate pairs are collected (default 1,000,000). */
  emMaxPairs?: number;
  /** Random pairs used to estimate u (default 200,000). */
  randomPairs?: number;
  maxBlockSize?: number;
  /** Seed of the sampling PRNG, so runs are repeatable. */
  seed?: number;
}

export interface MatchedPair {
  id1: string;
  id2: string;
  score: number;
  weight: number;
}

export interface LinkageResult {
  pairs: MatchedPair[];
  model: MatchModel;
  stats: { records: number; comparisons: number; skippedBlocks: number; emIterations: number };
}

/** mulberry32: small, fast, seeded PRNG (sampling must be repeatable for audits and tests). */
export function createPrng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Population {
  queries: NormalizedRecord[];
  indexed: NormalizedRecord[];
  blocks: CandidateSource;
  dedupe: boolean;
}

function buildPopulation(queries: NormalizedRecord[], indexed: NormalizedRecord[], dedupe: boolean, maxBlock: number): Population {
  if (indexed.length < 2 ** 21) {
    const blocks = new StaticBlockIndex((i) => blockingKeys(indexed[i]!), indexed.length, maxBlock);
    return { queries, indexed, blocks, dedupe };
  }
  const blocks = new BlockIndex(maxBlock);
  indexed.forEach((r, i) => blocks.add(i, blockingKeys(r)));
  return { queries, indexed, blocks, dedupe };
}

/**
 * Fits m by EM on blocked candidate pairs of a sample of query records, u on random pairs, and the prior
 * from the EM match rate scaled to all possible pairs. Returns the default model when data are too few.
 */
function fitModel(pop: Population, options: LinkageOptions): { model: MatchModel; iterations: number } {
  const base = defaultModel();
  if (pop.queries.length === 0 || pop.indexed.length === 0) return { model: base, iterations: 0 };
  const rand = createPrng(options.seed ?? 42);
  const sampleSize = Math.min(options.emSampleSize ?? 20_000, pop.queries.length);
  const vector = new Int8Array(FIELDS.length);
  const candidates = new PatternCounts();
  const maxPairs = options.emMaxPairs ?? 1_000_000;
  let sampled = 0;
  for (let s = 0; s < sampleSize && candidates.total < maxPairs; s++, sampled++) {
    const qi = sampleSize === pop.queries.length ? s : Math.floor(rand() * pop.queries.length);
    const q = pop.queries[qi]!;
    pop.blocks.forEachCandidate(blockingKeys(q), (j) => {
      if (pop.dedupe && j === qi) return;
      compareRecords(q, pop.indexed[j]!, vector);
      candidates.add(vector);
    });
  }
  const random = new PatternCounts();
  const randomPairs = options.randomPairs ?? 200_000;
  for (let k = 0; k < randomPairs && pop.indexed.length > 1; k++) {
    const a = pop.queries[Math.floor(rand() * pop.queries.length)]!;
    const b = pop.indexed[Math.floor(rand() * pop.indexed.length)]!;
    if (a === b) continue;
    compareRecords(a, b, vector);
    random.add(vector);
  }
  if (candidates.total < 50) return { model: base, iterations: 0 };
  const em = estimateByEm(candidates, base);
  const u = estimateU(random, base);
  const fields = structuredClone(em.fields);
  const others = pop.dedupe ? pop.indexed.length - 1 : pop.indexed.length;
  const matchesPerQuery = (em.candidateMatchRate * candidates.total) / Math.max(sampled, 1);
  const prior = Math.min(Math.max(matchesPerQuery / Math.max(others, 1), 1e-12), 0.5);
  // Random pairs include matches at rate `prior`: u_random = prior*m + (1-prior)*u, so take them out.
  for (const f of FIELDS) {
    const cleaned = u[f].u.map((ur, k) => Math.max(ur - prior * (fields[f].m[k] ?? 0), ur * 0.01) / (1 - prior));
    const total = cleaned.reduce((x, y) => x + y, 0);
    fields[f].u = cleaned.map((v) => v / total);
  }
  // A field that no candidate pair has on both sides carries no information here: weight 0 at every level,
  // which also lets the bounded scorer stop earlier.
  FIELDS.forEach((f, i) => {
    let observed = false;
    for (const { levels } of candidates.counts.values()) if ((levels[i] ?? -1) >= 0) observed = true;
    if (!observed) fields[f].m = [...fields[f].u];
  });
  return { model: { fields, prior }, iterations: em.iterations };
}

function run(pop: Population, options: LinkageOptions): LinkageResult {
  const fitted = options.model ? { model: options.model, iterations: 0 } : fitModel(pop, options);
  const matcher = createMatcher({ model: fitted.model });
  const threshold = options.threshold ?? 0.5;
  const pairs: MatchedPair[] = [];
  let comparisons = 0;
  pop.queries.forEach((q, qi) => {
    pop.blocks.forEachCandidate(blockingKeys(q), (j) => {
      if (pop.dedupe && j >= qi) return;
      comparisons++;
      const other = pop.indexed[j]!;
      const hit = matcher.scoreIfAtLeast(q, other, threshold);
      if (hit === null) return;
      const { score, weight } = hit;
      pairs.push(pop.dedupe ? { id1: other.id, id2: q.id, score, weight } : { id1: q.id, id2: other.id, score, weight });
    });
  });
  const stats = { records: pop.queries.length, comparisons, skippedBlocks: pop.blocks.skippedBlocks, emIterations: fitted.iterations };
  return { pairs, model: fitted.model, stats };
}

const normalizeAll = (records: readonly (PersonRecord | NormalizedRecord)[]): NormalizedRecord[] =>
  records.map((r) => ('givenCodes' in r ? r : normalizeRecord(r)));

/** Pairs of records within one list judged to be the same person (duplicates), with fitted model. */
export function dedupeRecords(records: readonly (PersonRecord | NormalizedRecord)[], options: LinkageOptions = {}): LinkageResult {
  const all = normalizeAll(records);
  return run(buildPopulation(all, all, true, options.maxBlockSize ?? 1000), options);
}

/** Pairs (left, right) across two lists judged to be the same person, with fitted model. */
export function linkRecords(
  left: readonly (PersonRecord | NormalizedRecord)[],
  right: readonly (PersonRecord | NormalizedRecord)[],
  options: LinkageOptions = {},
): LinkageResult {
  return run(buildPopulation(normalizeAll(left), normalizeAll(right), false, options.maxBlockSize ?? 1000), options);
}
