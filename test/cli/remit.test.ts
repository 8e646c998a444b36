/** `custodian remit parse` and `custodian remit ack` (issue 20): one report per file, errors naming segments, exit 1. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { SAMPLE_835_BODY, build835 } from '../../src/core/x12/remit-fixtures.test-support.js';

describe('custodian remit', () => {
  let dir: string;
  let good: string;
  let unbalanced: string;
  let broken: string;
  let ack: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-remit-'));
    good = path.join(dir, 'good.835');
    unbalanced = path.join(dir, 'unbalanced.835');
    broken = path.join(dir, 'broken.835');
    ack = path.join(dir, 'ack.999');
    fs.writeFileSync(good, build835({ body: SAMPLE_835_BODY, method: 'CHK', trace: 'CHK42' }));
    fs.writeFileSync(unbalanced, build835({ body: SAMPLE_835_BODY, paymentAmount: 1 }));
    fs.writeFileSync(broken, build835({ body: SAMPLE_835_BODY }).replace('CLP*PCN003', 'Clp*PCN003'));
    fs.writeFileSync(
      ack,
      'ISA*00*          *00*          *ZZ*CH             *ZZ*GENHOSP        *260104*1200*^*00501*000000201*0*P*:~GS*FA*CH*GENHOSP*20260104*1200*9*X*005010X231A1~ST*999*0001*005010X231A1~AK1*HC*17*005010X223A2~AK2*837*0001~IK5*A~AK9*A*1*1*1~SE*6*0001~GE*1*9~IEA*1*000000201~',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON object per file, in the shape of issue 20', async () => {
    const r = await runCli(['remit', 'parse', good, unbalanced, '--json']);
    expect(r.code).toBe(0);
    const [a, b] = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({
      file: good,
      errors: [],
      transactions: [
        { payer: 'ACME HEALTH PLAN', payee: 'GENERAL HOSPITAL', paymentAmount: 120, method: 'CHK', trace: 'CHK42', balanced: true },
      ],
    });
    expect(b).toMatchObject({ file: unbalanced, errors: [], transactions: [{ paymentAmount: 1, balanced: false }] });
  });

  it('gives a broken file errors with segment numbers and exit 1, and still prints the other files', async () => {
    const missing = path.join(dir, 'missing.835');
    const r = await runCli(['remit', 'parse', broken, missing, good, '--json']);
    expect(r.code).toBe(1);
    const reports = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; errors: { segment: number; message: string }[] });
    expect(reports.map((x) => x.file)).toEqual([broken, missing, good]);
    expect(reports[0]?.errors[0]).toMatchObject({
      segment: 26,
      message: expect.stringMatching(/^segment 26 \(Clp\): "Clp" is not a valid segment id/) as unknown,
    });
    expect(reports[1]?.errors[0]?.message).toBe('segment 0: cannot read the file (ENOENT)');
    expect(reports[2]?.errors).toEqual([]);
  });

  it('prints a readable summary without --json', async () => {
    const r = await runCli(['remit', 'parse', good]);
    expect(r.out).toContain('CHK 120.00 trace CHK42 from ACME HEALTH PLAN to GENERAL HOSPITAL: balanced');
    expect(r.out).toContain('claim PCN002 status 22: charge -100.00 paid -80.00');
  });

  it('reads acknowledgements with remit ack', async () => {
    const r = await runCli(['remit', 'ack', ack, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      file: ack,
      errors: [],
      acknowledgements: [{ kind: '999', groupAccepted: true, transactions: [{ controlNumber: '0001', accepted: true }] }],
    });
    expect((await runCli(['remit', 'ack', good])).code).toBe(1);
  });
});
