/**
 * `custodian documents import` and `custodian documents search` through the real command (buildProgram), on a SQLite
 * file: each file filed on its own, a bad one reported while the others are filed (exit 1), search with filters,
 * and the work audited as `cli:<os user>`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { osUserName } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';

describe('custodian documents import and search', () => {
  let dir: string;
  let dbFile: string;
  let mrn: string;
  const saved = process.env.CUSTODIAN_DOCUMENTS_DIR;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cli-docs-'));
    dbFile = path.join(dir, 'test.sqlite');
    process.env.CUSTODIAN_DOCUMENTS_DIR = path.join(dir, 'blobs');
    expect((await runCli(['demo', 'seed', '--patients', '2', '--database', dbFile])).code).toBe(0);
    const h = openDatabase(dbFile);
    mrn = (await h.db.selectFrom('patients').select('mrn').where('restricted', '=', 0).orderBy('mrn').executeTakeFirstOrThrow()).mrn;
    await h.close();
    fs.writeFileSync(path.join(dir, 'note.txt'), 'Discharge summary: bronchiectasis exacerbation treated with levofloxacin.');
    fs.writeFileSync(path.join(dir, 'consult.txt'), 'Pulmonology consult: bronchiectasis, recommend airway clearance.');
    fs.writeFileSync(path.join(dir, 'bad.bin'), Buffer.from([0, 1, 2, 3, 4, 0, 0, 9]));
  }, 120_000);
  afterAll(() => {
    if (saved === undefined) delete process.env.CUSTODIAN_DOCUMENTS_DIR;
    else process.env.CUSTODIAN_DOCUMENTS_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('files each file on its own, reports the bad one, and exits 1', async () => {
    const files = ['note.txt', 'bad.bin', 'consult.txt', 'missing.pdf'].map((f) => path.join(dir, f));
    const r = await runCli(['documents', 'import', ...files, '--patient', mrn, '--type', 'DS', '--json', '--database', dbFile]);
    expect(r.code).toBe(1);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; documentId?: string; error?: string });
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(lines.map((l) => (l.documentId ? 'filed' : 'error'))).toEqual(['filed', 'error', 'filed', 'error']);
    expect(lines[1]!.error).toContain('not a type the record accepts');
    const text = await runCli([
      'documents',
      'import',
      path.join(dir, 'note.txt'),
      '--patient',
      mrn,
      '--type',
      'NOPE',
      '--database',
      dbFile,
    ]);
    expect(text.code).toBe(1);
    expect(text.err).toContain('typeCode');
    expect(
      (await runCli(['documents', 'import', path.join(dir, 'note.txt'), '--patient', '0000000', '--type', 'DS', '--database', dbFile]))
        .code,
    ).toBe(1);
  });

  it('searches the record with filters, audited as the OS user', async () => {
    const all = await runCli(['documents', 'search', 'bronchiectasis', '--json', '--database', dbFile]);
    expect(all.code).toBe(0);
    const hits = all.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { snippet: string; typeCode: string });
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => h.snippet.includes('<mark>'))).toBe(true);
    const one = await runCli([
      'documents',
      'search',
      'airway clearance',
      '--patient',
      mrn,
      '--type',
      'DS',
      '--from',
      '2000-01-01',
      '--database',
      dbFile,
    ]);
    expect(one.out).toContain('*airway* *clearance*');
    const none = await runCli(['documents', 'search', 'bronchiectasis', '--to', '2000-01-01', '--json', '--database', dbFile]);
    expect(none.out).toBe('');
    expect((await runCli(['documents', 'search', 'x', '--from', 'yesterday', '--database', dbFile])).code).toBe(1);
    const h = openDatabase(dbFile);
    const events = await h.db
      .selectFrom('audit_events')
      .select(['username', 'action', 'resource_type', 'detail'])
      .where('resource_type', '=', 'document')
      .execute();
    await h.close();
    expect(events.some((e) => e.username === `cli:${osUserName()}` && e.action === 'create')).toBe(true);
    expect(events.some((e) => e.username === `cli:${osUserName()}` && e.action === 'search')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('bronchiectasis');
  });
});
