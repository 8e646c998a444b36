/** Word error rate: (substitutions + deletions + insertions) / reference words, on normalized words. */

/** Lower case, digits and letters only, apostrophes kept inside words ("patient's"); hyphens split words. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2019`]/g, "'")
    .replace(/[^a-z0-9']+/g, ' ')
    .split(' ')
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '');
}

export interface WordErrors {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Words in the reference. */
  referenceWords: number;
}

/** The minimum edit (Levenshtein over words) between reference and hypothesis, split by kind. */
export function countWordErrors(reference: string, hypothesis: string): WordErrors {
  const r = normalizeWords(reference);
  const h = normalizeWords(hypothesis);
  // cost[j] and ops per cell for the current row; rows of (cost, s, d, i) kept for one previous row only.
  type Cell = { cost: number; s: number; d: number; i: number };
  let prev: Cell[] = Array.from({ length: h.length + 1 }, (_, j) => ({ cost: j, s: 0, d: 0, i: j }));
  for (let i = 1; i <= r.length; i++) {
    const row: Cell[] = [{ cost: i, s: 0, d: i, i: 0 }];
    for (let j = 1; j <= h.length; j++) {
      const diag = prev[j - 1] as Cell;
      const up = prev[j] as Cell;
      const left = row[j - 1] as Cell;
      const same = r[i - 1] === h[j - 1];
      const options: Cell[] = [
        same ? { ...diag } : { cost: diag.cost + 1, s: diag.s + 1, d: diag.d, i: diag.i },
        { cost: up.cost + 1, s: up.s, d: up.d + 1, i: up.i },
        { cost: left.cost + 1, s: left.s, d: left.d, i: left.i + 1 },
      ];
      row.push(options.reduce((a, b) => (b.cost < a.cost ? b : a)));
    }
    prev = row;
  }
  const end = prev[h.length] as Cell;
  return { substitutions: end.s, deletions: end.d, insertions: end.i, referenceWords: r.length };
}

/** Word error rate of one hypothesis; 0 for an empty reference and hypothesis, 1 per inserted word otherwise. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const e = countWordErrors(reference, hypothesis);
  const errors = e.substitutions + e.deletions + e.insertions;
  return e.referenceWords === 0 ? errors : errors / e.referenceWords;
}

/** Corpus word error rate: all errors over all reference words (not the mean of per-file rates). */
export function corpusWordErrorRate(pairs: readonly { reference: string; hypothesis: string }[]): number {
  let errors = 0;
  let words = 0;
  for (const p of pairs) {
    const e = countWordErrors(p.reference, p.hypothesis);
    errors += e.substitutions + e.deletions + e.insertions;
    words += e.referenceWords;
  }
  return words === 0 ? 0 : errors / words;
}
