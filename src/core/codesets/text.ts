/**
 * Tokenising, stemming and query expansion shared by indexing and search: word order free, Porter stems
 * (`stemmer`), clinical abbreviations expanded to the words the classification uses, and synonym groups.
 */
import { stemmer } from 'stemmer';

const STOP = new Set([
  'a',
  'an',
  'and',
  'or',
  'of',
  'the',
  'in',
  'on',
  'to',
  'for',
  'by',
  'with',
  'w',
  'from',
  'at',
  'as',
  'is',
  'due',
  'nos',
  'other',
]);

/** Lower-case words of a text (diacritics dropped, punctuation splits words). */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

const stemCache = new Map<string, string>();
/** Porter stem of one lower-case word (numbers unchanged). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) && word.length > 2 ? stemmer(word) : word;
    stemCache.set(word, s);
  }
  return s;
}

/** Stems that say "default" rather than add meaning; they do not count against a document's brevity. */
export const GENERIC_STEMS = new Set([
  'unspecifi',
  'site',
  'not',
  'specifi',
  'nec',
  'type',
  'encount',
  'initi',
  'unintent',
  'elsewher',
  'classifi',
]);

/**
 * Words the Index leaves to the tabular (laterality, closed/displaced fracture): optional like the default words,
 * and they pick among a subcategory's codes.
 */
export const TABULAR_STEMS = new Set(['right', 'left', 'bilater', 'unilater', 'close', 'displac', 'nondisplac']);

/** Stems of the indexable words of a text (stop words removed). */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOP.has(w)) out.push(stem(w));
  return out;
}

/** Clinical abbreviations coders type, expanded to the classification's words (both code sets). */
const CM_ABBREVIATIONS: Record<string, string> = {
  chf: 'congestive heart failure',
  hf: 'heart failure',
  aki: 'acute kidney failure',
  arf: 'acute kidney failure',
  copd: 'chronic obstructive pulmonary disease',
  mi: 'myocardial infarction',
  ami: 'acute myocardial infarction',
  uti: 'urinary tract infection',
  uri: 'upper respiratory infection',
  dvt: 'deep vein thrombosis',
  pe: 'pulmonary embolism',
  mrsa: 'methicillin resistant staphylococcus aureus',
  mssa: 'methicillin susceptible staphylococcus aureus',
  afib: 'atrial fibrillation',
  af: 'atrial fibrillation',
  aflutter: 'atrial flutter',
  htn: 'hypertension',
  dm: 'diabetes mellitus',
  dm1: 'type 1 diabetes mellitus',
  dm2: 'type 2 diabetes mellitus',
  t1dm: 'type 1 diabetes mellitus',
  t2dm: 'type 2 diabetes mellitus',
  iddm: 'type 1 diabetes mellitus',
  niddm: 'type 2 diabetes mellitus',
  esrd: 'end stage renal disease',
  ckd: 'chronic kidney disease',
  gerd: 'gastro esophageal reflux disease',
  cad: 'coronary artery disease',
  ascvd: 'atherosclerotic heart disease',
  cva: 'cerebral infarction',
  tia: 'transient ischemic attack',
  sob: 'shortness of breath',
  osa: 'obstructive sleep apnea',
  bph: 'benign prostatic hyperplasia',
  pna: 'pneumonia',
  hld: 'hyperlipidemia',
  ra: 'rheumatoid arthritis',
  oa: 'osteoarthritis',
  ards: 'acute respiratory distress syndrome',
  sirs: 'systemic inflammatory response syndrome',
  dka: 'diabetic ketoacidosis',
  hhs: 'hyperosmolar',
  ibs: 'irritable bowel syndrome',
  ibd: 'inflammatory bowel disease',
  pud: 'peptic ulcer',
  gi: 'gastrointestinal',
  gib: 'gastrointestinal hemorrhage',
  ugib: 'upper gastrointestinal hemorrhage',
  svt: 'supraventricular tachycardia',
  vtach: 'ventricular tachycardia',
  vt: 'ventricular tachycardia',
  pvd: 'peripheral vascular disease',
  pad: 'peripheral arterial disease',
  hiv: 'human immunodeficiency virus',
  ptsd: 'post traumatic stress disorder',
  adhd: 'attention deficit hyperactivity disorder',
  mdd: 'major depressive disorder',
  ocd: 'obsessive compulsive disorder',
  fx: 'fracture',
  flu: 'influenza',
  strep: 'streptococcal',
  hx: 'history',
  abd: 'abdominal',
  ams: 'altered mental status',
  loc: 'loss of consciousness',
  lbp: 'low back pain',
};

/** Procedure vocabulary for ICD-10-PCS: surgical names and approaches to root operations and PCS approach values. */
const PCS_ABBREVIATIONS: Record<string, string> = {
  laparoscopic: 'percutaneous endoscopic',
  laparoscopy: 'percutaneous endoscopic',
  lap: 'percutaneous endoscopic',
  arthroscopic: 'percutaneous endoscopic',
  thoracoscopic: 'percutaneous endoscopic',
  endoscopic: 'endoscopic',
  cholecystectomy: 'resection gallbladder',
  appendectomy: 'resection appendix',
  appendicectomy: 'resection appendix',
  hysterectomy: 'resection uterus',
  splenectomy: 'resection spleen',
  nephrectomy: 'resection kidney',
  thyroidectomy: 'resection thyroid gland',
  prostatectomy: 'resection prostate',
  tonsillectomy: 'resection tonsils',
  gastrectomy: 'resection stomach',
  colectomy: 'resection colon',
  mastectomy: 'resection breast',
  oophorectomy: 'resection ovary',
  salpingectomy: 'resection fallopian tube',
  pneumonectomy: 'resection lung',
  cabg: 'bypass coronary artery open',
  ptca: 'dilation coronary artery',
  pci: 'dilation coronary artery',
  angioplasty: 'dilation',
  stent: 'intraluminal device',
  arthroplasty: 'replacement joint',
  tka: 'replacement knee joint',
  tkr: 'replacement knee joint',
  tha: 'replacement hip joint',
  thr: 'replacement hip joint',
  total: '',
  cesarean: 'extraction products of conception',
  csection: 'extraction products of conception',
  colonoscopy: 'inspection lower intestinal tract endoscopic',
  egd: 'inspection upper intestinal tract endoscopic',
  esophagogastroduodenoscopy: 'inspection upper intestinal tract endoscopic',
  bronchoscopy: 'inspection tracheobronchial tree endoscopic',
  cystoscopy: 'inspection bladder endoscopic',
  hemodialysis: 'performance urinary filtration',
  dialysis: 'performance urinary filtration',
  mechanical: '',
  amputation: 'detachment',
  debridement: 'excision',
  biopsy: 'excision diagnostic',
  intubation: 'insertion endotracheal airway',
  ventilation: 'performance respiratory ventilation',
  ecmo: 'extracorporeal oxygenation membrane',
  transfusion: 'transfusion',
};

/** Word-level synonyms: any one of a group matches. */
const SYNONYM_GROUPS: string[][] = [
  ['kidney', 'renal'],
  ['heart', 'cardiac'],
  ['lung', 'pulmonary'],
  ['liver', 'hepatic'],
  ['stomach', 'gastric'],
  ['brain', 'cerebral'],
  ['cancer', 'malignant', 'carcinoma'],
  ['tumor', 'tumour', 'neoplasm'],
  ['broken', 'fracture'],
  ['bleed', 'bleeding', 'hemorrhage', 'haemorrhage'],
  ['anemia', 'anaemia'],
  ['esophagus', 'esophageal', 'oesophagus'],
  ['diarrhea', 'diarrhoea'],
  ['vein', 'venous'],
  ['artery', 'arterial'],
  ['infarct', 'infarction'],
  ['pregnancy', 'pregnant', 'gestation'],
  ['baby', 'newborn', 'neonatal'],
  ['overdose', 'poisoning'],
  ['sacrum', 'sacral'],
  ['femur', 'femoral'],
  ['tibia', 'tibial'],
  ['humerus', 'humeral'],
  ['urine', 'urinary'],
  ['skin', 'cutaneous'],
  ['chest', 'thoracic', 'thorax'],
  ['spine', 'spinal', 'vertebral'],
  ['uterus', 'uterine'],
  ['eye', 'ocular'],
  ['nose', 'nasal'],
  ['mouth', 'oral'],
  ['bladder', 'vesical'],
  ['belly', 'abdominal', 'abdomen'],
];
const SYNONYMS = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) {
  const stems = [...new Set(group.map(stem))];
  for (const s of stems) SYNONYMS.set(s, stems);
}

/** One required query term: a document matches it when it contains any of the alternatives (stems). */
export interface QueryTerm {
  word: string;
  alternatives: string[];
  /** The last word of a query typed without a trailing space also matches longer words it begins (search as you type). */
  prefix: boolean;
  /**
   * A word that says "default" ("unspecified", "NEC", "initial encounter"): it need not match (the Index's default
   * code is not worded "unspecified"), but a document that has it still scores higher.
   */
  optional: boolean;
}

/** The noun a clinical adjective is indexed under: "pleural" -> pleura, "urinary" -> urine. */
function nounStems(word: string): string[] {
  if (word.length > 6 && word.endsWith('al')) return [stem(word.slice(0, -1)), stem(word.slice(0, -2))];
  if (word.length > 6 && word.endsWith('ary')) return [stem(`${word.slice(0, -3)}e`)];
  return [];
}

/** Turns a free-text query into required terms, expanding abbreviations for the code system searched. */
export function parseQuery(query: string, system: 'cm' | 'pcs'): QueryTerm[] {
  let q = query
    .replace(/\ba[\s-]?fib\b/gi, 'afib')
    .replace(/\bc[\s-]section\b/gi, 'csection')
    .replace(/\bstrep throat\b/gi, 'streptococcal pharyngitis')
    .replace(/\bheart attack\b/gi, 'myocardial infarction')
    .replace(/\bc\.?\s?diff(?:icile)?\b/gi, 'clostridium difficile');
  // Index: "Metastasis, metastatic - to specified site - see Neoplasm, secondary, by site": "metastatic cancer to
  // lung" is the Neoplasm table's lung row, Malignant Secondary column.
  if (system === 'cm')
    q = q.replace(
      /\b(?:metastatic|metastasis|metastases|mets)\s+(?:(?:cancer|carcinoma|disease|tumou?r)\s+)?(?:to|in)\s+(?:the\s+)?/gi,
      'secondary malignant neoplasm of ',
    );
  // "knee replacement" is a joint replacement in PCS (body part "Knee Joint"), not a tendon or a surface.
  if (system === 'pcs') q = q.replace(/\b(knee|hip|shoulder|ankle|elbow|wrist)\s+(replacement|arthroplasty)\b/gi, '$1 joint $2');
  const raw = words(q);
  const expanded: { word: string; fromAbbreviation: boolean }[] = [];
  for (const w of raw) {
    const exp = (system === 'pcs' ? PCS_ABBREVIATIONS[w] : undefined) ?? CM_ABBREVIATIONS[w];
    if (exp !== undefined && (raw.length > 1 || exp !== '')) {
      for (const e of words(exp)) expanded.push({ word: e, fromAbbreviation: true });
    } else expanded.push({ word: w, fromAbbreviation: false });
  }
  const typing = !/\s$/.test(query);
  const terms: QueryTerm[] = [];
  expanded.forEach(({ word, fromAbbreviation }, i) => {
    if (STOP.has(word)) return;
    const s = stem(word);
    if (terms.some((t) => t.alternatives[0] === s)) return;
    terms.push({
      word,
      alternatives: [...new Set([s, ...(SYNONYMS.get(s) ?? []), ...nounStems(word)])],
      prefix: typing && !fromAbbreviation && i === expanded.length - 1 && word.length >= 3 && /^[a-z]+$/.test(word),
      optional: GENERIC_STEMS.has(s) || TABULAR_STEMS.has(s),
    });
  });
  // A query of default words only ("unspecified") still needs them.
  if (terms.every((t) => t.optional)) for (const t of terms) t.optional = false;
  return terms;
}

/** Columns of the Table of Drugs and Chemicals, in the order of the official file. */
export const DRUG_COLUMNS = ['accidental', 'self-harm', 'assault', 'undetermined', 'adverse effect', 'underdosing'] as const;

/** What a query says about a poisoning or an injury beyond the condition itself. */
export interface Circumstances {
  /** Drug table column (index into DRUG_COLUMNS) when the query names the intent or effect. */
  column: number | undefined;
  /** The query speaks of poisoning, adverse effect, underdosing or toxic effect (or names an intent). */
  drug: boolean;
  /** 7th character group of the encounter named: initial (A), subsequent (D), sequela (S). */
  encounter: 'A' | 'D' | 'S' | undefined;
  /** The query without the intent, effect and encounter wording: the substance or condition. */
  rest: string;
}

const INTENTS: [RegExp, number][] = [
  [/\badverse\s+(?:effects?|reactions?)\b|\bside\s+effects?\b/g, 4],
  [/\bunder[\s-]?dos(?:e|ed|ing|age)\b/g, 5],
  [/\b(?:intentional(?:ly)?\s+)?self[\s-]?(?:harm|inflicted|poisoning)\b|\bsuicid(?:e|al)(?:\s+attempt)?\b|\bintentional(?:ly)?\b/g, 1],
  [/\bassault(?:ed)?\b|\bhomicid(?:e|al)(?:\s+attempt)?\b/g, 2],
  [/\bundetermined(?:\s+intent)?\b/g, 3],
  [/\baccidental(?:ly)?\b|\bunintentional(?:ly)?\b|\baccident\b/g, 0],
];
const DRUG_WORDS = /\b(?:poisoning|poisoned|poison|overdose[ds]?|od|toxic\s+effects?|toxicity|intoxication|ingestion|ingested)\b/g;

/** Reads intent (accidental, self-harm, assault, undetermined; adverse effect, underdosing) and encounter words. */
export function parseCircumstances(query: string): Circumstances {
  let rest = ` ${query.toLowerCase()} `;
  let column: number | undefined;
  for (const [re, col] of INTENTS) {
    if (rest.search(re) >= 0) column ??= col;
    rest = rest.replace(re, ' ');
  }
  const drug = column !== undefined || rest.search(DRUG_WORDS) >= 0;
  rest = rest.replace(DRUG_WORDS, ' ');
  let encounter: Circumstances['encounter'];
  const enc: [RegExp, 'A' | 'D' | 'S'][] = [
    [/\b(?:initial|first)(?:\s+encounter)?\b/g, 'A'],
    [/\bsubsequent(?:\s+encounter)?\b|\bfollow[\s-]?up\s+encounter\b/g, 'D'],
    [/\bsequelae?\b|\blate\s+effects?\b/g, 'S'],
  ];
  for (const [re, letter] of enc) {
    if (rest.search(re) >= 0) encounter ??= letter;
    rest = rest.replace(re, ' ');
  }
  rest = rest
    .replace(/\b(?:encounter|by|of|from|due to|with|for)\b/g, ' ')
    .replace(/[,;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { column, drug, encounter, rest };
}

/** 7th characters that mean each encounter (fractures: B/C open, E-H/J/K/M/N/P/Q/R healing states). */
export const ENCOUNTER_CHARS: Record<'A' | 'D' | 'S', string> = { A: 'ABC', D: 'DEFGHJKMNPQR', S: 'S' };
