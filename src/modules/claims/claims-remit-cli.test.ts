import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { build835 } from '../../core/x12/remit-fixtures.test-support.js';
import { migrateToLatest, openDatabase } from '../../db/database.js';
import { makeClaimsWorld } from './claims-fixtures.test-support.js';
import { buildClaim, exportClaims } from './claims.service.js';

describe('custodian remit post', () => {
  let dir: string;
  let dbFile: string;
  let pcn = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-remit-cli-'));
    dbFile = path.join(dir, 'remit.sqlite');
    const h = openDatabase(dbFile);
    await migrateToLatest(h.db);
    const t = { ...h, dispose: () => Promise.resolve() } as unknown as TestDatabase;
    const w = await makeClaimsWorld(t);
    const { encounterId } = await w.codedEncounter();
    pcn = (await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' })).patientControlNumber;
    await exportClaims(w.deps, w.biller, {
      kind: '837I',
      sender: { qualifier: 'ZZ', id: 'CGH0001' },
      receiver: { qualifier: 'ZZ', id: 'CLEARHOUSE1' },
      submission: {
        submitterName: 'Custodian General Hospital',
        submitterId: 'CGH0001',
        submitterContact: { name: 'Billing Office', phone: '5550102000' },
        receiverName: 'Example Clearinghouse',
        receiverId: 'CLEARHOUSE1',
      },
      usage: 'T',
    });
    await h.close();
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports each file: the good one posts, a file that is not an 835 and a repeated file are refused, and the others go on', async () => {
    const good = path.join(dir, 'good.835');
    const bad = path.join(dir, 'bad.835');
    fs.writeFileSync(good, build835({ body: ['LX*1', `CLP*${pcn}*1*10165*8000*0*MA*ICN1*11*1`, 'CAS*CO*45*2165'] }));
    fs.writeFileSync(bad, 'this is not X12');
    const r = await runCli(['remit', 'post', good, bad, good, path.join(dir, 'missing.835'), '--json', '--database', dbFile]);
    expect(r.code).toBe(1);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; ok: boolean; status?: string; error?: { code: string } });
    expect(lines.map((l) => [path.basename(l.file), l.ok, l.status ?? l.error?.code])).toEqual([
      ['good.835', true, 'posted'],
      ['bad.835', false, 'invalid'],
      ['good.835', false, 'conflict'],
      ['missing.835', false, 'unreadable'],
    ]);
  });
});
