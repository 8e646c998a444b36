/**
 * A database for a test that starts other processes (a killed worker and the one that takes over): a SQLite file in
 * the test's folder, or a PostgreSQL schema of its own on TEST_DATABASE_URL, named in the URL so every process uses it.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export async function processDatabaseUrl(engine: string, dir: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { url: path.join(dir, `${name}.sqlite`), drop: async () => {} };
  const base = process.env.TEST_DATABASE_URL!;
  const schema = `${name}_${randomBytes(6).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`drop schema ${schema} cascade`) };
}
