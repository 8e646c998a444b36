/**
 * Ranking candidates: a few features of what supports a code in a note (calibrated classification rules, learned
 * phrases, how often and where it is mentioned, how common the code is, uncertainty, combination codes) combined
 * by a logistic model fitted on coded notes (`fitRanker`), one per code system. Without a fitted model: the
 * noisy-or of the rule weights. Pure.
 */
import type { Candidate } from './suggest.js';
import type { CacKnowledge } from './types.js';

// Knots of piecewise-linear terms (hinges max(0, x - t)), so the model can bend where a feature's effect changes.
const CLASSIFICATION_KNOTS = [0.1, 0.3, 0.5, 0.7];
const LEARNED_KNOTS = [0.1, 0.2, 0.4, 0.6];
const NEIGHBOUR_KNOTS = [0.05, 0.15, 0.3, 0.5];
const PRIOR_KNOTS = [0.05, 0.1, 0.2];
const CENTROID_KNOTS = [0.1, 0.2, 0.3];
const hingeNames = (name: string, knots: number[]): string[] => knots.map((t) => `${name} above ${t}`);
const hinges = (x: number, knots: number[]): number[] => knots.map((t) => Math.max(0, x - t));
const logit = (p: number): number => {
  const q = Math.max(1e-4, Math.min(0.9999, p));
  return Math.log(q / (1 - q));
};

export const FEATURE_NAMES = [
  'bias',
  'classification',
  'learned best',
  'learned second',
  'learned rules (log)',
  'mentions (log)',
  'code frequency (sqrt)',
  'index or neoplasm entry',
  'title or inclusion only',
  'uncertain',
  'combination took its place',
  'first mention position',
  'history code',
  'classification x learned',
  'combination code',
  'similar notes',
  'similar notes x classification',
  'similar notes only',
  'nearest note carrying it',
  'similar notes carrying it (log)',
  'similar notes x learned',
  'classification (logit)',
  'learned best (logit)',
  'code frequency (log)',
  ...hingeNames('classification', CLASSIFICATION_KNOTS),
  ...hingeNames('learned best', LEARNED_KNOTS),
  ...hingeNames('similar notes', NEIGHBOUR_KNOTS),
  ...hingeNames('code frequency (sqrt)', PRIOR_KNOTS),
  'similar notes (5 nearest)',
  'similar notes (50 nearest)',
  'similar notes (sharpened)',
  'centroid of notes with the code',
  ...hingeNames('centroid', CENTROID_KNOTS),
] as const;

/** The feature vector of one candidate (see FEATURE_NAMES). */
export function candidateFeatures(k: CacKnowledge, c: Candidate, textLength: number): number[] {
  let miss = 1;
  const learned: number[] = [];
  let indexLike = false;
  let tabular = false;
  let history = false;
  let combination = false;
  for (const [rule, w] of c.weights) {
    const source = rule.slice(0, rule.indexOf(':'));
    if (source === 'learned') learned.push(w);
    else miss *= 1 - Math.min(0.98, w);
    if (source === 'index' || source === 'neoplasm') indexLike = true;
    if (source === 'title' || source === 'inclusion') tabular = true;
    if (source === 'family-history' || source === 'personal-history') history = true;
    if (source === 'combination') combination = true;
  }
  learned.sort((a, b) => b - a);
  const dict = 1 - miss;
  const prior = k.prior.get(c.code) ?? 0;
  const first = c.evidence.reduce((m, e) => Math.min(m, e.start), textLength);
  return [
    1,
    dict,
    learned[0] ?? 0,
    learned[1] ?? 0,
    Math.log1p(learned.length),
    Math.log1p(c.evidence.length),
    Math.sqrt(prior),
    indexLike ? 1 : 0,
    tabular && !indexLike ? 1 : 0,
    c.allUncertain ? 1 : 0,
    c.weakened ? 1 : 0,
    textLength > 0 ? first / textLength : 0,
    history ? 1 : 0,
    dict * (learned[0] ?? 0),
    combination ? 1 : 0,
    c.neighbours,
    c.neighbours * dict,
    c.learnedModelOnly ? 1 : 0,
    c.neighbourBest,
    Math.log1p(c.neighbourCount),
    c.neighbours * (learned[0] ?? 0),
    logit(dict),
    logit(learned[0] ?? 0),
    Math.log(prior + 1e-3),
    ...hinges(dict, CLASSIFICATION_KNOTS),
    ...hinges(learned[0] ?? 0, LEARNED_KNOTS),
    ...hinges(c.neighbours, NEIGHBOUR_KNOTS),
    ...hinges(Math.sqrt(prior), PRIOR_KNOTS),
    c.vote?.near5 ?? 0,
    c.vote?.near50 ?? 0,
    c.vote?.sharp ?? 0,
    c.vote?.centroid ?? 0,
    ...hinges(c.vote?.centroid ?? 0, CENTROID_KNOTS),
  ];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The candidate's score in 0..1: the fitted model's probability, else the noisy-or of its rule weights. */
export function scoreCandidate(k: CacKnowledge, c: Candidate, textLength: number): number {
  const w = k.ranker?.[c.system];
  const f = candidateFeatures(k, c, textLength);
  if (w) return sigmoid(f.reduce((s, x, i) => s + x * (w[i] ?? 0), 0));
  const dict = f[1] ?? 0;
  const learned = f[2] ?? 0;
  return Math.min(0.999, 1 - (1 - dict) * (1 - learned) + 0.02 * (k.prior.get(c.code) ?? 0));
}

/** Solves a x = b for a small dense symmetric system (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = m[c]?.[c] ?? 0;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = (m[r]?.[c] ?? 0) / pivot;
      if (f === 0) continue;
      const row = m[r] as number[];
      const top = m[c] as number[];
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (top[k] ?? 0);
    }
  }
  return m.map((row, i) => (Math.abs(row[i] ?? 0) < 1e-12 ? 0 : (row[n] ?? 0) / (row[i] ?? 1)));
}

/** Fits logistic-regression weights to feature vectors and 0/1 labels (Newton-Raphson / IRLS with an L2 penalty). */
export function fitRanker(xs: number[][], ys: number[], opts: { iterations?: number; l2?: number } = {}): number[] {
  const d = xs[0]?.length ?? FEATURE_NAMES.length;
  const l2 = opts.l2 ?? 0.3;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < (opts.iterations ?? 20); it++) {
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const g = new Array<number>(d).fill(0);
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j] as number[];
      let z = 0;
      for (let a = 0; a < d; a++) z += (x[a] ?? 0) * (w[a] ?? 0);
      const p = sigmoid(z);
      const r = (ys[j] ?? 0) - p;
      const v = Math.max(1e-6, p * (1 - p));
      for (let a = 0; a < d; a++) {
        const xa = x[a] ?? 0;
        if (xa === 0) continue;
        g[a] = (g[a] ?? 0) + r * xa;
        const row = h[a] as number[];
        for (let b = 0; b < d; b++) row[b] = (row[b] ?? 0) + v * xa * (x[b] ?? 0);
      }
    }
    for (let a = 1; a < d; a++) {
      g[a] = (g[a] ?? 0) - l2 * (w[a] ?? 0);
      (h[a] as number[])[a] = ((h[a] as number[])[a] ?? 0) + l2;
    }
    (h[0] as number[])[0] = ((h[0] as number[])[0] ?? 0) + 1e-6;
    const step = solve(h, g);
    w = w.map((x, a) => x + (step[a] ?? 0));
    if (step.every((s) => Math.abs(s) < 1e-6)) break;
  }
  return w;
}
