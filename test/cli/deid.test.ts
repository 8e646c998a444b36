/** `custodian deid text`: JSON Lines in and out, same ids in the same order; bad lines answered without text. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-deid-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('custodian deid text', () => {
  it('de-identifies each note, keeps ids and order, reports a bad line by number and goes on', async () => {
    const input = path.join(dir, 'notes.jsonl');
    const out = path.join(dir, 'out.jsonl');
    fs.writeFileSync(
      input,
      [
        JSON.stringify({ id: 'n-2', text: 'Mrs. Adeyinka-Cole, AGE: 96, seen 4/2/2023. MRN: 77120031.' }),
        '{"id": "n-bad", "text": "Jane Roe 555-0100',
        '',
        JSON.stringify({ id: 'n-1', text: 'Parkinson disease; Foley catheter. Call (608) 555-0142.' }),
        JSON.stringify({ id: 'n-3' }),
      ].join('\n') + '\n',
    );
    const r = await runCli(['deid', 'text', '--in', input, '--out', out, '--no-corpus-names']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('line 2: not valid JSON');
    expect(r.err).toContain('line 5: text');
    expect(r.err).not.toContain('Jane');
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { id: 'n-2', text: 'Mrs. [NAME], AGE: [AGE], seen [DATE]. MRN: [MRN].' },
      { id: null, text: null, error: 'line 2: not valid JSON' },
      { id: 'n-1', text: 'Parkinson disease; Foley catheter. Call [PHONE].' },
      { id: 'n-3', text: null, error: expect.stringMatching(/^line 5: text/) as unknown },
    ]);
  });

  it('names a missing input file without writing output', async () => {
    const out = path.join(dir, 'none.jsonl');
    const r = await runCli(['deid', 'text', '--in', path.join(dir, 'missing.jsonl'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/deid text: .*missing\.jsonl/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
