import { beforeAll, describe, expect, it } from 'vitest';
import { isValidOn } from './codesets.js';
import { pcsTableBuilder } from './pcs-builder.js';
import { pcsTitle } from './search.js';
import { getCodeDetails } from './details.js';
import type { CodeSets } from './types.js';
import { validateEncounterCodes, type Finding } from './validate.js';
import { officialCodeSets } from '../../../test/support/data.js';

let sets: CodeSets;
beforeAll(() => {
  sets = officialCodeSets();
});

const FY2026 = '2025-11-01';
const FY2025 = '2025-06-01';
const rules = (date: string, diagnoses: string[]): Finding[] => validateEncounterCodes(sets, { date, diagnoses }).findings;

describe('code details', () => {
  it('shows I50.2 as a header that needs more characters, with its hierarchy', () => {
    const d = getCodeDetails(sets, 'I50.2', { date: FY2026 });
    expect(d.status).toBe('header');
    expect(d.statusText).toMatch(/^header — needs more characters/);
    expect(d.chapter?.chapter).toBe('9');
    expect(d.section?.range).toBe('I30-I5A');
    expect(d.ancestors.map((a) => a.code)).toEqual(['I50']);
    expect(d.children.map((c) => c.code)).toEqual(['I5020', 'I5021', 'I5022', 'I5023']);
  });

  it('shows a billable code with its MCE validity period', () => {
    const d = getCodeDetails(sets, 'I5023', { date: FY2026 });
    expect(d.status).toBe('billable');
    expect(d.validOnDate).toBe(true);
    expect(d.validity).toEqual([{ from: '2015-10-01', to: null }]);
  });

  it('S72.001 needs a 7th character; the choices come from the release in force', () => {
    const s = getCodeDetails(sets, 'S72.001', { date: FY2026 }).seventhCharacter;
    expect(s?.required).toBe(true);
    expect(s?.choices.map((c) => c.char).join('')).toBe('ABCDEFGHJKMNPQRS');
    expect(s?.choices[0]).toEqual({ char: 'A', meaning: 'initial encounter for closed fracture' });
    // The tabular definition is from FY2023 (the newest complete tabular loaded) and says so.
    expect(s?.tabularDefinition?.source).toContain('FY2023');
    expect(s?.tabularDefinition?.current).toBe(false);
  });

  it('applies the placeholder X rule for a category that needs a 7th character (T07 -> T07.XXXA)', () => {
    const s = getCodeDetails(sets, 'T07', { date: FY2026 }).seventhCharacter;
    expect(s?.base).toBe('T07.XXX');
    expect(s?.usesPlaceholder).toBe(true);
    expect(s?.choices.map((c) => c.char)).toEqual(['A', 'D', 'S']);
  });

  it('labels notes with the release they came from (FY2023, the newest complete tabular), never as current', () => {
    const d = getCodeDetails(sets, 'I50.21', { date: FY2026 });
    const excl = d.notes.find((n) => n.kind === 'excludes2' && n.at === 'I50');
    expect(excl?.texts).toEqual(['cardiac arrest (I46.-)', 'neonatal cardiac failure (P29.0)']);
    expect(excl?.source.label).toContain('FY2023');
    expect(excl?.current).toBe(false);
    expect(d.notesCaveat).toMatch(/FY2023.*not from ICD-10-CM FY2026/);
  });

  it('takes chapter-2 notes from the newer FY2025 tabular excerpt', () => {
    const d = getCodeDetails(sets, 'C50.911', { date: FY2026 });
    expect(d.notes.length).toBeGreaterThan(0);
    expect(d.notes.every((n) => n.source.fiscalYear === 2025)).toBe(true);
  });

  it('gives PCS titles built from the tables and the definitions of operation and approach', () => {
    const d = getCodeDetails(sets, '0FT44ZZ', { date: FY2026 });
    expect(d.title).toBe('Resection of Gallbladder, Percutaneous Endoscopic Approach');
    expect(d.status).toBe('billable');
    expect(d.pcsAxes?.[2]).toMatchObject({
      title: 'Operation',
      label: 'Resection',
      definition: 'Cutting out or off, without replacement, all of a body part',
    });
    expect(d.pcsAxes?.[4]?.definition).toMatch(/^Entry, by puncture or minor incision/);
  });
});

describe('validity by date across FY2025 and FY2026 (addenda)', () => {
  it('a code added in FY2026 (E11.A) is invalid on 2025-06-01 and valid on 2025-11-01', () => {
    expect(rules(FY2025, ['E11A']).find((f) => f.severity === 'error')?.rule).toBe('invalid_on_date');
    expect(rules(FY2026, ['E11A']).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('a code deleted in FY2026 (S30.1XXA) is valid on 2025-06-01 and invalid on 2025-11-01', () => {
    expect(rules(FY2025, ['S30.1XXA']).filter((f) => f.severity === 'error')).toEqual([]);
    expect(rules(FY2026, ['S30.1XXA']).find((f) => f.severity === 'error')).toMatchObject({
      rule: 'invalid_on_date',
      message: expect.stringContaining('2015-10-01..2025-09-30'),
    });
  });

  it('a code expanded in FY2026 (B88.0 -> B88.01, B88.09) becomes a header that needs more characters', () => {
    expect(rules(FY2025, ['B880']).filter((f) => f.severity === 'error')).toEqual([]);
    expect(rules(FY2026, ['B880']).find((f) => f.severity === 'error')?.rule).toBe('header_code');
  });

  it('a revised title (M21.159) reads differently in each release', () => {
    expect(getCodeDetails(sets, 'M21159', { date: FY2025 }).title).toBe('Varus deformity, not elsewhere classified, unspecified');
    expect(getCodeDetails(sets, 'M21159', { date: FY2026 }).title).toBe('Varus deformity, not elsewhere classified, unspecified hip');
  });
});

describe('encounter validation', () => {
  it('flags unknown, header and missing-7th-character codes', () => {
    const f = rules(FY2026, ['XYZ12', 'I50.2', 'S72.001']);
    expect(f.find((x) => x.code === 'XYZ12')?.rule).toBe('unknown_code');
    expect(f.find((x) => x.code === 'I502')?.rule).toBe('header_code');
    expect(f.find((x) => x.code === 'S72001')?.rule).toBe('missing_7th_character');
  });

  it('suggests the placeholder X when it was left out (T07A -> T07.XXXA)', () => {
    expect(rules(FY2026, ['T07A'])[0]).toMatchObject({ rule: 'placeholder_x', message: expect.stringContaining('T07.XXXA') });
  });

  it('flags an Excludes1 pair, labelled as an FY2023 note', () => {
    const f = rules(FY2026, ['E11.9', 'E10.9']).find((x) => x.rule === 'excludes1');
    expect(f).toMatchObject({ code: 'E119', relatedCode: 'E109', severity: 'warning' });
    expect(f?.note?.current).toBe(false);
    expect(f?.message).toContain('note from ICD-10-CM FY2023');
  });

  it('reports an Excludes1 pair once even when both codes exclude each other', () => {
    expect(rules(FY2026, ['E11.9', 'E10.9']).filter((x) => x.rule === 'excludes1')).toHaveLength(1);
  });

  it('an Excludes2 note (I50 / P29.0 since FY2023) is no Excludes1 conflict', () => {
    expect(rules(FY2026, ['I50.9', 'P29.0']).filter((x) => x.rule === 'excludes1')).toHaveLength(0);
  });

  it('applies section-level Excludes1 notes (A15-A19 excludes congenital tuberculosis P37.0)', () => {
    expect(rules(FY2026, ['A15.0', 'P37.0']).find((x) => x.rule === 'excludes1')?.note?.at).toBe('section A15-A19');
  });

  it('warns when a manifestation code is sequenced first', () => {
    expect(rules(FY2026, ['F02.80', 'G30.9']).find((x) => x.rule === 'manifestation_first')?.code).toBe('F0280');
    expect(rules(FY2026, ['G30.9', 'F02.80']).some((x) => x.rule === 'manifestation_first')).toBe(false);
  });

  it('reminds "use additional code" until one is present', () => {
    expect(rules(FY2026, ['E11.9']).some((x) => x.rule === 'use_additional_code')).toBe(true);
    expect(rules(FY2026, ['E11.9', 'Z79.4']).some((x) => x.rule === 'use_additional_code')).toBe(false);
  });

  it('marks which note findings bear on the codes assigned (the edits panel shows only those)', () => {
    const bears = (codes: string[], rule: string) =>
      validateEncounterCodes(sets, { date: FY2026, diagnoses: codes })
        .findings.filter((f) => f.rule === rule)
        .map((f) => f.bearsOnCodes);
    // An "if applicable" reminder does not; an Excludes1 pair with both present does.
    expect(bears(['E11.9'], 'use_additional_code')).toEqual([false]);
    expect(bears(['E11.9', 'E10.9'], 'excludes1')).toEqual([true]);
    // A manifestation code's underlying disease is required: its "code first" bears until the disease is coded.
    expect(bears(['F02.80'], 'code_first')).toContain(true);
    expect(bears(['G30.9', 'F02.80'], 'code_first')).toEqual([]);
    // A "code first" condition present but sequenced after bears on the codes.
    expect(bears(['I50.9', 'I11.0'], 'code_first')).toEqual([true]);
    // Header and code errors always do.
    expect(bears(['I50'], 'header_code')).toEqual([true]);
  });

  it('names the release of each piece: code titles FY2026, notes from the FY2023 tabular, validity from the MCE', () => {
    const r = validateEncounterCodes(sets, { date: FY2026, diagnoses: ['E11.9', 'E10.9'] });
    expect(r.sources.codes).toContain('FY2026');
    expect(r.sources.notes).toEqual(['ICD-10-CM FY2023 tabular (2022-10-01)']);
    expect(r.sources.validity).toMatch(/MCE/);
  });

  it('warns when a "code first" condition is sequenced after the code', () => {
    const f = rules(FY2026, ['I50.9', 'I11.0']).find((x) => x.rule === 'code_first');
    expect(f).toMatchObject({ severity: 'warning', relatedCode: 'I110' });
    expect(rules(FY2026, ['I11.0', 'I50.9']).some((x) => x.rule === 'code_first' && x.code === 'I509')).toBe(false);
  });

  it('checks PCS codes too', () => {
    const report = validateEncounterCodes(sets, { date: FY2026, diagnoses: ['K80.20'], procedures: ['0FT44ZZ', '0FT4', '0FT49ZZ'] });
    expect(report.findings.filter((f) => f.system === 'pcs').map((f) => [f.code, f.rule])).toEqual([
      ['0FT4', 'header_code'],
      ['0FT49ZZ', 'unknown_code'],
    ]);
  });
});

// ICD-10-PCS tables and builder share this file's load of the code sets.
const date = '2025-11-01';

describe('ICD-10-PCS tables', () => {
  it('builds every valid code from the tables: exactly the MCE set valid on 2025-10-01', () => {
    const rel = sets.pcs[0];
    expect(rel?.codes.length).toBe(79115);
    expect(rel?.codes.every((c) => isValidOn(sets, 'pcs', c, '2025-10-01'))).toBe(true);
  });

  it('titles 0FT44ZZ from its axis labels', () => {
    const rel = sets.pcs[0];
    const i = sets.pcsIndexByCode[0]?.get('0FT44ZZ');
    expect(rel && i !== undefined ? pcsTitle(rel, i) : '').toBe('Resection of Gallbladder, Percutaneous Endoscopic Approach');
  });
});

describe('PCS table builder', () => {
  it('starts with the sections', () => {
    const step = pcsTableBuilder(sets, { date });
    expect(step.nextPosition).toBe(1);
    expect(step.options.find((o) => o.code === '0')?.label).toBe('Medical and Surgical');
  });

  it('offers only the approaches valid for resection of the gallbladder, with their definitions', () => {
    const step = pcsTableBuilder(sets, { date, prefix: '0FT4' });
    expect(step.nextAxisTitle).toBe('Approach');
    expect(step.options.map((o) => [o.code, o.label])).toEqual([
      ['0', 'Open'],
      ['4', 'Percutaneous Endoscopic'],
    ]);
    expect(step.options[0]?.definition).toMatch(/^Cutting through the skin/);
    expect(step.selected.map((s) => s.label)).toEqual([
      'Medical and Surgical',
      'Hepatobiliary System and Pancreas',
      'Resection',
      'Gallbladder',
    ]);
  });

  it('narrows the next axis by the row the earlier characters chose', () => {
    // 0FT44: device Z only; qualifier G (hand-assisted) or Z.
    expect(pcsTableBuilder(sets, { date, prefix: '0FT44' }).options.map((o) => o.code)).toEqual(['Z']);
    expect(pcsTableBuilder(sets, { date, prefix: '0FT44Z' }).options.map((o) => o.code)).toEqual(['G', 'Z']);
  });

  it('completes a code with its title', () => {
    expect(pcsTableBuilder(sets, { date, prefix: '0ft44zz' }).complete).toEqual({
      code: '0FT44ZZ',
      title: 'Resection of Gallbladder, Percutaneous Endoscopic Approach',
    });
  });

  it('reports the first character that cannot lead to a valid code', () => {
    const step = pcsTableBuilder(sets, { date, prefix: '0FT49' });
    expect(step.error).toMatch(/character 5 "9"/);
    expect(step.prefix).toBe('0FT4');
  });
});
