/**
 * A compact inverted index: sorted vocabulary of stems, each with a sorted Uint32Array of document ids.
 * Built once at import and stored in the snapshot, so start-up only deserialises it.
 */
import { GENERIC_STEMS } from './text.js';
import type { SearchIndexData } from './types.js';

/**
 * Builds the index from each document's tokens (document id = position in `docs`). `lengths` overrides the
 * brevity length of a document (index terms: their nonessential modifiers are searchable but do not count).
 */
export function buildSearchIndex(docs: Iterable<string[]>, lengths?: number[]): SearchIndexData {
  const lists = new Map<string, number[]>();
  const lens: number[] = [];
  let id = 0;
  for (const tokens of docs) {
    lens.push(Math.min(lengths?.[id] ?? tokens.reduce((n, t) => n + (GENERIC_STEMS.has(t) ? 0 : 1), 0), 65535));
    for (const t of new Set(tokens)) {
      let l = lists.get(t);
      if (!l) lists.set(t, (l = []));
      l.push(id);
    }
    id++;
  }
  const vocab = [...lists.keys()].sort();
  return { vocab, postings: vocab.map((v) => Uint32Array.from(lists.get(v) ?? [])), docLen: Uint16Array.from(lens) };
}

/** Position of the first vocabulary entry >= key. */
function lowerBound(vocab: string[], key: string): number {
  let lo = 0;
  let hi = vocab.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((vocab[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Postings of one exact stem. */
export function postingsOf(index: SearchIndexData, token: string): Uint32Array | undefined {
  const i = lowerBound(index.vocab, token);
  return index.vocab[i] === token ? index.postings[i] : undefined;
}

/** Postings of every stem starting with `prefix` (at most `maxTerms` stems, to bound search-as-you-type cost). */
export function prefixPostings(index: SearchIndexData, prefix: string, maxTerms = 64): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let i = lowerBound(index.vocab, prefix); i < index.vocab.length && out.length < maxTerms; i++) {
    if (!(index.vocab[i] ?? '').startsWith(prefix)) break;
    const p = index.postings[i];
    if (p) out.push(p);
  }
  return out;
}
