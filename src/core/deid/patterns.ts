/**
 * Pattern detectors for the identifiers of HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i), that have a written form:
 * dates (C), ages over 89 (C), geographic subdivisions and ZIP codes (B), telephone (D) and fax (E) numbers,
 * e-mail (F), SSN (G), MRN (H), health plan (I), account (J), certificate/licence (K), vehicle (L), device (M),
 * URL (N), IP address (O), biometric (P), photographs (Q, as image file names) and other unique numbers (R).
 * Names (A) are found by `names.ts`. Each detector returns spans; `text.rules.ts` merges them.
 */
import type { PhiCategory, PhiSpan } from './types.js';

type Push = (start: number, end: number, category: PhiCategory) => void;

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|' +
  'JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEP(?:T(?:EMBER)?)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)';
const ORD = '(?:st|nd|rd|th)?';

/** US states and territories (postal codes and names): a ZIP code follows them in an address. */
const STATE_CODES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|AS|MP';
const STATE_NAMES =
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico';
const STATE = `(?:${STATE_CODES}|${STATE_NAMES})`;

const STREET_TYPES =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Alley|Crescent|Close|Loop|Pike|Row|Walk|Path|Run|Point|Pt|Ridge|Heights|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke';

/** A value after a label: letters/digits with at least one digit. */
const VALUE = '([A-Za-z]{0,4}[-#]?\\d[A-Za-z0-9-]{3,}(?:[./][A-Za-z0-9-]+)*)';
const SEP = '(?![A-Za-z])\\s*(?:(?:No\\.?|Number|num|#|ID|Nbr)\\s*)?[:#=]?\\s*(?:is\\s+)?';

/** Labelled identifiers: label words, then the value (the last group), tagged with the category. */
const LABELLED: readonly [RegExp, PhiCategory][] = [
  [
    new RegExp(`\\b(?:MRN|MR|Med(?:ical)?\\.?\\s*Rec(?:ord)?s?\\.?|Medical\\s+record|Chart|Unit|Hospital|Patient)${SEP}${VALUE}`, 'gi'),
    'MRN',
  ],
  [new RegExp(`\\b(?:Acct|Account|Billing|Encounter|Visit|FIN|HAR|Invoice|Financial)${SEP}${VALUE}`, 'gi'), 'ACCOUNT'],
  [
    new RegExp(
      `\\b(?:Member|Subscriber|Policy|Insurance|Insurer|Medicaid|Medicare|MBI|HICN|Health\\s*plan(?:\\s+beneficiary)?|Beneficiary|Group|Plan|Payer)${SEP}${VALUE}`,
      'gi',
    ),
    'HEALTHPLAN',
  ],
  [
    new RegExp(
      `\\b(?:Driver'?s?\\s+licen[cs]e|Licen[cs]e|Lic\\.?|DEA|Certificate|Cert\\.?|Registration|Board\\s+certification)${SEP}${VALUE}`,
      'gi',
    ),
    'LICENSE',
  ],
  [
    new RegExp(
      `\\b(?:licen[cs]e\\s+plate|plate\\s+(?:number|no\\.?|#)|plate:|VIN)${SEP}((?=[A-Z]*\\d)[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,14})\\b`,
      'gi',
    ),
    'VEHICLE',
  ],
  [
    new RegExp(
      `\\b(?:serial|S/N|SN|device|UDI|implant|pacemaker|generator)(?:\\s+(?:serial|number|no\\.?|identifier|ID|#))*${SEP}(?:\\(01\\))?${VALUE}`,
      'gi',
    ),
    'DEVICE',
  ],
  [
    new RegExp(
      `\\b(?:fingerprint|finger\\s+print|retinal?\\s+scan|iris\\s+scan|voice\\s*print|biometric|palm\\s*print|facial\\s+template)(?:\\s+(?:ID|template|record|identifier|hash))?${SEP}([A-Za-z0-9][A-Za-z0-9-]{3,})`,
      'gi',
    ),
    'BIOMETRIC',
  ],
  [new RegExp(`\\b(?:SSN|SS#|Social\\s+Security(?:\\s+(?:Number|No\\.?|#))?)\\s*[:#]?\\s*(\\d{3}[ -]?\\d{2}[ -]?\\d{4})\\b`, 'gi'), 'SSN'],
  [
    new RegExp(
      `\\b(?:ID|Identifier|Study|Subject|Specimen|Accession|Case|Order|Claim|Requisition|NPI|Employee|Badge|Passport|Enrollment|Participant|Registry|Sample|Tax|EIN|TIN)${SEP}${VALUE}`,
      'gi',
    ),
    'ID',
  ],
];

interface Rule {
  re: RegExp;
  category: PhiCategory;
  /** Index of the capture group that holds the identifier (0: the whole match). */
  group?: number;
  /** A quick test the text must pass before the rule runs (a rule that would scan every position for nothing). */
  need?: RegExp;
  /** Extra check on the match. */
  accept?: (m: RegExpExecArray, text: string) => boolean;
}

const validMonthDay = (a: number, b: number): boolean =>
  (a >= 1 && a <= 12 && b >= 1 && b <= 31) || (b >= 1 && b <= 12 && a >= 1 && a <= 31);

const RULES: readonly Rule[] = [
  { re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, category: 'EMAIL', need: /@/ },
  {
    re: /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"')\]]*[^\s<>"')\].,;:!?]|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|edu|gov|io|info|health|biz|us|uk|ca|au|co|me)\b(?:\/[^\s<>"')\]]*[^\s<>"')\].,;:!?])?/g,
    category: 'URL',
    need: /www\.|:\/\/|\.(?:com|org|net|edu|gov|io|info|health|biz|us|uk|ca|au|co|me)\b/,
  },
  { re: /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b(?!\.\d)/g, category: 'IP' },
  {
    re: /(?<![:\w])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![:\w])|(?<![:\w])(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?(?![:\w])/g,
    category: 'IP',
    need: /[0-9a-fA-F]:[0-9a-fA-F]{0,4}:/,
    accept: (m) => /[0-9a-fA-F]{1,4}:[0-9a-fA-F]{0,4}:/.test(m[0]) && /\d/.test(m[0]),
  },
  { re: /\b\d{3}-\d{2}-\d{4}\b/g, category: 'SSN' },
  // Telephone and fax: North American numbers with any separators and extensions, and international numbers.
  {
    re: /(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?|\+\d{1,3}(?:[\s.-]\(?\d{1,5}\)?){2,5}\b|\b1-8\d\d-[A-Z]{3,4}-?[A-Z0-9]{3,4}\b/g,
    category: 'PHONE',
  },
  {
    re: /\b\d{3}[-.]\d{4}\b(?![-.]\d)/g,
    category: 'PHONE',
    accept: (m, t) =>
      /(?:phone|tel|cell|mobile|fax|call|contact|pager|reach|reached|at|number|#)\W{0,12}$/i.test(
        t.slice(Math.max(0, m.index - 24), m.index),
      ),
  },
  {
    re: /\b\d{10}\b/g,
    category: 'PHONE',
    accept: (m, t) => /(?:phone|tel|cell|mobile|fax|call|contact|pager)\W{0,12}$/i.test(t.slice(Math.max(0, m.index - 20), m.index)),
  },
  // Dates, numeric: 03/14/2021, 3-14-21, 14.03.2021, 2021-03-14, 2021/3/14; 8 digits as YYYYMMDD.
  {
    re: /\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b(?![.-]\d)/g,
    category: 'DATE',
    accept: (m) => validMonthDay(Number(m[1]), Number(m[3])),
  },
  {
    re: /\b(\d{4})([/.-])(\d{1,2})\2(\d{1,2})\b(?!\.\d)/g,
    category: 'DATE',
    accept: (m) => /^(1[89]|20)/.test(m[1] ?? '') && validMonthDay(Number(m[3]), Number(m[4])),
  },
  { re: /\b(?:0?[1-9]|1[0-2])[/-](?:19|20)\d\d\b(?![/-]\d)/g, category: 'DATE' },
  { re: /\b(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b/g, category: 'DATE' },
  // Dates, written: March 14, 2021; Mar. 14th; Sept 3 2020; 14 March 2021; 14-Mar-2021; 14MAR2021; the 3rd of May.
  { re: new RegExp(`\\b${MONTH}\\.?[\\s-]+\\d{1,2}${ORD}\\b(?:,?[\\s-]+(?:\\d{4}|'\\d\\d)\\b)?`, 'g'), category: 'DATE' },
  {
    re: new RegExp(`\\b\\d{1,2}${ORD}(?:[\\s-]+|\\s+of\\s+|-)${MONTH}\\b(?:\\.(?=,?\\s*\\d))?(?:,?[\\s-]+(?:\\d{4}|\\d{2})\\b)?`, 'g'),
    category: 'DATE',
  },
  { re: new RegExp(`\\b\\d{1,2}${MONTH}\\d{2,4}\\b`, 'g'), category: 'DATE' },
  { re: new RegExp(`\\b${MONTH}\\.?,?[\\s-]+(?:of\\s+)?(?:\\d{4}|'\\d\\d)\\b`, 'g'), category: 'DATE' },
  {
    re: /\b(?:in|during|since|early|late|mid|until|by|through|last|next|this|of|before|after)[\s-]+(January|February|March|April|June|July|August|September|October|November|December)\b/g,
    category: 'DATE',
    group: 1,
  },
  { re: /\b(?:Christmas|Thanksgiving|Easter|Halloween|New Year's)(?:\s+(?:Day|Eve))?\s+(?:of\s+)?(?:19|20)\d\d\b/g, category: 'DATE' },
  // Month/day without a year needs a word that announces a date: "on 3/14", "DOB: 3/14".
  {
    re: /\b(?:on|since|from|until|till|by|dated?|DOB|seen|admitted|discharged|born|effective|as of)\s*:?\s*(\d{1,2}\/\d{1,2})\b(?![/\d])/gi,
    category: 'DATE',
    group: 1,
    accept: (m) => {
      const [a, b] = (m[1] ?? '').split('/').map(Number);
      return a !== undefined && b !== undefined && a >= 1 && a <= 12 && b >= 1 && b <= 31;
    },
  },
  // Ages over 89, wherever they stand: "a 93-year-old", "93 yo", "aged 95", "AGE: 93", "93 y/o F", "93M".
  {
    re: /\b(9\d|1[01]\d|120)(?=\s*-?\s*(?:years?|yrs?|yo|y\/o|y\.o\.|y\b|year-old|yr-old|-?year|-yo)\b|\s*y\/o|\s*y\.o\.)/g,
    category: 'AGE',
  },
  {
    re: /\b(?:[Aa]ged?|AGED?)\s*(?:[:=]|is|of)?\s*(9\d|1[01]\d|120)\b(?!\.\d|\s*(?:%|mg|kg|lb|mm|cm|bpm|beats))/g,
    category: 'AGE',
    group: 1,
  },
  {
    re: /\b(?:ninety|one hundred)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|and\s+\w+))?(?=[\s-]+years?)/gi,
    category: 'AGE',
  },
  { re: /\b(?:nonagenarian|centenarian|supercentenarian)\b/gi, category: 'AGE' },
  // Geographic subdivisions smaller than a state: street addresses, PO boxes, city before a state, counties.
  {
    re: new RegExp(
      `\\b\\d{1,6}[A-Z]?(?:-\\d{1,4})?\\s+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?\\s+)?(?:[A-Z0-9][A-Za-z0-9'.-]*\\s+){0,3}(?:${STREET_TYPES})\\b\\.?(?:,?\\s+(?:(?:Apt|Apartment|Suite|Ste|Unit|Room|Rm|Fl|Floor|Bldg|Building)\\.?\\s*#?\\s*|#\\s*)[A-Za-z0-9-]+)?`,
      'g',
    ),
    category: 'ADDRESS',
  },
  { re: /\b(?:P\.?\s?O\.?|Post Office)\s*Box\s+\d+\b/gi, category: 'ADDRESS' },
  { re: new RegExp(`\\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}),\\s+(?=${STATE}\\b\\.?,?\\s+\\d{5}\\b)`, 'g'), category: 'ADDRESS', group: 1 },
  { re: /\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:County|Parish|Borough|Township)\b/g, category: 'ADDRESS' },
  {
    re: /\b(?:lives|living|resides|residing|resident|moved|relocated|born|raised|home)\s+(?:in|at|to|of)\s+((?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+){0,2})/g,
    category: 'ADDRESS',
    group: 1,
    accept: (m) => !new RegExp(`^(?:${STATE_NAMES}|The|A|An|His|Her|Their)$`).test(m[1] ?? ''),
  },
  { re: /\b(?:City|Town|Village|County|Neighbou?rhood|Address|Street|Residence)\s*:\s*([A-Z0-9][^\n,;]*)/g, category: 'ADDRESS', group: 1 },
  // ZIP codes, whole: ZIP+4 anywhere; five digits after a state or a ZIP label.
  { re: /\b\d{5}-\d{4}\b/g, category: 'ZIP' },
  { re: new RegExp(`\\b${STATE}\\b\\.?,?\\s+(\\d{5})\\b`, 'g'), category: 'ZIP', group: 1 },
  {
    re: /\b(?:ZIP|Zip|zip)(?:\s*code)?\s*[:#]?\s*(\d{5}(?:-\d{4})?)\b|\b(?:postal|post)\s+code\s*[:#]?\s*(\d{5})\b/gi,
    category: 'ZIP',
    group: 1,
  },
  // Vehicle identification numbers (17 characters, no I, O, Q; letters and digits).
  { re: /\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b/g, category: 'VEHICLE' },
  // Photographs: image files.
  {
    re: /\b[\w-]+\.(?:jpe?g|png|gif|tiff?|heic|bmp|dcm|webp)\b/gi,
    category: 'PHOTO',
    need: /\.(?:jpe?g|png|gif|tiff?|heic|bmp|dcm|webp)\b/i,
  },
  // Other unique numbers: long digit runs and letter-prefixed numbers.
  { re: /(?<![.,\d])\b\d{7,}\b(?![.,]\d)/g, category: 'ID' },
  { re: /\b[A-Z]{1,4}-?\d{5,}[A-Z0-9]*\b/g, category: 'ID' },
];

/** Adds the spans the pattern detectors find in `text`. */
export function findPatternSpans(text: string, push: Push): void {
  for (const rule of RULES) {
    if (rule.need && !rule.need.test(text)) continue;
    const re = rule.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      if (rule.accept && !rule.accept(m, text)) continue;
      let category = rule.category;
      const g = rule.group ?? 0;
      const value = m[g] ?? m[2] ?? m[0];
      const start = g === 0 ? m.index : m.index + m[0].lastIndexOf(value);
      const end = start + value.length;
      if (category === 'PHONE' && isFax(text, start)) category = 'FAX';
      push(start, end, category);
    }
  }
  for (const [re, category] of LABELLED) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const value = m[m.length - 1] ?? '';
      if ((value.match(/\d/g)?.length ?? 0) < 3 && category !== 'VEHICLE') continue;
      const start = m.index + m[0].length - value.length;
      push(start, start + value.length, category);
    }
  }
}

/** A number is a fax number when "fax" (or "F:") is written before it on its line, after any "phone" word. */
function isFax(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 30), start);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  return lastMatch(line, FAX_WORD) > lastMatch(line, PHONE_WORD);
}
const FAX_WORD = /fax|facsimile|\bF\s*[:#]/gi;
const PHONE_WORD = /phone|\btel\b|cell|mobile|\b[PT]\s*[:#]|call|pager|\bor\b|,/gi;
function lastMatch(s: string, re: RegExp): number {
  re.lastIndex = 0;
  let at = -1;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) at = m.index;
  return at;
}

export type { PhiSpan };
