/**
 * The compiled table snapshot (snapshot.ts): written on first load, then loaded instead of the table files, with
 * the same answers; a changed key (other table files) is not served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaimSchema } from '../claim/claim.js';
import { groupClaim, loadGrouper } from './index.js';
import { readSnapshot, snapshotKey } from './snapshot.js';
import { testDataDir } from '../../../test/support/data.js';

const DEV = path.resolve(testDataDir, '../../grouper-cases/dev/claims.jsonl');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grouper-snapshot-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!fs.existsSync(DEV))('grouper table snapshot', () => {
  it('is written on first load and gives the same answers as the table files', () => {
    const fromFiles = loadGrouper(testDataDir, '43.1');
    const first = loadGrouper(testDataDir, '43.1', undefined, { cacheDir: dir });
    const files = fs.readdirSync(dir);
    expect(files).toEqual([expect.stringMatching(/^msdrg-v43\.1-[0-9a-f]{24}\.bin$/)]);
    const fromSnapshot = loadGrouper(testDataDir, '43.1', undefined, { cacheDir: dir });
    const claims = fs
      .readFileSync(DEV, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, 3000)
      .map((l) => ClaimSchema.parse(JSON.parse(l)));
    for (const c of claims) {
      const want = groupClaim(fromFiles, c);
      expect(groupClaim(first, c)).toEqual(want);
      expect(groupClaim(fromSnapshot, c)).toEqual(want);
    }
    expect(fromSnapshot.unknownOperands).toEqual(fromFiles.unknownOperands);
  });

  it('is not served for another key, nor when damaged', () => {
    const file = path.join(dir, fs.readdirSync(dir)[0] as string);
    expect(readSnapshot(file, 'another key')).toBeUndefined();
    const copy = path.join(dir, 'damaged.bin');
    fs.writeFileSync(copy, fs.readFileSync(file).subarray(0, 1000));
    expect(readSnapshot(copy, 'x')).toBeUndefined();
    fs.rmSync(copy);
  });

  it('gets a new key when a table file is rewritten or replaced', () => {
    const table = path.join(dir, 'table.tsv');
    fs.writeFileSync(table, 'code\tattrs\nA000\tx\n');
    const before = snapshotKey('43.1', [table]);
    expect(snapshotKey('43.1', [table])).toBe(before);
    fs.writeFileSync(table, 'code\tattrs\nA000\txy\n');
    const rewritten = snapshotKey('43.1', [table]);
    expect(rewritten).not.toBe(before);
    const other = path.join(dir, 'other.tsv');
    fs.writeFileSync(other, 'code\tattrs\nA000\txz\n');
    fs.renameSync(other, table);
    expect(snapshotKey('43.1', [table])).not.toBe(rewritten);
    expect(snapshotKey('43.0', [table])).not.toBe(snapshotKey('43.1', [table]));
    fs.rmSync(table);
  });
});
