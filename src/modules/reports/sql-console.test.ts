/**
 * The analysts' read-only SQL console over HTTP on both engines (SQLite on a file: the console opens a read-only
 * connection on it): a SELECT answers, the row cap cuts with `truncated`, writes and double statements are refused
 * before running (and the read-only path refuses a write that got past the guard), sensitive tables and columns are
 * refused, the time limit ends a long statement, access is HIM director and auditor only, and every query is
 * audited with its hash and row count, never the result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../db/database.js';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { Role, systemActor } from '../access/index.js';
import { createPatient } from '../patients/index.js';
import { runConsoleSql, runReadOnly } from './sql-console.service.js';

const COUNT_TO_1500 = 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 1500) select n from r';

async function fileOrTestDatabase(engine: 'sqlite' | 'postgres'): Promise<TestDatabase & { dir?: string }> {
  if (engine === 'postgres') return createTestDatabase(engine);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-sql-console-'));
  const h = openDatabase(path.join(dir, 'custodian.db'));
  await migrateToLatest(h.db);
  return {
    ...h,
    dir,
    dispose: async () => {
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(engines)('SQL console on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeAppDeps>;
  let director: SignedIn;
  let auditor: SignedIn;
  let coder: SignedIn;

  const run = (s: SignedIn, sql: string) =>
    app.inject({ method: 'POST', url: '/api/reports/sql', headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, payload: { sql } });

  beforeAll(async () => {
    t = await fileOrTestDatabase(engine);
    deps = makeAppDeps(t);
    app = await buildApp(deps);
    await makeFacility(t);
    director = await signIn(app, deps, Role.himDirector);
    auditor = await signIn(app, deps, Role.auditor);
    coder = await signIn(app, deps, Role.coder);
    await createPatient(deps, { ...systemActor('test'), role: Role.himClerk }, makePatientInput({ familyName: 'Consolo' }));
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('answers a SELECT with columns and rows, for the HIM director and the auditor', async () => {
    for (const who of [director, auditor]) {
      const r = await run(who, 'select count(*) as n from patients;');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ columns: ['n'], rows: [[1]], rowCount: 1, truncated: false });
    }
  });

  it('caps the rows at 1,000 and says the result was truncated', async () => {
    const r = await run(director, COUNT_TO_1500);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<{ rows: number[][]; rowCount: number; truncated: boolean }>();
    expect(body.rowCount).toBe(1000);
    expect(body.rows.at(-1)).toEqual([1000]);
    expect(body.truncated).toBe(true);
  });

  it('refuses writes and double statements before running them, naming why', async () => {
    const cases: [string, RegExp][] = [
      ["update patients set family_name = 'X'", /only a SELECT or WITH statement is allowed, not UPDATE/],
      ['delete from patients', /not DELETE/],
      ['select 1; delete from patients', /only one statement/],
      ['with d as (delete from patients returning id) select * from d', /DELETE is not allowed/],
      ['select * into patients_copy from patients', /INTO is not allowed/],
      ['select id from users', /table users is not open/],
      ['select "password_hash" from "users"', /table users is not open|column password_hash/],
      ['select ssn_encrypted from patients', /column ssn_encrypted is not open/],
      ['select * from audit_events', /column prev_hash is not open/],
      ["select set_config('transaction_read_only', 'off', true)", /function set_config/],
    ];
    for (const [sql, why] of cases) {
      const r = await run(director, sql);
      expect(r.statusCode, sql).toBe(400);
      expect(r.json<{ detail: string }>().detail, sql).toMatch(why);
    }
    const still = await t.db.selectFrom('patients').select('family_name').execute();
    expect(still.map((p) => p.family_name)).toEqual(['Consolo']);
  });

  it('runs on a read-only path: a write that got past the guard is refused by the database', async () => {
    await expect(runReadOnly(t.db, 'delete from patients', 5000)).rejects.toThrow();
    await expect(runReadOnly(t.db, "update patients set family_name = 'X'", 5000)).rejects.toThrow();
    const still = await t.db.selectFrom('patients').select('family_name').execute();
    expect(still.map((p) => p.family_name)).toEqual(['Consolo']);
  });

  it('ends a statement at the time limit', async () => {
    const slow =
      engine === 'postgres'
        ? 'select pg_sleep(30)'
        : 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) select n from r where n % 1000000 = 0';
    const actor = { ...systemActor('analyst'), role: Role.himDirector };
    await expect(runConsoleSql(deps, actor, { sql: slow }, { timeLimitMs: 300 })).rejects.toMatchObject({
      code: 'precondition_failed',
      message: expect.stringMatching(/time limit/),
    });
  });

  it('is forbidden to roles without reports:sql', async () => {
    expect((await run(coder, 'select 1 as one')).statusCode).toBe(403);
  });

  it('audits every query with its hash and row count, never the result', async () => {
    const sql = 'select family_name from patients';
    expect((await run(auditor, sql)).statusCode).toBe(200);
    const hash = createHash('sha256').update(sql).digest('hex');
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'detail', 'username'])
      .where('action', '=', 'sql_query')
      .execute();
    const mine = events.filter((e) => (e.detail ?? '').includes(hash));
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]!.detail!)).toMatchObject({ statementHash: hash, rows: 1, truncated: false });
    expect(mine[0]!.outcome).toBe('success');
    expect(events.every((e) => !(e.detail ?? '').includes('Consolo'))).toBe(true);
    expect(events.some((e) => e.outcome === 'failure' && (e.detail ?? '').includes('refused'))).toBe(true);
  });
});

describe('SQL console on an in-memory SQLite database', () => {
  it('refuses with precondition_failed: there is no file to open read-only', async () => {
    const t = await createTestDatabase('sqlite');
    try {
      const deps = makeAppDeps(t);
      await expect(
        runConsoleSql(deps, { ...systemActor('analyst'), role: Role.himDirector }, { sql: 'select 1 as one' }),
      ).rejects.toMatchObject({
        code: 'precondition_failed',
      });
    } finally {
      await t.dispose();
    }
  });
});
