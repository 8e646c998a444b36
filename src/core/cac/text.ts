/**
 * Reading a note for coding: words with their character offsets, sentences, the note's sections, and the
 * clinical context of each word — negated, uncertain, history of, family history, laterality, encounter — as the
 * ICD-10-CM Official Guidelines ask a coder to read them (Section II.H / IV.H uncertain diagnoses, I.C.21.c.4
 * history codes, I.C.19.a 7th characters). Pure: no I/O.
 */
import { stem } from '../codesets/text.js';

/** One word of the note: its stem (null for a stop word) and where it stands. */
export interface Token {
  raw: string;
  lower: string;
  stem: string | null;
  start: number;
  end: number;
  sentence: number;
}

/** What surrounds a word in its sentence. */
export interface TokenContext {
  negated: boolean;
  uncertain: boolean;
  history: boolean;
  family: boolean;
  /** Section weight: assessment/diagnosis higher, history lower (1 = body text). */
  section: number;
}

/**
 * Words that carry no coding meaning of their own (kept for negation and context, never matched). The side words
 * are read by `lateralityNear` instead, so "osteoarthritis of the left knee" still reads as one phrase.
 */
const STOP = new Set(
  (
    'a an and or of the in on to for by with w from at as is due nos other was were be been being are has have had ' +
    'this that these those which who whom his her their its it he she they we our patient pt year years old ' +
    'there than then also after before during into per via about very mild than did does do not no ' +
    'unspecified site type specified elsewhere classified encounter initial nec right left bilateral'
  ).split(' '),
);

const WORD = /[A-Za-z0-9]+(?:'[A-Za-z]+)?/g;

/** Words of a text with offsets, sentences split at . ; ! ? and line breaks (not at decimals or abbreviations like "Dr."). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let sentence = 0;
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    const between = text.slice(last, start);
    if (out.length > 0 && /[.;!?]\s|\n|[.;!?]$/.test(between)) sentence++;
    last = start + m[0].length;
    const lower = m[0].toLowerCase().replace(/'s$/, '');
    out.push({ raw: m[0], lower, stem: STOP.has(lower) ? null : stem(lower), start, end: last, sentence });
  }
  return out;
}

/** Stems of a phrase as the dictionary keys them: content words only, unique, sorted. */
export function phraseKey(text: string): string {
  return keyOf(tokenize(text).flatMap((t) => (t.stem === null ? [] : [t.stem])));
}

/** Sorted unique stems joined by a space: the order-free key of a phrase. */
export function keyOf(stems: readonly string[]): string {
  return [...new Set(stems)].sort().join(' ');
}

// NegEx-style triggers (Chapman et al. 2001), the words clinicians use for absent, uncertain and past findings.
const NEG_BEFORE = [
  'no',
  'not',
  'without',
  'denies',
  'denied',
  'deny',
  'negative for',
  'no evidence of',
  'no sign of',
  'no signs of',
  'absence of',
  'free of',
  'ruled out',
  'rule out of',
  'excluded',
  'neither',
  'nor',
];
const NEG_AFTER = [
  'ruled out',
  'was ruled out',
  'were ruled out',
  'was excluded',
  'were excluded',
  'not present',
  'is absent',
  'was absent',
  'were absent',
  'was negative',
  'were negative',
  'not observed',
  'not seen',
  'not detected',
  'unlikely',
];
const UNCERTAIN_BEFORE = [
  'possible',
  'possibly',
  'probable',
  'probably',
  'suspected',
  'suspicion of',
  'suspect',
  'likely',
  'questionable',
  'rule out',
  'r o',
  'compatible with',
  'consistent with',
  'suggestive of',
  'suggesting',
  'presumed',
  'presumptive',
  'differential diagnosis',
];
const UNCERTAIN_AFTER = ['was suspected', 'is suspected', 'suspected', 'cannot be excluded', 'not excluded', 'could not be ruled out'];
const HISTORY_BEFORE = [
  'history of',
  'h o',
  'hx of',
  'personal history of',
  'past history of',
  'past medical history of',
  'previous history of',
  'antecedent of',
  'antecedents of',
];
const FAMILY_WORDS = new Set([
  'mother',
  'father',
  'brother',
  'sister',
  'sibling',
  'siblings',
  'grandmother',
  'grandfather',
  'aunt',
  'uncle',
  'cousin',
  'parents',
  'maternal',
  'paternal',
]);
/** Words that end a trigger's reach (NegEx termination terms). */
const TERMINATORS = new Set([
  'but',
  'however',
  'although',
  'though',
  'except',
  'apart',
  'which',
  'who',
  'whereas',
  'while',
  'yet',
  'presents',
  'presented',
  'showed',
  'shows',
  'revealed',
  'reveals',
]);
const SCOPE = 6;

const SECTION_WEIGHTS: [RegExp, number][] = [
  [/^\s*(assessment|impression|diagnos[ie]s|final diagnosis|discharge diagnosis|a\/p|assessment and plan)\b/i, 1.15],
  [/^\s*(plan)\b/i, 1.05],
  [/^\s*(past medical history|pmh|medical history|history|past history|background)\b/i, 0.9],
  [/^\s*(family history|fh)\b/i, 1],
];

function phraseAt(tokens: Token[], i: number, phrase: string[]): boolean {
  for (let k = 0; k < phrase.length; k++) {
    const t = tokens[i + k];
    if (!t || t.lower !== phrase[k] || (k > 0 && t.sentence !== tokens[i]?.sentence)) return false;
  }
  return true;
}

const split = (list: string[]): string[][] => list.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);
const NEG_B = split(NEG_BEFORE);
const NEG_A = split(NEG_AFTER);
const UNC_B = split(UNCERTAIN_BEFORE);
const UNC_A = split(UNCERTAIN_AFTER);
const HIST_B = split(HISTORY_BEFORE);

/** Marks `flag` on up to SCOPE content words after (dir 1) or before (dir -1) a trigger, within its sentence and clause. */
function mark(
  tokens: Token[],
  ctx: TokenContext[],
  from: number,
  dir: 1 | -1,
  flag: 'negated' | 'uncertain' | 'history' | 'family',
  text: string,
): void {
  const sentence = tokens[from]?.sentence;
  let content = 0;
  for (let i = from; i >= 0 && i < tokens.length; i += dir) {
    const t = tokens[i];
    const c = ctx[i];
    if (!t || !c || t.sentence !== sentence || TERMINATORS.has(t.lower)) break;
    if (dir === 1 && i > from && /[,:]/.test(text.slice(tokens[i - 1]?.end ?? 0, t.start)) && flag !== 'family' && content >= 3) break;
    if (dir === -1 && i < from && /[,:]/.test(text.slice(t.end, tokens[i + 1]?.start ?? 0)) && content >= 1) break;
    c[flag] = true;
    if (t.stem !== null && ++content >= SCOPE && flag !== 'family') break;
  }
}

/** The context of every word of a tokenised note (same order as `tokens`). */
export function readContext(text: string, tokens: Token[]): TokenContext[] {
  const ctx: TokenContext[] = tokens.map(() => ({ negated: false, uncertain: false, history: false, family: false, section: 1 }));
  let sectionWeight = 1;
  let lastLine = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    const lineStart = text.lastIndexOf('\n', t.start) + 1;
    if (lineStart !== lastLine) {
      lastLine = lineStart;
      const line = text.slice(lineStart, text.indexOf('\n', lineStart) < 0 ? undefined : text.indexOf('\n', lineStart));
      const header = SECTION_WEIGHTS.find(([re]) => re.test(line) && /^[^.]{0,40}:/.test(line));
      if (header) sectionWeight = header[1];
      if (/^\s*(family history|fh)\s*:/i.test(line))
        for (let k = i; k < tokens.length && (tokens[k]?.start ?? 0) < lineStart + line.length; k++) (ctx[k] as TokenContext).family = true;
    }
    (ctx[i] as TokenContext).section = sectionWeight;
    const after = (list: string[][], flag: 'negated' | 'uncertain' | 'history'): void => {
      const p = list.find((ph) => phraseAt(tokens, i, ph));
      if (p) mark(tokens, ctx, i + p.length, 1, flag, text);
    };
    const before = (list: string[][], flag: 'negated' | 'uncertain'): void => {
      const p = list.find((ph) => phraseAt(tokens, i, ph));
      if (p) mark(tokens, ctx, i - 1, -1, flag, text);
    };
    after(NEG_B, 'negated');
    before(NEG_A, 'negated');
    after(UNC_B, 'uncertain');
    before(UNC_A, 'uncertain');
    after(HIST_B, 'history');
    if (phraseAt(tokens, i, ['family', 'history']) || FAMILY_WORDS.has(t.lower)) {
      mark(tokens, ctx, i, 1, 'family', text);
      mark(tokens, ctx, i, -1, 'family', text);
    }
  }
  return ctx;
}

export type Laterality = 'right' | 'left' | 'bilateral';
/** The side named in the words around a phrase (same sentence, up to 4 words before or after), if any. */
export function lateralityNear(tokens: Token[], from: number, to: number): Laterality | undefined {
  const sentence = tokens[from]?.sentence;
  const found = new Set<Laterality>();
  for (let i = Math.max(0, from - 4); i <= Math.min(tokens.length - 1, to + 4); i++) {
    const t = tokens[i];
    if (!t || t.sentence !== sentence) continue;
    if (t.lower === 'right') found.add('right');
    else if (t.lower === 'left') found.add('left');
    else if (t.lower === 'bilateral' || t.lower === 'bilaterally' || t.lower === 'both') found.add('bilateral');
  }
  if (found.has('bilateral') || (found.has('right') && found.has('left'))) return 'bilateral';
  return found.has('right') ? 'right' : found.has('left') ? 'left' : undefined;
}

/** The 7th character of an injury code the sentence implies (I.C.19.a): subsequent care D, sequela S, else initial A. */
export function encounterNear(tokens: Token[], from: number): 'A' | 'D' | 'S' {
  const sentence = tokens[from]?.sentence;
  for (const t of tokens) {
    if (t.sentence !== sentence) continue;
    if (t.lower === 'sequela' || t.lower === 'sequelae' || t.lower === 'late') return 'S';
    if (t.lower === 'subsequent' || t.lower === 'healing' || t.lower === 'follow') return 'D';
  }
  return 'A';
}
