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
  return { idf, notes: tfs.map((tf, i) => ({ vector: unitVector(tf, idf), codes: notes[i]?.codes ?? [] })) };
}

/** What the most similar notes say about each code ("system:code"). */
export interface NeighbourVote {
  /** Similarity-weighted share of the nearest notes carrying the code (0..1). */
  share: number;
  /** Similarity of the most similar note carrying it. */
  best: number;
  /** How many of the nearest notes carry it. */
  count: number;
}

/** The note's vector and its nearest coded notes (most similar first). */
export interface Neighbourhood {
  vector: Map<string, number>;
  nearest: { i: number; sim: number }[];
  votes: Map<string, NeighbourVote>;
}

/** For a note's tokens: its NEIGHBOURS most similar coded notes and what they vote for each code. */
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
  let total = 0;
  for (const { i, sim } of nearest) {
    total += sim;
    for (const c of index.notes[i]?.codes ?? []) {
      const v = votes.get(c) ?? { share: 0, best: 0, count: 0 };
      v.share += sim;
      v.best = Math.max(v.best, sim);
      v.count++;
      votes.set(c, v);
    }
  }
  if (total > 0) for (const v of votes.values()) v.share /= total;
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
