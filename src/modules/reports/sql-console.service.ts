/**
 * The analysts' read-only SQL console (issue 24): one SELECT, checked by the guard (`sql-console.rules.ts`), run
 * read-only with a time limit and a row cap, every query audited (the statement's SHA-256 and the row count, never
 * the result or the text).
 *
 * - PostgreSQL: in a transaction `SET TRANSACTION READ ONLY` with a local `statement_timeout`, always rolled back.
 * - SQLite: a separate better-sqlite3 connection opened `readonly: true` on the app's database file, in a worker
 *   thread that is ended at the time limit (an in-memory database has no file to open: refused). A single long
 *   native step (one aggregate over a huge join) finishes in the worker before it ends; the server keeps answering.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { DomainError, ErrorCode, invalid } from '../../core/errors.js';
import type { Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { ReportsDeps } from './dashboard.service.js';
import { checkConsoleSql, deniedResultColumn } from './sql-console.rules.js';

export const SQL_TIME_LIMIT_MS = 5000;
export const SQL_ROW_CAP = 1000;

export const SqlConsoleBodySchema = z.object({ sql: z.string().min(1).max(20_000) });

export interface SqlConsoleResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

export interface SqlConsoleOptions {
  timeLimitMs?: number;
  rowCap?: number;
}

const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');
const precondition = (m: string) => new DomainError(ErrorCode.preconditionFailed, m);

/** Runs one analyst's statement read-only; refuses a statement the guard does not accept before running it. */
export async function runConsoleSql(
  deps: ReportsDeps,
  actor: Actor,
  body: unknown,
  opts: SqlConsoleOptions = {},
): Promise<SqlConsoleResult> {
  const parsed = SqlConsoleBodySchema.safeParse(body);
  if (!parsed.success) throw invalid('sql: a statement (1 to 20,000 characters) is required');
  const statementHash = hashOf(parsed.data.sql);
  const audit = (outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
    deps.db.transaction().execute((trx) =>
      recordAudit(trx, deps.audit, actor, {
        action: AuditAction.sqlQuery,
        resourceType: 'sql_console',
        outcome,
        detail: { statementHash, ...detail },
      }),
    );
  const verdict = checkConsoleSql(parsed.data.sql);
  if (!verdict.ok) {
    await audit('failure', { refused: verdict.reason });
    throw invalid(`statement refused: ${verdict.reason}`);
  }
  const limit = opts.timeLimitMs ?? SQL_TIME_LIMIT_MS;
  const cap = opts.rowCap ?? SQL_ROW_CAP;
  // One row over the cap tells that the result was cut.
  const wrapped = `select * from (\n${verdict.sql}\n) as console_query limit ${cap + 1}`;
  let out: { columns: string[]; rows: unknown[][] };
  try {
    out = await runReadOnly(deps.db, wrapped, limit);
  } catch (e) {
    const reason = e instanceof DomainError ? e.message : `the database refused the statement: ${(e as Error).message}`;
    await audit('failure', { refused: reason });
    if (e instanceof DomainError) throw e;
    throw invalid(reason);
  }
  const denied = deniedResultColumn(out.columns);
  if (denied) {
    const reason = `the column ${denied} is not open to the console (hashes, secrets, encrypted values, tokens); name the columns you need`;
    await audit('failure', { refused: reason });
    throw invalid(`statement refused: ${reason}`);
  }
  const truncated = out.rows.length > cap;
  const rows = truncated ? out.rows.slice(0, cap) : out.rows;
  await audit('success', { rows: rows.length, truncated });
  return { columns: out.columns, rows, rowCount: rows.length, truncated };
}

/**
 * Runs a statement on the engine's read-only path (no guard: the guard is `checkConsoleSql`). Exported so that tests
 * can show the database itself refuses a write that got past the guard.
 */
export function runReadOnly(db: Kysely<Database>, text: string, limitMs: number): Promise<{ columns: string[]; rows: unknown[][] }> {
  return isPostgres(db) ? runPostgres(db, text, limitMs) : runSqlite(db, text, limitMs);
}

function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

class Rollback extends Error {}

async function runPostgres(db: Kysely<Database>, text: string, limitMs: number): Promise<{ columns: string[]; rows: unknown[][] }> {
  let result: { columns: string[]; rows: unknown[][] } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      await sql`set transaction read only`.execute(trx);
      await sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(limitMs))}`).execute(trx);
      let r;
      try {
        r = await sql.raw<Record<string, unknown>>(text).execute(trx);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === '57014') throw precondition(`the statement ran past the time limit of ${limitMs / 1000} s`);
        throw e;
      }
      const rows = r.rows;
      const columns = rows.length ? Object.keys(rows[0]!) : [];
      result = { columns, rows: rows.map((row) => columns.map((c) => row[c])) };
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return result!;
}

async function sqliteFile(db: Kysely<Database>): Promise<string> {
  const list = (await sql<{ name: string; file: string }>`pragma database_list`.execute(db)).rows;
  const file = list.find((d) => d.name === 'main')?.file ?? '';
  if (!file) throw precondition('the SQL console needs the database in a file (an in-memory SQLite database has no read-only connection)');
  return file;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let conn;
try {
  conn = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const stmt = conn.prepare(workerData.sql);
  if (!stmt.reader || !stmt.readonly) throw new Error('the statement does not only read');
  stmt.raw(true);
  const columns = stmt.columns().map((c) => c.name);
  const rows = [];
  for (const r of stmt.iterate()) rows.push(r.map((v) => (typeof v === 'bigint' ? Number(v) : Buffer.isBuffer(v) ? '(binary)' : v)));
  parentPort.postMessage({ columns, rows });
} catch (e) {
  parentPort.postMessage({ error: String(e && e.message ? e.message : e) });
} finally {
  if (conn) conn.close();
}
`;

async function runSqlite(db: Kysely<Database>, text: string, limitMs: number): Promise<{ columns: string[]; rows: unknown[][] }> {
  const file = await sqliteFile(db);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, sql: text, driver } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(precondition(`the statement ran past the time limit of ${limitMs / 1000} s`));
    }, limitMs);
    worker.once('message', (m: { columns: string[]; rows: unknown[][] } | { error: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
