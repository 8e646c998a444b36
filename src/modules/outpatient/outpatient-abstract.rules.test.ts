import { describe, expect, it } from 'vitest';
import {
  blockingEdits,
  defaultEmCategory,
  diffOutpatient,
  emptyOutpatientAbstract,
  OutpatientAbstractSchema,
  warningEdits,
  type OutpatientAbstractData,
} from './outpatient-abstract.rules.js';
import type { OutpatientCheck } from './outpatient.service.js';

const noEdits: OutpatientCheck = {
  side: 'facility',
  findings: [],
  lines: [],
  ptp: { loaded: true, conflicts: [] },
  mue: { loaded: true, excess: [] },
  opps: { loaded: false },
  em: null,
};
const visit = (over: Partial<OutpatientAbstractData> = {}): OutpatientAbstractData =>
  OutpatientAbstractSchema.parse({
    firstListedDx: 'S61.411A',
    lines: [{ code: '99284', units: 1, dateOfService: '2026-03-01', pointers: [1], revenueCode: '0450' }],
    em: { category: 'emergency', basis: 'mdm', problems: 'moderate', data: 'low', risk: 'moderate', code: '99284' },
    ...over,
  });

describe('the stored outpatient abstract, pure', () => {
  it('normalises codes and modifiers and refuses a fifth modifier', () => {
    const d = visit({ lines: [] });
    expect(d.firstListedDx).toBe('S61411A');
    const five = OutpatientAbstractSchema.safeParse({
      lines: [{ code: '12002', modifiers: ['a', 'b', 'c', 'd', 'e'].map((m) => `${m}1`), units: 1, dateOfService: '2026-03-01' }],
    });
    expect(five.success).toBe(false);
    expect(
      OutpatientAbstractSchema.parse({ lines: [{ code: 'j1885', modifiers: ['jw'], units: 2, dateOfService: '2026-03-01' }] }).lines[0],
    ).toMatchObject({ code: 'J1885', modifiers: ['JW'], pointers: [], revenueCode: null, charge: null });
  });

  it('blocks on a PTP pair not bypassed and on MUE indicators 1 and 2, not on indicator 3 or a bypassed pair', () => {
    const check: OutpatientCheck = {
      ...noEdits,
      ptp: {
        loaded: true,
        conflicts: [
          { column1Line: 0, column2Line: 1, column1: '12002', column2: 'J1885', modifierIndicator: '1', bypassed: false, rationale: '' },
          { column1Line: 0, column2Line: 2, column1: '12002', column2: '96372', modifierIndicator: '1', bypassed: true, rationale: '' },
        ],
      },
      mue: {
        loaded: true,
        excess: [
          { code: 'J1885', dateOfService: '2026-03-01', lines: [1], units: 10, mue: 8, indicator: '2' },
          { code: 'J7050', dateOfService: '2026-03-01', lines: [3], units: 9, mue: 4, indicator: '3' },
        ],
      },
    };
    const blocking = blockingEdits(visit(), check, []);
    expect(blocking).toEqual([
      expect.stringMatching(/^NCCI PTP: J1885 \(line 2\) is bundled into 12002 \(line 1\): an NCCI-associated modifier may bypass/),
      'MUE: 10 units of J1885 on 2026-03-01 exceed 8',
    ]);
    expect(warningEdits(visit(), check)).toEqual(['MUE (clinical): 9 units of J7050 on 2026-03-01 exceed 4']);
  });

  it('refuses an E/M code of another category, time on an ED visit, and an E/M no line carries (CPT E/M 2023)', () => {
    const d = visit({
      em: { category: 'emergency', basis: 'time', problems: null, data: null, risk: null, totalMinutes: 45, code: '99214' },
    });
    expect(blockingEdits(d, noEdits, [])).toEqual([
      'E/M 99214 is not a code of the emergency category',
      'E/M: emergency department visits are selected by MDM only, not by time (CPT E/M guidelines 2023)',
      'E/M 99214 is chosen but no service line carries it',
    ]);
    expect(blockingEdits(visit(), noEdits, ['S61.4 is not a billable code'])).toEqual(['S61.4 is not a billable code']);
  });

  it('warns when the chosen level is above the level supported', () => {
    const check = { ...noEdits, em: { code: '99283', byMdm: null, byTime: null, reasons: [], citation: '' } };
    expect(warningEdits(visit(), check)).toEqual(['E/M 99284 is above the level the recorded MDM supports (99283)']);
  });

  it('starts the E/M category from the encounter type, and diffs versions by code', () => {
    expect(['emergency', 'observation', 'outpatient'].map(defaultEmCategory)).toEqual([
      'emergency',
      'hospital-initial',
      'office-established',
    ]);
    expect(diffOutpatient(null, visit())).toEqual({ added: ['S61411A', '99284', 'E/M 99284'], removed: [] });
    expect(diffOutpatient(visit(), emptyOutpatientAbstract())).toEqual({ added: [], removed: ['S61411A', '99284', 'E/M 99284'] });
  });
});
