/**
 * Person names in free text (Safe Harbor identifier (A)), patients' and clinicians' alike. A capitalised word
 * is a name when the text says so: a title before it ("Dr.", "Mrs."), a label ("Patient:", "seen by",
 * "Electronically signed by"), a credential after it ("Ana Ruiz, MD"), a relationship word ("daughter Maria");
 * or when it is a known name token that is not a common word, or a common-word name (Will, Rose) beside another
 * name. A word next to a name is part of it unless it is a common or clinical word; a name found once is tagged
 * wherever it recurs in the note. Eponyms (Parkinson, Foley, Apgar) and words before "disease", "syndrome",
 * "catheter", "score"... stay unless a title or label shows a person.
 */
import {
  CREDENTIALS,
  EPONYM_HEADS,
  NAME_LABELS,
  NAME_LABELS_BARE,
  NAME_LABEL_LINKS,
  NAME_LABEL_VERBS,
  NAME_TITLES,
  type DeidLexicon,
} from './lexicon.js';

interface Token {
  start: number;
  end: number;
  lower: string;
  /** First letter upper case (Smith, SMITH, McDonald). */
  cap: boolean;
  /** A single capital letter followed by a period: a middle initial. */
  initial: boolean;
}

const WORD = /[\p{Lu}\p{Ll}][\p{Lu}\p{Ll}\p{M}'’-]*/gu;
const RELATIONS = new Set(
  'wife husband daughter son mother father sister brother friend caregiver partner grandson granddaughter niece nephew aunt uncle neighbor neighbour fiance fiancee'.split(
    ' ',
  ),
);
const MAX_RUN = 4;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    let w = m[0];
    // Possessive and trailing punctuation stay outside the name: "Smith's" -> "Smith".
    const poss = /(?:['’]s?|-)$/.exec(w);
    if (poss) w = w.slice(0, poss.index);
    // "SatO2", "T4", "CD4": a word run into digits is a lab or gene name, not a person's.
    if (w === '' || (poss === null && /\d/.test(text.charAt(m.index + w.length)))) continue;
    const c = w.charAt(0);
    const cap = c !== c.toLowerCase();
    out.push({
      start: m.index,
      end: m.index + w.length,
      lower: w.toLowerCase(),
      cap,
      initial: cap && w.length === 1 && text.charAt(m.index + 1) === '.',
    });
  }
  return out;
}

/** Finds the spans of person names in `text`; `push` receives each. */
export function findNameSpans(text: string, lex: DeidLexicon, push: (start: number, end: number) => void): void {
  const toks = tokenize(text);
  const n = toks.length;
  const mark = new Uint8Array(n); // 1: name
  const gap = (i: number): string => text.slice(toks[i - 1]?.end ?? 0, toks[i]?.start ?? 0);
  /** Tokens i-1 and i belong to one name: only spaces (or an initial's period, or a hyphen) between them. */
  const joined = (i: number): boolean => i > 0 && /^(?:\.?[ \t]{1,3}|-)$/.test(gap(i));
  const isCommon = (t: Token): boolean => lex.commonWords.has(t.lower);
  const isKnown = (t: Token): boolean => lex.names.has(t.lower) && !NAME_TITLES.has(t.lower) && !CREDENTIALS.has(t.lower);
  const isEponymUse = (i: number): boolean => {
    const t = toks[i];
    if (!t) return false;
    if (lex.eponyms.has(t.lower)) return true;
    // "Hashimoto thyroiditis", "Guillain-Barré syndrome": a word before an eponym head is an eponym.
    for (let j = i + 1; j <= i + 2 && j < n; j++) {
      const next = toks[j];
      if (!next || !/^['’]?s?\s+$|^-$/.test(text.slice(toks[j - 1]?.end ?? 0, next.start))) break;
      if (EPONYM_HEADS.has(next.lower)) return true;
      if (!next.cap) break;
    }
    return false;
  };
  /** Marks a run of capitalised tokens from i (forward) as one name named by context. */
  const markRun = (from: number, dir: 1 | -1, allowUnknown: boolean, allowLists = true): void => {
    let count = 0;
    let total = 0;
    for (let j = from; j >= 0 && j < n && count < MAX_RUN && total < 3 * MAX_RUN; j += dir) {
      const t = toks[j];
      // A title starts its own run ("seen by Dr. Nwosu": the title stays, the name goes).
      if (!t?.cap || NAME_TITLES.has(t.lower) || CREDENTIALS.has(t.lower)) break;
      // A word before a colon is the next label ("AGE:"), not a name.
      if (count > 0 && /^[ \t]*:/.test(text.slice(t.end, t.end + 3))) break;
      const g = gap(dir === 1 ? j : j + 1);
      // A list after a label ("cc: Ana Ruiz; Li Wei and Omar Haddad") starts a new name.
      if (allowLists && count > 1 && dir === 1 && /^[ \t]*(?:[;,&/]|and)[ \t]*(?:and[ \t]+)?$/.test(g)) count = 0;
      else if (count > 0 && !joined(dir === 1 ? j : j + 1) && !(allowLists && count === 1 && /^,[ \t]+$/.test(g))) break;
      if (!t.initial && isCommon(t) && !isKnown(t) && !(allowUnknown && count === 0)) break;
      mark[j] = 1;
      count++;
      total++;
    }
  };

  for (let i = 0; i < n; i++) {
    const t = toks[i];
    if (!t) continue;
    const after = text.slice(t.end, toks[i + 1]?.start ?? t.end);
    // Titles: "Dr. Okafor", "Mrs Nguyen", "Prof. de la Cruz".
    if (t.cap && NAME_TITLES.has(t.lower) && /^\.?[ \t]+$/.test(after) && isTitleCase(text, t)) markRun(i + 1, 1, true, false);
    // Labels: "Patient: ...", "Attending: ...", "seen by ...", "Electronically signed by ...".
    else if (NAME_LABELS.has(t.lower) && /^[ \t]*:[ \t]*$/.test(after)) markRun(i + 1, 1, false);
    else if (NAME_LABEL_LINKS.has(t.lower) && NAME_LABEL_VERBS.has(toks[i - 1]?.lower ?? '') && /^:?[ \t]+$/.test(after))
      markRun(i + 1, 1, false);
    else if (NAME_LABELS_BARE.has(t.lower) && /^[ \t]+$/.test(after)) markRun(i + 1, 1, false);
    else if (RELATIONS.has(t.lower) && !t.cap && /^,?[ \t]+$/.test(after)) markRun(i + 1, 1, false);
    // Credentials: "Ana Ruiz, MD", "J. Smith RN", "Kwame Mensah PhD".
    else if (t.cap && CREDENTIALS.has(t.lower) && isCredentialForm(text, t, gap(i))) markRun(i - 1, -1, false);
    else if (t.lower === 'm' && text.startsWith('.D.', t.end) && /^,?[ \t]+$/.test(gap(i))) markRun(i - 1, -1, false);
  }

  // Known name tokens that are not common words; common-word names need a name beside them.
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    if (!t?.cap || mark[i] || t.lower.length < 2 || !isKnown(t) || isCommon(t) || isEponymUse(i)) continue;
    // Capitals of three letters or fewer are abbreviations (RE, LE, CA) unless a title or label names them.
    if (t.lower.length <= 3 && text.slice(t.start, t.end) === t.lower.toUpperCase()) continue;
    mark[i] = 1;
  }
  // Two capitalised words side by side, neither a common, clinical or eponym word, one of them a known name:
  // "Habiba Nasrallah tolerated the procedure".
  for (let i = 1; i < n; i++) {
    const a = toks[i - 1];
    const b = toks[i];
    if (!a?.cap || !b?.cap || (mark[i - 1] && mark[i]) || !joined(i) || gap(i) !== ' ') continue;
    if (!isPlainWord(text, a) || !isPlainWord(text, b) || isCommon(a) || isCommon(b) || isEponymUse(i - 1) || isEponymUse(i)) continue;
    if (isKnown(a) || isKnown(b)) mark[i - 1] = mark[i] = 1;
  }
  // Grow names over their neighbours: unknown capitalised words and common-word names beside a name.
  for (let changed = true, rounds = 0; changed && rounds < 3; rounds++) {
    changed = false;
    for (let i = 0; i < n; i++) {
      const t = toks[i];
      if (!t?.cap || mark[i] || NAME_TITLES.has(t.lower) || CREDENTIALS.has(t.lower)) continue;
      const nextTo = (joined(i) && mark[i - 1] === 1) || (i + 1 < n && joined(i + 1) && mark[i + 1] === 1);
      if (!nextTo) continue;
      if (t.initial || (!isCommon(t) && !isEponymUse(i)) || (isKnown(t) && !isEponymUse(i))) {
        mark[i] = 1;
        changed = true;
      }
    }
  }
  // A name found once is tagged wherever it recurs in the note (not as an eponym: "Mr. Wilson ... Wilson disease").
  const found = new Set<string>();
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    if (t && mark[i] && !t.initial && t.lower.length >= 3 && !isCommon(t) && !lex.eponyms.has(t.lower)) found.add(t.lower);
  }
  if (found.size > 0)
    for (let i = 0; i < n; i++) {
      const t = toks[i];
      if (t?.cap && !mark[i] && found.has(t.lower) && !isEponymUse(i)) mark[i] = 1;
    }

  // Emit: consecutive name tokens joined by spaces become one span.
  for (let i = 0; i < n; i++) {
    if (!mark[i]) continue;
    let j = i;
    while (j + 1 < n && mark[j + 1] && joined(j + 1)) j++;
    push(toks[i]?.start ?? 0, toks[j]?.end ?? 0);
    i = j;
  }
}

/** A word in title case (Nasrallah, McAllister, O'Neil, Ji-ho), not an abbreviation or a unit. */
function isPlainWord(text: string, t: Token): boolean {
  return t.end - t.start >= 2 && /^\p{Lu}[\p{Ll}'’]+(?:[-\p{Lu}][\p{L}'’]+)*$/u.test(text.slice(t.start, t.end));
}

/** "Dr", "Mrs", "DR." but not "MS" (multiple sclerosis) or "DO" without a period. */
function isTitleCase(text: string, t: Token): boolean {
  const w = text.slice(t.start, t.end);
  if (w.slice(1) === w.slice(1).toLowerCase()) return true;
  return text.charAt(t.end) === '.';
}

/** "MD", "M.D.", "PhD", "PA-C" after a name; "DO", "MS", "PA", "OD" only after a comma. */
function isCredentialForm(text: string, t: Token, gapBefore: string): boolean {
  const w = text.slice(t.start, t.end);
  if (!/^(?:,[ \t]*|[ \t]+)$/.test(gapBefore)) return false;
  if (['do', 'ms', 'pa', 'od', 'rd'].includes(t.lower) && !gapBefore.startsWith(',')) return false;
  return w === w.toUpperCase() || /^(?:PhD|PharmD|PsyD|MBBS|Pa-C)$/.test(w);
}
