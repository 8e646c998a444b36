/**
 * Pronunciations for the model's words: the CMU Pronouncing Dictionary (as Debian's pocketsphinx-en-us ships it)
 * first; a word it lacks gets espeak-ng's phonemes (`espeak-ng -q -x`) mapped to the CMU phone set; without
 * espeak-ng, a letter-to-sound rule fallback.
 */
import { readFile } from 'node:fs/promises';
import { runProgram } from '../process.js';

/** word -> its pronunciations (CMU phones without stress), in dictionary order. */
export type Lexicon = Map<string, string[]>;

/** Reads a CMU-format dictionary (`word PH PH`, alternates `word(2) PH PH`). */
export async function readLexicon(path: string): Promise<Lexicon> {
  return parseLexicon(await readFile(path, 'utf8'));
}

export function parseLexicon(text: string): Lexicon {
  const lex: Lexicon = new Map();
  for (const line of text.split('\n')) {
    const m = /^(\S+?)(?:\(\d+\))?\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const word = m[1] as string;
    const phones = (m[2] as string).replace(/#.*$/, '').trim();
    const list = lex.get(word) ?? [];
    if (!list.includes(phones)) list.push(phones);
    lex.set(word, list);
  }
  return lex;
}

/**
 * espeak-ng's English phoneme mnemonics (ph_english, `-x` output) -> CMU phones. Length marks and stress are
 * dropped before the lookup; a symbol not listed is tried as a sequence of listed ones.
 */
const ESPEAK_TO_CMU: Record<string, string> = {
  '@': 'AH',
  '@2': 'AH',
  '@5': 'AH',
  '@L': 'AH L',
  '@r': 'ER',
  '3': 'ER',
  '3:': 'ER',
  a: 'AE',
  aa: 'AA',
  'a#': 'AH',
  a2: 'AH',
  'A:': 'AA',
  A: 'AA',
  'A@': 'AA R',
  'A:r': 'AA R',
  E: 'EH',
  E2: 'EH',
  'e@': 'EH R',
  eI: 'EY',
  i: 'IY',
  'i:': 'IY',
  'i@': 'IY R',
  'i@3': 'IY R',
  I: 'IH',
  I2: 'IH',
  'I#': 'IH',
  '0': 'AA',
  O: 'AO',
  'O:': 'AO',
  'O@': 'AO R',
  'o@': 'AO R',
  OI: 'OY',
  oU: 'OW',
  o: 'OW',
  U: 'UH',
  'u:': 'UW',
  u: 'UW',
  'U@': 'UH R',
  V: 'AH',
  aI: 'AY',
  'aI@': 'AY ER',
  aI3: 'AY ER',
  aU: 'AW',
  'aU@': 'AW ER',
  p: 'P',
  b: 'B',
  t: 'T',
  d: 'D',
  k: 'K',
  g: 'G',
  f: 'F',
  v: 'V',
  T: 'TH',
  D: 'DH',
  s: 'S',
  z: 'Z',
  S: 'SH',
  Z: 'ZH',
  h: 'HH',
  m: 'M',
  n: 'N',
  N: 'NG',
  l: 'L',
  r: 'R',
  w: 'W',
  j: 'Y',
  tS: 'CH',
  dZ: 'JH',
  't#': 'T',
  'd#': 'D',
  'n-': 'AH N',
  'l-': 'AH L',
  'm-': 'AH M',
  'r-': 'R',
  x: 'K',
  C: 'HH',
  W: 'W',
  y: 'UW',
  Y: 'UW',
  'ju:': 'Y UW',
  'I@': 'IY R',
  e: 'EH',
  '?': '',
};
const SYMBOLS = Object.keys(ESPEAK_TO_CMU).sort((a, b) => b.length - a.length);

/** One espeak-ng `-x --sep=_` phoneme string as CMU phones; undefined when a symbol cannot be read. */
export function espeakToCmu(espeak: string): string | undefined {
  const phones: string[] = [];
  for (const raw of espeak.trim().split(/[_\s]+/)) {
    let sym = raw.replace(/['",%=;!|]/g, '');
    while (sym !== '') {
      const exact = ESPEAK_TO_CMU[sym] !== undefined ? sym : SYMBOLS.find((s) => sym.startsWith(s));
      if (exact === undefined) return undefined;
      const cmu = ESPEAK_TO_CMU[exact] as string;
      if (cmu !== '') phones.push(...cmu.split(' '));
      sym = sym.slice(exact.length);
    }
  }
  // "o@" + "r" both give R (`AO R R`): a phone twice in a row is one phone.
  const merged = phones.filter((p, i) => p !== phones[i - 1]);
  return merged.length > 0 ? merged.join(' ') : undefined;
}

/**
 * Pronunciations of `words` by espeak-ng (one process for all of them, US English voice). Words it cannot voice
 * are left out; rejects when espeak-ng is not installed.
 */
export async function espeakPronunciations(
  words: readonly string[],
  options: { program?: string; signal?: AbortSignal } = {},
): Promise<Lexicon> {
  const lex: Lexicon = new Map();
  const batch = 2000;
  for (let i = 0; i < words.length; i += batch) {
    const chunk = words.slice(i, i + batch);
    // One word per line, each ended by a full stop so espeak-ng keeps lines apart.
    const input = Buffer.from(chunk.map((w) => `${w}.`).join('\n') + '\n', 'utf8');
    const result = await runProgram(options.program ?? 'espeak-ng', ['-q', '-v', 'en-us', '-x', '--sep=_'], {
      input,
      signal: options.signal,
    });
    if (result.code !== 0) throw new Error(`espeak-ng failed: ${result.stderr.trim()}`);
    const lines = result.stdout
      .toString('utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (lines.length !== chunk.length) {
      // Line structure lost (espeak-ng joined or split a line): voice the chunk word by word.
      for (const w of chunk) {
        const one = await runProgram(options.program ?? 'espeak-ng', ['-q', '-v', 'en-us', '-x', '--sep=_', w], { signal: options.signal });
        const cmu = espeakToCmu(one.stdout.toString('utf8'));
        if (cmu) lex.set(w, [cmu]);
      }
      continue;
    }
    chunk.forEach((w, j) => {
      const cmu = espeakToCmu(lines[j] ?? '');
      if (cmu) lex.set(w, [cmu]);
    });
  }
  return lex;
}

/** Crude letter-to-sound rules for when espeak-ng is absent: digraphs first, then one phone per letter. */
const LETTER_RULES: [string, string][] = [
  ['tion', 'SH AH N'],
  ['sion', 'ZH AH N'],
  ['ph', 'F'],
  ['th', 'TH'],
  ['sh', 'SH'],
  ['ch', 'K'],
  ['ck', 'K'],
  ['qu', 'K W'],
  ['ee', 'IY'],
  ['ea', 'IY'],
  ['oo', 'UW'],
  ['ou', 'AW'],
  ['ai', 'EY'],
  ['ay', 'EY'],
  ['oi', 'OY'],
  ['au', 'AO'],
  ['ng', 'NG'],
  ['a', 'AE'],
  ['b', 'B'],
  ['c', 'K'],
  ['d', 'D'],
  ['e', 'EH'],
  ['f', 'F'],
  ['g', 'G'],
  ['h', 'HH'],
  ['i', 'IH'],
  ['j', 'JH'],
  ['k', 'K'],
  ['l', 'L'],
  ['m', 'M'],
  ['n', 'N'],
  ['o', 'AA'],
  ['p', 'P'],
  ['q', 'K'],
  ['r', 'R'],
  ['s', 'S'],
  ['t', 'T'],
  ['u', 'AH'],
  ['v', 'V'],
  ['w', 'W'],
  ['x', 'K S'],
  ['y', 'IY'],
  ['z', 'Z'],
];

export function ruleBasedPronunciation(word: string): string | undefined {
  const phones: string[] = [];
  let rest = word.toLowerCase().replace(/[^a-z]/g, '');
  while (rest !== '') {
    const rule = LETTER_RULES.find(([g]) => rest.startsWith(g));
    if (!rule) break;
    const last = phones.at(-1);
    for (const p of rule[1].split(' ')) if (p !== last) phones.push(p);
    rest = rest.slice(rule[0].length);
  }
  return phones.length > 0 ? phones.join(' ') : undefined;
}
