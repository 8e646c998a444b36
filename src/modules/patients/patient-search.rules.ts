/**
 * Name search that forgives what registration matching forgives: spelling that sounds alike (Smyth, Smith: double
 * metaphone), nicknames (Jim for James), small typos (Jaro-Winkler), and family and given names given in the other
 * order. It reuses the MPI's comparators (src/core/matching), so "find" and "match" agree. Pure, no I/O.
 */
import { areNicknames, jaroWinkler, normalizeName, normalizeRecord } from '../../core/matching/index.js';

/** Jaro-Winkler similarity from which two names count as the same name mistyped. */
const TYPO_SIMILARITY = 0.9;

function codes(name: string): readonly [string, string] {
  return normalizeRecord({ id: '', familyName: name, givenName: '', dateOfBirth: '' }).familyCodes;
}

/** How well a searched name part fits a stored one: 1 prefix (what the plain search finds), 0.9 alike, 0 not. */
function fit(searched: string, stored: string, given: boolean): number {
  const a = normalizeName(searched);
  const b = normalizeName(stored);
  if (a === '' || b === '') return 0;
  if (b.startsWith(a)) return 1;
  if (given && areNicknames(a, b)) return 0.95;
  const ca = codes(a);
  const cb = codes(b);
  if (ca[0] !== '' && (ca[0] === cb[0] || ca[0] === cb[1] || (ca[1] !== '' && ca[1] === cb[0]))) return 0.9;
  const jw = jaroWinkler(a, b);
  return jw >= TYPO_SIMILARITY ? jw * 0.9 : 0;
}

/**
 * How well a stored name answers a name search, 0 when it does not (else up to 1; the better, the earlier it lists).
 * Every searched part must fit; the parts may be in either order (a transposed name).
 */
export function nameSearchScore(q: { family: string; given?: string | undefined }, p: { family: string; given: string }): number {
  const inOrder = (family: string, given: string | undefined) => {
    const f = fit(family, p.family, false);
    if (f === 0) return 0;
    if (!given) return f;
    const g = fit(given, p.given, true);
    return g === 0 ? 0 : (f + g) / 2;
  };
  const straight = inOrder(q.family, q.given);
  const swapped = q.given ? inOrder(q.given, q.family) * 0.95 : 0;
  return Math.max(straight, swapped);
}

/**
 * The name prefixes (two letters, lower case) whose records the forgiving search reads: a bound on the work, at the
 * price of missing a spelling that differs in its first two letters (Philips / Filips).
 */
export function searchPrefixes(q: { family: string; given?: string | undefined }): string[] {
  const parts = [q.family, ...(q.given ? [q.given] : [])].map((x) => normalizeName(x).slice(0, 2)).filter((x) => x.length === 2);
  return [...new Set(parts)];
}
