import { jaroWinkler, withinOneEdit } from './string-metrics.js';
import type { NormalizedRecord } from './types.js';

/** Agreement level per field, in FIELDS order; -1 means missing on either side. */
export type ComparisonVector = Int8Array;

// Field positions in FIELDS (types.ts); kept as constants because this runs millions of times.
const GIVEN = 0,
  FAMILY = 1,
  MIDDLE = 2,
  DOB = 3,
  SEX = 4,
  STREET_NO = 5,
  STREET = 6,
  LINE2 = 7;
const CITY = 8,
  POSTCODE = 9,
  STATE = 10,
  PHONE = 11,
  SSN = 12,
  EMAIL = 13;

function phoneticMatch(a: readonly [string, string], b: readonly [string, string]): boolean {
  if (a[0] === '' || b[0] === '') return false;
  return a[0] === b[0] || a[0] === b[1] || a[1] === b[0] || a[1] === b[1];
}

/** Name level: 0 exact, 1 close (JW >= .92), 2 similar (JW >= .8, phonetic, or initial), 3 disagree. */
export function compareName(a: string, b: string, codesA: readonly [string, string], codesB: readonly [string, string]): number {
  if (a === '' || b === '') return -1;
  if (a === b) return 0;
  if ((a.length === 1 || b.length === 1) && a[0] === b[0]) return 2;
  const jw = jaroWinkler(a, b);
  if (jw >= 0.92) return 1;
  if (jw >= 0.8 || phoneticMatch(codesA, codesB)) return 2;
  return 3;
}

function compareGiven(a: NormalizedRecord, b: NormalizedRecord): number {
  const level = compareName(a.given, b.given, a.givenCodes, b.givenCodes);
  return level > 1 && a.givenCanonical === b.givenCanonical ? 1 : level;
}

/** Days from 1970-01-01 of a full date, or NaN when month or day cannot be a calendar date (a typo). */
function dayNumber(r: NormalizedRecord): number {
  const month = Number(r.month);
  const day = Number(r.day);
  if (month > 12 || day > 31) return NaN;
  return Date.UTC(Number(r.year), month - 1, day) / 86_400_000;
}

/** Dates at most this many days apart are "close": a shifted or estimated date, not another person's. */
export const CLOSE_DATE_DAYS = 366;

/**
 * Date of birth: 0 exact; 1 one typo or day/month swap; 2 partial: two of year, month and day agree, or the
 * dates are within a year of each other (shifted, estimated, or 1 January standing in for an unknown day);
 * 3 disagree: dates further apart. Splitting "far apart" from "a little off" keeps records of one person
 * whose dates were each altered differently out of the disagree level, so disagreeing weighs strongly
 * against a match (people with the same common name born decades apart).
 */
export function compareDateOfBirth(a: NormalizedRecord, b: NormalizedRecord): number {
  if (a.year === '' || b.year === '') return -1;
  if (a.dob8 !== '' && b.dob8 !== '') {
    if (a.dob8 === b.dob8) return 0;
    if (a.year === b.year && a.month === b.day && a.day === b.month) return 1;
    if (withinOneEdit(a.dob8, b.dob8)) return 1;
    const agreeing = Number(a.year === b.year) + Number(a.month === b.month) + Number(a.day === b.day);
    if (agreeing >= 2) return 2;
    return Math.abs(dayNumber(a) - dayNumber(b)) <= CLOSE_DATE_DAYS ? 2 : 3;
  }
  // Partial dates (year, or year and month): agree only on the parts both have.
  if (a.year !== b.year) return 3;
  if (a.month !== '' && b.month !== '' && a.month !== b.month) return 3;
  return 2;
}

function exactOr(a: string, b: string, other: (x: string, y: string) => boolean, levels: number): number {
  if (a === '' || b === '') return -1;
  if (a === b) return 0;
  return other(a, b) ? 1 : levels - 1;
}

function similarity(a: string, b: string, close: number, similar: number): number {
  if (a === '' || b === '') return -1;
  if (a === b) return 0;
  const jw = jaroWinkler(a, b);
  return jw >= close ? 1 : jw >= similar ? 2 : 3;
}

const never = (): boolean => false;
const jwAtLeast = (t: number) => (x: string, y: string) => jaroWinkler(x, y) >= t;
const jw88 = jwAtLeast(0.88);
const jw90 = jwAtLeast(0.9);
const sameLastSeven = (x: string, y: string) => x.slice(-7) === y.slice(-7);
const middleCompatible = (x: string, y: string) => ((x.length === 1 || y.length === 1) && x[0] === y[0]) || jaroWinkler(x, y) >= 0.9;

/** Field positions (FIELDS order) in the order the bounded scorer visits them: cheap exact checks first. */
export const CHEAP_FIELDS = [DOB, SSN, PHONE, POSTCODE, STREET_NO, SEX, STATE] as const;
export const NAME_FIELDS = [GIVEN, FAMILY] as const;
export const COSTLY_FIELDS = [STREET, CITY, LINE2, EMAIL, MIDDLE] as const;

/** Level of one non-name field (position in FIELDS). */
export function compareField(field: number, a: NormalizedRecord, b: NormalizedRecord): number {
  switch (field) {
    case MIDDLE:
      return exactOr(a.middle, b.middle, middleCompatible, 3);
    case DOB:
      return compareDateOfBirth(a, b);
    case SEX:
      return exactOr(a.sex, b.sex, never, 2);
    case STREET_NO:
      return exactOr(a.streetNumber, b.streetNumber, withinOneEdit, 3);
    case STREET:
      return similarity(a.streetName, b.streetName, 0.92, 0.8);
    case LINE2:
      return exactOr(a.addressLine2, b.addressLine2, jw88, 3);
    case CITY:
      return exactOr(a.city, b.city, jw88, 3);
    case POSTCODE:
      return exactOr(a.postcode, b.postcode, withinOneEdit, 3);
    case STATE:
      return exactOr(a.state, b.state, never, 2);
    case PHONE:
      return exactOr(a.phone, b.phone, sameLastSeven, 3);
    case SSN:
      return exactOr(a.ssn, b.ssn, withinOneEdit, 3);
    case EMAIL:
      return exactOr(a.email, b.email, jw90, 3);
    default:
      throw new RangeError(`field ${field} is compared by compareNames`);
  }
}

const crossPlausible = (a: NormalizedRecord, b: NormalizedRecord): boolean =>
  a.given === b.family ||
  a.family === b.given ||
  (a.givenCodes[0] !== '' && (a.givenCodes[0] === b.familyCodes[0] || a.familyCodes[0] === b.givenCodes[0]));

/**
 * Given and family name levels into `out`; returns whether they were matched crosswise. Names are tried
 * crosswise when the direct comparison is weak and a cross pair agrees phonetically, because registration
 * clerks transpose given and family names.
 */
export function compareNames(a: NormalizedRecord, b: NormalizedRecord, out: ComparisonVector): boolean {
  let given = compareGiven(a, b);
  let family = compareName(a.family, b.family, a.familyCodes, b.familyCodes);
  let transposed = false;
  if (given + family > 2 && given >= 0 && family >= 0 && crossPlausible(a, b)) {
    const g = compareName(a.given, b.family, a.givenCodes, b.familyCodes);
    const f = compareName(a.family, b.given, a.familyCodes, b.givenCodes);
    if (g + f < given + family) {
      given = g;
      family = f;
      transposed = true;
    }
  }
  out[GIVEN] = given;
  out[FAMILY] = family;
  return transposed;
}

/** Compares two normalised records field by field into `out` (FIELDS order); returns names-transposed. */
export function compareRecords(a: NormalizedRecord, b: NormalizedRecord, out: ComparisonVector): boolean {
  for (const f of CHEAP_FIELDS) out[f] = compareField(f, a, b);
  for (const f of COSTLY_FIELDS) out[f] = compareField(f, a, b);
  return compareNames(a, b, out);
}
