import { beforeAll, describe, expect, it } from 'vitest';
import { buildCodeSets } from './build.js';
import { isValidOn, prepareCodeSets } from './codesets.js';
import { pcsTableBuilder } from './pcs-builder.js';
import { pcsTitle } from './search.js';
import { defaultDataDir } from './store.js';
import type { CodeSets } from './types.js';

let sets: CodeSets;
beforeAll(() => {
  sets = prepareCodeSets(buildCodeSets(defaultDataDir()));
});
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
    expect(step.selected.map((s) => s.label)).toEqual(['Medical and Surgical', 'Hepatobiliary System and Pancreas', 'Resection', 'Gallbladder']);
  });

  it('narrows the next axis by the row the earlier characters chose', () => {
    // 0FT44: device Z only; qualifier G (hand-assisted) or Z.
    expect(pcsTableBuilder(sets, { date, prefix: '0FT44' }).options.map((o) => o.code)).toEqual(['Z']);
    expect(pcsTableBuilder(sets, { date, prefix: '0FT44Z' }).options.map((o) => o.code)).toEqual(['G', 'Z']);
  });

  it('completes a code with its title', () => {
    expect(pcsTableBuilder(sets, { date, prefix: '0ft44zz' }).complete).toEqual({ code: '0FT44ZZ', title: 'Resection of Gallbladder, Percutaneous Endoscopic Approach' });
  });

  it('reports the first character that cannot lead to a valid code', () => {
    const step = pcsTableBuilder(sets, { date, prefix: '0FT49' });
    expect(step.error).toMatch(/character 5 "9"/);
    expect(step.prefix).toBe('0FT4');
  });
});
