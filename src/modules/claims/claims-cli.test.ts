import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X12Parser } from 'node-x12';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { migrateToLatest, openDatabase } from '../../db/database.js';
import { makeClaimsWorld } from './claims-fixtures.test-support.js';
import { buildClaim } from './claims.service.js';

describe('custodian claims export', () => {
  let dir: string;
  let dbFile: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-claims-cli-'));
    dbFile = path.join(dir, 'claims.sqlite');
    const h = openDatabase(dbFile);
    await migrateToLatest(h.db);
    const t = { ...h, dispose: () => Promise.resolve() } as unknown as TestDatabase;
    const w = await makeClaimsWorld(t);
    for (let i = 0; i < 2; i++) {
      const { encounterId } = await w.codedEncounter();
      await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
    }
    // A ready claim whose stored data no longer adds up: the export reports it and writes the others.
    const bad = await w.codedEncounter();
    const c = await buildClaim(w.deps, w.biller, bad.encounterId, { kind: '837I' });
    const row = await h.db.selectFrom('claims').select('data').where('id', '=', c.id).executeTakeFirstOrThrow();
    await h.db
      .updateTable('claims')
      .set({ data: JSON.stringify({ ...JSON.parse(row.data), totalChargeCents: 1 }) })
      .where('id', '=', c.id)
      .execute();
    await h.close();
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one 837I interchange with every ready claim, reports the bad one and goes on', async () => {
    const out = path.join(dir, 'batch.x12');
    const r = await runCli([
      'claims',
      'export',
      '--format',
      '837i',
      '--out',
      out,
      '--sender-id',
      'CGH0001',
      '--receiver-id',
      'CLEARHOUSE1',
      '--database',
      dbFile,
    ]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.out) as { file: string; claims: number; refused: { code: string }[]; interchangeControlNumber: string };
    expect(summary).toMatchObject({ file: out, claims: 2, refused: [{ code: 'total_mismatch' }] });
    expect(r.err).toContain('total_mismatch');
    const text = fs.readFileSync(out, 'latin1');
    expect(text.startsWith('ISA*00*')).toBe(true);
    const i = new X12Parser(true).parse(text);
    if (!('functionalGroups' in i)) throw new Error('not one interchange');
    expect(i.functionalGroups[0]?.transactions).toHaveLength(2);
    expect(i.functionalGroups[0]?.header.elements[7]?.value).toBe('005010X223A2');
    // Nothing ready is left but the refused claim; a second run writes no file and gets no new interchange.
    const again = await runCli(['claims', 'export', '--format', '837i', '--out', path.join(dir, 'again.x12'), '--database', dbFile]);
    expect(JSON.parse(again.out)).toMatchObject({ file: null, claims: 0 });
    expect(fs.existsSync(path.join(dir, 'again.x12'))).toBe(false);
  });

  it('draws the released claims as UB-04s in one PDF (data only), a page each', async () => {
    const out = path.join(dir, 'forms.pdf');
    const r = await runCli([
      'claims',
      'forms',
      '--format',
      'ub04',
      '--status',
      'released',
      '--data-only',
      '--out',
      out,
      '--database',
      dbFile,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ file: out, claims: 2, refused: [] });
    const doc = await PDFDocument.load(fs.readFileSync(out));
    expect(doc.getPageCount()).toBe(2);
  });

  it('refuses an unknown format before opening the database', async () => {
    const r = await runCli(['claims', 'export', '--format', '837x', '--out', path.join(dir, 'x.x12'), '--database', dbFile]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/format/);
  });
});
