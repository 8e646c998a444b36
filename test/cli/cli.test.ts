import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { BLOCKING_KEY_VERSION, defaultModel } from '../../src/core/matching/index.js';

describe('custodian CLI', () => {
  let dir: string;
  let dbFile: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cli-'));
    dbFile = path.join(dir, 'test.sqlite');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates, then reports the database up to date', async () => {
    expect((await runCli(['db', 'migrate', '--database', dbFile])).out).toMatch(/applied \d+ migration/);
    expect((await runCli(['db', 'migrate', '--database', dbFile])).out).toMatch(/up to date/);
  });

  it('seeds a demo hospital and verifies the audit chain it wrote', async () => {
    const seeded = await runCli(['demo', 'seed', '--patients', '12', '--database', dbFile]);
    expect(seeded.code).toBe(0);
    expect(seeded.out).toMatch(/12 patients, \d+ encounters/);
    const v = await runCli(['audit', 'verify', '--database', dbFile]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/intact: \d+ events verified/);
  });

  it('rebuilds the stored MPI match keys: by itself when they are stale, and on demand', async () => {
    const keyCount = () => {
      const db = new BetterSqlite3(dbFile, { readonly: true });
      const n = db.prepare('select count(*) from patient_match_keys').pluck().get() as number;
      db.close();
      return n;
    };
    const made = keyCount();
    expect(made).toBeGreaterThan(12);
    const raw = new BetterSqlite3(dbFile);
    raw.exec('delete from patient_match_keys; delete from mpi_match_key_state');
    raw.close();
    // Any command that opens the database finds the keys stale and rebuilds them first.
    expect((await runCli(['audit', 'verify', '--database', dbFile])).code).toBe(0);
    expect(keyCount()).toBe(made);
    const r = await runCli(['mpi', 'rebuild-keys', '--database', dbFile]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`rebuilt the match keys of 12 patients (key version ${BLOCKING_KEY_VERSION})\n`);
    expect(keyCount()).toBe(made);
  });

  it('fits the MPI weights: too few patients keep the default model and say why, with the weights in use', async () => {
    const r = await runCli(['mpi', 'fit-weights', '--database', dbFile]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^kept the default model: \d+ records, fewer than 100/);
    expect(r.out).toMatch(/\n {2}dateOfBirth: /);
    // Counts and weights only: no demo patient's name is printed.
    const db = new BetterSqlite3(dbFile, { readonly: true });
    const names = db.prepare('select family_name from patients').pluck().all() as string[];
    db.close();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(r.out).not.toContain(n);
  });

  it('goes back to the default MPI model: the stored fit stays but is no longer in use; again, it says the default is in use', async () => {
    const raw = new BetterSqlite3(dbFile);
    raw
      .prepare(
        "insert into mpi_models (id, fitted_at, fitted_by, patient_count, candidate_pairs, random_pairs, estimated_matches, iterations, model, active) values ('fit-1', '2026-03-01T08:00:00.000Z', 'admin', 5000, 9000, 50000, 120, 14, ?, 1)",
      )
      .run(JSON.stringify({ ...defaultModel(), prior: 1e-6 }));
    raw.close();
    const r = await runCli(['mpi', 'use-default-weights', '--database', dbFile]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^using the default model now; fit fit-1 is no longer in use/);
    expect(r.out).toMatch(/\n {2}dateOfBirth: /);
    expect(r.out).toMatch(/clerks' decisions \(latest 1000\), scored at or above 0.8: merged 0 of 0, not duplicates 0 of 0/);
    const db = new BetterSqlite3(dbFile, { readonly: true });
    expect(db.prepare('select id, active from mpi_models').all()).toEqual([{ id: 'fit-1', active: 0 }]);
    expect(db.prepare("select username, resource_id from audit_events where action = 'reset'").all()).toEqual([
      { username: 'cli:mpi-use-default-weights', resource_id: 'fit-1' },
    ]);
    db.close();
    const again = await runCli(['mpi', 'use-default-weights', '--database', dbFile]);
    expect(again.code).toBe(1);
    expect(again.err).toBe('custodian: the default model is already in use\n');
  });

  it('lists users and exports the audit trail as CSV', async () => {
    const users = await runCli(['users', 'list', '--json', '--database', dbFile]);
    expect(users.code).toBe(0);
    expect(users.out).toContain('coder');
    const out = path.join(dir, 'audit.csv');
    expect((await runCli(['audit', 'export', '--out', out, '--database', dbFile])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^seq,occurred_at,user_id/);
  });

  it('names the first broken link after an event was edited, and exits 1', async () => {
    const raw = new BetterSqlite3(dbFile);
    raw.prepare("update audit_events set username = 'mallory' where seq = 3").run();
    raw.close();
    const v = await runCli(['audit', 'verify', '--database', dbFile]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/BROKEN at event 3: event 3 was altered/);
  });

  it('refuses a wrong setting with one line naming it', async () => {
    const r = await runCli(['audit', 'export', '--from', 'yesterday', '--database', dbFile]);
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--from/);
    const bad = await runCli(['db', 'migrate', '--database', 'mysql://nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/databaseUrl \(CUSTODIAN_DATABASE_URL\)/);
  });

  it('refuses to seed demo data into a database that has users', async () => {
    const r = await runCli(['demo', 'seed', '--database', dbFile]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already has users/);
  });
});
