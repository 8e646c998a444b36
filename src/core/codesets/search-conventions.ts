/**
 * Coding conventions the encoder applies after the Index has been read, where the Index alone leads a coder to the
 * right codes but not to their order or to the history code:
 *
 * - "Code first" (ICD-10-CM Official Guidelines I.A.13 and I.B.7): when a subterm's code carries a "code first"
 *   note naming the code of the main term above it ("COVID-19 U07.1 > pneumonia J12.82", J12.82: "Code first
 *   COVID-19 (U07.1)"), the main term's code is sequenced first.
 * - History of malignant neoplasm (Index: "History, family (of), malignant neoplasm (of) ... by site"; Z80 and Z85,
 *   Guidelines I.C.2.d and I.C.21.c.4): the site's primary code, from the Neoplasm table, picks the Z80/Z85 code
 *   whose tabular says "Conditions classifiable to" a range holding it ("colon" C18.9 -> Z80.0 "C15-C26").
 */
import { cmPrefixPositions } from './codesets.js';
import { notesFor, parseCodeRefs, refMatches, type CodeRef } from './notes.js';
import { indexTokens } from './text.js';
import type { CmRelease, CodeSets } from './types.js';

/** The part of a search hit these conventions read and adjust. */
export interface ConventionHit {
  code: string;
  path: string[];
  score: number;
  complete?: boolean;
}

/** Code references of one kind of note printed at the code or a level above it (its category). */
function noteRefs(sets: CodeSets, rel: CmRelease, code: string, kind: 'codeFirst' | 'inclusionTerm'): { ref: CodeRef; text: string }[] {
  return notesFor(sets, rel, code)
    .filter((n) => n.kind === kind)
    .flatMap((n) => n.texts.flatMap((text) => parseCodeRefs(text).map((ref) => ({ ref, text }))));
}

function isPathPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length < path.length && prefix.every((p, i) => path[i] === p);
}

/**
 * Sequences an etiology before its manifestation: a hit reached through an index entry above another hit, and named
 * by that hit's "code first" note, ranks just above it (Guidelines I.A.13: "code first" notes name the underlying
 * condition to be sequenced first). Hits are changed in place.
 */
export function sequenceCodeFirst(sets: CodeSets, rel: CmRelease, hits: Iterable<ConventionHit>): void {
  const all = [...hits];
  const byScore = [...all].sort((a, b) => b.score - a.score).slice(0, 12);
  for (const manifestation of byScore) {
    if (manifestation.path.length < 2) continue;
    const refs = noteRefs(sets, rel, manifestation.code, 'codeFirst');
    if (refs.length === 0) continue;
    for (const etiology of all) {
      if (etiology === manifestation || !isPathPrefix(etiology.path, manifestation.path)) continue;
      if (!refs.some(({ ref }) => refMatches(ref, etiology.code))) continue;
      if (etiology.score <= manifestation.score) {
        etiology.score = manifestation.score + 0.01;
        etiology.complete = manifestation.complete;
      }
    }
  }
}

const HISTORY = /\b(?:(family|personal)\s+)?(?:h\/o|hx|history)\s+(?:of\s+)?(.+)$/i;
const CANCER_WORDS = /\b(?:malignant\s+neoplasms?|malignancy|cancer|carcinoma|ca)\b/gi;

/** A "history of <site> cancer" query: whose history, and the site's words. */
export function parseHistoryOfCancer(query: string): { family: boolean; site: string } | undefined {
  const m = HISTORY.exec(query.trim());
  if (!m) return undefined;
  const rest = m[2] ?? '';
  if (!CANCER_WORDS.test(rest)) return undefined;
  CANCER_WORDS.lastIndex = 0;
  const site = rest
    .replace(CANCER_WORDS, ' ')
    .replace(/\b(?:of|the|in|primary)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (site === '') return undefined;
  return { family: (m[1] ?? '').toLowerCase() === 'family', site };
}

/**
 * The history code for a site's primary malignancy: among the billable codes of Z80 (family) or Z85 (personal),
 * the one whose "Conditions classifiable to" inclusion (its own or its subcategory's) names the narrowest range
 * holding the primary code; among codes that share it, the one whose title names the site as the primary's does
 * (Z85.4 "C51-C63" holds C61, and Z85.46 says "prostate").
 */
export function historyOfCancerCode(sets: CodeSets, rel: CmRelease, ri: number, family: boolean, primaryCode: string): string | undefined {
  const primaryPos = sets.cmIndexByCode[ri]?.get(primaryCode);
  const siteWords = new Set(indexTokens(primaryPos === undefined ? '' : (rel.titles[primaryPos] ?? '')));
  for (const w of indexTokens('malignant neoplasm of unspecified')) siteWords.delete(w);
  let best: { code: string; width: number; named: number } | undefined;
  for (const pos of cmPrefixPositions(sets, ri, family ? 'Z80' : 'Z85', 400)) {
    if (rel.billable[pos] !== 1) continue;
    const code = rel.codes[pos] ?? '';
    const named = indexTokens(rel.titles[pos] ?? '').filter((w) => siteWords.has(w)).length;
    for (const { ref, text } of noteRefs(sets, rel, code, 'inclusionTerm')) {
      if (!/classifiable/i.test(text) || !refMatches(ref, primaryCode)) continue;
      const width = rangeWidth(ref);
      if (!best || width < best.width || (width === best.width && named > best.named)) best = { code, width, named };
    }
  }
  return best?.code;
}

/** How many three-character categories a reference spans, with a longer prefix narrower still. */
function rangeWidth(ref: CodeRef): number {
  if (ref.to === undefined) return 1 / ref.from.length;
  const n = (c: string): number => (c.charCodeAt(0) - 65) * 100 + Number.parseInt(c.slice(1, 3), 10);
  return n(ref.to.slice(0, 3)) - n(ref.from.slice(0, 3)) + 1;
}
