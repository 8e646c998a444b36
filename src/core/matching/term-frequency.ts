import type { NormalizedRecord } from './types.js';

/**
 * Term-frequency tables: the share of records that hold each value of a field. Agreement on a rare value
 * is stronger evidence than agreement on a common one: two records that are both "Smith" agree by chance
 * far more often than two that are both "Okonkwo". For an exact agreement the matcher then uses the
 * value's own frequency as u, P(agree on v | different people) ~ tf(v), instead of the field's average u
 * (Winkler 1989, "Frequency-based matching in Fellegi-Sunter model of record linkage"; splink's term
 * frequency adjustments).
 */
export interface TermFrequencies {
  givenName: ReadonlyMap<string, number>;
  familyName: ReadonlyMap<string, number>;
  city: ReadonlyMap<string, number>;
}

/** The field of each table, by its position in FIELDS (types.ts). */
export const TF_FIELD_POSITIONS = { givenName: 0, familyName: 1, city: 8 } as const;

/**
 * u never drops below this for a term: a value seen once in a small file is rare in that file, not in
 * the world, and one agreement must not outweigh every other field.
 */
export const MIN_TERM_FREQUENCY = 1e-4;

function shares(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  let n = 0;
  for (const v of values) {
    if (v === '') continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    n++;
  }
  const out = new Map<string, number>();
  for (const [v, c] of counts) out.set(v, Math.max(c / n, MIN_TERM_FREQUENCY));
  return out;
}

/** Counts value frequencies of given name, family name and city over a population of records. */
export function countTermFrequencies(records: readonly NormalizedRecord[]): TermFrequencies {
  return {
    givenName: shares(records.map((r) => r.given)),
    familyName: shares(records.map((r) => r.family)),
    city: shares(records.map((r) => r.city)),
  };
}
