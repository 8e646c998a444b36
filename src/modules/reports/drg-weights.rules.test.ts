import { describe, expect, it } from 'vitest';
import { parseTable5 } from './drg-weights.rules.js';

// The layout of CMS Table 5 (IPPS final rule), with made-up-looking but well-formed rows for the parser only.
const TABLE5 = [
  'TABLE 5.--LIST OF MEDICARE SEVERITY DIAGNOSIS-RELATED GROUPS (MS-DRGs), RELATIVE WEIGHTING FACTORS, AND GEOMETRIC AND ARITHMETIC MEAN LENGTH OF STAY--FY 2026 Final Rule',
  '',
  [
    'MS-DRG',
    'FY 2026 Final Rule Post-Acute DRG',
    'FY 2026 Final Rule Special Pay DRG',
    'MDC',
    'TYPE',
    'MS-DRG Title',
    'Weights',
    'Geometric mean LOS',
    'Arithmetic mean LOS',
  ].join('\t'),
  ['001', 'No', 'No', 'PRE', 'SURG', 'HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC', '26.2345', '28.1', '36.4'].join('\t'),
  ['291', 'Yes', 'No', '05', 'MED', '"HEART FAILURE AND SHOCK WITH MCC"', '1.3456', '3.9', '4.9'].join('\t'),
  ['99', 'No', 'No', '', '', 'A SHORT NUMBER', '0.5', '', ''].join('\t'),
  ['Footnote: weights are normalized', '', ''].join('\t'),
  ['871', 'Yes', 'No', '18', 'MED', 'SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC', '', '', ''].join('\t'),
].join('\r\n');

describe('CMS Table 5 reader', () => {
  const t = parseTable5(TABLE5);
  it('finds the fiscal year in the title', () => expect(t.fiscalYear).toBe(2026));
  it('reads each MS-DRG row by the header columns', () => {
    expect(t.rows[0]).toEqual({
      drg: '001',
      mdc: 'PRE',
      type: 'SURG',
      title: 'HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC',
      weight: 26.2345,
      geometricMeanLos: 28.1,
      arithmeticMeanLos: 36.4,
    });
    expect(t.rows[1]?.title).toBe('HEART FAILURE AND SHOCK WITH MCC');
    expect(t.rows.map((r) => [r.drg, r.weight])).toEqual([
      ['001', 26.2345],
      ['291', 1.3456],
      ['099', 0.5],
    ]);
  });
  it('reports lines that are not a weighted MS-DRG and reads on', () => {
    expect(t.skipped.map((s) => s.line)).toEqual([7, 8]);
    expect(t.skipped[1]?.reason).toBe('MS-DRG 871: no weight');
  });
  it('refuses a file without the header row', () => {
    expect(() => parseTable5('MS-DRG,Weights\n001,1.0')).toThrow(/tab-delimited Table 5/);
  });
});
