import { describe, expect, it } from 'vitest';
import { pickForYear } from './build.js';
import { formatCode, normalizeCode } from './codesets.js';
import { parseCategoriesCsv, parseCsv, parseIndexCsv } from './flat-files.js';
import { parseCodeRefs, refMatches } from './notes.js';
import { fiscalYearOf, type SourceFile } from './sources.js';
import { parseQuery } from './text.js';

describe('fiscal year from a release name', () => {
  it.each([
    ['2026', 2026, '2025-10-01'],
    ['2025-04-01', 2025, '2025-04-01'],
    ['2026-04-01', 2026, '2026-04-01'],
    ['2025-10-01', 2026, '2025-10-01'],
    ['April-1-2026', 2026, '2026-04-01'],
  ])('%s is FY%i from %s', (token, fy, date) => {
    expect(fiscalYearOf(token)).toEqual({ fiscalYear: fy, releaseDate: date });
  });
});

describe('choosing content for a release', () => {
  const f = (kind: SourceFile['kind'], fiscalYear: number, releaseDate = `${fiscalYear - 1}-10-01`, excerpt = false): SourceFile => ({
    kind,
    name: `${kind}-${releaseDate}`,
    fiscalYear,
    releaseDate,
    excerpt,
    size: 1,
    mtimeMs: 0,
  });
  const files = [f('cm-index-xml', 2017), f('cm-index-csv', 2025, '2025-04-01'), f('cm-tabular', 2025, '2025-04-01', true)];

  it('takes the newest release not newer than the code set', () => {
    expect(pickForYear(files, ['cm-index-csv', 'cm-index-xml'], 2026)?.fiscalYear).toBe(2025);
    expect(pickForYear(files, ['cm-index-csv', 'cm-index-xml'], 2020)?.fiscalYear).toBe(2017);
  });

  it('takes the oldest newer release only when nothing older exists', () => {
    expect(pickForYear(files, ['cm-index-csv'], 2024)?.fiscalYear).toBe(2025);
  });

  it('never picks an excerpt as a whole-release source', () => {
    expect(pickForYear(files, ['cm-tabular'], 2026)).toBeUndefined();
  });
});

describe('code references in notes', () => {
  it.each([
    ['neonatal cardiac failure (P29.0)', [{ from: 'P290' }]],
    ['heart failure due to hypertension with chronic kidney disease (I13.-)', [{ from: 'I13' }]],
    ['complicating abortion or ectopic or molar pregnancy (O00-O07, O08.8)', [{ from: 'O00', to: 'O07' }, { from: 'O088' }]],
    ['periprosthetic fracture of prosthetic implant of hip (T84.040, T84.041)', [{ from: 'T84040' }, { from: 'T84041' }]],
    ['heart failure following surgery (I97.13-)', [{ from: 'I9713' }]],
  ])('reads "%s"', (text, refs) => {
    expect(parseCodeRefs(text)).toEqual(refs);
  });

  it('matches a code under a prefix or inside a range', () => {
    expect(refMatches({ from: 'I13' }, 'I132')).toBe(true);
    expect(refMatches({ from: 'O00', to: 'O07' }, 'O0381')).toBe(true);
    expect(refMatches({ from: 'O00', to: 'O07' }, 'O080')).toBe(false);
  });
});

describe('query parsing', () => {
  const alts = (q: string, system: 'cm' | 'pcs' = 'cm'): string[][] => parseQuery(`${q} `, system).map((t) => t.alternatives);

  it('expands clinical abbreviations to the classification words', () => {
    expect(alts('CHF').map((a) => a[0])).toEqual(['congest', 'heart', 'failur']);
    expect(alts('afib').map((a) => a[0])).toEqual(['atrial', 'fibril']);
    expect(alts('a-fib').map((a) => a[0])).toEqual(['atrial', 'fibril']);
  });

  it('adds synonyms as alternatives (kidney = renal)', () => {
    expect(alts('kidney failure')[0]).toEqual(['kidnei', 'renal']);
  });

  it('maps surgical names to PCS root operations and approaches', () => {
    expect(alts('laparoscopic cholecystectomy', 'pcs').map((a) => a[0])).toEqual(['percutan', 'endoscop', 'resect', 'gallbladd']);
    expect(alts('total knee replacement', 'pcs').map((a) => a[0])).toEqual(['knee', 'joint', 'replac']);
  });

  it('treats the last word typed without a trailing space as a prefix', () => {
    expect(parseQuery('heart fail', 'cm').map((t) => t.prefix)).toEqual([false, true]);
    expect(parseQuery('heart fail ', 'cm').map((t) => t.prefix)).toEqual([false, false]);
  });
});

describe('code formatting', () => {
  it.each([
    ['i50.23', 'I5023', 'I50.23'],
    ['S72.001A', 'S72001A', 'S72.001A'],
    ['C79.8-', 'C798', 'C79.8'],
    ['I10', 'I10', 'I10'],
  ])('%s -> %s -> %s', (raw, normal, shown) => {
    expect(normalizeCode(raw)).toBe(normal);
    expect(formatCode('cm', normal)).toBe(shown);
  });
});

describe('CSV files', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    expect(parseCsv('a,"b, c","d ""e"""\n').map((r) => r.fields)).toEqual([['a', 'b, c', 'd "e"']]);
  });

  it('rejects a categories file with the wrong header', () => {
    expect(() => parseCategoriesCsv('code,description\nA00,Cholera\n', 'cats.csv')).toThrow(/^cats\.csv:1: expected header/);
  });

  it('rejects an index row that skips a level, naming the line', () => {
    const csv = 'RowID,Letter,Level,Term,See,SeeAlso,NonEssModif,Code\n1,A,0,Abasia,,,,F44.4\n2,A,2,deep,,,,X\n';
    expect(() => parseIndexCsv(csv, 'index.csv', { id: 'x', label: 'x', fiscalYear: 2025 })).toThrow(/^index\.csv:3: bad level 2/);
  });
});
