/**
 * Audit trail benchmark: audit events per second with 1, 8 and 32 concurrent writers, each writer running short
 * transactions of one event (recordAudit), on SQLite (a file, WAL, synchronous FULL, as the app opens it) and on
 * PostgreSQL (TEST_DATABASE_URL, or --url, in a scratch schema dropped afterwards), with the 16 chains of migration
 * 0008 and with a single chain (the other head rows deleted: every writer waits on one row, as before 0008).
 * Every run ends with a verification of the whole trail.
 *
 *   npm run bench:audit
 *   npm run bench:audit -- --seconds 5 --writers 1,8,32 --url postgres://postgres@127.0.0.1:5432/test
 *
 * Speed goals live here, not in tests (house style).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/core/shared/clock.js';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { systemActor } from '../src/modules/access/index.js';
import { createAuditLog, recordAudit, verifyAuditChain } from '../src/modules/audit/index.js';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SECONDS = Number(arg('seconds') ?? 3);
const WRITERS = (arg('writers') ?? '1,8,32').split(',').map(Number);
const URL = arg('url') ?? process.env.TEST_DATABASE_URL;

const log = createAuditLog({ clock: systemClock, key: randomBytes(32) });
const actor = systemActor('bench');

/** `writers` loops, each committing one-event transactions until the time is up; answers events per second. */
async function measure(db: Kysely<Database>, writers: number): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  const start = performance.now();
  let events = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < end) {
        await db.transaction().execute((trx) =>
          recordAudit(trx, log, actor, {
            action: 'read',
            resourceType: 'patient',
            resourceId: `p${w}-${events}`,
            patientId: `p${w}`,
            outcome: 'success',
            detail: { writer: w },
          }),
        );
        events++;
      }
    }),
  );
  return events / ((performance.now() - start) / 1000);
}

async function runAll(label: string, open: () => Promise<{ db: Kysely<Database>; close: () => Promise<void> }>): Promise<void> {
  for (const chains of [16, 1]) {
    const { db, close } = await open();
    try {
      if (chains === 1) await db.deleteFrom('audit_head').where('id', '>', 1).execute();
      const rates: string[] = [];
      for (const w of WRITERS) rates.push(`${w} writer${w === 1 ? '' : 's'} ${Math.round(await measure(db, w)).toLocaleString('en-US')}/s`);
      const used = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.count<number>('chain_id').distinct().as('n'))
        .executeTakeFirstOrThrow();
      const t0 = performance.now();
      const v = await verifyAuditChain(db, log);
      const verifyMs = performance.now() - t0;
      console.log(
        `${label}, ${chains === 16 ? '16 chains' : '1 chain (as before 0008)'}: ${rates.join(', ')}; ${used.n} chain(s) used; verify ${v.ok ? 'intact' : `BROKEN (${v.breakCount})`}, ${v.checked.toLocaleString('en-US')} events in ${Math.round(verifyMs)} ms`,
      );
    } finally {
      await close();
    }
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-bench-audit-'));
try {
  let n = 0;
  await runAll('SQLite (file, WAL, synchronous FULL)', async () => {
    const h = openDatabase(path.join(dir, `bench-${n++}.sqlite`));
    await migrateToLatest(h.db);
    return h;
  });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

if (URL) {
  const admin = new pg.Client({ connectionString: URL });
  await admin.connect();
  try {
    await runAll('PostgreSQL', async () => {
      const schema = `bench_${randomBytes(5).toString('hex')}`;
      await admin.query(`create schema ${schema}`);
      // A pool as large as the most writers, so that each writer has its own connection (the app's pool has 10).
      const pool = new pg.Pool({ connectionString: URL, max: Math.max(...WRITERS), options: `-c search_path=${schema}` });
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      await migrateToLatest(db, { schema });
      return {
        db,
        close: async () => {
          await db.destroy();
          await admin.query(`drop schema ${schema} cascade`);
        },
      };
    });
  } finally {
    await admin.end();
  }
} else {
  console.log('PostgreSQL: skipped (set TEST_DATABASE_URL or pass --url postgres://...)');
}
