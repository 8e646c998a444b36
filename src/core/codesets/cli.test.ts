import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodesImport, runCodesSearch, runCodesShow, resolveDate, type CodesIo } from '../../cli/codes.command.js';
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
