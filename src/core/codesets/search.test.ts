import { beforeAll, describe, expect, it } from 'vitest';
import { NoReleaseForDateError } from './errors.js';
import { searchCodes } from './search.js';
import { parseCircumstances } from './text.js';
import type { CodeSets } from './types.js';
import { officialCodeSets } from '../../../test/support/data.js';

let sets: CodeSets;
beforeAll(() => {
  sets = officialCodeSets();
});

const FY2026 = '2025-11-01';
const codes = (q: string, opts: { date?: string; system?: 'cm' | 'pcs'; limit?: number } = {}): string[] =>
  searchCodes(sets, q, { date: opts.date ?? FY2026, limit: opts.limit ?? 10, ...(opts.system ? { system: opts.system } : {}) }).hits.map(
    (h) => h.code,
  );

describe('search by code', () => {
  it('lists a category and its children in tabular order, the header I50.2 not billable', () => {
    const hits = searchCodes(sets, 'I50', { date: FY2026, limit: 50 }).hits;
    expect(hits[0]?.code).toBe('I50');
    expect(hits.every((h) => h.code.startsWith('I50'))).toBe(true);
    expect(hits.find((h) => h.code === 'I502')?.billable).toBe(false);
    expect(hits.find((h) => h.code === 'I5023')?.billable).toBe(true);
  });

  it('accepts the code with or without the dot, any case', () => {
    expect(codes('i50.2')).toEqual(codes('I502'));
    expect(codes('I50.2')[0]).toBe('I502');
  });

  it('finds PCS codes by prefix', () => {
    expect(codes('0FT4', { limit: 5 })).toEqual(['0FT40ZZ', '0FT44ZG', '0FT44ZZ']);
  });
});

describe('search by words', () => {
  it('"CHF" finds heart failure (I50) with billable codes first', () => {
    const hits = searchCodes(sets, 'CHF', { date: FY2026, limit: 10 }).hits;
    expect(hits[0]?.code.startsWith('I50')).toBe(true);
    expect(hits.slice(0, 5).map((h) => h.code)).toContain('I509');
    expect(hits.filter((h) => h.code.startsWith('I50')).length).toBeGreaterThanOrEqual(6);
    const firstHeader = hits.findIndex((h) => !h.billable);
    if (firstHeader >= 0) expect(hits.slice(firstHeader).every((h) => !h.billable)).toBe(true);
  });

  it('is word-order free and stems words', () => {
    expect(codes('failure heart congestive')).toContain('I509');
    expect(codes('fractures femur neck').some((c) => c.startsWith('S720'))).toBe(true);
  });

  it.each([
    ['AKI', 'N17'],
    ['COPD', 'J44'],
    ['NSTEMI', 'I214'],
    ['STEMI', 'I21'],
    ['UTI', 'N390'],
    ['DVT', 'I82'],
    ['PE', 'I26'],
    ['MRSA', 'A4102'],
    ['afib', 'I48'],
    ['HTN', 'I10'],
    ['DM', 'E11'],
    ['ESRD', 'N186'],
    ['CKD', 'N18'],
    ['GERD', 'K21'],
  ])('expands the abbreviation %s (finds %s)', (q, prefix) => {
    expect(
      codes(q)
        .slice(0, 5)
        .some((c) => c.startsWith(prefix)),
    ).toBe(true);
  });

  it('goes through the Alphabetic Index, following "see" to the target term, and shows the path', () => {
    const hit = searchCodes(sets, 'abdominalgia', { date: FY2026 }).hits[0];
    expect(hit?.code).toBe('R109');
    expect(hit?.matchedBy).toBe('index');
    expect(hit?.path).toEqual(['Abdominalgia', 'see Pain, abdominal', 'Pain', 'abdominal']);
    expect(hit?.source).toContain('FY2023 Alphabetic Index');
  });

  it.each([
    ['acetaminophen poisoning accidental', 'T391X1'],
    ['acetaminophen poisoning intentional self-harm', 'T391X2'],
    ['acetaminophen poisoning assault', 'T391X3'],
    ['acetaminophen poisoning undetermined', 'T391X4'],
    ['acetaminophen adverse effect', 'T391X5'],
    ['acetaminophen underdosing', 'T391X6'],
  ])('finds "%s" in the Table of Drugs and Chemicals (%s)', (q, code) => {
    const hits = searchCodes(sets, q, { date: FY2026, limit: 10 }).hits;
    const hit = hits.find((h) => h.code === code);
    expect(hit?.matchedBy).toBe('drug');
    expect(hit?.billable).toBe(false);
    // The 7th-character codes under it are offered, billable, before it.
    expect(hits[0]?.code.startsWith(code)).toBe(true);
    expect(hits[0]?.billable).toBe(true);
  });

  it('finds the Neoplasm Table cell by site and behaviour', () => {
    const hit = searchCodes(sets, 'neoplasm lung malignant primary', { date: FY2026, limit: 20 }).hits.find((h) => h.code === 'C349');
    expect(hit?.matchedBy).toBe('neoplasm');
    expect(hit?.path).toEqual(['Neoplasm, neoplastic', 'lung', 'Malignant Primary']);
  });

  it('searches PCS by words', () => {
    expect(codes('laparoscopic cholecystectomy', { system: 'pcs', limit: 3 })).toContain('0FT44ZZ');
    expect(codes('total knee replacement', { system: 'pcs', limit: 5 }).some((c) => c.startsWith('0SRC') || c.startsWith('0SRD'))).toBe(
      true,
    );
  });
});

describe('release by date', () => {
  it('uses the FY2025 code set for a 2025-06-01 date: E11.A (added FY2026) is not there', () => {
    expect(codes('E11A', { date: '2025-06-01' })).not.toContain('E11A');
    expect(codes('E11A')).toContain('E11A');
    expect(searchCodes(sets, 'E11', { date: '2025-06-01' }).release).toContain('FY2025');
  });

  it('refuses a date no loaded release covers instead of using the latest', () => {
    expect(() => searchCodes(sets, 'CHF', { date: '2020-01-01' })).toThrow(NoReleaseForDateError);
  });
});

describe('index browsing', () => {
  it('walks main term -> subterms -> code, with the source release of the index', async () => {
    const { browseIndex } = await import('./browse.js');
    const top = browseIndex(sets, { date: FY2026, startsWith: 'Failure', limit: 3 });
    expect(top?.children[0]?.title).toBe('Failure, failed');
    expect(top?.current).toBe(false);
    expect(top?.source).toContain('FY2023 Alphabetic Index');
    const heart = browseIndex(sets, { date: FY2026, path: ['Failure, failed', 'heart'] });
    expect(heart?.term?.codes).toEqual(['I50.9']);
    expect(heart?.children.find((c) => c.title === 'congestive')?.codes).toEqual(['I50.9']);
    const see = browseIndex(sets, { date: FY2026, path: ['Abdominalgia'] });
    expect(see?.term?.seeTarget).toEqual(['Pain', 'abdominal']);
  });

  it('browses the Neoplasm Table with its column headings', async () => {
    const { browseIndex } = await import('./browse.js');
    const lung = browseIndex(sets, { date: FY2026, kind: 'neoplasm', path: ['Neoplasm, neoplastic', 'lung'] });
    expect(lung?.columns[1]).toBe('Malignant Secondary');
    expect(lung?.term?.codes[0]).toBe('C34.9-');
    expect(lung?.current).toBe(true);
  });
});

describe('everyday phrases', () => {
  it.each([
    ['heart attack', 'I21'],
    ['strep throat', 'J020'],
    ['flu', 'J1'],
    ['shortness of breath', 'R0602'],
  ])('"%s" finds %s', (q, prefix) => {
    expect(
      codes(q)
        .slice(0, 3)
        .some((c) => c.startsWith(prefix)),
    ).toBe(true);
  });

  it('resolves a cross-reference whose main term is printed shorter ("Infarct" for "Infarct, infarction")', () => {
    const hit = searchCodes(sets, 'attack heart', { date: FY2026 }).hits.find((h) => h.code === 'I219');
    expect(hit?.path.slice(0, 3)).toEqual(['Attack, attacks', 'heart', 'see infarct, myocardium']);
    expect(hit?.path.slice(-2)).toEqual(['Infarct, infarction', 'myocardium, myocardial']);
  });
});

describe('ranking by the index path (issue 15)', () => {
  const first = (q: string, system?: 'cm' | 'pcs') => codes(q, { limit: 5, ...(system ? { system } : {}) })[0];

  it('prefers the Index default code unless the query names a specific', () => {
    expect(first('meningitis, unspecified')).toBe('G039');
    expect(first('viral meningitis')).toBe('A879');
    const effusion = codes('pleural effusion');
    expect(effusion[0]).toBe('J90');
    expect(effusion.indexOf('J90')).toBeLessThan(effusion.indexOf('J910'));
    expect(first('malignant pleural effusion')).toBe('J910');
    expect(['R410', 'F05']).toContain(first('delirium'));
  });

  it('reads the Drug table row and intent column, then the 7th character of the encounter', () => {
    expect(first('poisoning by ibuprofen, accidental, initial encounter')).toBe('T39311A');
    expect(first('poisoning by ibuprofen, assault, initial encounter')).toBe('T39313A');
    expect(first('adverse effect of warfarin, subsequent encounter')).toBe('T45515D');
    expect(first('underdosing of insulin, initial encounter')).toBe('T383X6A');
    expect(first('heroin overdose, intentional self-harm, sequela')).toBe('T401X2S');
    const hit = searchCodes(sets, 'poisoning by ibuprofen, accidental, initial encounter', { date: FY2026 }).hits[0];
    expect(hit?.matchedBy).toBe('drug');
    expect(hit?.path).toEqual(['Ibuprofen', 'Poisoning Accidental (unintentional)']);
  });

  it('matches the acuity combination exactly', () => {
    const hf = codes('acute on chronic diastolic heart failure');
    expect(hf[0]).toBe('I5033');
    expect(hf.indexOf('I5033')).toBeLessThan(hf.indexOf('I5032'));
    expect(first('chronic diastolic heart failure')).toBe('I5032');
  });

  it("reaches a symptom's code through its index entry", () => {
    expect(first('urinary incontinence')).toBe('R32');
  });

  it('does not bring injury codes for a disease phrase', () => {
    expect(codes('kidney disease', { limit: 10 }).some((c) => /^[ST]/.test(c))).toBe(false);
    expect(first('kidney disease')).toBe('N289');
  });

  it('picks the subdivision the query names (laterality, 7th character) under an index entry to a subcategory', () => {
    expect(first('closed fracture of right femoral neck, initial encounter')).toBe('S72001A');
    expect(first('pressure ulcer of sacral region, stage 2')).toBe('L89152');
  });

  it('ranks resection of the gallbladder above imaging for "cholecystectomy"', () => {
    const pcs = codes('cholecystectomy', { system: 'pcs', limit: 5 });
    expect(pcs[0]?.startsWith('0FT4')).toBe(true);
    expect(pcs.findIndex((c) => c.startsWith('B'))).toBeGreaterThan(pcs.findIndex((c) => c.startsWith('0FT4')));
  });
});

describe('parseCircumstances', () => {
  it.each([
    ['poisoning by ibuprofen, accidental, initial encounter', 0, 'A', 'ibuprofen'],
    ['acetaminophen overdose, intentional self-harm, subsequent encounter', 1, 'D', 'acetaminophen'],
    ['assault by poisoning with arsenic, sequela', 2, 'S', 'arsenic'],
    ['poisoning by aspirin, undetermined', 3, undefined, 'aspirin'],
    ['adverse effect of warfarin', 4, undefined, 'warfarin'],
    ['underdosing of insulin, initial', 5, 'A', 'insulin'],
  ])('"%s" -> column %s, encounter %s, substance %s', (q, column, encounter, rest) => {
    expect(parseCircumstances(q)).toEqual({ column, drug: true, encounter, rest });
  });

  it('leaves a disease phrase alone', () => {
    expect(parseCircumstances('kidney disease')).toEqual({ column: undefined, drug: false, encounter: undefined, rest: 'kidney disease' });
  });
});

describe('coding conventions after the Index (search-conventions.ts)', () => {
  it('sequences the etiology first when the subterm code says "code first" the main term code (Guidelines I.A.13: COVID-19 U07.1 before J12.82)', () => {
    const got = codes('covid pneumonia', { limit: 3 });
    expect(got.slice(0, 2)).toEqual(['U071', 'J1282']);
  });

  it('leaves a subterm code first when its code-first note names no code above it in the Index path', () => {
    expect(codes('pneumonia', { limit: 1 })).toEqual(['J189']);
  });

  it.each([
    ['family history of colon cancer', 'Z800'],
    ['family hx of lung cancer', 'Z801'],
    ['family history of breast cancer', 'Z803'],
    ['personal history of colon cancer', 'Z85038'],
    ['history of prostate cancer', 'Z8546'],
    ['personal history of breast carcinoma', 'Z853'],
  ])('reads "%s" through the site primary code and the Z80/Z85 "conditions classifiable to" ranges -> %s (I.C.21.c.4)', (q, code) => {
    expect(codes(q, { limit: 1 })).toEqual([code]);
  });

  it.each([
    ['metastatic cancer to lung', 'C7800'],
    ['metastasis to liver', 'C787'],
    ['mets to bone', 'C7951'],
    ['metastatic carcinoma to the brain', 'C7931'],
  ])('reads "%s" as the Neoplasm table secondary column (Index: Metastasis, to specified site) -> %s', (q, code) => {
    expect(codes(q, { limit: 1 })).toEqual([code]);
  });

  it('ranks "hypertensive heart disease with heart failure" I11.0 before the cardiorenal I13.0 the query did not name', () => {
    expect(codes('hypertensive heart disease with heart failure', { limit: 1 })).toEqual(['I110']);
  });
});
