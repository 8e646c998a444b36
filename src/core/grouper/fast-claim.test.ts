/**
 * The batch fast path (fast-claim.ts) must accept exactly what ClaimSchema accepts, with the same claim: checked
 * on every dev claim and on claims broken one field at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaimSchema } from '../claim/claim.js';
import { fastClaim } from './fast-claim.js';
import { testDataDir } from '../../../test/support/data.js';

const DEV = path.resolve(testDataDir, '../../grouper-cases/dev/claims.jsonl');

const base = {
  id: 'c1',
  grouperVersion: '43.1',
  ageYears: 70,
  sex: 'F',
  dischargeStatus: 1,
  principalDx: { code: 'I214', poa: 'Y' },
  secondaryDx: [{ code: 'E1122', poa: 'N' }, { code: 'N179' }],
  procedures: [{ code: '02703DZ' }],
  dischargeDate: '2026-05-01',
  lengthOfStay: 3,
};

const broken: [string, unknown][] = [
  ['id', ''],
  ['id', 7],
  ['grouperVersion', '43'],
  ['ageYears', -1],
  ['ageYears', 125],
  ['ageYears', 3.5],
  ['ageYears', '70'],
  ['ageDaysAdmit', 366],
  ['ageDaysDischarge', -2],
  ['sex', 'X'],
  ['dischargeStatus', 100],
  ['principalDx', { code: 'I2' }],
  ['principalDx', { code: 'I21.4' }],
  ['principalDx', { code: 'I214', poa: 'X' }],
  ['principalDx', null],
  ['admitDx', { code: 5 }],
  ['secondaryDx', null],
  ['secondaryDx', [{ code: 'E1122', poa: 'Z' }]],
  ['secondaryDx', Array.from({ length: 101 }, () => ({ code: 'E1122' }))],
  ['procedures', [{ code: '02703D' }]],
  ['procedures', [null]],
  ['procedures', 'x'],
  ['dischargeDate', '2026-5-1'],
  ['dischargeDate', '2025-13-45'],
  ['dischargeDate', '2025-02-29'],
  ['lengthOfStay', -1],
];

function sameAsSchema(value: unknown): void {
  const parsed = ClaimSchema.safeParse(value);
  const fast = fastClaim(value);
  if (fast) {
    expect(parsed.success).toBe(true);
    expect(fast).toEqual(parsed.data);
  }
}

describe('fast claim parsing', () => {
  it('accepts a valid claim as ClaimSchema parses it, defaults included', () => {
    expect(fastClaim(base)).toEqual(ClaimSchema.parse(base));
    const bare = { id: 'c2', ageYears: 0, ageDaysAdmit: 3, sex: 'U', dischargeStatus: 30, principalDx: { code: 'P0734' } };
    expect(fastClaim(bare)).toEqual(ClaimSchema.parse(bare));
  });

  it('leaves every broken claim to ClaimSchema, which refuses it', () => {
    for (const [field, bad] of broken) {
      const value = { ...base, [field]: bad };
      expect(fastClaim(value), field).toBeUndefined();
      expect(ClaimSchema.safeParse(value).success, field).toBe(false);
    }
    expect(fastClaim(null)).toBeUndefined();
    expect(fastClaim([base])).toBeUndefined();
  });

  it.skipIf(!fs.existsSync(DEV))('gives ClaimSchema’s claim for every dev claim', () => {
    const lines = fs
      .readFileSync(DEV, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    for (const l of lines) sameAsSchema(JSON.parse(l));
    expect(lines.every((l) => fastClaim(JSON.parse(l)) !== undefined)).toBe(true);
  });
});
