import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Engine } from '../../src/db/database.js';

/** The engines every repository and service test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends DatabaseHandle {
  /** PostgreSQL only: the schema made for this test database. */
  schema?: string;
  /** Drops the PostgreSQL schema made for this test database and closes it. */
  dispose(): Promise<void>;
}

/** A fresh, migrated database: in-memory SQLite, or a new schema in the PostgreSQL test database. */
export async function createTestDatabase(engine: Engine, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const h = openDatabase(':memory:');
    if (opts.migrate !== false) await migrateToLatest(h.db);
    return { ...h, dispose: () => h.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const h = openDatabase(url, { schema });
  if (opts.migrate !== false) await migrateRetryingRaces(h.db, schema);
  return {
    ...h,
    schema,
    dispose: async () => {
      await h.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
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
      const other = /schema "(t_[0-9a-f]+)" does not exist/.exec((e as Error).message)?.[1];
      if (attempt >= 5 || !other || other === schema) throw e;
    }
  }
}
