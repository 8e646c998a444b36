import { FIELDS, FIELD_LEVELS, type FieldName, type MatchModel, type ModelParameters } from './types.js';

/**
 * Default m/u probabilities (Fellegi & Sunter 1969), used when there is too little data to estimate them.
 * m = P(level | same person), u = P(level | different people); u values are roughly the chance that two
 * people drawn at random agree that well (e.g. exact date of birth ~ 1/(365 x 80)).
 */
const DEFAULTS: Record<FieldName, [m: number[], u: number[]]> = {
  givenName: [
    [0.85, 0.06, 0.05, 0.04],
    [0.005, 0.003, 0.03, 0.962],
  ],
  familyName: [
    [0.85, 0.07, 0.04, 0.04],
    [0.002, 0.002, 0.02, 0.976],
  ],
  middleName: [
    [0.8, 0.15, 0.05],
    [0.02, 0.08, 0.9],
  ],
  dateOfBirth: [
    [0.88, 0.07, 0.03, 0.02],
    [0.00004, 0.0005, 0.0045, 0.99496],
  ],
  sex: [
    [0.98, 0.02],
    [0.5, 0.5],
  ],
  streetNumber: [
    [0.85, 0.05, 0.1],
    [0.02, 0.03, 0.95],
  ],
  streetName: [
    [0.85, 0.08, 0.04, 0.03],
    [0.001, 0.002, 0.03, 0.967],
  ],
  addressLine2: [
    [0.8, 0.1, 0.1],
    [0.005, 0.01, 0.985],
  ],
  city: [
    [0.88, 0.06, 0.06],
    [0.005, 0.01, 0.985],
  ],
  postcode: [
    [0.9, 0.05, 0.05],
    [0.002, 0.02, 0.978],
  ],
  state: [
    [0.95, 0.05],
    [0.2, 0.8],
  ],
  phone: [
    [0.85, 0.05, 0.1],
    [0.00001, 0.0001, 0.99989],
  ],
  ssn: [
    [0.93, 0.05, 0.02],
    [0.00001, 0.0002, 0.99979],
  ],
  email: [
    [0.85, 0.08, 0.07],
    [0.0001, 0.0005, 0.9994],
  ],
};

/** The default model; `prior` suits a lookup of one registration against an index of ~100k patients. */
export function defaultModel(): MatchModel {
  const fields = {} as ModelParameters;
  for (const f of FIELDS) fields[f] = { m: [...DEFAULTS[f][0]], u: [...DEFAULTS[f][1]] };
  return { fields, prior: 1e-5 };
}

/** Precomputed log2(m/u) per field and level, FIELDS order, for the hot scoring loop. */
export interface WeightTable {
  weights: Float64Array[];
  /** log2(prior / (1 - prior)). */
  priorWeight: number;
}

export function buildWeightTable(model: MatchModel): WeightTable {
  const weights = FIELDS.map((f) => {
    const { m, u } = model.fields[f];
    return Float64Array.from(m, (mk, k) => Math.log2(Math.max(mk, 1e-12) / Math.max(u[k] ?? 1, 1e-12)));
  });
  const p = Math.min(Math.max(model.prior, 1e-15), 1 - 1e-9);
  return { weights, priorWeight: Math.log2(p / (1 - p)) };
}

/** Posterior match probability from a total match weight (log2 Bayes factor) and the prior weight. */
export function probabilityFromWeight(weight: number, priorWeight: number): number {
  return 1 / (1 + Math.pow(2, -(weight + priorWeight)));
}

/** Comparison vectors aggregated by pattern: EM runs on a few thousand patterns, not millions of pairs. */
export class PatternCounts {
  readonly counts = new Map<string, { levels: Int8Array; count: number }>();
  total = 0;

  add(levels: Int8Array, count = 1): void {
    const key = levels.join(',');
    const hit = this.counts.get(key);
    if (hit) hit.count += count;
    else this.counts.set(key, { levels: Int8Array.from(levels), count });
    this.total += count;
  }
}

const levelCount = (f: FieldName) => FIELD_LEVELS[f].length;

/**
 * u probabilities from pairs drawn at random (nearly all non-matches), shrunk toward the defaults with
 * `strength` pseudo-pairs so that levels never seen at random keep a small, non-zero u.
 */
export function estimateU(random: PatternCounts, base: MatchModel, strength = 1000): ModelParameters {
  const fields = structuredClone(base.fields);
  FIELDS.forEach((f, i) => {
    const counts = new Array<number>(levelCount(f)).fill(0);
    let seen = 0;
    for (const { levels, count } of random.counts.values()) {
      const l = levels[i] ?? -1;
      if (l < 0) continue;
      counts[l] = (counts[l] ?? 0) + count;
      seen += count;
    }
    fields[f].u = counts.map((c, k) => (c + strength * (base.fields[f].u[k] ?? 0)) / (seen + strength));
  });
  return fields;
}

export interface EmResult {
  fields: ModelParameters;
  /** Share of candidate pairs that are matches. */
  candidateMatchRate: number;
  iterations: number;
}

/**
 * Expectation–maximisation for m, u and the match rate among candidate pairs, assuming conditional
 * independence of fields (Winkler 1988, "Using the EM algorithm for weight computation in the
 * Fellegi-Sunter model of record linkage"). Pseudo-counts toward `start` keep sparse levels sane.
 */
export function estimateByEm(patterns: PatternCounts, start: MatchModel, maxIterations = 60): EmResult {
  const fields = structuredClone(start.fields);
  let rate = 0.1;
  const entries = [...patterns.counts.values()];
  const pseudo = 5;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const mAcc = FIELDS.map((f) => new Float64Array(levelCount(f)));
    const uAcc = FIELDS.map((f) => new Float64Array(levelCount(f)));
    let matchMass = 0;
    for (const { levels, count } of entries) {
      let lm = rate;
      let lu = 1 - rate;
      FIELDS.forEach((f, i) => {
        const l = levels[i] ?? -1;
        if (l < 0) return;
        lm *= fields[f].m[l] ?? 1;
        lu *= fields[f].u[l] ?? 1;
      });
      const g = lm + lu > 0 ? lm / (lm + lu) : 0;
      matchMass += g * count;
      for (let i = 0; i < FIELDS.length; i++) {
        const l = levels[i] ?? -1;
        if (l < 0) continue;
        mAcc[i]![l]! += g * count;
        uAcc[i]![l]! += (1 - g) * count;
      }
    }
    const newRate = Math.min(Math.max(matchMass / patterns.total, 1e-6), 0.999);
    let change = Math.abs(newRate - rate);
    FIELDS.forEach((f, i) => {
      const m = normalise(mAcc[i]!, start.fields[f].m, pseudo);
      m.forEach((v, k) => (change = Math.max(change, Math.abs(v - (fields[f].m[k] ?? 0)))));
      fields[f].m = m;
      fields[f].u = normalise(uAcc[i]!, start.fields[f].u, pseudo);
    });
    const converged = change < 1e-6;
    rate = newRate;
    if (converged) break;
  }
  return { fields, candidateMatchRate: rate, iterations };
}

function normalise(acc: Float64Array, prior: number[], pseudo: number): number[] {
  let total = pseudo;
  for (const v of acc) total += v;
  return Array.from(acc, (v, k) => (v + pseudo * (prior[k] ?? 0)) / total);
}

const isProbabilities = (v: unknown, n: number): v is number[] =>
  Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1);

/**
 * A model read back from storage (JSON of a `MatchModel`), or null when it does not have exactly the fields
 * and levels of this version: a stored model of another version must not be half-applied.
 */
export function parseMatchModel(json: string): MatchModel | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { fields, prior } = v as { fields?: Record<string, { m?: unknown; u?: unknown } | undefined> | null; prior?: unknown };
  if (typeof prior !== 'number' || !(prior > 0 && prior < 1) || typeof fields !== 'object' || fields === null) return null;
  const out = {} as ModelParameters;
  for (const f of FIELDS) {
    const p = fields[f];
    if (!p || !isProbabilities(p.m, levelCount(f)) || !isProbabilities(p.u, levelCount(f))) return null;
    out[f] = { m: [...p.m], u: [...p.u] };
  }
  return { fields: out, prior };
}
