/**
 * One small hand-made claim per grouping step. Codes were chosen by reading the v43 tables (dx.tsv,
 * pr.tsv, cc_exclusion_groups.tsv, drg_formulas.tsv) and, where the dev set has a matching claim, the
 * expected answer was checked against the CMS grouper's (see the comment on each test).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../claim/claim.js';
import { explainClaim, groupClaim, loadGrouper, versionForDate, whatIf, type Grouper } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

let g: Grouper;
beforeAll(() => {
  g = loadGrouper(testDataDir, '43.0');
});

type ClaimInput = Partial<Omit<Claim, 'secondaryDx' | 'procedures' | 'principalDx'>> & {
  pdx?: string;
  pdxPoa?: Claim['principalDx']['poa'];
  sdx?: (string | [string, Claim['principalDx']['poa']])[];
  procs?: string[];
};

function makeClaim(input: ClaimInput = {}): Claim {
  const { pdx = 'J189', pdxPoa = 'Y', sdx = [], procs = [], ...rest } = input;
  return {
    id: 'test',
    ageYears: 70,
    sex: 'F',
    dischargeStatus: 1,
    principalDx: { code: pdx, poa: pdxPoa },
    secondaryDx: sdx.map((d) => (typeof d === 'string' ? { code: d, poa: 'Y' } : { code: d[0], poa: d[1] })),
    procedures: procs.map((code) => ({ code })),
    ...rest,
  };
}

const group = (input: ClaimInput) => groupClaim(g, makeClaim(input));

describe('pre-MDC', () => {
  it('assigns ECMO to DRG 003 whatever the principal diagnosis, reporting the principal diagnosis MDC', () => {
    // dev claim with PDX I25750 + 5A1522F -> 003, MDC 05
    const r = group({ pdx: 'I25750', procs: ['5A1522F'] });
    expect([r.finalDrg, r.finalMdc, r.medSurg]).toEqual(['003', '05', 'SURGICAL']);
  });
  it('splits heart transplant into DRG 001 with MCC and 002 without', () => {
    expect(group({ pdx: 'I25750', procs: ['02YA0Z0'], sdx: ['J9602'] }).finalDrg).toBe('001');
    expect(group({ pdx: 'I25750', procs: ['02YA0Z0'] }).finalDrg).toBe('002');
  });
  it('reroutes multiple significant trauma to MDC 24', () => {
    // dev claim c110012374: S37898A + S24101A -> 965, MDC 24; the trauma MCC does not count (stcc suppression)
    const r = group({ pdx: 'S37898A', sdx: ['S24101A'], dischargeStatus: 88 });
    expect([r.finalDrg, r.finalMdc, r.severity, r.secondaryDxSeverity]).toEqual(['965', '24', 'NON_CC', ['MCC_EXCLUDED_BY_DRG_LOGIC']]);
  });
});

describe('MDC by principal diagnosis', () => {
  it('groups simple pneumonia to MDC 04 and splits by MCC / CC / neither (DRGs 193-195)', () => {
    expect(group({}).finalMdc).toBe('04');
    expect(group({}).finalDrg).toBe('195');
    expect(group({ sdx: ['N179'] }).finalDrg).toBe('194'); // CMS cross-check: J189 + N179 -> 194
    expect(group({ sdx: ['J9602'] }).finalDrg).toBe('193');
  });
  it('uses the patient sex for a sex-dependent principal diagnosis (B3741: male MDC 12, female MDC 13)', () => {
    expect(group({ pdx: 'B3741', sex: 'M' }).finalMdc).toBe('12');
    expect(group({ pdx: 'B3741', sex: 'F' }).finalMdc).toBe('13');
  });
  it('explains why the principal diagnosis led to the MDC', () => {
    const e = explainClaim(g, makeClaim({ pdx: 'B3741', sex: 'M' }));
    expect(e.explanation.mdcReason).toContain('sex-dependent');
  });
});

describe('invalid claims', () => {
  it('makes a claim with an unknown principal diagnosis ungroupable (999, INVALID_PDX)', () => {
    const r = group({ pdx: 'ZZZ99', sdx: ['N179'] });
    expect([r.initialDrg, r.finalMdc, r.initialReturnCode, r.medSurg, r.severity]).toEqual(['999', '00', 'INVALID_PDX', 'NONE', 'NONE']);
    expect(r.secondaryDxSeverity).toEqual(['NEITHER']);
  });
  it('rejects an external cause (E-code) principal diagnosis (999, DX_CANNOT_BE_PDX)', () => {
    const r = group({ pdx: 'W19XXXA' });
    expect([r.finalDrg, r.finalReturnCode]).toEqual(['999', 'DX_CANNOT_BE_PDX']);
  });
  it('makes an invalid discharge status ungroupable only where the DRG logic reads the status', () => {
    // dev claim c110007079: F13130 (MDC 20) with status 08 -> 999 INVALID_DISCHARGE_STATUS
    expect(group({ pdx: 'F13130', dischargeStatus: 8 }).finalReturnCode).toBe('INVALID_DISCHARGE_STATUS');
    expect(group({ pdx: 'F13130', dischargeStatus: 1 }).finalReturnCode).toBe('OK');
    expect(group({ pdx: 'J189', dischargeStatus: 8 }).finalDrg).toBe('195');
  });
});

describe('procedures', () => {
  it('flags operating-room procedures (no nonor attribute) and ignores unknown codes', () => {
    expect(group({ pdx: 'S32002B', procs: ['0RG00AJ', '0B9P30Z', '0ZZZZZZ'] }).proceduresOR).toEqual([true, false, false]);
  });
  it('makes a claim surgical with an O.R. procedure of the MDC (cervical fusion, DRG 473)', () => {
    // dev claim c110000002: S32002B + 0RG00AJ -> 473
    const r = group({ pdx: 'S32002B', procs: ['0RG00AJ'], ageYears: 65, sex: 'M', dischargeStatus: 7 });
    expect([r.finalDrg, r.medSurg]).toEqual(['473', 'SURGICAL']);
  });
  it('sends an O.R. procedure unrelated to the MDC to DRGs 981-983 (extensive) or 987-989 (non-extensive)', () => {
    expect(group({ procs: ['0DTJ4ZZ'] }).finalDrg).toBe('983'); // appendectomy with pneumonia
    expect(group({ procs: ['0DTJ4ZZ'], sdx: ['J9602'] }).finalDrg).toBe('981');
    expect(group({ procs: ['0DTJ4ZZ'], sdx: ['N179'] }).finalDrg).toBe('982');
    expect(group({ procs: ['0JHS01Z'] }).finalDrg).toBe('989');
    expect(group({ procs: ['0DTJ4ZZ'] }).medSurg).toBe('SURGICAL');
  });
  it('keeps a non-O.R. procedure medical', () => {
    const r = group({ procs: ['0B9P30Z'] });
    expect([r.finalDrg, r.medSurg]).toEqual(['195', 'MEDICAL']);
  });
});

describe('CC / MCC', () => {
  it('excludes a CC that is in the principal diagnosis exclusion list', () => {
    // CMS cross-check: PDX A001 + SDX A030 -> 373 (A030 in A001's CC-exclusion group)
    const r = group({ pdx: 'A001', sdx: ['A030'] });
    expect([r.finalDrg, r.severity, r.secondaryDxSeverity]).toEqual(['373', 'NON_CC', ['CC_EXCLUDED']]);
    const e = explainClaim(g, makeClaim({ pdx: 'A001', sdx: ['A030'] }));
    expect(e.explanation.secondaryDx[0]?.reason).toContain('CC-exclusion group');
  });
  it('counts an "MCC only if alive" code only when the patient did not die', () => {
    expect(group({ sdx: ['I462'], dischargeStatus: 1 }).secondaryDxSeverity).toEqual(['MCC']);
    const died = group({ sdx: ['I462'], dischargeStatus: 20 });
    expect([died.finalDrg, died.secondaryDxSeverity]).toEqual(['195', ['NEITHER']]);
  });
  it('ignores an invalid secondary code', () => {
    expect(group({ sdx: ['ZZZ99'] }).secondaryDxSeverity).toEqual(['NEITHER']);
  });
});

describe('hospital-acquired conditions (POA not exempt)', () => {
  // S32475A (pelvic fracture) is on HAC 05 (falls and trauma) and is an MCC, not excluded by J189.
  const hac = (poa: Claim['principalDx']['poa'], extra: ClaimInput['sdx'] = []) => group({ sdx: [['S32475A', poa], ...extra] });
  it('ignores a HAC present on admission (Y, W)', () => {
    for (const poa of ['Y', 'W'] as const) {
      const r = hac(poa);
      expect([r.initialDrg, r.finalDrg, r.hacStatus, r.secondaryDxSeverity[0]]).toEqual(['193', '193', 'NOT_APPLICABLE', 'MCC']);
    }
  });
  it('drops the CC/MCC of a HAC not present on admission (N, U) for the final DRG', () => {
    for (const poa of ['N', 'U'] as const) {
      const r = hac(poa);
      expect([r.initialDrg, r.finalDrg, r.hacStatus, r.secondaryDxSeverity[0]]).toEqual(['193', '195', 'FINAL_DRG_CHANGES', 'NEITHER']);
    }
  });
  it('reports no change when another MCC keeps the final DRG', () => {
    const r = hac('N', ['J9602']);
    expect([r.finalDrg, r.hacStatus]).toEqual(['193', 'FINAL_DRG_NO_CHANGE']);
  });
  it('makes the final DRG ungroupable when a HAC has a blank or 1 POA', () => {
    for (const poa of ['', '1'] as const) {
      const r = hac(poa);
      expect([r.initialDrg, r.finalDrg, r.finalMdc, r.finalReturnCode, r.hacStatus]).toEqual([
        '193',
        '999',
        '00',
        'HAC_MISSING_ONE_POA',
        'FINAL_DRG_UNGROUPABLE',
      ]);
    }
  });
  it('applies a procedure-dependent HAC (HAC 10, DVT after hip replacement) only with the procedure', () => {
    expect(group({ sdx: [['I82442', 'N']] }).hacStatus).toBe('NOT_APPLICABLE');
    const r = group({ sdx: [['I82442', 'N']], procs: ['0SRB019'] });
    expect([r.initialDrg, r.finalDrg, r.hacStatus]).toEqual(['982', '983', 'FINAL_DRG_CHANGES']);
  });
});

describe('newborns (MDC 15)', () => {
  const newborn = (input: ClaimInput) => group({ ageYears: 0, ageDaysAdmit: 0, ageDaysDischarge: 2, ...input });
  it('groups a normal newborn to DRG 795', () => {
    expect(newborn({ pdx: 'Z3800' }).finalDrg).toBe('795');
  });
  it('groups a preterm newborn without major problems to DRG 792', () => {
    expect(newborn({ pdx: 'Z3800', sdx: ['P0710'] }).finalDrg).toBe('792');
  });
  it('groups a newborn who died or was transferred to acute care to DRG 789', () => {
    expect(newborn({ pdx: 'Z3800', dischargeStatus: 20 }).finalDrg).toBe('789');
    expect(newborn({ pdx: 'Z3800', dischargeStatus: 2 }).finalDrg).toBe('789');
  });
});

describe('version rule and what-if', () => {
  it('picks 43.0 from 2025-10-01 and 43.1 from 2026-04-01', () => {
    expect(versionForDate(['43.0', '43.1'], '2025-10-01')).toBe('43.0');
    expect(versionForDate(['43.0', '43.1'], '2026-03-31')).toBe('43.0');
    expect(versionForDate(['43.0', '43.1'], '2026-04-01')).toBe('43.1');
    expect(versionForDate(['43.0', '43.1'], '2025-09-30')).toBeUndefined();
  });
  it('shows the DRG with each code removed and with a candidate added', () => {
    const w = whatIf(g, makeClaim({ sdx: ['J9602'], procs: ['0DTJ4ZZ'] }), { secondaryDx: ['N179'] });
    expect(w.baseline.finalDrg).toBe('981');
    expect(w.withoutSecondaryDx[0]?.finalDrg).toBe('983');
    expect(w.withoutProcedure[0]?.finalDrg).toBe('193');
    expect(w.withAdded[0]?.changesDrg).toBe(false);
  });
});
