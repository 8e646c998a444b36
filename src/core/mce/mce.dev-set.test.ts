import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClaimSchema } from '../claim/claim.js';
import { editClaim, findMceReleases, loadCodeEditor, type CodeEditor } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

/**
 * The whole development set (../shared/grouper-cases/dev): every claim edited and compared, field by
 * field, with the answer of the CMS MCE 43.1 (POA reporting not exempt).
 */

const DEV_DIR = process.env.CUSTODIAN_CASES_DIR ?? path.resolve(testDataDir, '../../grouper-cases/dev');
const FIELDS = ['editType', 'edits', 'dx', 'procedures'] as const;

let editor: CodeEditor;
beforeAll(async () => {
  editor = await loadCodeEditor(testDataDir);
});

const readLines = (file: string): string[] =>
  readFileSync(path.join(DEV_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe.runIf(existsSync(path.join(DEV_DIR, 'expected-mce.jsonl')))('MCE dev set', () => {
  it('loads the latest release with every table attribute understood', () => {
    expect(findMceReleases(testDataDir).map((r) => r.release)).toContain('43.1');
    expect(editor.release).toBe('43.1');
    expect(editor.tables.unknownFlags).toEqual([]);
    expect([editor.firstDischargeDate, editor.lastDischargeDate]).toEqual([20151001, 20260930]);
  });

  it('agrees with the CMS MCE on every field of every claim', () => {
    const claims = readLines('claims.jsonl');
    const expected = readLines('expected-mce.jsonl');
    expect(claims.length).toBe(expected.length);
    const disagreements = new Map<string, string[]>();
    claims.forEach((line, i) => {
      const claim = ClaimSchema.parse(JSON.parse(line));
      const want = JSON.parse(expected[i] ?? '{}') as Record<string, unknown>;
      expect(want.id).toBe(claim.id);
      const got = editClaim(editor, claim) as unknown as Record<string, unknown>;
      for (const field of FIELDS) {
        // JSON text comparison: also checks the order of the edits map and of each code's edits.
        if (JSON.stringify(got[field]) === JSON.stringify(want[field])) continue;
        const list = disagreements.get(field) ?? [];
        list.push(`${claim.id}: got ${JSON.stringify(got[field])} want ${JSON.stringify(want[field])}`);
        disagreements.set(field, list);
      }
    });
    const report = [...disagreements].map(([f, l]) => `${f}: ${l.length} claims, e.g.\n  ${l.slice(0, 5).join('\n  ')}`);
    if (report.length > 0) console.log(`MCE disagreements over ${claims.length} claims\n${report.join('\n')}`);
    expect(report).toEqual([]);
  });
});
