import { beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../claim/claim.js';
import { createCodeEditor, editClaim, editTypeOf, Edit, MCE_EDIT_NAMES, parseMceTables, type CodeEditor } from './index.js';
import { fiscalYearEnd } from './mce-tables.js';

/**
 * Edits whose attributes the 43.1 tables do not carry (postpayment edits: non-specific OR, open biopsy,
 * bilateral, non-specific PDX), on a tiny in-memory release, so the logic is ready for a release that does.
 */

const HEADER = 'code\tstart_date\tend_date\tflags\n';
const TEXTS = {
  dx: HEADER + 'M1710\t20151001\t\tmdc08\nR69\t20151001\t\tnonspecific\nK3580\t20151001\t\t\nZ9999\t20151001\t\tmsp\n',
  sg:
    HEADER +
    'BIOPSY1\t20151001\t\tbiopsy|or_indic\nNSPEC01\t20151001\t\tnonspecific|or_indic\nSPEC001\t20151001\t\tor_indic\nBILAT01\t20151001\t\tbilateral\nBILAT02\t20151001\t\tbilateral\n',
  ageRanges: 'age_group\tstart_age\tend_age\tstart_date\tend_date\nAdult\t15\t124\t19840301\t\n',
  dischargeStatus: 'code\tstartDate\tendDate\n1\t19801001\t\n20\t19801001\t\n',
};

let editor: CodeEditor;
beforeAll(() => {
  editor = createCodeEditor(parseMceTables(TEXTS), { release: 'test', lastDischargeDate: 20991231 });
});

const claim = (pdx: string, px: string[], over: Partial<Claim> = {}): Claim => ({
  id: 's1',
  ageYears: 50,
  sex: 'M',
  dischargeStatus: 1,
  dischargeDate: '2025-11-15',
  principalDx: { code: pdx, poa: 'Y' },
  secondaryDx: [],
  procedures: px.map((code) => ({ code })),
  ...over,
});

describe('postpayment edits on a synthetic release', () => {
  it('flags an open biopsy for postpayment review', () => {
    const r = editClaim(editor, claim('K3580', ['BIOPSY1']));
    expect(r.procedures[0]?.edits).toEqual(['OPEN_BIOPSY']);
    expect(r.editType).toBe('POSTPAYMENT');
  });

  it('flags a non-specific OR procedure only when no specific OR procedure is on the claim', () => {
    expect(editClaim(editor, claim('K3580', ['NSPEC01'])).edits).toEqual({ NONSPECIFIC_OR: 1 });
    expect(editClaim(editor, claim('K3580', ['NSPEC01', 'SPEC001'])).edits).toEqual({});
  });

  it('counts BILATERAL once for two bilateral codes with a musculoskeletal principal diagnosis', () => {
    const r = editClaim(editor, claim('M1710', ['BILAT01', 'BILAT02']));
    expect(r.procedures.map((p) => p.edits)).toEqual([['BILATERAL'], ['BILATERAL']]);
    expect(r.edits).toEqual({ BILATERAL: 1 });
    expect(editClaim(editor, claim('K3580', ['BILAT01', 'BILAT02'])).edits).toEqual({});
    expect(editClaim(editor, claim('M1710', ['BILAT01', 'BILAT01'])).edits).toEqual({});
  });

  it('flags a non-specific principal diagnosis unless the patient died', () => {
    expect(editClaim(editor, claim('R69', [])).edits).toEqual({ NONSPECIFIC_PDX: 1 });
    expect(editClaim(editor, claim('R69', [], { dischargeStatus: 20 })).edits).toEqual({});
  });

  it('gives BOTH when prepayment and postpayment edits fire', () => {
    const r = editClaim(editor, claim('R69', ['BIOPSY1'], { dischargeStatus: 2 }));
    expect(r.edits).toEqual({ INVALID_DISCHARGE_STATUS: 1, NONSPECIFIC_PDX: 1, OPEN_BIOPSY: 1 });
    expect(r.editType).toBe('BOTH');
  });

  it('flags Medicare as secondary payer on any diagnosis', () => {
    expect(editClaim(editor, claim('K3580', [], { secondaryDx: [{ code: 'Z9999', poa: 'Y' }] })).editType).toBe('POSTPAYMENT');
  });
});

describe('edit catalogue and release dates', () => {
  it('derives the edit type from counts', () => {
    const counts = new Int32Array(MCE_EDIT_NAMES.length);
    expect(editTypeOf(counts)).toBe('NONE');
    counts[Edit.INVALID_ADMIT_DX] = 1;
    expect(editTypeOf(counts)).toBe('NONE');
    counts[Edit.BILATERAL] = 1;
    expect(editTypeOf(counts)).toBe('POSTPAYMENT');
    counts[Edit.UNSPECIFIED] = 1;
    expect(editTypeOf(counts)).toBe('BOTH');
  });

  it.each([
    [20260401, 20260930],
    [20251001, 20260930],
    [20250930, 20250930],
  ])('a release last updated %i edits discharges through %i', (lastUpdate, end) => {
    expect(fiscalYearEnd(lastUpdate)).toBe(end);
  });

  it('reports table attributes the engine does not know', () => {
    const t = parseMceTables({ ...TEXTS, dx: HEADER + 'A000\t20151001\t\tbrandnew\n' });
    expect(t.unknownFlags).toEqual(['i10dx_master.tsv:brandnew']);
  });

  it('names the file and line of a malformed table row', () => {
    expect(() => parseMceTables({ ...TEXTS, sg: HEADER + 'X\t2015-10-01\t\t\n' })).toThrow(/i10sg_master.tsv line 2/);
  });
});
