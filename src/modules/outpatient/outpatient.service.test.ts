import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDataDir } from '../../../test/support/data.js';
import { importNcci, importOpps, loadCodeSets } from '../../core/codesets/index.js';
import type { CodesService } from '../codes/index.js';
import { checkOutpatientCodes } from './outpatient.service.js';

// Small files in CMS's published layouts (the real ones are AMA-licensed and imported by the user).
const PTP = [
  'CPT only copyright 2025 American Medical Association.',
  'Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale',
  '12002\tJ1885\t\t20200101\t*\t1\tMisuse of column two code with column one code',
].join('\n');
const MUE = [
  'HCPCS/CPT Code,Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale',
  'J1885,8,3 Date of Service Edit: Clinical,x',
].join('\n');
const ADDB = [
  'Addendum B.-Final OPPS Payment by HCPCS Code for CY 2026,,,,,',
  'HCPCS Code,Short Descriptor,SI,APC,Relative Weight,Payment Rate',
  'G0463,,J2,5012,1.4879,$136.02',
].join('\n');

describe('outpatient check with the imported NCCI, MUE and Addendum B tables', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpatient-'));
  const files = {
    ptp: path.join(dir, 'ccioph-v321r0-f1.txt'),
    mue: path.join(dir, 'MCR_MUE_OutpatientHospitalServices.csv'),
    addb: path.join(dir, 'addb.csv'),
  };
  writeFileSync(files.ptp, PTP);
  writeFileSync(files.mue, MUE);
  writeFileSync(files.addb, ADDB);
  const snap = path.join(dir, 'codesets');
  importNcci({ files: [files.ptp, files.mue], outDir: snap });
  importOpps({ file: files.addb, outDir: snap });
  // The snapshot folder holds only the imports: the official files are read from the data dir.
  const sets = loadCodeSets({ dataDir: testDataDir, snapshotDir: snap });
  const codes: CodesService = { warmUp: () => undefined, ready: () => true, sets: () => sets };
  const DOS = '2026-03-02';

  it('shows PTP conflicts with whether a modifier bypasses, MUE excess and each line APC (facility side)', () => {
    const r = checkOutpatientCodes(codes, {
      side: 'facility',
      diagnoses: [{ code: 'S61411A' }],
      lines: [
        { code: 'G0463', modifiers: [], units: 1, dateOfService: DOS, pointers: [1], revenueCode: '0510' },
        { code: '12002', modifiers: [], units: 1, dateOfService: DOS, pointers: [1], revenueCode: '0450' },
        { code: 'J1885', modifiers: [], units: 10, dateOfService: DOS, pointers: [1], revenueCode: '0636' },
      ],
    });
    expect(r.ptp).toMatchObject({
      loaded: true,
      conflicts: [{ column1: '12002', column2: 'J1885', modifierIndicator: '1', bypassed: false }],
    });
    expect(r.mue).toMatchObject({ loaded: true, excess: [{ code: 'J1885', units: 10, mue: 8, indicator: '3' }] });
    expect(r.opps.loaded).toBe(true);
    expect(r.lines[0]).toMatchObject({
      code: 'G0463',
      title: expect.stringMatching(/^Hospital outpatient clinic visit/) as string,
      opps: { statusIndicator: 'J2', apc: '5012' },
    });
    expect(r.findings).toEqual([]);
  });

  it('uses the practitioner tables on the professional side, which were not imported', () => {
    const r = checkOutpatientCodes(codes, {
      side: 'professional',
      diagnoses: [{ code: 'S61411A' }],
      lines: [{ code: '12002', modifiers: ['XS'], units: 1, dateOfService: DOS, pointers: [1] }],
    });
    expect(r.ptp.loaded).toBe(false);
    expect(r.mue.loaded).toBe(false);
    expect(r.opps.loaded).toBe(false);
  });
});
