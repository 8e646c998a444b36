/**
 * Similar coded notes: TF-IDF vectors of the training notes' words and their codes, so a candidate can be scored by
 * how often the most similar notes carry it (k nearest neighbours, cosine similarity). Pure.
 */
import type { Token } from './text.js';

/** The coded notes as vectors: stem -> idf, and per note its unit vector (stem -> weight) and codes. */
export interface NeighbourIndex {
  idf: Map<string, number>;
  notes: { vector: Map<string, number>; codes: string[] }[];
}

const K = 10;

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

/** For a note's tokens: each code ("system:code") -> similarity-weighted share of the K most similar notes carrying it. */
export function neighbourVotes(index: NeighbourIndex, tokens: Token[]): Map<string, number> {
  const v = unitVector(termCounts(tokens), index.idf);
  const sims = index.notes.map((n, i) => {
    let dot = 0;
    for (const [s, w] of v) dot += w * (n.vector.get(s) ?? 0);
    return { i, dot };
  });
  sims.sort((a, b) => b.dot - a.dot);
  const votes = new Map<string, number>();
  let total = 0;
  for (const { i, dot } of sims.slice(0, K)) {
    total += dot;
    for (const c of index.notes[i]?.codes ?? []) votes.set(c, (votes.get(c) ?? 0) + dot);
  }
  if (total > 0) for (const [c, w] of votes) votes.set(c, w / total);
  return votes;
}
