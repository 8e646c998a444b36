/**
 * Written clinical text -> the words a physician says when dictating it: lower case, numbers spelled out
 * ("65-year-old" -> "sixty five year old", "2.5" -> "two point five", "120/80" -> "one twenty over eighty"),
 * units and symbols said in full ("mg" -> "milligrams", "%" -> "percent"), one sentence per list.
 */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** An integer 0..999999 in words ("one hundred twenty three"); digits one by one beyond that. */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999999)
    return String(n)
      .split('')
      .map((d) => ONES[Number(d)] ?? '')
      .join(' ')
      .trim();
  if (n < 20) return ONES[n] as string;
  if (n < 100) return `${TENS[Math.floor(n / 10)] as string}${n % 10 ? ` ${ONES[n % 10] as string}` : ''}`;
  if (n < 1000) return `${ONES[Math.floor(n / 100)] as string} hundred${n % 100 ? ` ${numberToWords(n % 100)}` : ''}`;
  return `${numberToWords(Math.floor(n / 1000))} thousand${n % 1000 ? ` ${numberToWords(n % 1000)}` : ''}`;
}

/** A number as dictated: "2.5" -> "two point five", "0.9" -> "zero point nine", "140" -> "one hundred forty". */
export function spokenNumber(text: string): string {
  const [int, frac] = text.split('.');
  const whole = numberToWords(Number(int === '' ? '0' : int));
  return frac === undefined || frac === ''
    ? whole
    : `${whole} point ${frac
        .split('')
        .map((d) => ONES[Number(d)] ?? '')
        .join(' ')}`;
}

/** Units and symbols as said. Keys are lower-case tokens. */
const SAID: Record<string, string> = {
  mg: 'milligrams',
  mcg: 'micrograms',
  g: 'grams',
  kg: 'kilograms',
  ml: 'milliliters',
  l: 'liters',
  cm: 'centimeters',
  mm: 'millimeters',
  mmhg: 'millimeters of mercury',
  bpm: 'beats per minute',
  iu: 'units',
  meq: 'milliequivalents',
  dl: 'deciliter',
  mmol: 'millimoles',
  yo: 'year old',
  'y/o': 'year old',
  bid: 'twice a day',
  tid: 'three times a day',
  qid: 'four times a day',
  prn: 'as needed',
  po: 'by mouth',
  iv: 'i v',
  im: 'i m',
  '%': 'percent',
  '&': 'and',
  '+': 'plus',
  '=': 'equals',
  '°c': 'degrees celsius',
  '°f': 'degrees fahrenheit',
  '°': 'degrees',
  'dr.': 'doctor',
  dr: 'doctor',
  vs: 'versus',
  approx: 'approximately',
  pt: 'patient',
  pts: 'patients',
  x: 'times',
};

/** Blood pressure and similar "a/b" readings: "120/80" -> "one twenty over eighty". */
function spokenRatio(a: string, b: string): string {
  const n = Number(a);
  const first = n >= 100 && n < 200 && n % 100 >= 10 ? `one ${numberToWords(n % 100)}` : numberToWords(n);
  return `${first} over ${numberToWords(Number(b))}`;
}

/** Splits text into sentences (. ; : ? ! and line ends, not decimal points or "Dr.") of spoken words. */
export function spokenSentences(text: string): string[][] {
  const sentences: string[][] = [];
  const prepared = text
    .replace(/\b(dr|mr|mrs|ms|vs|approx|no)\./gi, '$1 ')
    .replace(/(\d),(\d{3})\b/g, '$1$2')
    .replace(/(\d)\.(?!\d)/g, '$1 .');
  for (const part of prepared.split(/[.;:?!\n]+(?:\s|$)|\n/)) {
    const words = spokenWords(part);
    if (words.length > 0) sentences.push(words);
  }
  return sentences;
}

/** One piece of text as spoken words (no sentence split). */
export function spokenWords(text: string): string[] {
  const words: string[] = [];
  const tokens = text
    .toLowerCase()
    .replace(/[\u2019`´]/g, "'")
    .replace(/([a-z])\/([a-z])/g, '$1 per $2')
    .replace(/(\d+)\s*\/\s*(\d+)/g, (_m, a: string, b: string) => ` ${spokenRatio(a, b)} `)
    .replace(/(\d)([a-z%°])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .split(/[\s\-–—(),"[\]{}<>*#@$^~|\\/]+/);
  for (const token of tokens) {
    if (token === '') continue;
    const said = SAID[token];
    if (said !== undefined) {
      words.push(...said.split(' '));
      continue;
    }
    if (/^\d+(\.\d+)?$/.test(token)) {
      words.push(...spokenNumber(token).split(' '));
      continue;
    }
    for (const w of token.replace(/[^a-z'%°]+/g, ' ').split(' ')) {
      const clean = w.replace(/^'+|'+$/g, '');
      if (clean === '') continue;
      const s = SAID[clean];
      if (s !== undefined) words.push(...s.split(' '));
      else if (/^[a-z]+('[a-z]+)?$/.test(clean) && clean.length <= 30) words.push(clean);
    }
  }
  return words;
}
