/**
 * Shapes shared by the matching core. A `PersonRecord` is what registration, the FEBRL importer and ADT
 * feeds hand us; the matcher normalises it once (`NormalizedRecord`) and compares normalised records.
 */

/** A person as known to one source. `dateOfBirth` is YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY. */
export interface PersonRecord {
  id: string;
  givenName: string;
  familyName: string;
  middleName?: string;
  dateOfBirth: string;
  sex?: string;
  street?: string;
  /** Second address line (building, locality); FEBRL's address_2. */
  addressLine2?: string;
  city?: string;
  postcode?: string;
  state?: string;
  phone?: string;
  ssn?: string;
  email?: string;
}

/** Fields compared by the Fellegi–Sunter model, in a fixed order. */
export const FIELDS = [
  'givenName',
  'familyName',
  'middleName',
  'dateOfBirth',
  'sex',
  'streetNumber',
  'streetName',
  'addressLine2',
  'city',
  'postcode',
  'state',
  'phone',
  'ssn',
  'email',
] as const;
export type FieldName = (typeof FIELDS)[number];

/** Number of agreement levels per field; level 0 is exact agreement, the last is disagreement. */
export const FIELD_LEVELS: Readonly<Record<FieldName, readonly string[]>> = {
  givenName: ['exact', 'nickname_or_close', 'similar_or_phonetic', 'disagree'],
  familyName: ['exact', 'close', 'similar_or_phonetic', 'disagree'],
  middleName: ['exact', 'initial', 'disagree'],
  dateOfBirth: ['exact', 'one_typo_or_day_month_swap', 'partial', 'disagree'],
  sex: ['exact', 'disagree'],
  streetNumber: ['exact', 'one_typo', 'disagree'],
  streetName: ['exact', 'close', 'similar', 'disagree'],
  addressLine2: ['exact', 'close', 'disagree'],
  city: ['exact', 'close', 'disagree'],
  postcode: ['exact', 'one_typo', 'disagree'],
  state: ['exact', 'disagree'],
  phone: ['exact', 'last_seven', 'disagree'],
  ssn: ['exact', 'one_typo', 'disagree'],
  email: ['exact', 'close', 'disagree'],
};

/** A record normalised once for comparison and blocking. Absent values are ''. */
export interface NormalizedRecord {
  id: string;
  given: string;
  family: string;
  middle: string;
  givenCodes: readonly [string, string];
  familyCodes: readonly [string, string];
  /** Canonical given name after nickname resolution (e.g. bill -> william). */
  givenCanonical: string;
  year: string;
  month: string;
  day: string;
  /** YYYYMMDD when the date is complete, else ''. */
  dob8: string;
  sex: string;
  streetNumber: string;
  streetName: string;
  addressLine2: string;
  city: string;
  postcode: string;
  state: string;
  phone: string;
  ssn: string;
  email: string;
}

/** m and u probabilities for every level of every field. */
export interface FieldParameters {
  m: number[];
  u: number[];
}
export type ModelParameters = Record<FieldName, FieldParameters>;

/** The fitted or default model: per-field m/u plus the prior probability that a random pair matches. */
export interface MatchModel {
  fields: ModelParameters;
  /** Prior probability that two records drawn at random are the same person (lambda). */
  prior: number;
}

/** Per-field outcome of one comparison. `level` is null when either side lacks the value. */
export interface FieldComparison {
  level: string | null;
  /** log2(m/u) for the level found; 0 when missing. */
  weight: number;
}

/** Result of comparing two records. */
export interface PairScore {
  /** Posterior probability (0..1) that both records are the same person, given the model's prior. */
  score: number;
  /** Total match weight: log2 of the Bayes factor summed over fields. */
  weight: number;
  /** Given and family names matched crosswise (transposed). */
  transposedNames: boolean;
  fields: Record<FieldName, FieldComparison>;
}
