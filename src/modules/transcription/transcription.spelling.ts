/**
 * Spell check for transcribed reports (issue 23): words not in the vocabulary — general English (cmudict, which
 * Debian's pocketsphinx-en-us ships) and, once the medical speech model is built, its medical vocabulary (code-set
 * titles and index terms, the drug table, clinical text, the physicians' names) — with suggestions at edit distance
 * one or two. Pure: the vocabulary is handed in (`transcriptionSpellingVocabulary` in src/app/modules.ts reads it).
 * Abbreviations in capitals (COPD, CHF) and words with digits are not judged.
 */
export interface Misspelling {
  word: string;
  /** Character offsets in the checked text. */
  start: number;
  end: number;
  /** Up to five vocabulary words, closest first (then the shorter, then alphabetical). */
  suggestions: string[];
}

export interface SpellChecker {
  readonly size: number;
  check(text: string): Misspelling[];
}

const WORD = /[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]/g;

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), stopping once above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** Clinical abbreviations dictation writes in lower or mixed case (capitals-only ones are never judged). */
export const CLINICAL_ABBREVIATIONS = (
  'pt pts dx ddx hx fhx shx rx tx sx fx px bx cx abx bid tid qid qd qhs qam qpm prn po pr iv im sq subq sc sl od os ou ' +
  'mg mcg ml cc kg lb lbs cm mm hr hrs min mins wk wks yo y/o bp hr rr spo sat sats temp wbc rbc hgb hct plt bmp cmp ' +
  'ekg ecg cxr ct mri us npo nkda ivf prbc ffp bipap cpap etoh neb nebs inh prn'
).split(' ');

export function createSpellChecker(vocabulary: Iterable<string>): SpellChecker {
  const known = new Set<string>(CLINICAL_ABBREVIATIONS);
  for (const w of vocabulary) {
    const v = w.trim().toLowerCase();
    if (/^[a-z][a-z'-]*$/.test(v)) known.add(v);
  }
  // Candidates by first letter and length, so a suggestion search reads a few thousand words, not all of them.
  const buckets = new Map<string, string[]>();
  for (const w of known) {
    const k = `${w[0]!}${w.length}`;
    const b = buckets.get(k);
    if (b) b.push(w);
    else buckets.set(k, [w]);
  }
  const isKnown = (w: string) => {
    const v = w.toLowerCase();
    if (known.has(v)) return true;
    // Possessives and hyphenated compounds: each part known is enough.
    if (v.endsWith("'s") && known.has(v.slice(0, -2))) return true;
    return v.includes('-') && v.split('-').every((p) => p === '' || known.has(p));
  };
  const suggest = (w: string): string[] => {
    const v = w.toLowerCase();
    const found: { word: string; d: number }[] = [];
    // Same first letter within two edits, and any first letter within one (a slip on the first key).
    const firsts = new Set([v[0]!, ...'abcdefghijklmnopqrstuvwxyz'.split('')]);
    for (const f of firsts)
      for (let len = v.length - 2; len <= v.length + 2; len++) {
        const max = f === v[0] ? 2 : 1;
        if (Math.abs(len - v.length) > max) continue;
        for (const c of buckets.get(`${f}${len}`) ?? []) {
          const d = editDistance(v, c, max);
          if (d <= max) found.push({ word: c, d });
        }
      }
    return found
      .sort((a, b) => a.d - b.d || a.word.length - b.word.length || a.word.localeCompare(b.word))
      .slice(0, 5)
      .map((x) => x.word);
  };
  return {
    size: known.size,
    check(text) {
      const out: Misspelling[] = [];
      for (const m of text.matchAll(WORD)) {
        const word = m[0];
        const start = m.index;
        const end = start + word.length;
        // Words with digits next to them (B12, x2) and capitals-only abbreviations are not judged.
        if (/\d/.test(text[start - 1] ?? '') || /\d/.test(text[end] ?? '')) continue;
        if (word.length > 1 && word === word.toUpperCase() && word.length <= 6) continue;
        if (isKnown(word)) continue;
        out.push({ word, start, end, suggestions: suggest(word) });
      }
      return out;
    },
  };
}

/** The words of a pronunciation dictionary (one `word PHONES...` per line; `word(2)` variants folded). */
export function dictionaryWords(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const w = line.split(/\s/, 1)[0]?.replace(/\(\d+\)$/, '');
    if (w) out.push(w);
  }
  return out;
}
