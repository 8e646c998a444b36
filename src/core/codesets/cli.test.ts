import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodesImport, runCodesImportCpt, runCodesSearch, runCodesShow, resolveDate, type CodesIo } from '../../cli/codes.command.js';
import { runCli } from '../../../test/support/cli.js';
import { loadCodeSets, readSnapshot } from './store.js';
import type { CodeSets } from './types.js';
import { testDataDir } from '../../../test/support/data.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'codesets-cli-'));
const snapshotDir = path.join(tmp, 'snapshot');
let sets: CodeSets;

function capture(): CodesIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

beforeAll(() => {
  const io = capture();
  runCodesImport({ dir: testDataDir, out: snapshotDir }, io);
  sets = loadCodeSets({ dataDir: testDataDir, snapshotDir });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('codes import', () => {
  it('writes a snapshot with counts, and is idempotent', () => {
    const m = JSON.parse(readFileSync(path.join(snapshotDir, 'manifest.json'), 'utf8')) as {
      files: { file: string; counts: Record<string, number> }[];
    };
    expect(m.files.find((f) => f.file === 'icd10cm-fy2026.v8')?.counts).toMatchObject({ codes: 98186, billable: 74719 });
    expect(m.files.find((f) => f.file === 'icd10pcs-fy2026.v8')?.counts).toMatchObject({ codes: 79115 });
    const io = capture();
    runCodesImport({ dir: testDataDir, out: snapshotDir }, io);
    expect(io.lines[0]).toMatch(/^codes import: up-to-date/);
    expect(readSnapshot(snapshotDir)?.cm.map((r) => r.id)).toEqual(['icd10cm-fy2025', 'icd10cm-fy2026']);
  });

  it('rejects a malformed official file naming the file and line', () => {
    const bad = path.join(tmp, 'bad', 'fy2026', 'icd10cm');
    mkdirSync(bad, { recursive: true });
    writeFileSync(
      path.join(bad, 'icd10cm_order_2026.txt'),
      '00001 A00     0 Cholera                                                      Cholera\r\nthis is not a row\r\n',
    );
    expect(() => runCodesImport({ dir: path.join(tmp, 'bad'), out: path.join(tmp, 'bad-out') }, capture())).toThrow(
      'fy2026/icd10cm/icd10cm_order_2026.txt:2:',
    );
  });
});

describe('codes search', () => {
  it('prints one JSON line per batch query, in order, codes without dots', () => {
    const batch = path.join(tmp, 'queries.txt');
    writeFileSync(batch, 'CHF\nI50.2\n\nacetaminophen adverse effect\n');
    const io = capture();
    runCodesSearch(sets, undefined, { batch, json: true, date: '2025-11-01', limit: '3' }, io);
    const rows = io.lines.map((l) => JSON.parse(l) as { query: string; results: { code: string; title: string; billable: boolean }[] });
    expect(rows.map((r) => r.query)).toEqual(['CHF', 'I50.2', 'acetaminophen adverse effect']);
    expect(rows[1]?.results[0]).toEqual({ code: 'I502', title: 'Systolic (congestive) heart failure', billable: false });
    expect(rows[0]?.results.every((r) => !r.code.includes('.') && r.billable)).toBe(true);
    expect(Object.keys(rows[0]?.results[0] ?? {})).toEqual(['code', 'title', 'billable']);
  });

  it('searches PCS with --system pcs', () => {
    const io = capture();
    runCodesSearch(sets, 'laparoscopic cholecystectomy', { system: 'pcs', date: '2025-11-01', json: true, limit: '3' }, io);
    expect(io.lines[0]).toContain('"0FT44ZZ"');
  });

  it('rejects a malformed date', () => {
    expect(() => runCodesSearch(sets, 'CHF', { date: '2025-13-45' }, capture())).toThrow();
  });

  it('says which release it uses when today is not covered by any loaded release', () => {
    const io = capture();
    expect(resolveDate(sets, 'cm', undefined, io, '2030-01-01')).toBe('2026-09-30');
    expect(io.errors[0]).toMatch(/no release loaded for today \(2030-01-01\); using ICD-10-CM FY2026/);
  });
});

describe('codes show', () => {
  it('prints the 7th-character choices and the notes with their release', () => {
    const io = capture();
    runCodesShow(sets, 'S72.001', { date: '2025-11-01' }, io);
    const text = io.lines.join('\n');
    expect(text).toContain('header — needs a 7th character');
    expect(text).toContain('A  initial encounter for closed fracture');
    expect(text).toMatch(/NOTE: Instructional notes are from ICD-10-CM FY2023/);
  });
});

describe('outpatient systems on the command line (--system hcpcs|cpt, import-cpt)', () => {
  it('compiles the HCPCS Level II file into the snapshot', () => {
    const m = JSON.parse(readFileSync(path.join(snapshotDir, 'manifest.json'), 'utf8')) as {
      files: { file: string; counts: Record<string, number> }[];
    };
    expect(m.files.find((f) => f.file === 'hcpcs-2026-01.v8')?.counts).toEqual({ codes: 8623, modifiers: 383 });
    expect(sets.hcpcs.map((r) => r.id)).toEqual(['hcpcs-2026-01']);
  });

  it('searches and shows HCPCS codes by date of service', () => {
    const io = capture();
    runCodesSearch(sets, 'G0463', { system: 'hcpcs', date: '2026-03-02', json: true }, io);
    expect(JSON.parse(io.lines[0] ?? '{}')).toMatchObject({ results: [{ code: 'G0463', billable: true }] });
    const show = capture();
    runCodesShow(sets, 'J0171', { system: 'hcpcs', date: '2026-03-02' }, show);
    expect(show.lines.join('\n')).toMatch(/Not valid on 2026-03-02: discontinued, last day 2025-06-30/);
  });

  it('says CPT is not loaded, then imports a licensed file and rejects a malformed one naming file and line', async () => {
    const show = capture();
    runCodesShow(sets, '99284', { system: 'cpt', date: '2026-03-02' }, show);
    expect(show.lines.join('\n')).toMatch(/format and range valid; descriptor not loaded/);
    const dir = path.join(tmp, 'cpt');
    mkdirSync(dir);
    const good = path.join(dir, 'LONGULT.txt');
    writeFileSync(good, '99284\tEmergency department visit, moderate\n');
    const io = capture();
    runCodesImportCpt([good], { out: snapshotDir }, io);
    expect(io.lines[0]).toMatch(/^codes import-cpt: 1 CPT codes/);
    const withCpt = loadCodeSets({ dataDir: testDataDir, snapshotDir });
    const found = capture();
    runCodesSearch(withCpt, 'emergency moderate', { system: 'cpt', json: true }, found);
    expect(JSON.parse(found.lines[0] ?? '{}')).toMatchObject({ results: [{ code: '99284' }] });
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, '99284\tok\nnot a code line\n');
    const r = await runCli(['codes', 'import-cpt', bad, '--out', snapshotDir]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`${bad}:2: not a CPT code`);
  });
});
