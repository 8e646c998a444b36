/**
 * Synthetic notes with planted identifiers, for the de-identification benchmark (scripts/bench-deid.ts).
 * Written apart from the de-identifier: its own name lists (many origins, most of them rare), its own formats for
 * every identifier kind, and its own list of clinical phrases that must survive (eponyms included). Seeded.
 */
import type { PhiCategory } from '../src/core/deid/index.js';

export interface Planted {
  start: number;
  end: number;
  category: PhiCategory;
}
export interface SyntheticNote {
  id: string;
  text: string;
  planted: Planted[];
  /** Clinical phrases that must come out unchanged. */
  clinical: { start: number; end: number }[];
}

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const split = (s: string): string[] => s.trim().split(/\s+/);
const GIVEN = split(`
Oluwadamilare Nkechi Chukwuemeka Folasade Thandeka Lwazi Abimbola Kehinde Makena Wanjiru Kofi Efua Yaa Nana Zanele
Bartholomew Millicent Percival Winifred Ebenezer Cordelia Thaddeus Philippa Leopold Henrietta Augustin Rosalind
Xiomara Yolanda Eusebio Guadalupe Itzel Rigoberto Maricela Anselmo Nayeli Osvaldo Dulce Fidel Araceli Heriberto
Nguyet Quynh Thuy Khanh Bao Dung Hanh Tam Vinh Loan Xuan
Yingying Zhiwei Xiulan Guoqiang Meihua Jianhua Shufen Haoran Ruolan
Haruki Ayumi Shinji Emiko Takumi Noriko Ryota Chihiro
Dae-jung Seo-yeon Min-jun Ha-eun Ji-ho
Aarav Ishaan Lakshmanan Vaishnavi Harpreet Gurpreet Sukhwinder Divya Nandini Keshav Radhika Venkatesh Anupama
Abdulrahman Yousef Mahmoud Nasrin Farida Rania Tariq Leila Bashir Samira Walid Habiba
Bogdan Radoslaw Zofia Wojciech Ludmila Yaroslav Oksana Anatoly Milena Dragan Jelena
Siobhan Caoimhe Padraig Ruairi Eilidh Hamish Morag Gwilym Rhiannon Dafydd
Sven Astrid Bjorn Ingeborg Lars Sigrid Matthias Annelie Jurgen Friederike
Keanu Leilani Kai Makoa Tupac Wakanda Ahanu Aiyana Takoda
Jaylen Shaniqua Deshawn Latoya Tremaine Keisha Marquise Tameka
`);
const FAMILY = split(`
Adeyemi-Ogunleye Okwuosa Onyekachi Mbeki Ngcobo Oyelaran Abubakar Osei-Bonsu Kariuki Achterberg Nwachukwu Eze-Okafor
Fairweather Pettigrew Whitcombe Ravenscroft Blackwood Ashworth Thistlewood Haverford Quimby Penhaligon Winterbottom
Villalobos Echeverria Zamudio Arriaga Bustamante Cienfuegos Quintanilla Barrientos Valenzuela Ochoa Montemayor
Truong Huynh Lam Dinh Trinh Mai Ngo Cao Quach
Zhou-Lin Xiong Ouyang Shangguan Yuan Cui Qiao Dong Jiang
Takahashi-Reed Inoue Fujimoto Hasegawa Kurosawa Nishimura Okabe
Seong Baek Hwang Moon Ryu
Venkataraman Subramanian Chattopadhyay Bhattacharya Raghunathan Krishnamurthy Dhillon Sandhu Grewal
Al-Masri El-Sayed Haddadin Barakat Abboud Qasim Farouk Shaheen Nasrallah
Wozniak Grabowski Pawlowski Jankowski Szymanski Dabrowski Kovalenko Shevchenko Bondarenko Petrovic Jovanovic
MacGillivray Fitzpatrick Ni-Bhriain Oduya McAllister Llewellyn Pritchard Cadwaladr
Lindqvist Johansson Bergstrom Halvorsen Engstrom Vogelsang Kirchner Oberholzer
Kahananui Akana Nakoa Begay Yazzie Tsosie Redcloud
Washington-Jones Freeman-Boyd Okoro-Williams
`);
const CITIES = split(
  `Tuscaloosa Kalamazoo Walla-Walla Poughkeepsie Sheboygan Chattanooga Yakima Lubbock Muncie Bakersfield Duluth Pensacola Scranton Bozeman Ithaca`,
);
const STATES = split(`AL MI WA NY WI TN TX IN CA MN FL PA MT OH GA`);
const STREETS = split(`Magnolia Juniper Sycamore Cottonwood Briarcliff Old-Mill Foxglove Larkspur Heron Quarry Tamarack Fairmount`);
const STREET_TYPES = split(`Street St. Avenue Ave Road Rd. Lane Drive Dr. Court Blvd Way Terrace Circle Pkwy`);
const MONTHS = split(`January February March April May June July August September October November December`);
const ABBR = split(`Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec`);

/** Clinical phrases with eponyms and capitalised words that are not people. */
const CLINICAL = [
  'Parkinson disease',
  "Parkinson's disease",
  'Foley catheter',
  'Apgar score',
  'Cushing syndrome',
  "Crohn's disease",
  'Hodgkin lymphoma',
  'Glasgow Coma Scale',
  'Babinski sign',
  "Murphy's sign",
  'Wilson disease',
  'Graves disease',
  'Down syndrome',
  "Bell's palsy",
  'Addison disease',
  'Barrett esophagus',
  'Swan-Ganz catheter',
  'Jackson-Pratt drain',
  'Holter monitor',
  'Kaposi sarcoma',
  "Alzheimer's dementia",
  'Huntington disease',
  'Ewing sarcoma',
  'Raynaud phenomenon',
  "Sjogren's syndrome",
  'Guillain-Barre syndrome',
  'Hashimoto thyroiditis',
  "Meniere's disease",
  'Lyme disease',
  'Whipple procedure',
  'Takotsubo cardiomyopathy',
  'Brugada syndrome',
  'Chagas disease',
  'Klebsiella pneumoniae',
  'Pseudomonas aeruginosa',
  'Staphylococcus aureus',
  'Tylenol',
  'Lasix',
  'Coumadin',
  'Zofran',
  'Gram stain',
  'Doppler ultrasound',
  'Trendelenburg position',
  'Valsalva maneuver',
  'Romberg test',
  'Homans sign',
  'Kernig sign',
  'Epstein-Barr virus',
  'Von Willebrand disease',
  'Marfan syndrome',
  'Turner syndrome',
  'Tourette syndrome',
  'Wernicke encephalopathy',
  'Paget disease',
  'Dupuytren contracture',
  'Colles fracture',
  'Baker cyst',
  'Mallory-Weiss tear',
  'Zenker diverticulum',
  'Virchow node',
  'Charcot foot',
  'Reye syndrome',
  'Kawasaki disease',
  'Still disease',
  'Bence Jones protein',
  'Ludwig angina',
  'Pancoast tumor',
  'Osgood-Schlatter disease',
];
const FILLER = [
  'The abdomen is soft and non-tender without guarding.',
  'Lungs are clear to auscultation bilaterally.',
  'Continue metoprolol 25 mg twice daily and aspirin 81 mg daily.',
  'Hemoglobin 11.2 g/dL, platelets 210,000, creatinine 1.4 mg/dL.',
  'Blood pressure 132/84, heart rate 88, temperature 98.6 F, SpO2 96% on room air.',
  'No acute distress. Alert and oriented times three.',
  'Wound is healing well with no erythema or drainage.',
  'Plan: follow up in clinic in 2 weeks; return precautions reviewed.',
  'She denies chest pain, dyspnea, or palpitations.',
  'He was started on ceftriaxone 1 g IV every 24 hours.',
  'History of hypertension, type 2 diabetes mellitus, and chronic kidney disease stage 3.',
  'CT of the chest showed no pulmonary embolism.',
  'Will continue to monitor and reassess in the morning.',
  'May resume a regular diet as tolerated.',
];

type Slot = (r: () => number) => string;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const digits = (r: () => number, n: number): string => Array.from({ length: n }, () => int(r, 0, 9)).join('');
const letters = (r: () => number, n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + int(r, 0, 25))).join('');

const given: Slot = (r) => pick(r, GIVEN);
const family: Slot = (r) => pick(r, FAMILY);
const DATE_FORMATS: ((y: number, m: number, d: number, r: () => number) => string)[] = [
  (y, m, d) => `${m}/${d}/${y}`,
  (y, m, d) => `${pad(m)}/${pad(d)}/${String(y).slice(2)}`,
  (y, m, d) => `${y}-${pad(m)}-${pad(d)}`,
  (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${MONTHS[m - 1]} ${d}, ${y}`,
  (y, m, d) => `${ABBR[m - 1]}. ${d}, ${y}`,
  (y, m, d) => `${ABBR[m - 1]} ${d}`,
  (y, m, d) => `${pad(d)}-${ABBR[m - 1]}-${y}`,
  (y, m, d) => `${pad(d)}${(ABBR[m - 1] ?? '').slice(0, 3).toUpperCase()}${y}`,
  (y, m) => `${MONTHS[m - 1]} ${y}`,
  (y, m, d) => `${y}${pad(m)}${pad(d)}`,
  (y, m, d) => `${d}.${m}.${y}`,
  (_y, m, d) => `${MONTHS[m - 1]} ${d}${d === 1 ? 'st' : d === 2 ? 'nd' : d === 3 ? 'rd' : 'th'}`,
  (y, m, d) => `${y}/${pad(m)}/${pad(d)}`,
];
const date: Slot = (r) => pick(r, DATE_FORMATS)(int(r, 1925, 2026), int(r, 1, 12), int(r, 1, 28), r);
const area = (r: () => number): string => `${int(r, 2, 9)}${digits(r, 2)}`;
const phoneNumber: Slot = (r) =>
  pick(r, [
    () => `(${area(r)}) ${int(r, 200, 999)}-${digits(r, 4)}`,
    () => `${area(r)}-${int(r, 200, 999)}-${digits(r, 4)}`,
    () => `${area(r)}.${int(r, 200, 999)}.${digits(r, 4)}`,
    () => `+1 ${area(r)} ${int(r, 200, 999)} ${digits(r, 4)}`,
    () => `1-${area(r)}-${int(r, 200, 999)}-${digits(r, 4)}`,
    () => `+44 20 ${digits(r, 4)} ${digits(r, 4)}`,
    () => `${area(r)}-${int(r, 200, 999)}-${digits(r, 4)} ext. ${digits(r, 3)}`,
  ])();
const zip: Slot = (r) => (r() < 0.3 ? `${digits(r, 5)}-${digits(r, 4)}` : digits(r, 5));

/** A sentence: text pieces, each plain or planted with its category. */
type Piece = string | [PhiCategory, string] | ['CLINICAL', string];
type Template = (r: () => number) => Piece[];

const TEMPLATES: Template[] = [
  (r) => [
    'Patient: ',
    ['NAME', `${family(r).toUpperCase()}, ${given(r).toUpperCase()}`],
    '  MRN: ',
    ['MRN', digits(r, 8)],
    '  DOB: ',
    ['DATE', date(r)],
    '\n',
  ],
  (r) => ['Patient Name: ', ['NAME', `${given(r)} ${family(r)}`], '\n'],
  (r) => [
    pick(r, ['Mr. ', 'Mrs. ', 'Ms. ', 'Miss ']),
    ['NAME', family(r)],
    ' is a ',
    ['AGE', String(int(r, 90, 104))],
    '-year-old with ',
    ['CLINICAL', pick(r, CLINICAL)],
    '.',
  ],
  (r) => ['AGE: ', ['AGE', String(int(r, 90, 108))], '   SEX: F\n'],
  (r) => [
    'She is ',
    ['AGE', String(int(r, 90, 99))],
    pick(r, [' yo', ' y/o', ' years old', ' years of age', ' yrs']),
    ' and was admitted on ',
    ['DATE', date(r)],
    '.',
  ],
  (r) => ['Aged ', ['AGE', String(int(r, 90, 102))], ', he lives alone.'],
  (r) => [
    'A ',
    ['AGE', pick(r, ['ninety-one', 'ninety-four', 'ninety-seven'])],
    '-year-old woman presented with ',
    ['CLINICAL', pick(r, CLINICAL)],
    '.',
  ],
  (r) => ['Seen by Dr. ', ['NAME', `${given(r)} ${family(r)}`], ' on ', ['DATE', date(r)], ' for ', ['CLINICAL', pick(r, CLINICAL)], '.'],
  (r) => ['Discussed with ', ['NAME', `${given(r)} ${family(r)}`], ', MD, who agrees with the plan.'],
  (r) => [
    'Electronically signed by: ',
    ['NAME', `${given(r)} ${letters(r, 1)}. ${family(r)}`],
    ', ',
    pick(r, ['MD', 'DO', 'NP', 'RN', 'PA-C']),
    ' ',
    ['DATE', date(r)],
    '\n',
  ],
  (r) => [
    'His ',
    pick(r, ['daughter', 'son', 'wife', 'husband', 'niece', 'neighbor']),
    ' ',
    ['NAME', given(r)],
    ' called at ',
    ['PHONE', phoneNumber(r)],
    '.',
  ],
  (r) => {
    const g = given(r);
    return [
      'Patient ',
      ['NAME', `${g} ${family(r)}`],
      ' was seen today. ',
      ['NAME', g],
      ' reports improvement with ',
      ['CLINICAL', pick(r, CLINICAL)],
      '.',
    ];
  },
  (r) => ['Referred by Dr. ', ['NAME', family(r)], ' for evaluation of ', ['CLINICAL', pick(r, CLINICAL)], '.'],
  (r) => ['Consult to ', ['NAME', `${family(r)}, ${given(r)}`], ' (cardiology) placed ', ['DATE', date(r)], '.'],
  (r) => [
    'Address: ',
    ['ADDRESS', `${int(r, 1, 9999)} ${pick(r, STREETS)} ${pick(r, STREET_TYPES)}`],
    ', ',
    ['ADDRESS', pick(r, CITIES)],
    ', ',
    pick(r, STATES),
    ' ',
    ['ZIP', zip(r)],
    '\n',
  ],
  (r) => [
    'Lives at ',
    [
      'ADDRESS',
      `${int(r, 10, 999)} ${pick(r, ['N.', 'S.', 'E.', 'W.'])} ${pick(r, STREETS)} ${pick(r, STREET_TYPES)}, Apt ${int(r, 1, 40)}${letters(r, 1)}`,
    ],
    ' with her son.',
  ],
  (r) => [
    'Mail to ',
    ['ADDRESS', `P.O. Box ${int(r, 10, 9999)}`],
    ', ',
    ['ADDRESS', pick(r, CITIES)],
    ', ',
    pick(r, STATES),
    ' ',
    ['ZIP', zip(r)],
    '.',
  ],
  (r) => ['She resides in ', ['ADDRESS', pick(r, CITIES)], ' near her family.'],
  (r) => ['ZIP: ', ['ZIP', zip(r)], '\n'],
  (r) => ['Phone: ', ['PHONE', phoneNumber(r)], '   Fax: ', ['FAX', phoneNumber(r)], '\n'],
  (r) => ['Please fax records to ', ['FAX', phoneNumber(r)], ' attention medical records.'],
  (r) => [
    'Email: ',
    [
      'EMAIL',
      `${given(r).toLowerCase()}.${family(r).toLowerCase()}${int(r, 1, 99)}@${pick(r, ['gmail.com', 'yahoo.com', 'mercyhealth.org', 'outlook.co.uk'])}`,
    ],
    '\n',
  ],
  (r) => [
    'Results are on the portal at ',
    [
      'URL',
      pick(r, [
        `https://portal.${pick(r, ['stlukes', 'mercy', 'valleyhealth'])}.org/pt/${digits(r, 6)}`,
        `www.${family(r).toLowerCase()}family.com`,
        `http://10.0.0.${int(r, 1, 254)}/pacs`,
      ]),
    ],
    '.',
  ],
  (r) => [
    'Logged in from IP ',
    ['IP', `${int(r, 11, 223)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`],
    ' and ',
    ['IP', `2001:db8:${digits(r, 2)}a::${int(r, 1, 9)}f`],
    '.',
  ],
  (r) => [
    pick(r, ['SSN: ', 'SSN ', 'Social Security Number: ']),
    ['SSN', r() < 0.5 ? `${int(r, 100, 899)}-${digits(r, 2)}-${digits(r, 4)}` : `${int(r, 100, 899)}${digits(r, 6)}`],
    '\n',
  ],
  (r) => [
    pick(r, ['MRN ', 'MR#: ', 'Medical record number: ', 'Med Rec No. ']),
    ['MRN', pick(r, [digits(r, 7), `E${digits(r, 7)}`, `${digits(r, 2)}-${digits(r, 2)}-${digits(r, 4)}`])],
    '\n',
  ],
  (r) => [
    pick(r, ['Acct #: ', 'Account number ', 'FIN: ', 'Billing account ']),
    ['ACCOUNT', pick(r, [digits(r, 9), `A${digits(r, 8)}`, `${digits(r, 4)}-${digits(r, 4)}`])],
    '\n',
  ],
  (r) => [
    pick(r, ['Member ID: ', 'Medicaid #: ', 'Policy number ', 'Subscriber ID ']),
    [
      'HEALTHPLAN',
      pick(r, [
        `${letters(r, 3)}${digits(r, 9)}`,
        `${digits(r, 8)}${letters(r, 1)}`,
        `${int(r, 1, 9)}${letters(r, 2)}${digits(r, 1)}-${letters(r, 2)}${digits(r, 1)}-${letters(r, 2)}${digits(r, 2)}`,
      ]),
    ],
    '\n',
  ],
  (r) => [
    pick(r, ["Driver's license ", 'DEA # ', 'License #: ']),
    ['LICENSE', pick(r, [`${letters(r, 1)}${digits(r, 7)}`, `${letters(r, 2)}${digits(r, 7)}`, `RN-${digits(r, 6)}`])],
    ' verified.',
  ],
  (r) => [
    'Involved in a crash; vehicle VIN ',
    ['VEHICLE', `1HG${letters(r, 2)}${digits(r, 5)}A${digits(r, 6)}`.replace(/[IOQ]/g, 'X')],
    ', license plate ',
    ['VEHICLE', `${int(r, 1, 9)}${letters(r, 3)}${digits(r, 3)}`],
    '.',
  ],
  (r) => [
    pick(r, ['Pacemaker serial number ', 'Device S/N: ', 'Implant serial # ']),
    ['DEVICE', `${letters(r, 3)}${digits(r, 6)}`],
    ' interrogated.',
  ],
  (r) => ['Fingerprint ID: ', ['BIOMETRIC', `FP-${digits(r, 6)}`], ' on file.'],
  (r) => ['Wound photo saved as ', ['PHOTO', `IMG_${digits(r, 8)}_${digits(r, 4)}.jpg`], '.'],
  (r) => [
    pick(r, ['Study ID: ', 'Specimen #: ', 'Accession number ', 'NPI ']),
    ['ID', pick(r, [`STU-${digits(r, 5)}`, `S${digits(r, 2)}-${digits(r, 5)}`, digits(r, 10)])],
    '\n',
  ],
  (r) => [
    'Last seen in clinic in ',
    [
      'DATE',
      pick(
        r,
        MONTHS.filter((m) => m !== 'May'),
      ),
    ],
    ' ',
    String(int(r, 2005, 2025)),
    '; ',
    ['CLINICAL', pick(r, CLINICAL)],
    ' stable.',
  ],
  // Harder forms: names with no title or label, lower-case names, month/year, local numbers, written ordinals.
  (r) => [['NAME', `${given(r)} ${family(r)}`], ' tolerated the procedure well.'],
  (r) => ["Spoke with the patient's son, ", ['NAME', given(r)], ', by phone.'],
  (r) => ['pt ', ['NAME', `${given(r).toLowerCase()} ${family(r).toLowerCase()}`], ' in room 4, ', ['CLINICAL', pick(r, CLINICAL)], '.'],
  (r) => [
    'Symptoms began ',
    ['DATE', `${pad(int(r, 1, 12))}/${int(r, 1990, 2025)}`],
    ' and again on the ',
    ['DATE', `${int(r, 4, 28)}th of ${pick(r, MONTHS)}`],
    '.',
  ],
  (r) => ['Call back at ', ['PHONE', `${int(r, 200, 999)}-${digits(r, 4)}`], ' after 5 pm.'],
  (r) => ['cc: ', ['NAME', `${given(r)} ${family(r)}`], '; ', ['NAME', `${given(r)} ${family(r)}`], '\n'],
  // Negatives: ages under 90, years alone, doses and lab values must stay.
  (r) => [`The ${int(r, 20, 89)}-year-old sibling is well. Diagnosed in ${int(r, 1990, 2024)}.`],
  (r) => [`Weight ${int(r, 50, 110)} kg, glucose ${int(r, 70, 300)} mg/dL, ${int(r, 1, 12)} tablets.`],
];

/** Builds `count` notes of `sentences` sentences each, deterministic for a seed. */
export function makeNotes(count: number, seed: number, sentences = 24, fillerFrom: readonly string[] = []): SyntheticNote[] {
  const r = prng(seed);
  const notes: SyntheticNote[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const planted: Planted[] = [];
    const clinical: { start: number; end: number }[] = [];
    for (let s = 0; s < sentences; s++) {
      const roll = r();
      if (roll < 0.25) {
        text += pick(r, fillerFrom.length > 0 && r() < 0.5 ? fillerFrom : FILLER) + ' ';
        continue;
      }
      for (const piece of pick(r, TEMPLATES)(r)) {
        if (typeof piece === 'string') text += piece;
        else {
          const start = text.length;
          text += piece[1];
          if (piece[0] === 'CLINICAL') clinical.push({ start, end: text.length });
          else planted.push({ start, end: text.length, category: piece[0] });
        }
      }
      if (!text.endsWith('\n')) text += ' ';
    }
    notes.push({ id: `note-${i + 1}`, text, planted, clinical });
  }
  return notes;
}
