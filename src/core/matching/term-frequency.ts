import type { NormalizedRecord } from './types.js';

/**
 * Term-frequency tables: how many records hold each value of a field. Agreement on a rare value
 * is stronger evidence than agreement on a common one: two records that are both "Smith" agree by chance
 * far more often than two that are both "Okonkwo". For an exact agreement the matcher then uses the
 * value's own frequency as u, P(agree on v | different people) ~ tf(v), instead of the field's average u
 * (Winkler 1989, "Frequency-based matching in Fellegi-Sunter model of record linkage"; splink's term
 * frequency adjustments).
 */
export interface TermFrequencies {
  givenName: TermCounts;
  familyName: TermCounts;
  city: TermCounts;
}

/** How many records hold each value, of `total` records with the field. */
export interface TermCounts {
  counts: ReadonlyMap<string, number>;
  total: number;
}

/**
 * Pseudo-records of the field's average u mixed into each value's share: u(v) = (count(v) + 1000 u) /
 * (total + 1000). In a file of a few records every value looks common (2 of 4 records say "Allen"); in
 * thousands the value's own share speaks.
 */
export const TERM_PSEUDO_COUNT = 1000;

/** u of an exact agreement on a value seen `count` times among `total`, shrunk toward the field's `u`. */
export function termU(count: number, total: number, u: number): number {
  return Math.max((count + TERM_PSEUDO_COUNT * u) / (total + TERM_PSEUDO_COUNT), MIN_TERM_FREQUENCY);
}

/** The field of each table, by its position in FIELDS (types.ts). */
export const TF_FIELD_POSITIONS = { givenName: 0, familyName: 1, city: 8 } as const;

/**
 * u never drops below this for a term: a value seen once in a small file is rare in that file, not in
 * the world, and one agreement must not outweigh every other field.
 */
export const MIN_TERM_FREQUENCY = 1e-4;

function shares(values: readonly string[]): TermCounts {
  const counts = new Map<string, number>();
  let total = 0;
  for (const v of values) {
    if (v === '') continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    total++;
  }
  return { counts, total };
}

/** Counts value frequencies of given name, family name and city over a population of records. */
export function countTermFrequencies(records: readonly NormalizedRecord[]): TermFrequencies {
  return {
    givenName: shares(records.map((r) => r.given)),
    familyName: shares(records.map((r) => r.family)),
    city: shares(records.map((r) => r.city)),
  };
}

/**
 * Term-frequency tables as JSON data, each value replaced by `key(value)` (the live MPI passes a keyed hash, so
 * a stored table holds no names in the clear); the matcher then looks values up through the same `key`
 * (`MatcherConfig.termKey`).
 */
export interface StoredTermFrequencies {
  givenName: { total: number; counts: [string, number][] };
  familyName: { total: number; counts: [string, number][] };
  city: { total: number; counts: [string, number][] };
}

const TF_FIELDS = ['givenName', 'familyName', 'city'] as const;

/** The tables as JSON data, values passed through `key` (counts of values that share a key are added). */
export function storeTermFrequencies(tf: TermFrequencies, key: (value: string) => string): StoredTermFrequencies {
  const one = ({ counts, total }: TermCounts) => {
    const out = new Map<string, number>();
    for (const [v, c] of counts) out.set(key(v), (out.get(key(v)) ?? 0) + c);
    return { total, counts: [...out] };
  };
  return { givenName: one(tf.givenName), familyName: one(tf.familyName), city: one(tf.city) };
}

/** Tables read back from {@link storeTermFrequencies}'s data; null when the shape is not that. */
export function parseStoredTermFrequencies(v: unknown): TermFrequencies | null {
  if (typeof v !== 'object' || v === null) return null;
  const out: Partial<Record<(typeof TF_FIELDS)[number], TermCounts>> = {};
  for (const f of TF_FIELDS) {
    const t = (v as Record<string, unknown>)[f] as { total?: unknown; counts?: unknown } | undefined;
    if (!t || typeof t.total !== 'number' || !Array.isArray(t.counts)) return null;
    const counts = new Map<string, number>();
    for (const e of t.counts as unknown[]) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') return null;
      counts.set(e[0], e[1]);
    }
    out[f] = { counts, total: t.total };
  }
  return { givenName: out.givenName!, familyName: out.familyName!, city: out.city! };
}
