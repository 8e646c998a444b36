import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

describe('custodian drg import-weights', () => {
  let dir: string;
  let dbFile: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-drg-cli-'));
    dbFile = path.join(dir, 'drg.sqlite');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores a Table 5 file, names the lines it skipped, and lists the year', async () => {
    const file = path.join(dir, 'table5.txt');
    fs.writeFileSync(
      file,
      ['MS-DRG\tMDC\tTYPE\tMS-DRG Title\tWeights', '291\t05\tMED\tHEART FAILURE AND SHOCK WITH MCC\t1.2', 'note\t\t\t\t'].join('\n'),
    );
    const r = await runCli(['drg', 'import-weights', file, '--fiscal-year', '2026', '--database', dbFile]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('imported 1 MS-DRG weights for FY 2026 (1 lines skipped)\n');
    expect(r.err).toContain("table5.txt:3: skipped: not an MS-DRG: 'note'");
    const list = await runCli(['drg', 'weights', '--database', dbFile]);
    expect(list.out).toBe('FY 2026: 1 MS-DRGs\n');
  });

  it('refuses a file that does not say its fiscal year without --fiscal-year', async () => {
    const file = path.join(dir, 'noyear.txt');
    fs.writeFileSync(file, 'MS-DRG\tWeights\n291\t1.2\n');
    const r = await runCli(['drg', 'import-weights', file, '--database', dbFile]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('give --fiscal-year');
  });
});
