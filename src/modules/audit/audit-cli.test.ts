import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import { auditLogOf } from '../../app/bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { manualClock } from '../../core/shared/clock.js';
import { migrateToLatest, openDatabase } from '../../db/database.js';
import { systemActor } from '../access/index.js';
import { recordAudit } from './index.js';

/** The exit code the command set; read in a function so it is not narrowed to the 0 set before the awaited run. */
function exitCodeNow(): number {
  return Number(process.exitCode ?? 0);
}

/** Runs `custodian <args>` in-process and captures what it prints and its exit code (as test/cli/cli.test.ts). */
async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = 0;
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'custodian', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = exitCodeNow();
  process.exitCode = 0;
  return { out, err, code };
}

describe('custodian audit verify | checkpoint | export', () => {
  let dir: string;
  let dbFile: string;
  const cliUser = `cli:${os.userInfo().username}`;
  const events = (action: string) => {
    const h = openDatabase(dbFile);
    return h.db
      .selectFrom('audit_events')
      .select(['username', 'detail'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute()
      .finally(() => h.close());
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-audit-cli-'));
    dbFile = path.join(dir, 'audit.sqlite');
    process.env.CUSTODIAN_AUDIT_CHECKPOINT_DIR = path.join(dir, 'checkpoints');
    process.env.CUSTODIAN_AUDIT_SIGNING_KEY_FILE = path.join(dir, 'signing.pem');
    // Events written as the CLI's configuration chains them: the last one at the very end of 1 March.
    const h = openDatabase(dbFile);
    await migrateToLatest(h.db);
    const clock = manualClock('2026-03-01T09:00:00Z');
    const log = auditLogOf(loadConfig(process.env), clock);
    for (const at of ['2026-03-01T09:00:00Z', '2026-03-01T23:59:59.999Z', '2026-03-02T00:00:00Z']) {
      clock.set(at);
      await h.db.transaction().execute((trx) =>
        recordAudit(trx, log, systemActor('seed'), {
          action: 'read',
          resourceType: 'patient',
          resourceId: 'p1',
          patientId: 'p1',
          outcome: 'success',
        }),
      );
    }
    await h.close();
  });
  afterAll(() => {
    delete process.env.CUSTODIAN_AUDIT_CHECKPOINT_DIR;
    delete process.env.CUSTODIAN_AUDIT_SIGNING_KEY_FILE;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies, says no checkpoint was found, and audits the verification under the OS user', async () => {
    const v = await run(['audit', 'verify', '--database', dbFile]);
    expect(v).toMatchObject({
      code: 0,
      out: `audit trail intact: 3 events verified in 17 chains; no checkpoints found in ${path.join(dir, 'checkpoints')}\n`,
    });
    expect(await events('verify')).toEqual([{ username: cliUser, detail: '{"checked":3,"breaks":0,"checkpoints":0}' }]);
  });

  it('writes a signed checkpoint that the next verification checks', async () => {
    const c = await run(['audit', 'checkpoint', '--database', dbFile]);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(
      new RegExp(
        `^checkpoint written: ${path.join(dir, 'checkpoints')}/audit-checkpoint-\\S+\\.json \\(17 chains, 4 events; key [0-9a-f]{16}\\)\\n$`,
      ),
    );
    expect(fs.statSync(path.join(dir, 'signing.pem')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dir, 'signing.pub.pem'))).toBe(true);
    expect((await events('checkpoint')).map((e) => e.username)).toEqual([cliUser]);
    expect((await run(['audit', 'verify', '--database', dbFile])).out).toMatch(
      /^audit trail intact: 5 events verified in 17 chains; 1 signed checkpoint\(s\) of this trail checked/,
    );
  });

  it('exports through the same service as HTTP: --to is the whole day, and the export is audited', async () => {
    const out = path.join(dir, 'day.csv');
    expect((await run(['audit', 'export', '--patient', 'p1', '--to', '2026-03-01', '--out', out, '--database', dbFile])).code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-01T23:59:59.999Z']);
    expect(await events('export')).toEqual([{ username: cliUser, detail: '{"to":"2026-03-01T23:59:59.999Z"}' }]);
    const bad = await run(['audit', 'export', '--to', '2026-02-30', '--database', dbFile]);
    expect([bad.code, bad.err]).toEqual([1, 'custodian: --to: a date as YYYY-MM-DD or a timestamp as YYYY-MM-DDTHH:MM:SSZ\n']);
  });

  it('prints every break on its own line and exits 1', async () => {
    const raw = openDatabase(dbFile);
    await raw.db.updateTable('audit_events').set({ username: 'mallory' }).where('seq', 'in', [1, 3]).execute();
    await raw.close();
    const v = await run(['audit', 'verify', '--database', dbFile]);
    expect(v.code).toBe(1);
    const lines = v.out.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'audit trail BROKEN at event 1: event 1 was altered (chain 1 position 1: hash mismatch)',
      'audit trail BROKEN at event 3: event 3 was altered (chain 1 position 3: hash mismatch)',
    ]);
    expect(lines[2]).toMatch(/^audit trail BROKEN: 2 break\(s\); \d+ events checked in 17 chains; 1 signed checkpoint/);
  });
});
