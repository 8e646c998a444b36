import { Option, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Clock } from '../core/shared/clock.js';
import type { Database } from '../db/schema.js';
import { roles, systemActor } from '../modules/access/index.js';
import { createUser, disableUser, enableUser, listUsers, resetMfa, unlockUser, type UserAdminView } from '../modules/auth/index.js';
import { action, withDatabaseOptions } from './shared.js';
import type { AuditLog } from '../modules/audit/index.js';

/** What the users commands need from the opened database (AppDeps fits). */
export interface UsersCommandDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
}
export type OpenUsersDeps = (opts: {
  database?: string;
  dataDir?: string;
}) => Promise<{ deps: UsersCommandDeps; close: () => Promise<void> }>;

/** Work done from the command line is audited under the system actor `cli`. */
const cli = systemActor('cli');

async function withDeps<T>(open: () => ReturnType<OpenUsersDeps>, fn: (deps: UsersCommandDeps) => Promise<T>): Promise<T> {
  const { deps, close } = await open();
  try {
    return await fn(deps);
  } finally {
    await close();
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('--password-stdin: pipe the password in (echo ... | custodian users create ...)');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function describe(u: UserAdminView): string {
  const status = u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active';
  return `${u.username}\t${u.role}\t${u.mfaEnabled ? 'mfa' : 'no-mfa'}\t${status}\t${u.displayName}`;
}

/**
 * `custodian users create|list|disable|enable|reset-mfa|unlock`: thin commands over the auth module's services.
 * The database comes from the configuration (CUSTODIAN_DATABASE_URL); errors print one line and exit non-zero.
 */
export function registerUsersCommands(program: Command, openDeps: OpenUsersDeps): void {
  const users = program.command('users').description('people and access: create, list, disable, enable, reset MFA, unlock');

  users
    .command('create')
    .description('create a user (password: at least 15 characters, not a common password, not containing the username)')
    .requiredOption('--username <username>', 'sign-in name (letters, digits, . _ -)')
    .requiredOption('--display-name <name>', 'name shown in the app and audit views')
    .addOption(new Option('--role <role>', 'role').choices([...roles]).makeOptionMandatory())
    .addOption(
      new Option('--password <password>', 'the password (visible in shell history; prefer --password-stdin)').conflicts('passwordStdin'),
    )
    .option('--password-stdin', 'read the password from standard input')
    .option('--provider-id <id>', 'link a physician user to a provider record')
    .action(
      action(
        async (opts: {
          username: string;
          displayName: string;
          role: string;
          password?: string;
          passwordStdin?: boolean;
          providerId?: string;
          database?: string;
          dataDir?: string;
        }) => {
          const password = opts.passwordStdin ? await readStdin() : opts.password;
          if (password === undefined) throw new Error('give the password with --password or --password-stdin');
          const u = await withDeps(
            () => openDeps(opts),
            (deps) =>
              createUser(deps, cli, {
                username: opts.username,
                displayName: opts.displayName,
                role: opts.role,
                password,
                providerId: opts.providerId ?? null,
              }),
          );
          process.stdout.write(`created user ${u.username} (${u.role}), id ${u.id}\n`);
          if (u.role === 'administrator')
            process.stdout.write('administrators set up an authenticator app (TOTP) at their first sign-in\n');
        },
      ),
    );

  users
    .command('list')
    .description('list users: username, role, second factor, status, display name')
    .option('--json', 'print JSON')
    .action(
      action(async (opts: { json?: boolean; database?: string; dataDir?: string }) => {
        const list = await withDeps(
          () => openDeps(opts),
          (deps) => listUsers(deps, cli),
        );
        if (opts.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        else process.stdout.write(list.map(describe).join('\n') + (list.length ? '\n' : 'no users\n'));
      }),
    );

  const simple = [
    ['disable', 'disable a user and end their sessions', disableUser, 'disabled'],
    ['enable', 'enable a disabled user', enableUser, 'enabled'],
    ['reset-mfa', "remove a user's second factor (lost device); they enrol again at next sign-in", resetMfa, 'second factor removed for'],
    ['unlock', 'lift a lockout after failed sign-ins', unlockUser, 'unlocked'],
  ] as const;
  for (const [name, description, run, done] of simple) {
    users
      .command(`${name} <username>`)
      .description(description)
      .action(
        action(async (username: string, opts: { database?: string; dataDir?: string }) => {
          const u = await withDeps(
            () => openDeps(opts),
            (deps) => run(deps, cli, username),
          );
          process.stdout.write(`${done} ${u.username}\n`);
        }),
      );
  }
  for (const c of users.commands) withDatabaseOptions(c);
}
