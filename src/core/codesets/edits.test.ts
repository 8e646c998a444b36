import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import { NO_EDITS, mergeNcciFiles, parseAddendumB, parseMueFile, parsePtpFile } from './edits.js';
import { CodeSetFileError } from './errors.js';
import { readEdits } from './store.js';

// Small files in CMS's published layouts, written for these tests (the real ones are AMA-licensed and not shipped).
const PTP = [
  'CPT only copyright 2025 American Medical Association. All rights reserved.',
  '',
  'Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale',
  '99284\t36415\t\t20260101\t*\t1\tStandards of medical / surgical practice',
  '71046\t71045\t\t20260101\t*\t0\tMutually exclusive procedures',
  '99284\t96374\t\t20250101\t20260101\t1\tDeleted at the start of 2026',
].join('\r\n');

const MUE = [
  '"Current Procedural Terminology (CPT) codes, descriptions and other data only are copyright 2025 American Medical Association. All rights reserved.",,,',
  '"HCPCS/',
  'CPT Code",Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale',
  '71046,2,3 Date of Service Edit: Clinical,Clinical: Data',
  '96372,4,1 Line Edit,Clinical: Data',
  'J1885,8,3 Date of Service Edit: Clinical,Prescribing Information',
].join('\r\n');

const ADDB = [
  'Addendum B.-Final OPPS Payment by HCPCS Code for CY 2026,,,,,',
  ',,,,,',
  'HCPCS Code,Short Descriptor,SI,APC,Relative Weight,Payment Rate',
  'G0463,Hospital outpt clinic visit,J2,5012,1.4879,$136.02 ',
  '99285,,J2,5025,5.2,"$1,234.50"',
  '36415,,N,,,',
].join('\r\n');

function rejected(fn: () => unknown): CodeSetFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodeSetFileError) return e;
    throw e;
  }
  throw new Error('expected CodeSetFileError');
}

describe('NCCI PTP file (CMS layout: Column 1, Column 2, effective/deletion dates, modifier indicator)', () => {
  it('reads the rows after the AMA notice and header, "*" as no deletion date', () => {
    const t = parsePtpFile(PTP, 'ccioph-v321r0-f1.txt', 'hospital');
    expect(t.column1).toEqual(['99284', '71046', '99284']);
    expect(t.column2).toEqual(['36415', '71045', '96374']);
    expect(t.deletion).toEqual(['', '', '2026-01-01']);
    expect(t.modifierIndicator).toBe('101');
  });

  it.each([
    ['a bad modifier indicator', `${PTP}\r\n99284\t93005\t\t20260101\t*\t2\tx`, 7, /modifier indicator/],
    ['a bad date', `${PTP}\r\n99284\t93005\t\t2026-01-01\t*\t1\tx`, 7, /effective date/],
    ['a row that is not a pair of codes', `${PTP}\r\nbad\trow`, 7, /column 1 and column 2/],
    ['a file without the header', '99284\t36415\t\t20260101\t*\t1\tx', 1, /no "Column 1" header/],
  ])('rejects %s naming the file and line', (_what, text, line, message) => {
    const e = rejected(() => parsePtpFile(text, 'ccipra-v321r0-f1.txt', 'practitioner'));
    expect([e.file, e.line]).toEqual(['ccipra-v321r0-f1.txt', line]);
    expect(e.message).toMatch(message);
  });
});

describe('MUE file (CMS layout: code, MUE value, adjudication indicator, rationale)', () => {
  it('reads the setting from the header (split over two lines in the CMS file) and the indicators', () => {
    const t = parseMueFile(MUE, 'MCR_MUE_OutpatientHospitalServices_Eff_01-01-2026.csv');
    expect(t.setting).toBe('hospital');
    expect(t.codes).toEqual(['71046', '96372', 'J1885']);
    expect(t.values).toEqual([2, 4, 8]);
    expect(t.indicators).toBe('313');
  });

  it.each([
    ['a value that is not a number', `${MUE}\r\n99213,two,3 Date of Service Edit: Clinical,x`, 7, /whole number/],
    ['an unknown indicator', `${MUE}\r\n99213,2,4 Something,x`, 7, /adjudication indicator/],
  ])('rejects %s naming the file and line', (_what, text, line, message) => {
    const e = rejected(() => parseMueFile(text, 'MCR_MUE_x.csv'));
    expect([e.file, e.line]).toEqual(['MCR_MUE_x.csv', line]);
    expect(e.message).toMatch(message);
  });
});

describe('OPPS Addendum B (CMS CSV layout)', () => {
  it('reads status indicator, APC, weight and rate by header name, dropping the descriptors', () => {
    const t = parseAddendumB(ADDB, 'addendum-b.csv');
    expect(t.title).toBe('Addendum B.-Final OPPS Payment by HCPCS Code for CY 2026');
    expect(t.codes).toEqual(['G0463', '99285', '36415']);
    expect(t.statusIndicators).toEqual(['J2', 'J2', 'N']);
    expect(t.apcs).toEqual(['5012', '5025', '']);
    expect(t.weights).toEqual([1.4879, 5.2, null]);
    expect(t.rates).toEqual([136.02, 1234.5, null]);
    expect(t).not.toHaveProperty('descriptors');
  });

  it('rejects a bad APC naming the file and line', () => {
    const e = rejected(() => parseAddendumB(`${ADDB}\r\n71046,,S,55,0.97,$88.91`, 'addendum-b.csv'));
    expect([e.file, e.line]).toEqual(['addendum-b.csv', 7]);
    expect(e.message).toMatch(/APC must be four digits/);
  });
});

describe('custodian codes import-ncci / import-opps', () => {
  it('merges PTP and MUE files by setting and writes them beside the snapshot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ncci-'));
    const ptp = path.join(dir, 'ccioph-v321r0-f1.txt');
    const mue = path.join(dir, 'MCR_MUE_OutpatientHospitalServices_Eff_01-01-2026.csv');
    const addb = path.join(dir, 'january-2026-addendum-b.csv');
    writeFileSync(ptp, PTP);
    writeFileSync(mue, MUE);
    writeFileSync(addb, ADDB);
    const out = path.join(dir, 'snap');
    const r = await runCli(['codes', 'import-ncci', ptp, mue, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/PTP hospital: 3 edits/);
    expect(r.out).toMatch(/MUE hospital: 3 codes/);
    expect((await runCli(['codes', 'import-opps', addb, '--out', out])).code).toBe(0);
    const edits = readEdits(out);
    expect(edits.ptp.hospital?.column1).toHaveLength(3);
    expect(edits.ptp.practitioner).toBeNull();
    expect(edits.mue.hospital?.codes).toHaveLength(3);
    expect(edits.opps?.codes).toHaveLength(3);
    const bad = path.join(dir, 'ccipra-v321r0-f1.txt');
    writeFileSync(bad, `${PTP}\r\n99284\t93005\t\t20260101\t*\t7\tx`);
    const fail = await runCli(['codes', 'import-ncci', bad, '--out', out]);
    expect(fail.code).not.toBe(0);
    expect(fail.err).toContain(`${bad}:7: modifier indicator must be 0, 1 or 9`);
  });

  it('refuses a file it cannot tell apart by name', () => {
    const e = rejected(() => mergeNcciFiles(NO_EDITS, [{ name: 'edits.txt', text: PTP }]));
    expect(e.message).toMatch(/ccipra- or ccioph-/);
  });
});
