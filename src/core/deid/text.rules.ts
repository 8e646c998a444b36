/**
 * Free-text de-identification by the HIPAA Safe Harbor method, 45 CFR 164.514(b)(2): every identifier the
 * detectors find is replaced by its category in brackets (`[NAME]`, `[DATE]`, `[ZIP]`, ...); every other character
 * is kept as it was. Pure: no I/O, no clock; the lexicon is a parameter.
 */
import type { DeidLexicon } from './lexicon.js';
import { findNameSpans } from './names.js';
import { findPatternSpans } from './patterns.js';
import type { PhiCategory, PhiSpan } from './types.js';

/**
 * When two findings overlap, the span covers both and takes the category of the one that contains the other,
 * else the one listed first here (an e-mail's domain is not a URL; a number after "MRN" is an MRN, not an ID).
 */
const PRIORITY: readonly PhiCategory[] = [
  'EMAIL',
  'URL',
  'IP',
  'SSN',
  'DATE',
  'MRN',
  'ACCOUNT',
  'HEALTHPLAN',
  'LICENSE',
  'VEHICLE',
  'DEVICE',
  'BIOMETRIC',
  'FAX',
  'PHONE',
  'ZIP',
  'AGE',
  'ADDRESS',
  'PHOTO',
  'NAME',
  'ID',
];
const RANK = new Map(PRIORITY.map((c, i) => [c, i]));

/** The identifiers in `text`, sorted, not overlapping. */
export function findPhi(text: string, lexicon: DeidLexicon): PhiSpan[] {
  const spans: PhiSpan[] = [];
  findPatternSpans(text, (start, end, category) => {
    if (end > start) spans.push({ start, end, category });
  });
  findNameSpans(text, lexicon, (start, end) => {
    if (end > start) spans.push({ start, end, category: 'NAME' });
  });
  return mergeSpans(spans);
}

/** Sorts spans and unites overlapping ones (touching spans stay apart). */
export function mergeSpans(spans: PhiSpan[]): PhiSpan[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PhiSpan[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (!last || s.start >= last.end) {
      out.push({ ...s });
      continue;
    }
    const lastContains = s.end <= last.end && (s.start > last.start || s.end < last.end);
    if (!lastContains && (RANK.get(s.category) ?? 99) < (RANK.get(last.category) ?? 99)) last.category = s.category;
    last.end = Math.max(last.end, s.end);
  }
  return out;
}

/** Replaces each span by `[CATEGORY]`; the text between spans is copied unchanged. */
export function redact(text: string, spans: readonly PhiSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + `[${s.category}]`;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * De-identifies one note: the text with every identifier found replaced by its bracketed category. `keep` names
 * categories to leave in the text (a limited data set keeps dates).
 */
export function deidentifyText(
  text: string,
  lexicon: DeidLexicon,
  o: { keep?: ReadonlySet<PhiCategory> } = {},
): { text: string; spans: PhiSpan[] } {
  const found = findPhi(text, lexicon);
  const keep = o.keep;
  const spans = keep ? found.filter((s) => !keep.has(s.category)) : found;
  return { text: redact(text, spans), spans };
}
