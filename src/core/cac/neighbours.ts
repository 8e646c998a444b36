/**
 * Similar coded notes: TF-IDF vectors of the training notes' words and their codes, so a candidate can be scored by
 * how often the most similar notes carry it (k nearest neighbours, cosine similarity), and a code the dictionary
 * did not read can still be suggested from them, with the sentence whose words the similar notes share most as
 * its evidence. Pure.
 */
import type { Token } from './text.js';

/** The coded notes as vectors: stem -> idf, and per note its unit vector (stem -> weight) and codes. */
export interface NeighbourIndex {
  idf: Map<string, number>;
  notes: { vector: Map<string, number>; codes: string[] }[];
  /** Per code, the length of the sum of the vectors of the notes carrying it (the code's centroid, unnormalised). */
  centroidNorm: Map<string, number>;
}

/** How many of the most similar notes vote. */
export const NEIGHBOURS = 20;

function termCounts(tokens: Token[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokens) if (t.stem !== null && !/^\d+$/.test(t.stem)) tf.set(t.stem, (tf.get(t.stem) ?? 0) + 1);
  return tf;
}

function unitVector(tf: Map<string, number>, idf: Map<string, number>): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [s, n] of tf) {
    const w = (1 + Math.log(n)) * (idf.get(s) ?? 0);
    if (w <= 0) continue;
    v.set(s, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [s, w] of v) v.set(s, w / norm);
  return v;
}

/** Builds the index from tokenised coded notes (codes as "system:code"). */
export function buildNeighbourIndex(notes: { tokens: Token[]; codes: string[] }[]): NeighbourIndex {
  const df = new Map<string, number>();
  const tfs = notes.map((n) => termCounts(n.tokens));
  for (const tf of tfs) for (const s of tf.keys()) df.set(s, (df.get(s) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [s, n] of df) if (n >= 2) idf.set(s, Math.log(notes.length / n));
  const built = tfs.map((tf, i) => ({ vector: unitVector(tf, idf), codes: notes[i]?.codes ?? [] }));
  const sums = new Map<string, Map<string, number>>();
  for (const n of built)
    for (const c of n.codes) {
      const sum = sums.get(c) ?? new Map<string, number>();
      for (const [s, w] of n.vector) sum.set(s, (sum.get(s) ?? 0) + w);
      sums.set(c, sum);
    }
  const centroidNorm = new Map<string, number>();
  for (const [c, sum] of sums) {
    let norm = 0;
    for (const w of sum.values()) norm += w * w;
    centroidNorm.set(c, Math.sqrt(norm) || 1);
  }
  return { idf, notes: built, centroidNorm };
}

/** What the most similar notes say about each code ("system:code"). */
export interface NeighbourVote {
  /** Similarity-weighted share of the nearest notes carrying the code (0..1). */
  share: number;
  /** Similarity of the most similar note carrying it. */
  best: number;
  /** How many of the nearest notes carry it. */
  count: number;
  /** Similarity-weighted share among the 5 and the 50 nearest notes. */
  near5: number;
  near50: number;
  /** Share of all notes weighted by similarity to the 4th power (the nearest dominate). */
  sharp: number;
  /** Cosine similarity to the centroid of the notes carrying it (a Rocchio classifier's score). */
  centroid: number;
}

/** The note's vector and its nearest coded notes (most similar first). */
export interface Neighbourhood {
  vector: Map<string, number>;
  nearest: { i: number; sim: number }[];
  votes: Map<string, NeighbourVote>;
}

/** For a note's tokens: its similarity to every coded note and what the nearest say about each code. */
export function neighbourVotes(index: NeighbourIndex, tokens: Token[]): Neighbourhood {
  const vector = unitVector(termCounts(tokens), index.idf);
  const sims = index.notes.map((n, i) => {
    let dot = 0;
    for (const [s, w] of vector) {
      const x = n.vector.get(s);
      if (x !== undefined) dot += w * x;
    }
    return { i, sim: dot };
  });
  sims.sort((a, b) => b.sim - a.sim || a.i - b.i);
  const nearest = sims.slice(0, NEIGHBOURS).filter((s) => s.sim > 0);
  const votes = new Map<string, NeighbourVote>();
  const totals = { k: 0, near5: 0, near50: 0, sharp: 0 };
  sims.forEach(({ i, sim }, rank) => {
    if (sim <= 0) return;
    const inK = rank < NEIGHBOURS;
    const sharp = sim ** 4;
    if (inK) totals.k += sim;
    if (rank < 5) totals.near5 += sim;
    if (rank < 50) totals.near50 += sim;
    totals.sharp += sharp;
    for (const c of index.notes[i]?.codes ?? []) {
      let v = votes.get(c);
      if (!v) {
        v = { share: 0, best: 0, count: 0, near5: 0, near50: 0, sharp: 0, centroid: 0 };
        votes.set(c, v);
      }
      if (inK) {
        v.share += sim;
        v.best = Math.max(v.best, sim);
        v.count++;
      }
      if (rank < 5) v.near5 += sim;
      if (rank < 50) v.near50 += sim;
      v.sharp += sharp;
      v.centroid += sim;
    }
  });
  for (const [c, v] of votes) {
    v.share /= totals.k || 1;
    v.near5 /= totals.near5 || 1;
    v.near50 /= totals.near50 || 1;
    v.sharp /= totals.sharp || 1;
    v.centroid /= index.centroidNorm.get(c) ?? 1;
  }
  return { vector, nearest, votes };
}

/**
 * The sentence (first and last token) whose words contribute most to the similarity between the note and the
 * nearest notes carrying `code`: the evidence of a suggestion made from similar notes alone.
 */
export function strongestSentence(index: NeighbourIndex, hood: Neighbourhood, code: string, tokens: Token[]): [number, number] | undefined {
  const weight = new Map<string, number>();
  for (const { i, sim } of hood.nearest) {
    const n = index.notes[i];
    if (!n?.codes.includes(code)) continue;
    for (const [s, w] of hood.vector) {
      const x = n.vector.get(s);
      if (x !== undefined) weight.set(s, (weight.get(s) ?? 0) + sim * w * x);
    }
  }
  let best: [number, number] | undefined;
  let bestScore = 0;
  let from = 0;
  let score = 0;
  const seen = new Set<string>();
  for (let t = 0; t <= tokens.length; t++) {
    const tok = tokens[t];
    if (tok === undefined || tok.sentence !== tokens[from]?.sentence) {
      if (score > bestScore) {
        bestScore = score;
        best = [from, t - 1];
      }
      from = t;
      score = 0;
      seen.clear();
      if (tok === undefined) break;
    }
    if (tok.stem !== null && !seen.has(tok.stem)) {
      seen.add(tok.stem);
      score += weight.get(tok.stem) ?? 0;
    }
  }
  return best;
}
