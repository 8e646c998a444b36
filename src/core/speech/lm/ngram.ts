/**
 * N-gram language model estimation with interpolated absolute discounting (Ney, Essen & Kneser 1994), written
 * as an ARPA back-off file (the format pocketsphinx reads with `-lm`). Pure: sentences in, text out.
 *
 * p(w | h) = max(c(h w) - D_n, 0) / c(h) + gamma(h) * p(w | h'), gamma(h) = D_n * N1+(h .) / c(h), where h' drops
 * the oldest word and D_n = n1 / (n1 + 2 n2) from the count-of-counts of order n. The unigram level discounts
 * towards a background distribution over the vocabulary (uniform, or e.g. a general English unigram model), so
 * every vocabulary word has a probability. N-grams under a count cut-off are left out of the file and the back-off
 * weights recomputed so that every context's probabilities still sum to one:
 * bow(h) = (1 - sum over listed w of p(w | h)) / (1 - sum over listed w of p(w | h')).
 */

export const SENTENCE_START = '<s>';
export const SENTENCE_END = '</s>';

/** Counts of every n-gram of orders 1..order, keyed by the words joined with single spaces. */
export interface NgramCounts {
  order: number;
  counts: Map<string, number>[];
}

/** Counts n-grams of `sentences` (each a list of words), with `<s>` and `</s>` around each sentence. */
export function countNgrams(sentences: Iterable<readonly string[]>, order: number, into?: NgramCounts): NgramCounts {
  const result = into ?? { order, counts: Array.from({ length: order }, () => new Map<string, number>()) };
  for (const sentence of sentences) {
    if (sentence.length === 0) continue;
    const words = [SENTENCE_START, ...sentence, SENTENCE_END];
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= order && i - n + 1 >= 0; n++) {
        // <s> alone is never predicted: it only starts contexts.
        if (n === 1 && i === 0) continue;
        const key = words.slice(i - n + 1, i + 1).join(' ');
        const map = result.counts[n - 1] as Map<string, number>;
        map.set(key, (map.get(key) ?? 0) + 1);
      }
    }
  }
  return result;
}

export interface EstimateOptions {
  /** Words the model must know even if unseen (each gets a share of the background distribution). */
  vocabulary?: Iterable<string>;
  /** Background unigram probabilities (any scale; normalized over the vocabulary). Uniform when absent. */
  background?: ReadonlyMap<string, number>;
  /**
   * Weight of the background in the unigram level beyond the discounted mass: p(w) = (1 - b) * p_seen(w) + b *
   * p_bg(w), where p_seen is itself discounted towards the background. 0 (default) uses only the discount mass.
   */
  backgroundWeight?: number;
  /** Minimum count per order (index 0 = unigrams) for an n-gram to be written; non-decreasing. Default all 1. */
  cutoffs?: readonly number[];
  /** Words to keep out of the model (e.g. words without a pronunciation). */
  exclude?: (word: string) => boolean;
}

/** One order of the finished model: log10 probability and (for contexts) log10 back-off weight per n-gram. */
interface Level {
  prob: Map<string, number>;
  bow: Map<string, number>;
}

/** An estimated back-off model, ready to write or query. */
export interface BackoffModel {
  order: number;
  levels: Level[];
}

function discountOf(counts: Map<string, number>): number {
  let n1 = 0;
  let n2 = 0;
  for (const c of counts.values()) {
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  const d = n1 + 2 * n2 === 0 ? 0.5 : n1 / (n1 + 2 * n2);
  return Math.min(0.95, Math.max(0.05, d));
}

const contextOf = (key: string): string => {
  const i = key.lastIndexOf(' ');
  return i < 0 ? '' : key.slice(0, i);
};
const dropOldest = (key: string): string => {
  const i = key.indexOf(' ');
  return i < 0 ? '' : key.slice(i + 1);
};

/** Estimates the interpolated, discounted model from counts and writes the kept n-grams as a back-off model. */
export function estimateBackoffModel(counts: NgramCounts, options: EstimateOptions = {}): BackoffModel {
  const exclude = options.exclude ?? (() => false);
  const keep = (key: string): boolean => !key.split(' ').some((w) => w !== SENTENCE_START && w !== SENTENCE_END && exclude(w));
  const filtered = counts.counts.map((m) => new Map([...m].filter(([k]) => keep(k))));
  const unigrams = unigramLevel(filtered[0] ?? new Map<string, number>(), options);
  const levels: Level[] = [{ prob: unigrams, bow: new Map() }];
  // Full (unpruned) interpolated probabilities of the previous order, for the next order's lower-order term.
  let lower = (key: string): number => unigrams.get(key) ?? 0;
  for (let n = 2; n <= counts.order; n++) {
    const grams = filtered[n - 1] ?? new Map<string, number>();
    const d = discountOf(grams);
    const ctxTotal = new Map<string, { count: number; types: number }>();
    for (const [k, c] of grams) {
      const h = contextOf(k);
      const t = ctxTotal.get(h) ?? { count: 0, types: 0 };
      t.count += c;
      t.types++;
      ctxTotal.set(h, t);
    }
    const prev = lower;
    const full = new Map<string, number>();
    for (const [k, c] of grams) {
      const t = ctxTotal.get(contextOf(k)) as { count: number; types: number };
      full.set(k, Math.max(c - d, 0) / t.count + ((d * t.types) / t.count) * prev(dropOldest(k)));
    }
    const gammaOf = (h: string): number => {
      const t = ctxTotal.get(h);
      return t ? (d * t.types) / t.count : 1;
    };
    lower = (key: string): number => full.get(key) ?? gammaOf(contextOf(key)) * prev(dropOldest(key));
    const cutoff = options.cutoffs?.[n - 1] ?? 1;
    const prob = new Map<string, number>();
    for (const [k, p] of full) if ((grams.get(k) ?? 0) >= cutoff) prob.set(k, p);
    levels.push({ prob, bow: new Map() });
  }
  toLog10WithBackoffs(levels);
  return { order: counts.order, levels };
}

/** The unigram level: discounted counts plus the background, over the vocabulary. */
function unigramLevel(counts: Map<string, number>, options: EstimateOptions): Map<string, number> {
  const exclude = options.exclude ?? (() => false);
  const vocab = new Set<string>();
  for (const w of counts.keys()) vocab.add(w);
  for (const w of options.vocabulary ?? []) if (!exclude(w)) vocab.add(w);
  vocab.delete(SENTENCE_START);
  let bgTotal = 0;
  const bg = new Map<string, number>();
  for (const w of vocab) {
    const p = options.background ? (options.background.get(w) ?? 0) : 1;
    bg.set(w, p);
    bgTotal += p;
  }
  // Words the background does not know share a small floor, so that none has probability zero.
  const floor = bgTotal > 0 ? (bgTotal / vocab.size) * 0.01 : 1;
  bgTotal = 0;
  for (const [w, p] of bg) {
    const q = Math.max(p, floor);
    bg.set(w, q);
    bgTotal += q;
  }
  const d = discountOf(counts);
  let total = 0;
  for (const c of counts.values()) total += c;
  const alpha = total === 0 ? 1 : (d * counts.size) / total;
  const b = options.backgroundWeight ?? 0;
  const probs = new Map<string, number>();
  for (const w of vocab) {
    const c = counts.get(w) ?? 0;
    const seen = total === 0 ? 0 : Math.max(c - d, 0) / total;
    const pBg = (bg.get(w) ?? 0) / bgTotal;
    probs.set(w, (1 - b) * (seen + alpha * pBg) + b * pBg);
  }
  return probs;
}

/** Turns the levels' probabilities into log10 and sets each context's back-off weight (see the file comment). */
function toLog10WithBackoffs(levels: Level[]): void {
  // p(w | h) of the written model at order n, for any h, w (back-off through the lower orders).
  const backoffProb = (key: string): number => {
    const n = key.split(' ').length;
    const level = levels[n - 1] as Level;
    const p = level.prob.get(key);
    if (p !== undefined) return p;
    if (n === 1) return 0;
    const h = contextOf(key);
    const bow = levels[n - 2]?.bow.get(h) ?? 1;
    return bow * backoffProb(dropOldest(key));
  };
  for (let n = 1; n < levels.length; n++) {
    const higher = levels[n] as Level;
    const sums = new Map<string, { seen: number; lower: number }>();
    for (const [k, p] of higher.prob) {
      const h = contextOf(k);
      const s = sums.get(h) ?? { seen: 0, lower: 0 };
      s.seen += p;
      s.lower += backoffProb(dropOldest(k));
      sums.set(h, s);
    }
    const ctxLevel = levels[n - 1] as Level;
    for (const [h, s] of sums) {
      // Contexts must be listed themselves (ARPA); a pruned context cannot have listed continuations.
      if (!ctxLevel.prob.has(h) && h !== SENTENCE_START) continue;
      const num = Math.max(1 - s.seen, 1e-12);
      const den = Math.max(1 - s.lower, 1e-12);
      ctxLevel.bow.set(h, num / den);
    }
  }
  for (const level of levels) {
    for (const [k, p] of level.prob) level.prob.set(k, Math.log10(Math.max(p, 1e-99)));
    for (const [k, b] of level.bow) level.bow.set(k, Math.log10(b));
  }
}

/** The model as ARPA text (`\data\`, one section per order, `\end\`); `<s>` is listed with probability -99. */
export function writeArpa(model: BackoffModel): string {
  const out: string[] = ['\\data\\'];
  const uni = model.levels[0] as Level;
  const startBow = uni.bow.get(SENTENCE_START);
  const sizes = model.levels.map((l, i) => l.prob.size + (i === 0 ? 1 : 0));
  sizes.forEach((s, i) => out.push(`ngram ${String(i + 1)}=${String(s)}`));
  const fmt = (x: number): string => x.toFixed(6);
  model.levels.forEach((level, i) => {
    out.push('', `\\${String(i + 1)}-grams:`);
    if (i === 0) out.push(`-99.000000\t${SENTENCE_START}${startBow === undefined ? '' : `\t${fmt(startBow)}`}`);
    const keys = [...level.prob.keys()].sort();
    for (const k of keys) {
      const bow = level.bow.get(k);
      out.push(`${fmt(level.prob.get(k) as number)}\t${k}${bow === undefined || i === model.order - 1 ? '' : `\t${fmt(bow)}`}`);
    }
  });
  out.push('', '\\end\\', '');
  return out.join('\n');
}

/** log10 p(word | history) under the model (back-off), e.g. to check a model or score a sentence. */
export function logProb(model: BackoffModel, history: readonly string[], word: string): number {
  const ctx = history.slice(Math.max(0, history.length - model.order + 1));
  for (let start = 0; start <= ctx.length; start++) {
    const h = ctx.slice(start);
    const key = [...h, word].join(' ');
    const p = model.levels[h.length]?.prob.get(key);
    if (p !== undefined) {
      let bow = 0;
      for (let s = 0; s < start; s++) bow += model.levels[ctx.length - s - 1]?.bow.get(ctx.slice(s).join(' ')) ?? 0;
      return p + bow;
    }
  }
  return -99;
}
