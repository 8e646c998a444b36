import { compareRecords } from './comparators.js';
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

  return {
    model,
    normalize: normalizeRecord,
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
