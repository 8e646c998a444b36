/**
 * Groups the whole development set (../shared/grouper-cases/dev, 20,000 claims) and compares every field
 * with the CMS Java grouper's answers. Any disagreement fails the test and is printed by field with a few
 * example claim ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClaimSchema } from '../claim/claim.js';
import { groupClaim, openGrouperSet, type GrouperSet, type GroupResult } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

const DEV_DIR = path.resolve(testDataDir, '../../grouper-cases/dev');
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

function readJsonLines(file: string): unknown[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

const hasDevSet = fs.existsSync(path.join(DEV_DIR, 'claims.jsonl'));

describe.skipIf(!hasDevSet)('MS-DRG grouper on the CMS development set', () => {
  let set: GrouperSet;
  beforeAll(() => {
    set = openGrouperSet(testDataDir);
  });

  it('agrees with the CMS grouper on every field of every claim', () => {
    const claims = readJsonLines(path.join(DEV_DIR, 'claims.jsonl'));
    const expected = readJsonLines(path.join(DEV_DIR, 'expected-grouper.jsonl')) as Record<string, unknown>[];
    expect(claims.length).toBe(expected.length);
    const disagreements = new Map<string, string[]>();
    let claimsWithDisagreement = 0;
    claims.forEach((raw, i) => {
      const claim = ClaimSchema.parse(raw);
      const exp = expected[i] as Record<string, unknown>;
      expect(exp.id).toBe(claim.id);
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
    });
    const report = [...disagreements.entries()].map(([f, ids]) => `${f}: ${ids.length} claims, e.g. ${ids.slice(0, 3).join('; ')}`);
    if (report.length > 0) {
      console.log(`${claimsWithDisagreement} of ${claims.length} claims disagree:\n${report.join('\n')}`);
    }
    expect(report).toEqual([]);
  });
});
