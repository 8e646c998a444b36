import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { migrateToLatest } from '../db/database.js';
import { exportAuditCsv, verifyAuditChain } from '../modules/audit/index.js';
import { seedDemo, DEMO_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../modules/demo/index.js';
import { action, openCliDeps, progress, withDatabaseOptions } from './shared.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database administration');
  withDatabaseOptions(db.command('migrate').description('apply pending migrations (SQLite or PostgreSQL)')).action(
    action(async (opts: { database?: string }) => {
      const { deps, close } = await openCliDeps({ ...opts }, { migrate: false });
      try {
        const applied = await migrateToLatest(deps.db, { engine: deps.engine });
        process.stdout.write(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await close();
      }
    }),
  );
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail (HIPAA 164.312(b))');
  withDatabaseOptions(audit.command('verify').description('walk the hash chain and name the first broken link')).action(
    action(async (opts: { database?: string }) => {
      const { deps, close } = await openCliDeps(opts);
      try {
        const r = await verifyAuditChain(deps.db, progress('verifying'));
        if (r.ok) process.stdout.write(`audit trail intact: ${r.checked} events verified\n`);
        else {
          process.stdout.write(`audit trail BROKEN at event ${r.firstBreak!.seq}: ${r.firstBreak!.message} (${r.checked} events verified before it)\n`);
          process.exitCode = 1;
        }
      } finally {
        await close();
      }
    }),
  );
  withDatabaseOptions(
    audit
      .command('export')
      .description('export audit events as CSV')
      .option('--patient <id>', 'only events about this patient id')
      .option('--user <id>', 'only events of this user id')
      .option('--from <date>', 'from this date (YYYY-MM-DD)')
      .option('--to <date>', 'before this date (YYYY-MM-DD)')
      .option('--out <file>', 'write to a file instead of stdout'),
  ).action(
    action(async (opts: { database?: string; patient?: string; user?: string; from?: string; to?: string; out?: string }) => {
      for (const k of ['from', 'to'] as const) if (opts[k] && !/^\d{4}-\d{2}-\d{2}$/.test(opts[k]!)) throw new Error(`--${k}: date as YYYY-MM-DD`);
      const { deps, close } = await openCliDeps(opts);
      const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
      try {
        for await (const chunk of exportAuditCsv(deps.db, { ...(opts.patient ? { patientId: opts.patient } : {}), ...(opts.user ? { userId: opts.user } : {}), ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) })) {
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
        if (out !== process.stdout) {
          (out as fs.WriteStream).end();
          await finished(out as fs.WriteStream);
        }
      } finally {
        await close();
      }
    }),
  );
}

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('the demo hospital');
  withDatabaseOptions(demo.command('seed').description('load about 200 patients, 400 encounters and one user per role into an empty database').option('--patients <n>', 'number of patients', '200')).action(
    action(async (opts: { database?: string; patients: string }) => {
      const n = Number(opts.patients);
      if (!Number.isInteger(n) || n < 1 || n > 100000) throw new Error('--patients: a whole number from 1 to 100000');
      const { deps, close } = await openCliDeps(opts);
      try {
        const r = await seedDemo(deps, { patients: n, onProgress: progress('seeding') });
        process.stdout.write(`demo hospital loaded: ${r.patients} patients, ${r.encounters} encounters\n`);
        process.stdout.write(`users: ${r.users.map((u) => `${u.username} (${u.role})`).join(', ')}; password ${DEMO_PASSWORD}\n`);
        process.stdout.write(`admin needs a TOTP code: authenticator secret ${DEMO_ADMIN_TOTP_SECRET}\n`);
      } finally {
        await close();
      }
    }),
  );
}
