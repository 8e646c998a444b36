// One-line errors of the CLI for a newcomer's common slips (issue 15): an --out that cannot be written, an
// impossible date in a batch line, an empty search. Same in-process runner as cli.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const CMS = path.resolve('../shared/data/cms');
const claim = (id: string, dischargeDate: string) =>
  JSON.stringify({ id, ageYears: 60, sex: 'M', dischargeStatus: 1, principalDx: { code: 'I214' }, dischargeDate });

describe('CLI errors are one line', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cli-errors-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!fs.existsSync(CMS))('refuses an --out in a folder that does not exist with one line naming the file', async () => {
    const input = path.join(dir, 'claims.jsonl');
    fs.writeFileSync(input, claim('c1', '2025-10-15') + '\n');
    const out = path.join(dir, 'no-such-folder', 'results.jsonl');
    const r = await runCli(['grouper', 'run', '--in', input, '--out', out, '--data-dir', CMS]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`grouper run: cannot write --out ${out}: its folder does not exist\n`);
  });

  it('refuses an --out that is a folder with one line (mce run)', async () => {
    const input = path.join(dir, 'claims.jsonl');
    fs.writeFileSync(input, claim('c1', '2025-10-15') + '\n');
    const r = await runCli(['mce', 'run', '--in', input, '--out', dir, '--data-dir', CMS]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!fs.existsSync(CMS))('gives the line with an impossible discharge date its own error and groups the others', async () => {
    const input = path.join(dir, 'dates.jsonl');
    fs.writeFileSync(input, [claim('bad', '2025-13-45'), claim('leap', '2025-02-29'), claim('ok', '2025-10-15')].join('\n') + '\n');
    const r = await runCli(['grouper', 'run', '--in', input, '--data-dir', CMS]);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; line: number; error?: string; finalDrg?: string });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ id: 'bad', line: 1, error: expect.stringMatching(/^dischargeDate: not a calendar date/) as string });
    expect(lines[1]).toMatchObject({ id: 'leap', line: 2, error: expect.stringMatching(/^dischargeDate: not a calendar date/) as string });
    expect(lines[2]?.id).toBe('ok');
    expect(lines[2]?.error ?? '').not.toMatch(/calendar/);
  });

  it('refuses an empty search at once, before loading any code set', async () => {
    const r = await runCli([
      'codes',
      'search',
      '',
      '--snapshot-dir',
      path.join(dir, 'no-snapshot'),
      '--data-dir',
      path.join(dir, 'no-data'),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('codes search: give a query (not blank) or --batch FILE\n');
  });

  it('refuses a --batch file of blank lines with one line', async () => {
    const batch = path.join(dir, 'blank.txt');
    fs.writeFileSync(batch, '\n  \n');
    const r = await runCli(['codes', 'search', '--batch', batch, '--snapshot-dir', path.join(dir, 'no-snapshot')]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`codes search: --batch ${batch} has no query (every line is blank)\n`);
  });
});
