import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { migrateToLatest } from '../db/database.js';
import {
  auditTimeRange,
  exportAuditTrail,
  verifyAuditTrail,
  writeAuditCheckpoint,
  type ChainBreak,
  type CheckpointSummary,
} from '../modules/audit/index.js';
import { seedDemo, DEMO_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../modules/demo/index.js';
import { action, cliActor, openCliDeps, progress, withDatabaseOptions } from './shared.js';
import { openOutFile } from './settings.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database administration');
  withDatabaseOptions(db.command('migrate').description('apply pending migrations (SQLite or PostgreSQL)')).action(
    action(async (opts: { database?: string }) => {
      const { deps, close } = await openCliDeps({ ...opts }, { migrate: false });
      try {
        const applied = await migrateToLatest(deps.db, { engine: deps.engine });
        process.stdout.write(
          applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'database is up to date\n',
        );
      } finally {
        await close();
      }
    }),
  );
}

function breakLine(b: ChainBreak): string {
  const where =
    b.seq !== null
      ? `event ${b.seq}`
      : b.chain !== null
        ? `chain ${b.chain} position ${b.position ?? '?'}`
        : `checkpoint ${b.checkpoint ?? '?'}`;
  return `audit trail BROKEN at ${where}: ${b.message}\n`;
}

function checkpointLine(c: CheckpointSummary): string {
  if (c.dir === null) return 'checkpoints not configured';
  if (c.found === 0) return `no checkpoints found in ${c.dir}`;
  const others = c.otherTrails ? `, ${c.otherTrails} of other audit trails ignored` : '';
  return `${c.valid} signed checkpoint(s) of this trail checked${c.latest ? ` (newest ${c.latest})` : ''}${others}; key ${c.keyId?.slice(0, 16) ?? 'none'}`;
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the audit trail (HIPAA 164.312(b))');
  withDatabaseOptions(
    audit
      .command('verify')
      .description('walk the audit hash chains and the signed checkpoints; list every break, exit 1 if any')
      .option('--checkpoint-dir <dir>', 'read the checkpoints from this folder (env CUSTODIAN_AUDIT_CHECKPOINT_DIR)')
      .option('--public-key <file>', 'check their signatures with this public key (PEM; default beside CUSTODIAN_AUDIT_SIGNING_KEY_FILE)'),
  ).action(
    action(async (opts: { database?: string; checkpointDir?: string; publicKey?: string }) => {
      const { deps, close } = await openCliDeps(opts);
      try {
        const r = await verifyAuditTrail(deps, cliActor(), {
          ...(opts.checkpointDir ? { checkpointDir: opts.checkpointDir } : {}),
          ...(opts.publicKey ? { publicKeyFile: opts.publicKey } : {}),
          onProgress: progress('verifying'),
        });
        for (const b of r.breaks) process.stdout.write(breakLine(b));
        if (r.breakCount > r.breaks.length) process.stdout.write(`... and ${r.breakCount - r.breaks.length} more breaks not listed\n`);
        if (r.ok)
          process.stdout.write(
            `audit trail intact: ${r.checked} events verified in ${r.chains} chains; ${checkpointLine(r.checkpoints)}\n`,
          );
        else {
          process.stdout.write(
            `audit trail BROKEN: ${r.breakCount} break(s); ${r.checked} events checked in ${r.chains} chains; ${checkpointLine(r.checkpoints)}\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await close();
      }
    }),
  );
  withDatabaseOptions(
    audit
      .command('checkpoint')
      .description('write a signed checkpoint of every audit chain head, outside the database (copy it elsewhere)')
      .option('--dir <dir>', 'write it to this folder (env CUSTODIAN_AUDIT_CHECKPOINT_DIR)'),
  ).action(
    action(async (opts: { database?: string; dir?: string }) => {
      const { deps, close } = await openCliDeps(opts);
      try {
        const w = await writeAuditCheckpoint(deps, cliActor(), opts.dir ? { dir: opts.dir } : {});
        const events = w.chains.reduce((n, c) => n + c.seq, 0);
        process.stdout.write(`checkpoint written: ${w.file} (${w.chains.length} chains, ${events} events; key ${w.keyId.slice(0, 16)})\n`);
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
      .option('--from <date>', 'from the start of this day (YYYY-MM-DD) or this instant (YYYY-MM-DDTHH:MM:SSZ)')
      .option('--to <date>', 'to the end of this day, inclusive (YYYY-MM-DD), or this instant')
      .option('--out <file>', 'write to a file instead of stdout'),
  ).action(
    action(async (opts: { database?: string; patient?: string; user?: string; from?: string; to?: string; out?: string }) => {
      for (const k of ['from', 'to'] as const)
        if (opts[k] && !auditTimeRange({ [k]: opts[k] }))
          throw new Error(`--${k}: a date as YYYY-MM-DD or a timestamp as YYYY-MM-DDTHH:MM:SSZ`);
      const { deps, close } = await openCliDeps(opts);
      try {
        const csv = await exportAuditTrail(deps, cliActor(), { patientId: opts.patient, userId: opts.user, from: opts.from, to: opts.to });
        const out = opts.out ? openOutFile(opts.out) : process.stdout;
        for await (const chunk of csv) {
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
  withDatabaseOptions(
    demo
      .command('seed')
      .description('load about 200 patients, 400 encounters and one user per role into an empty database')
      .option('--patients <n>', 'number of patients', '200'),
  ).action(
    action(async (opts: { database?: string; patients: string }) => {
      const n = Number(opts.patients);
      if (!Number.isInteger(n) || n < 1 || n > 100000) throw new Error('--patients: a whole number from 1 to 100000');
      const { deps, close } = await openCliDeps(opts);
      try {
        const r = await seedDemo(deps, { patients: n, billing: true, dictations: true, onProgress: progress('seeding') });
        process.stdout.write(`demo hospital loaded: ${r.patients} patients, ${r.encounters} encounters\n`);
        process.stdout.write(`users: ${r.users.map((u) => `${u.username} (${u.role})`).join(', ')}; password ${DEMO_PASSWORD}\n`);
        process.stdout.write(`admin needs a TOTP code: authenticator secret ${DEMO_ADMIN_TOTP_SECRET}\n`);
      } finally {
        await close();
      }
    }),
  );
}
