import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Engine } from '../../src/db/database.js';

/** The engines every repository and service test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends DatabaseHandle {
  /** PostgreSQL only: the schema made for this test database. */
  schema?: string;
  /** Closes the database; on PostgreSQL its schema is emptied back to the freshly migrated state for the next test. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database: in-memory SQLite, or a schema of the PostgreSQL test database. Creating and migrating
 * a PostgreSQL schema costs about two seconds (some hundred DDL statements and the migrator's catalogue look-ups);
 * emptying one back to its migrated state costs a few tens of milliseconds. So a schema a test has finished with is
 * reset (every table emptied, the rows the migrations seeded put back, sequences restarted) and given to the next
 * test of the same process. `migrate: false` always gets a new, empty schema of its own (migration tests).
 */
export async function createTestDatabase(engine: Engine, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const h = openDatabase(':memory:');
    if (opts.migrate !== false) await migrateToLatest(h.db);
    return { ...h, dispose: () => h.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  if (opts.migrate === false) {
    const schema = await newSchema(url);
    const h = openDatabase(url, { schema });
    return {
      ...h,
      schema,
      dispose: async () => {
        await h.close();
        await admin(url, `drop schema ${schema} cascade`);
      },
    };
  }
  const slot = freeSlots.pop() ?? (await migratedSlot(url));
  const h = openDatabase(url, { schema: slot.schema });
  let disposed = false;
  return {
    ...h,
    schema: slot.schema,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await h.close();
      await resetSlot(url, slot);
      freeSlots.push(slot);
    },
  };
}

/** A migrated PostgreSQL schema and what a reset puts back into it. */
interface Slot {
  schema: string;
  tables: string[];
  /** The rows the migrations left (seed rows, the migrator's own bookkeeping), as INSERT statements with parameters. */
  seed: { sql: string; params: unknown[] }[];
  sequences: { name: string; start: number }[];
}

/** Schemas of this test process that are reset and free for the next test. */
const freeSlots: Slot[] = [];

/** Test schemas are named t_<run>_<random>: the run tag lets a whole run's schemas be found (and dropped) together. */
const runTag = process.env.CUSTODIAN_TEST_RUN ?? 'x';

async function admin(url: string, query: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(query, params);
  } finally {
    await c.end();
  }
}

async function newSchema(url: string): Promise<string> {
  const schema = `t_${runTag}_${randomBytes(6).toString('hex')}`;
  await admin(url, `create schema ${schema}`);
  return schema;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function migratedSlot(url: string): Promise<Slot> {
  const schema = await newSchema(url);
  const h = openDatabase(url, { schema });
  try {
    await migrateRetryingRaces(h.db, schema);
  } finally {
    await h.close();
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (
      await c.query<{ t: string }>(
        `select table_name as t from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
        [schema],
      )
    ).rows.map((r) => r.t);
    const seed: Slot['seed'] = [];
    for (const table of tables) {
      const rows = (await c.query<Record<string, unknown>>(`select * from ${quote(schema)}.${quote(table)}`)).rows;
      for (const row of rows) {
        const cols = Object.keys(row);
        seed.push({
          sql: `insert into ${quote(table)} (${cols.map(quote).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          params: cols.map((k) => row[k]),
        });
      }
    }
    const sequences = (
      await c.query<{ name: string; start: string }>(
        `select sequencename as name, start_value as start from pg_sequences where schemaname = $1`,
        [schema],
      )
    ).rows.map((r) => ({ name: r.name, start: Number(r.start) }));
    return { schema, tables, seed, sequences };
  } finally {
    await c.end();
  }
}

/** Empties every table (foreign keys not checked meanwhile), puts the seed rows back and restarts the sequences. */
async function resetSlot(url: string, slot: Slot): Promise<void> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${slot.schema}` });
  await c.connect();
  try {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    await c.query(slot.tables.map((t) => `delete from ${quote(t)}`).join('; '));
    for (const s of slot.seed) await c.query(s.sql, s.params);
    for (const s of slot.sequences) await c.query('select setval($1, $2, false)', [`${quote(slot.schema)}.${quote(s.name)}`, s.start]);
    await c.query('commit');
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await c.end();
  }
}

/** Drops every schema of a test run (vitest's global teardown, test/support/global-setup.ts). */
export async function dropRunSchemas(url: string, tag: string): Promise<number> {
  const rows = (await admin(url, `select nspname from pg_namespace where nspname like $1`, [`t\\_${tag}\\_%`])).rows as {
    nspname: string;
  }[];
  for (const r of rows) await admin(url, `drop schema ${r.nspname} cascade`);
  return rows.length;
}

/**
 * Kysely's migrator looks for its tables across every schema of the database; when another test file drops its
 * schema at that moment, PostgreSQL answers "schema t_... does not exist" about that other schema. Only parallel
 * test files race like this (a deployment has one schema): try again.
 */
async function migrateRetryingRaces(db: DatabaseHandle['db'], schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db, { schema });
      return;
    } catch (e) {
      const other = /schema "(t_[0-9a-z_]+)" does not exist/.exec((e as Error).message)?.[1];
      if (attempt >= 5 || !other || other === schema) throw e;
    }
  }
}
