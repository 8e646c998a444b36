import { CHEAP_FIELDS, COSTLY_FIELDS, compareField, compareNames, compareRecords } from './comparators.js';
import { buildWeightTable, defaultModel, probabilityFromWeight } from './model.js';
import { normalizeRecord } from './normalize.js';
import { TF_FIELD_POSITIONS, termU, type TermFrequencies } from './term-frequency.js';
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
  /**
   * Value frequencies of the population being linked (`countTermFrequencies`): an exact agreement on a
   * value found here weighs log2(m / tf(value)) instead of log2(m / u), so a rare surname counts more
   * than a common one. Values not in the tables keep the model's weight.
   */
  termFrequencies?: TermFrequencies;
  /**
   * How the tables' values are keyed (default: the normalised value itself). The live MPI stores its tables
   * under a keyed hash of each value (`storeTermFrequencies`) and passes the same hash here.
   */
  termKey?: (value: string) => string;
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
  const tf = termFrequencyWeights(model, config.termFrequencies, config.termKey);
  /** Weight of field `i` at level `l`; exact agreement on a value with a known frequency uses that frequency. */
  const fieldWeight = (i: number, l: number, a: NormalizedRecord): number => {
    if (l === 0 && tf !== null) {
      const own = tf.weightOf(i, a);
      if (own !== undefined) return own;
    }
    return table.weights[i]![l]!;
  };

  const weigh = (a: NormalizedRecord, b: NormalizedRecord): { weight: number; transposed: boolean } => {
    const transposed = compareRecords(a, b, levels);
    let weight = 0;
    for (let i = 0; i < FIELDS.length; i++) {
      const l = levels[i]!;
      if (l >= 0) weight += fieldWeight(i, l, a);
    }
    return { weight, transposed };
  };

  // Best weight still reachable from each step on: [cheap..., names, costly...].
  const maxW = (i: number) => Math.max(0, ...table.weights[i]!, tf?.maxWeight[i] ?? 0);
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
        if (levels[0]! >= 0) weight += fieldWeight(0, levels[0]!, a);
        if (levels[1]! >= 0) weight += fieldWeight(1, levels[1]!, a);
      } else {
        const f = steps[k]![0]!;
        const l = compareField(f, a, b);
        if (l >= 0) weight += fieldWeight(f, l, a);
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
        fields[f] = l < 0 ? { level: null, weight: 0 } : { level: FIELD_LEVELS[f][l] ?? null, weight: fieldWeight(i, l, a) };
      });
      return { score: probabilityFromWeight(weight, table.priorWeight), weight, transposedNames: transposed, fields };
    },
  };
}

/**
 * Exact-agreement weights from term frequencies: log2(m_exact / tf(value)) for the given name, family
 * name and city. With names transposed, an exact "given" agreement is a.given against b.family: a.given
 * is the agreeing value either way. null without tables.
 */
function termFrequencyWeights(
  model: MatchModel,
  tables: TermFrequencies | undefined,
  key: (value: string) => string = (v) => v,
): { weightOf(field: number, a: NormalizedRecord): number | undefined; maxWeight: number[] } | null {
  if (!tables) return null;
  const mExact = (f: FieldName) => Math.max(model.fields[f].m[0] ?? 0, 1e-12);
  const uExact = (f: FieldName) => model.fields[f].u[0] ?? 1;
  const maxWeight = FIELDS.map(() => 0);
  const weights = (f: keyof TermFrequencies): Map<string, number> => {
    const { counts, total } = tables[f];
    const out = new Map<string, number>();
    for (const [v, c] of counts) {
      const w = Math.log2(mExact(f) / termU(c, total, uExact(f)));
      out.set(v, w);
      maxWeight[TF_FIELD_POSITIONS[f]] = Math.max(maxWeight[TF_FIELD_POSITIONS[f]] ?? 0, w);
    }
    return out;
  };
  const given = weights('givenName');
  const family = weights('familyName');
  const city = weights('city');
  const weightOf = (field: number, a: NormalizedRecord): number | undefined =>
    field === TF_FIELD_POSITIONS.givenName
      ? given.get(key(a.given))
      : field === TF_FIELD_POSITIONS.familyName
        ? family.get(key(a.family))
        : field === TF_FIELD_POSITIONS.city
          ? city.get(key(a.city))
          : undefined;
  return { weightOf, maxWeight };
}
