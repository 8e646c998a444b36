import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const valid = {
  checkedOn: '2026-06-15',
  description: 'Discharge summary, March 2026 admission',
  discloser: 'Custodian General Hospital',
  recipient: 'Smith & Jones LLP',
  purpose: 'Personal injury claim',
  expirationDate: '2026-12-31',
  signatureDate: '2026-06-01',
  signedBy: 'patient',
  statements: { rightToRevoke: true, revocationHowTo: true, conditioning: true, redisclosure: true },
  plainLanguage: true,
};

describe('custodian roi check-authorization (45 CFR 164.508, 42 CFR 2.31)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-roi-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one result per line, in order, defects sorted; unreadable lines say so and the rest go on', async () => {
    const lines = [
      JSON.stringify({ id: 'a1', ...valid }),
      'this is not json',
      JSON.stringify({ id: 'a2', ...valid, expirationDate: '2026-06-15' }),
      JSON.stringify({ description: 'no id here' }),
      '',
      JSON.stringify({ id: 'a3', ...valid, expirationDate: '2026-06-14', signedBy: 'representative', recipient: null }),
      JSON.stringify({
        id: 'a4',
        ...valid,
        purpose: 'at the request of the individual',
        initiatedByPatient: true,
        signatureDate: '2026-07-01',
      }),
      JSON.stringify({ id: 'a5', ...valid, psychotherapyNotes: true, combinedWith: ['consent_to_treat'], part2: true }),
    ];
    const input = path.join(dir, 'auths.jsonl');
    const output = path.join(dir, 'results.jsonl');
    fs.writeFileSync(input, `\uFEFF${lines.join('\r\n')}\r\n`);
    const r = await runCli(['roi', 'check-authorization', '--in', input, '--out', output]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('roi check-authorization: 2 of 7 lines were unreadable\n');
    expect(fs.readFileSync(output, 'utf8')).toBe(
      [
        '{"id":"a1","valid":true,"defects":[]}',
        '{"id":null,"valid":false,"defects":["unreadable"]}',
        '{"id":"a2","valid":true,"defects":[]}',
        '{"id":null,"valid":false,"defects":["unreadable"]}',
        '{"id":"a3","valid":false,"defects":["expired","missing_recipient","missing_representative_authority"]}',
        '{"id":"a4","valid":false,"defects":["signed_in_future"]}',
        '{"id":"a5","valid":false,"defects":["invalid_compound","part2_missing_sud_description"]}',
        '',
      ].join('\n'),
    );
  });

  it('fails with one line naming the file when the input does not exist', async () => {
    const r = await runCli(['roi', 'check-authorization', '--in', path.join(dir, 'missing.jsonl'), '--out', path.join(dir, 'x.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^roi check-authorization: .*missing\.jsonl/);
  });
});
