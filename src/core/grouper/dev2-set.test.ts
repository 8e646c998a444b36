/**
 * Groups the surgical multi-procedure reference set (../shared/grouper-cases/dev2, 150,000 claims, gzip JSON
 * lines) and compares every field with the CMS Java grouper's answers. The files are streamed through
 * gunzip, claim and answer side by side, never written out. Disagreements are printed by field with a few
 * example claim ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ClaimSchema } from '../claim/claim.js';
import { groupClaim, openGrouperSet, type GroupResult } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

const DEV2_DIR = path.resolve(testDataDir, '../../grouper-cases/dev2');
const FIELDS = [
  'initialDrg',
  'initialMdc',
  'initialReturnCode',
  'finalDrg',
  'finalMdc',
  'finalReturnCode',
  'medSurg',
  'severity',
  'hacStatus',
  'secondaryDxSeverity',
  'proceduresOR',
] as const;

/** Non-blank lines of a gzip file, streamed. */
function gzipLines(file: string): AsyncIterator<string> {
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  return lines[Symbol.asyncIterator]();
}

const hasDev2 = fs.existsSync(path.join(DEV2_DIR, 'claims.jsonl.gz'));

describe.skipIf(!hasDev2)('MS-DRG grouper on the CMS surgical multi-procedure set (dev2)', () => {
  it('agrees with the CMS grouper on every field of every claim', { timeout: 120_000 }, async () => {
    const set = openGrouperSet(testDataDir);
    const claims = gzipLines(path.join(DEV2_DIR, 'claims.jsonl.gz'));
    const answers = gzipLines(path.join(DEV2_DIR, 'expected-grouper.jsonl.gz'));
    const disagreements = new Map<string, string[]>();
    let count = 0;
    let claimsWithDisagreement = 0;
    for (;;) {
      const [c, a] = await Promise.all([claims.next(), answers.next()]);
      expect(c.done).toBe(a.done);
      if (c.done || a.done) break;
      if (c.value.trim() === '') continue;
      count++;
      const claim = ClaimSchema.parse(JSON.parse(c.value));
      const exp = JSON.parse(a.value) as Record<string, unknown>;
      if (exp.id !== claim.id) throw new Error(`line ${count}: answer ${String(exp.id)} for claim ${claim.id}`);
      const got = groupClaim(set.get(set.versionFor(claim)), claim) as GroupResult & Record<string, unknown>;
      let bad = false;
      for (const f of FIELDS) {
        if (JSON.stringify(got[f]) !== JSON.stringify(exp[f])) {
          const list = disagreements.get(f) ?? [];
          list.push(`${claim.id} (got ${JSON.stringify(got[f])}, expected ${JSON.stringify(exp[f])})`);
          disagreements.set(f, list);
          bad = true;
        }
      }
      if (bad) claimsWithDisagreement++;
    }
    const report = [...disagreements.entries()].map(([f, ids]) => `${f}: ${ids.length} claims, e.g. ${ids.slice(0, 3).join('; ')}`);
    if (report.length > 0) console.log(`${claimsWithDisagreement} of ${count} claims disagree:\n${report.join('\n')}`);
    expect(count).toBe(150_000);
    expect(report).toEqual([]);
  });
});
