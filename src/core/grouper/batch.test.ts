import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { openGrouperSet, runGrouperBatch, runGrouperBatchParallel, type GrouperSet } from './index.js';
import { testDataDir } from '../../../test/support/data.js';

let set: GrouperSet;
beforeAll(() => {
  set = openGrouperSet(testDataDir);
});

const claim = (id: string, pdx: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    grouperVersion: '43.0',
    ageYears: 70,
    sex: 'F',
    dischargeStatus: 1,
    principalDx: { code: pdx, poa: 'Y' },
    ...extra,
  });

async function collect(
  run: (input: Readable, output: PassThrough) => Promise<unknown>,
  lines: string[],
): Promise<Record<string, unknown>[]> {
  const input = Readable.from([lines.join('\n') + '\n']);
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  await run(input, output);
  output.end();
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const LINES = [
  claim('c1', 'J189'),
  '{"id":"c2","ageYears":"seventy"}',
  'not json',
  claim('c4', 'J189', { secondaryDx: [{ code: 'N179', poa: 'Y' }] }),
  claim('c5', 'J189', { grouperVersion: '12.0' }),
  claim('c6', 'W19XXXA'),
];

describe('runGrouperBatch', () => {
  it('writes one line per input line, in order, with an error line naming the field for bad claims', async () => {
    const out = await collect((i, o) => runGrouperBatch(i, o, { grouperSet: set }), LINES);
    expect(out.map((r) => r.id ?? null)).toEqual(['c1', 'c2', null, 'c4', 'c5', 'c6']);
    expect(out[0]).toMatchObject({ finalDrg: '195', finalMdc: '04', drgTitle: 'Simple Pneumonia and Pleurisy without CC/MCC' });
    expect(out[1]).toMatchObject({ id: 'c2', line: 2 });
    expect(String(out[1]?.error)).toMatch(/^ageYears/);
    expect(out[2]).toMatchObject({ line: 3 });
    expect(String(out[2]?.error)).toMatch(/JSON/);
    expect(out[3]).toMatchObject({ finalDrg: '194' });
    expect(String(out[4]?.error)).toMatch(/^grouperVersion/);
    expect(out[5]).toMatchObject({ finalDrg: '999', finalReturnCode: 'DX_CANNOT_BE_PDX' });
  });

  it('gives the same output in the same order on worker threads', async () => {
    const many = Array.from({ length: 60 }, (_, k) => LINES[k % LINES.length] as string);
    const single = await collect((i, o) => runGrouperBatch(i, o, { grouperSet: set }), many);
    const parallel = await collect((i, o) => runGrouperBatchParallel(i, o, { dataDir: testDataDir, workers: 2, chunkLines: 7 }), many);
    expect(parallel).toEqual(single);
  });
});

describe('result lines', () => {
  it('are JSON.stringify of the id and the output fields, in order', async () => {
    const { groupClaim } = await import('./index.js');
    const { ClaimSchema } = await import('../claim/claim.js');
    const { OUTPUT_FIELDS, resultLine } = await import('./batch.js');
    const raw = [
      claim('a"1\\', 'I214', {
        secondaryDx: [
          { code: 'E1122', poa: 'N' },
          { code: 'N179', poa: 'Y' },
        ],
        procedures: [{ code: '02703DZ' }, { code: '0JH604Z' }],
      }),
      claim('b', 'A419'),
      claim('c', 'ZZZ9'),
    ];
    for (const line of raw) {
      const c = ClaimSchema.parse(JSON.parse(line));
      const r = groupClaim(set.get(set.versionFor(c)), c);
      const want: Record<string, unknown> = { id: c.id };
      for (const f of OUTPUT_FIELDS) want[f] = r[f];
      expect(resultLine(c.id, r)).toBe(JSON.stringify(want));
    }
  });
});
