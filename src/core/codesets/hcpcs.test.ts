import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDataDir } from '../../../test/support/data.js';
import { buildHcpcsReleases } from './build.js';
import { prepareCodeSets } from './codesets.js';
import { CodeSetFileError } from './errors.js';
import { cptFormatCheck, hcpcsValidOn, parseCptFiles, parseHcpcsFile } from './hcpcs.js';
import { checkModifier, checkServiceCode, hcpcsReleaseFor, outpatientCodeDetails, searchOutpatient } from './outpatient.js';
import { discoverSources } from './sources.js';
import { importCpt, readCpt } from './store.js';
import type { CodeSetsData, HcpcsRelease } from './types.js';

/** One record in the HCPCS Contractor Record layout (2026): fields placed at their 1-based positions, 320 wide. */
function record(f: {
  code: string;
  ric: '3' | '4' | '7' | '8';
  seq?: string;
  long: string;
  short?: string;
  pricing?: string;
  coverage?: string;
  betos?: string;
  added?: string;
  actionEff?: string;
  term?: string;
  action?: string;
}): string {
  const row = Array.from({ length: 320 }, () => ' ');
  const put = (pos: number, text: string): void => {
    for (let k = 0; k < text.length; k++) row[pos - 1 + k] = text.charAt(k);
  };
  put(f.ric === '7' || f.ric === '8' ? 4 : 1, f.code);
  put(6, f.seq ?? '00100');
  put(11, f.ric);
  put(12, f.long.padEnd(80).slice(0, 80));
  if (f.ric === '3' || f.ric === '7') {
    put(92, (f.short ?? '').slice(0, 28));
    put(120, f.pricing ?? '');
    put(230, f.coverage ?? 'C');
    put(257, f.betos ?? '');
    put(269, f.added ?? '20200101');
    put(277, f.actionEff ?? f.added ?? '20200101');
    put(285, f.term ?? '');
    put(293, f.action ?? 'N');
  }
  return row.join('');
}

const REL = { id: 'hcpcs-test', label: 'HCPCS test file', effectiveFrom: '2026-01-01', effectiveTo: '2026-12-31' };

const SAMPLE = [
  record({ code: 'A1', ric: '7', long: 'Dressing for one wound', short: 'Dressing for one wound', added: '20020701' }),
  record({
    code: 'XE',
    ric: '7',
    long: 'Separate encounter, a service that is distinct because it occurred during a',
    short: 'Separate encounter',
    added: '20150101',
  }),
  record({ code: 'XE', ric: '8', seq: '00200', long: 'separate encounter' }),
  record({ code: 'ZZ', ric: '7', long: 'Retired modifier', short: 'Retired', added: '20100101', term: '20241231', action: 'D' }),
  record({
    code: 'G0463',
    ric: '3',
    long: 'Hospital outpatient clinic visit for assessment and management of a patient',
    short: 'Hospital outpt clinic visit',
    pricing: '00',
    betos: 'M1B',
    added: '20140101',
  }),
  record({
    code: 'J0171',
    ric: '3',
    long: 'Injection, adrenalin, epinephrine, 0.1 mg',
    short: 'Adrenalin epinephrine inject',
    pricing: '51',
    coverage: 'D',
    added: '20110101',
    actionEff: '20250701',
    term: '20250630',
  }),
  record({
    code: 'A4206',
    ric: '3',
    long: 'Syringe with needle, sterile, 1 cc or less, each, long enough to need a',
    short: '1 cc sterile syringe&needle',
    pricing: '00',
    added: '19850101',
  }),
  record({ code: 'A4206', ric: '4', seq: '00200', long: 'second line of text' }),
  record({
    code: 'G9871',
    ric: '3',
    long: 'A code added in the new year',
    short: 'New code',
    pricing: '13',
    added: '20260101',
    action: 'A',
  }),
  ' '.repeat(296),
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

function setsOf(hcpcs: HcpcsRelease[], cpt: CodeSetsData['cpt'] = null) {
  return prepareCodeSets({ formatVersion: 5, builtAt: '', cm: [], pcs: [], notes: [], cmValidity: null, pcsValidity: null, hcpcs, cpt });
}

describe('HCPCS Level II file (CMS HCPCS Contractor Record layout 2026)', () => {
  const rel = parseHcpcsFile(SAMPLE, 'HCPC2026_JAN_ANWEB.txt', REL);

  it('reads procedure records (RIC 3) and modifier records (RIC 7, code in positions 4-5)', () => {
    expect(rel.codes.map((c) => c.code)).toEqual(['A4206', 'G0463', 'G9871', 'J0171']);
    expect(rel.modifiers.map((m) => m.code)).toEqual(['A1', 'XE', 'ZZ']);
    const g = rel.codes.find((c) => c.code === 'G0463');
    expect(g).toMatchObject({
      short: 'Hospital outpt clinic visit',
      pricing: ['00'],
      coverage: 'C',
      betos: 'M1B',
      added: '2014-01-01',
      terminated: '',
    });
  });

  it('joins continuation lines (RIC 4 and 8) to the long description of the record before them', () => {
    expect(rel.codes.find((c) => c.code === 'A4206')?.long).toBe(
      'Syringe with needle, sterile, 1 cc or less, each, long enough to need a second line of text',
    );
    expect(rel.modifiers.find((m) => m.code === 'XE')?.long).toBe(
      'Separate encounter, a service that is distinct because it occurred during a separate encounter',
    );
  });

  it('dates a code by its added and termination dates (the termination date is the last day it may be reported)', () => {
    const j = rel.codes.find((c) => c.code === 'J0171');
    expect(j?.terminated).toBe('2025-06-30');
    expect(j && hcpcsValidOn(j, '2025-06-30')).toBe(true);
    expect(j && hcpcsValidOn(j, '2025-07-01')).toBe(false);
    const g = rel.codes.find((c) => c.code === 'G9871');
    expect(g && hcpcsValidOn(g, '2025-12-31')).toBe(false);
    expect(g && hcpcsValidOn(g, '2026-01-01')).toBe(true);
  });

  it.each([
    ['a short record', SAMPLE.replace(/^.*$/m, 'A1   00100'), 1, /320/],
    ['an unknown record identification code', SAMPLE.replace(/^(.{10})7/m, '$19'), 1, /position 11/],
    [
      'a continuation that does not follow its code',
      [record({ code: 'A4206', ric: '4', long: 'orphan' })].join('\n'),
      1,
      /does not follow/,
    ],
    ['a bad date', record({ code: 'G0463', ric: '3', long: 'x', added: '2014AB01' }), 1, /added date/],
    ['a bad procedure code', record({ code: '99213', ric: '3', long: 'x' }), 1, /HCPCS Level II code/],
    [
      'a bad coverage code',
      [SAMPLE.split('\r\n')[0], record({ code: 'G0463', ric: '3', long: 'x', coverage: 'Q' })].join('\n'),
      2,
      /coverage/,
    ],
  ])('rejects %s naming the file and line', (_what, text, line, message) => {
    const e = rejected(() => parseHcpcsFile(text, 'bad.txt', REL));
    expect(e.file).toBe('bad.txt');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`bad.txt:${line}: `)).toBe(true);
  });

  it('picks the file by date of service and says so when the date precedes it', () => {
    const sets = setsOf([rel]);
    expect(hcpcsReleaseFor(sets, '2026-03-01').notice).toBeUndefined();
    expect(hcpcsReleaseFor(sets, '2025-03-01').notice).toMatch(/precedes/);
    expect(() => hcpcsReleaseFor(sets, '2027-01-01')).toThrow(/no HCPCS Level II release loaded for 2027-01-01/);
  });

  it('checks service-line codes and modifiers on the date of service', () => {
    const sets = setsOf([rel]);
    expect(checkServiceCode(sets, 'j0171', '2025-05-01')).toMatchObject({ ok: true, system: 'hcpcs' });
    expect(checkServiceCode(sets, 'J0171', '2026-02-01')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/last day 2025-06-30/) as string,
    });
    expect(checkServiceCode(sets, 'Q9999', '2026-02-01')).toMatchObject({ ok: false, message: expect.stringMatching(/not in/) as string });
    expect(checkServiceCode(sets, '99284', '2026-02-01')).toMatchObject({ ok: true, system: 'cpt' });
    expect(checkServiceCode(sets, '9928', '2026-02-01')).toMatchObject({ ok: false });
    expect(checkModifier(sets, 'XE', '2026-02-01')).toMatchObject({ ok: true, kind: 'hcpcs' });
    expect(checkModifier(sets, 'ZZ', '2026-02-01')).toMatchObject({ ok: false, message: 'ZZ is not valid on 2026-02-01' });
    expect(checkModifier(sets, '25', '2026-02-01')).toMatchObject({ ok: true, kind: 'cpt' });
    expect(checkModifier(sets, 'Q7', '2026-02-01')).toMatchObject({ ok: false, message: 'Q7 is not a HCPCS Level II modifier' });
  });

  it('searches by code prefix and by words', () => {
    const sets = setsOf([rel]);
    expect(searchOutpatient(sets, 'G04', { system: 'hcpcs', date: '2026-02-01' }).hits.map((h) => h.code)).toEqual(['G0463']);
    expect(searchOutpatient(sets, 'outpatient clin', { system: 'hcpcs', date: '2026-02-01' }).hits[0]?.code).toBe('G0463');
    const epi = searchOutpatient(sets, 'epinephrine', { system: 'hcpcs', date: '2026-02-01' }).hits[0];
    expect(epi).toMatchObject({ code: 'J0171', validOnDate: false });
  });
});

describe('the official January 2026 HCPCS file', () => {
  const releases = buildHcpcsReleases(testDataDir, discoverSources(testDataDir), () => undefined);

  it('loads once although it is both in the CMS zip and gzipped, with every code and modifier', () => {
    expect(releases).toHaveLength(1);
    const [r] = releases;
    expect(r?.effectiveFrom).toBe('2026-01-01');
    expect(r?.codes).toHaveLength(8623);
    expect(r?.modifiers).toHaveLength(383);
    expect(r?.codes.filter((c) => c.terminated !== '')).toHaveLength(1300);
    const sets = setsOf(releases);
    expect(outpatientCodeDetails(sets, 'G0463', { system: 'hcpcs', date: '2026-02-01' })).toMatchObject({
      title: 'Hospital outpatient clinic visit for assessment and management of a patient',
      betos: 'M1B',
      validOnDate: true,
    });
    expect(checkModifier(sets, 'XU', '2026-02-01').title).toMatch(/Unusual non-overlapping service/);
  });
});

describe('CPT (AMA, licensed) import', () => {
  it('reads the AMA long, medium and short descriptor files and a plain code<TAB>description file', () => {
    const d = parseCptFiles(
      [
        {
          name: '/x/LONGULT.txt',
          text: '99284\tEmergency department visit for the evaluation and management of a patient\n12001\tSimple repair of superficial wounds\n',
        },
        { name: 'MEDU.txt', text: '99284\tEMERGENCY DEPARTMENT VISIT MOD MDM\n' },
        { name: 'SHORTU.txt', text: 'Code\tDescriptor\n99284\tEMERGENCY DEPT VISIT MOD MDM\n' },
      ],
      '2026-12-07T00:00:00Z',
    );
    expect(d.codes).toEqual(['12001', '99284']);
    expect(d.medium[1]).toBe('EMERGENCY DEPARTMENT VISIT MOD MDM');
    expect(d.short[1]).toBe('EMERGENCY DEPT VISIT MOD MDM');
    expect(d.files).toEqual(['LONGULT.txt', 'MEDU.txt', 'SHORTU.txt']);
    const sets = setsOf([], d);
    expect(searchOutpatient(sets, 'wound repair', { system: 'cpt', date: '2026-02-01' }).hits[0]?.code).toBe('12001');
    expect(outpatientCodeDetails(sets, '99284', { system: 'cpt', date: '2026-02-01' })).toMatchObject({ licensed: true, known: true });
    expect(checkServiceCode(sets, '99285', '2026-02-01')).toMatchObject({ ok: false });
  });

  it.each([
    ['a line without a tab', '99284\tED visit\n99285 ED visit high\n', 2, /not a CPT code/],
    ['a code without a descriptor', '99284\t\n', 1, /no descriptor/],
    ['a non-CPT code', '99284\tED\nG0463\tclinic\n', 2, /not a CPT code/],
  ])('rejects %s naming the file and line', (_what, text, line, message) => {
    const e = rejected(() => parseCptFiles([{ name: 'cpt.txt', text }], '2026-12-07T00:00:00Z'));
    expect([e.file, e.line]).toEqual(['cpt.txt', line]);
    expect(e.message).toMatch(message);
  });

  it('is written beside the snapshot and read back; without it codes are checked for format and range only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cpt-'));
    const file = path.join(dir, 'codes.txt');
    writeFileSync(file, '99284\tEmergency department visit\n');
    expect(readCpt(dir)).toBeNull();
    expect(importCpt({ files: [file], outDir: dir })).toMatchObject({ codes: 1 });
    expect(readCpt(dir)?.codes).toEqual(['99284']);
    const none = setsOf([]);
    expect(outpatientCodeDetails(none, '99284', { system: 'cpt', date: '2026-02-01' })).toMatchObject({
      licensed: false,
      section: 'Evaluation and Management',
      statusText: expect.stringMatching(/descriptor not loaded/) as string,
    });
    expect(searchOutpatient(none, 'emergency', { system: 'cpt', date: '2026-02-01' })).toMatchObject({
      hits: [],
      notice: expect.stringMatching(/licensed/) as string,
    });
  });

  it.each([
    ['99213', 'Evaluation and Management'],
    ['12001', 'Surgery'],
    ['71046', 'Radiology'],
    ['85025', 'Pathology and Laboratory'],
    ['96372', 'Medicine'],
    ['0001F', 'Category II (performance measurement)'],
    ['0042T', 'Category III (emerging technology)'],
  ])('format and range of CPT %s: %s (AMA CPT section ranges)', (code, section) => {
    expect(cptFormatCheck(code)).toEqual({ ok: true, section });
  });

  it('refuses numbers outside every CPT range', () => {
    expect(cptFormatCheck('00050')).toMatchObject({ ok: false });
    expect(cptFormatCheck('9928')).toMatchObject({ ok: false });
  });
});
