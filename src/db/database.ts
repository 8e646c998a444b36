import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Insertable, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';

export type Engine = 'sqlite' | 'postgres';
/** The database handle or an open transaction: repositories take either as their first argument. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  close: () => Promise<void>;
}

// PostgreSQL returns int8 (bigint, count(*)) as strings by default; audit sequence numbers fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export function engineOf(url: string): Engine {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export interface OpenOptions {
  /** PostgreSQL only: a schema to use (created if missing), for isolated test databases. */
  schema?: string;
}

/**
 * Opens the database named by `url`: `postgres://...` uses PostgreSQL through pg, anything else is a SQLite file
 * path (created with its folder) or `:memory:`.
 */
export function openDatabase(url: string, opts: OpenOptions = {}): DatabaseHandle {
  if (engineOf(url) === 'postgres') {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  const file = url.replace(/^(sqlite:|file:)/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // FULL: a commit is on disk before it returns (WAL synced), so what the system acknowledged (an HL7 ACK, an API
  // answer) survives a power loss or OS crash, not only a crash of the process. NORMAL would lose the last commits.
  sqlite.pragma('synchronous = FULL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

/**
 * Applies every pending migration; throws with the failing migration's name. On PostgreSQL `schema` names the schema
 * of Kysely's own migration tables when it is not the default (its existence check looks across schemas).
 */
export async function migrateToLatest(db: Kysely<Database>, opts: { schema?: string; engine?: Engine } = {}): Promise<string[]> {
  let schema = opts.schema;
  if (!schema && opts.engine === 'postgres') schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  // Unordered: 0010 (documents) landed after 0011 (charts), and databases migrated in between must still take it.
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a migration may throw a non-Error; show what it is
    const msg = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${msg}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * better-sqlite3 with its prepared statements kept by SQL text (Kysely prepares every query it runs; preparing is
 * about a sixth of the cost of a short statement). A statement still being iterated is never handed out twice.
 * Schema changes are safe: SQLite re-prepares a cached statement whose schema changed.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, max = 1000): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        // Native methods need the real database as `this`.
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return (source: string) => {
        const hit = cache.get(source);
        if (hit && !hit.busy) return hit;
        const stmt = prepare(source);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(source, stmt);
        return stmt;
      };
    },
  });
}

/** SQL texts compiled once, per dialect adapter (SQLite `?` and PostgreSQL `$n` placeholders differ). */
const compiledTexts = new WeakMap<object, Map<string, string>>();

/**
 * The SQL text of a statement whose shape is fixed by `key`, compiled by Kysely on first use and kept: for the
 * hot paths (the ADT interface, audit appends), where building and compiling a wide or multi-row statement costs
 * more than the database's own work. `build` must give the same SQL for the same key; the caller passes the
 * parameters in the order of the compiled statement.
 */
export function cachedSql(db: Db, key: string, build: () => CompiledQuery): string {
  const adapter = db.getExecutor().adapter;
  let texts = compiledTexts.get(adapter);
  if (!texts) compiledTexts.set(adapter, (texts = new Map<string, string>()));
  let text = texts.get(key);
  if (text === undefined) {
    text = build().sql;
    texts.set(key, text);
  }
  return text;
}

/** Runs a statement whose SQL is cached under `key` (see cachedSql) with these parameters; answers its rows. */
export async function runCached<R>(db: Db, key: string, build: () => CompiledQuery, params: unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(cachedSql(db, key, build), params))).rows;
}

/**
 * Inserts rows that all carry the same columns (no undefined values), with the SQL compiled once per table,
 * columns and row count. Other rows go through Kysely as usual.
 */
export async function insertRows<T extends keyof Database>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const first = rows[0] as Record<string, unknown>;
  const columns = Object.keys(first);
  const uniform = rows.every((r) => {
    const row = r as Record<string, unknown>;
    return Object.keys(row).length === columns.length && columns.every((c) => row[c] !== undefined);
  });
  if (!uniform) {
    await db.insertInto(table).values(rows).execute();
    return;
  }
  const text = cachedSql(db, `insert\u0000${table}\u0000${columns.join(',')}\u0000${rows.length}`, () =>
    db.insertInto(table).values(rows).compile(),
  );
  const params: unknown[] = [];
  for (const r of rows) for (const c of columns) params.push((r as Record<string, unknown>)[c]);
  await db.executeQuery(CompiledQuery.raw(text, params));
}
