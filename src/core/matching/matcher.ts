import { CHEAP_FIELDS, COSTLY_FIELDS, compareField, compareNames, compareRecords } from './comparators.js';
import { buildWeightTable, defaultModel, probabilityFromWeight } from './model.js';
import { normalizeRecord } from './normalize.js';
import {
  FIELDS,
  FIELD_LEVELS,
  type FieldComparison,
  type FieldName,
  type MatchModel,
  type NormalizedRecord,
  type PairScore,
  type PersonRecord,
} from './types.js';

export interface MatcherConfig {
  /** Fitted or hand-set m/u model; defaults to `defaultModel()`. */
  model?: MatchModel;
  /** Override of the model's prior probability that two records are the same person. */
  prior?: number;
}

/** Fast result without per-field explanation. */
export interface QuickScore {
  score: number;
  weight: number;
}

/** A configured Fellegi–Sunter matcher. Pure and synchronous; safe to share. */
export interface Matcher {
  readonly model: MatchModel;
  normalize(record: PersonRecord): NormalizedRecord;
  /** Compares two records and explains every field's agreement level and weight. */
  scorePair(a: PersonRecord | NormalizedRecord, b: PersonRecord | NormalizedRecord): PairScore;
  /** Score only: for the inner loops of blocking and batch linkage. */
  scoreNormalized(a: NormalizedRecord, b: NormalizedRecord): QuickScore;
  /**
   * Score when it can reach `minScore`, else null. Stops as soon as the fields left cannot lift the weight
   * to the threshold, so most non-matches cost a few cheap comparisons and no string metric.
   */
  scoreIfAtLeast(a: NormalizedRecord, b: NormalizedRecord, minScore: number): QuickScore | null;
}

const isNormalized = (r: PersonRecord | NormalizedRecord): r is NormalizedRecord => 'givenCodes' in r;

/** Creates a matcher from a model (default m/u when none is given). */
export function createMatcher(config: MatcherConfig = {}): Matcher {
  const base = config.model ?? defaultModel();
  const model: MatchModel = { fields: base.fields, prior: config.prior ?? base.prior };
  const table = buildWeightTable(model);
  const levels = new Int8Array(FIELDS.length);

  const weigh = (a: NormalizedRecord, b: NormalizedRecord): { weight: number; transposed: boolean } => {
    const transposed = compareRecords(a, b, levels);
    let weight = 0;
    for (let i = 0; i < FIELDS.length; i++) {
      const l = levels[i]!;
      if (l >= 0) weight += table.weights[i]![l]!;
    }
    return { weight, transposed };
  };

  // Best weight still reachable from each step on: [cheap..., names, costly...].
  const maxW = (i: number) => Math.max(0, ...table.weights[i]!);
  const steps: number[][] = [...CHEAP_FIELDS.map((f) => [f]), [0, 1], ...COSTLY_FIELDS.map((f) => [f])];
  const reachable = steps.map((_, k) =>
    steps
      .slice(k + 1)
      .flat()
      .reduce((sum, f) => sum + maxW(f), 0),
  );
  const nameStep = CHEAP_FIELDS.length;

  const boundedWeight = (a: NormalizedRecord, b: NormalizedRecord, minWeight: number): number | null => {
    let weight = 0;
    for (let k = 0; k < steps.length; k++) {
      if (k === nameStep) {
        compareNames(a, b, levels);
        if (levels[0]! >= 0) weight += table.weights[0]![levels[0]!]!;
        if (levels[1]! >= 0) weight += table.weights[1]![levels[1]!]!;
      } else {
        const f = steps[k]![0]!;
        const l = compareField(f, a, b);
        if (l >= 0) weight += table.weights[f]![l]!;
      }
      if (weight + reachable[k]! < minWeight) return null;
    }
    return weight;
  };

  return {
    model,
    normalize: normalizeRecord,
    scoreIfAtLeast(a, b, minScore) {
      const p = Math.min(Math.max(minScore, 1e-12), 1 - 1e-12);
      const weight = boundedWeight(a, b, Math.log2(p / (1 - p)) - table.priorWeight);
      return weight === null ? null : { score: probabilityFromWeight(weight, table.priorWeight), weight };
    },
    scoreNormalized(a, b) {
      const { weight } = weigh(a, b);
      return { score: probabilityFromWeight(weight, table.priorWeight), weight };
    },
    scorePair(ra, rb) {
      const a = isNormalized(ra) ? ra : normalizeRecord(ra);
      const b = isNormalized(rb) ? rb : normalizeRecord(rb);
      const { weight, transposed } = weigh(a, b);
      const fields = {} as Record<FieldName, FieldComparison>;
      FIELDS.forEach((f, i) => {
        const l = levels[i]!;
        fields[f] = l < 0 ? { level: null, weight: 0 } : { level: FIELD_LEVELS[f][l] ?? null, weight: table.weights[i]![l]! };
      });
      return { score: probabilityFromWeight(weight, table.priorWeight), weight, transposedNames: transposed, fields };
    },
  };
}
