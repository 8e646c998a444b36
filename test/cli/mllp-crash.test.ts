/**
 * `custodian serve --mllp-port` killed (SIGKILL) in the middle of a pipelined ADT stream, then started again on the
 * same database (a SQLite file; a fresh schema of the PostgreSQL test database when TEST_DATABASE_URL is set): every message acknowledged AA before the kill is in the database, applied; the sender resends
 * from the last message it holds an ACK for, the repeat is acknowledged without being applied twice, and at the
 * end every message of the stream is applied exactly once. A real process, a real TCP connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { openAppDeps } from '../../src/app/bootstrap.js';
import { loadConfig, repoRoot } from '../../src/config/config.js';
import { encodeMllp, MllpDecoder, parseMessage } from '../../src/core/hl7/index.js';

const FACILITY = 'fac-crash';
const TOTAL = 600;

/** Distinct letters for distinct numbers (names sound different, so the duplicate screen has nothing to find). */
const letters = (i: number) => Array.from(String(i).padStart(3, '0'), (d) => 'bdfgklmprt'[Number(d)]).join('');

/** A new patient with an outpatient visit: the most expensive message of a feed. */
const message = (i: number) =>
  [
    `MSH|^~\\&|REG|MAIN|CUSTODIAN|${FACILITY}|20260301080000+0000||ADT^A04^ADT_A01|K${i}|P|2.5.1`,
    'EVN|A04|20260301080000+0000',
    `PID|1||R${i}^^^REG^MR||Sa${letters(i)}on^O${letters((i * 7) % 1000)}a||${1940 + (i % 60)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}|F|||${i} Main St^^Duluth^MN^55802|||||||ACC${i}`,
    'PV1|1|O',
  ].join('\r') + '\r';

/** The data directory is the empty temp directory: the code sets (not used here) fail to load at once instead of taking the CPU for seconds. */
function env(dir: string, databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CUSTODIAN_VAR_DIR: dir,
    CUSTODIAN_DATA_DIR: dir,
    CUSTODIAN_DATABASE_URL: databaseUrl,
    CUSTODIAN_LOG_LEVEL: 'info',
    CUSTODIAN_HOST: '127.0.0.1',
  };
}

/** PostgreSQL: a schema of its own in the test database, named in the URL (libpq `options`). */
async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL!;
  const schema = `crash_${randomBytes(6).toString('hex')}`;
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

/** Starts `custodian serve` (from source, through tsx) and resolves with the MLLP port it logs. */
function startServer(dir: string, databaseUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), 'serve', '--port', '0', '--mllp-port', '0'],
    { cwd: repoRoot, env: env(dir, databaseUrl), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`custodian serve did not start:\n${log}`)), 60_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const m = /"mllpPort":(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`custodian serve exited (${code}):\n${log}`)));
  });
}

/**
 * Writes `messages` at once (a pipelining sender) and collects the ACKs; `onAck` sees each as it arrives. Resolves
 * when every message is answered or the connection ends.
 */
function stream(port: number, messages: string[], onAck: (n: number) => void = () => {}): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const decoder = new MllpDecoder();
    const acks: string[] = [];
    socket.on('data', (chunk) => {
      for (const f of decoder.push(chunk))
        if (f.ok) {
          acks.push(f.message);
          onAck(acks.length);
        }
      if (acks.length === messages.length) socket.end();
    });
    socket.on('error', () => resolve(acks));
    socket.on('close', () => resolve(acks));
    socket.on('connect', () => socket.write(Buffer.concat(messages.map(encodeMllp))));
  });
}

const ackOf = (ack: string) => ({ code: parseMessage(ack).get('MSA-1'), control: parseMessage(ack).get('MSA-2') });

describe.each(engines)('MLLP listener killed in the middle of a stream on %s', (engine) => {
  let dir: string;
  let databaseUrl: string;
  let dropSchema: (() => Promise<void>) | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-crash-'));
    if (engine === 'postgres') {
      const s = await postgresSchema();
      databaseUrl = s.url;
      dropSchema = s.drop;
    } else databaseUrl = path.join(dir, 'crash.sqlite');
    const opened = await openAppDeps(loadConfig(env(dir, databaseUrl)));
    await opened.deps.db
      .insertInto('facilities')
      .values({ id: FACILITY, name: 'Crash Test Hospital', mrn_prefix: '', next_mrn: 1, created_at: new Date().toISOString() })
      .execute();
    await opened.close();
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await dropSchema?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function stored() {
    const opened = await openAppDeps(loadConfig(env(dir, databaseUrl)));
    try {
      const db = opened.deps.db;
      return {
        messages: await db.selectFrom('hl7_messages').select(['control_id', 'status']).execute(),
        patients: await db.selectFrom('patients').select(['mrn', 'family_name']).execute(),
        encounters: await db.selectFrom('encounters').select(['account_number']).execute(),
      };
    } finally {
      await opened.close();
    }
  }

  it('keeps every acknowledged message and applies the resent stream exactly once', async () => {
    const messages = Array.from({ length: TOTAL }, (_, i) => message(i));
    const first = await startServer(dir, databaseUrl);
    child = first.child;
    const exited = new Promise((r) => first.child.once('exit', r));
    // Kill the server once a fifth of the stream is acknowledged: later messages are in flight or unread.
    const acks1 = await stream(first.port, messages, (n) => {
      if (n === TOTAL / 5) first.child.kill('SIGKILL');
    });
    await exited;
    const acked = acks1.map(ackOf);
    expect(acked.length).toBeGreaterThanOrEqual(TOTAL / 5);
    expect(acked.length).toBeLessThan(TOTAL);
    expect(acked.every((a, i) => a.code === 'AA' && a.control === `K${i}`)).toBe(true);

    // Every acknowledged message survived the kill, applied.
    const afterKill = await stored();
    const applied = new Set(afterKill.messages.filter((m) => m.status === 'applied').map((m) => m.control_id));
    for (const a of acked) expect(applied.has(a.control), a.control).toBe(true);
    const accounts = new Set(afterKill.encounters.map((e) => e.account_number));
    for (let i = 0; i < acked.length; i++) expect(accounts.has(`ACC${i}`)).toBe(true);

    // Restarted on the same file, the sender goes on from the last message it holds an ACK for.
    const second = await startServer(dir, databaseUrl);
    child = second.child;
    const resend = messages.slice(acked.length - 1);
    const acks2 = (await stream(second.port, resend)).map(ackOf);
    expect(acks2).toHaveLength(resend.length);
    expect(acks2.every((a, i) => a.code === 'AA' && a.control === `K${acked.length - 1 + i}`)).toBe(true);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    child = undefined;

    const end = await stored();
    const appliedIds = end.messages.filter((m) => m.status === 'applied').map((m) => m.control_id);
    expect(appliedIds).toHaveLength(TOTAL);
    expect(new Set(appliedIds).size).toBe(TOTAL);
    expect(end.messages.filter((m) => m.status === 'duplicate').map((m) => m.control_id)).toContain(`K${acked.length - 1}`);
    expect(end.patients).toHaveLength(TOTAL);
    expect(new Set(end.encounters.map((e) => e.account_number)).size).toBe(TOTAL);
    expect(end.encounters).toHaveLength(TOTAL);
  }, 180_000);
});
