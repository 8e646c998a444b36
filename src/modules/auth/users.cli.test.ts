import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { registerUsersCommands } from '../../cli/users.command.js';
import { manualClock } from '../../core/shared/clock.js';
import { createAuditLog, queryAuditEvents } from '../audit/index.js';

describe('custodian users commands', () => {
  let t: TestDatabase;
  let out: string[];
  let err: string[];
  const run = async (...args: string[]) => {
    const program = new Command('custodian').exitOverride();
    const clock = manualClock('2026-03-01T08:00:00Z');
    registerUsersCommands(program, async () => ({ deps: { db: t.db, clock, audit: createAuditLog({ clock }) }, close: async () => {} }));
    await program.parseAsync(['node', 'custodian', ...args]);
  };
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    await t.dispose();
  });

  it('creates, lists, disables and unlocks users, audited as the cli', async () => {
    await run(
      'users',
      'create',
      '--username',
      'jdoe',
      '--display-name',
      'Jo Doe',
      '--role',
      'coder',
      '--password',
      'correct horse battery staple',
    );
    expect(out.join('')).toMatch(/^created user jdoe \(coder\), id /);
    out = [];
    await run('users', 'list', '--json');
    expect(JSON.parse(out.join(''))).toMatchObject([{ username: 'jdoe', role: 'coder', disabled: false }]);
    out = [];
    await run('users', 'disable', 'jdoe');
    await run('users', 'unlock', 'jdoe');
    await run('users', 'reset-mfa', 'jdoe');
    expect(out.join('')).toBe('disabled jdoe\nunlocked jdoe\nsecond factor removed for jdoe\n');
    expect((await queryAuditEvents(t.db, {})).map((e) => [e.action, e.username])).toEqual([
      ['create', 'cli'],
      ['user_disabled', 'cli'],
      ['account_unlocked', 'cli'],
      ['mfa_reset', 'cli'],
    ]);
    expect(process.exitCode).toBeUndefined();
  });

  it('prints one line and exits non-zero on a failure', async () => {
    await run('users', 'create', '--username', 'jdoe', '--display-name', 'Jo Doe', '--role', 'coder', '--password', 'short');
    expect(err).toEqual(['custodian: password: at least 15 characters\n']);
    expect(process.exitCode).toBe(1);
    err = [];
    await run('users', 'disable', 'nobody');
    expect(err).toEqual(['custodian: user not found\n']);
  });

  it.each([
    [
      'a lone surrogate in an option',
      [
        'users',
        'create',
        '--username',
        'jdoe',
        '--display-name',
        'Jo\uD800 Doe',
        '--role',
        'coder',
        '--password',
        'correct horse battery staple',
      ],
      'custodian: --display-name: contains invalid Unicode (a lone surrogate)\n',
    ],
    [
      'NUL in an option',
      [
        'users',
        'create',
        '--username',
        'jdoe',
        '--display-name',
        'Jo Doe',
        '--role',
        'coder',
        '--password',
        'correct horse\u0000battery staple',
      ],
      'custodian: --password: contains a NUL character (U+0000)\n',
    ],
    [
      'a lone surrogate in an argument',
      ['users', 'disable', 'jdoe\uDC00'],
      'custodian: <username>: contains invalid Unicode (a lone surrogate)\n',
    ],
  ])('refuses %s with one line, and changes nothing', async (_, args, line) => {
    await run(...args);
    expect(err).toEqual([line]);
    expect(process.exitCode).toBe(1);
    expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
    expect(await queryAuditEvents(t.db, {})).toEqual([]);
  });
});
