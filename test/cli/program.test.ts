/**
 * The lazy command table of src/cli/program.ts: `custodian --help` lists every command without loading any, and each
 * command, when run, is replaced by the real one from its module, with the description the table lists.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';

async function help(args: string[]): Promise<{ out: string; program: Command }> {
  let out = '';
  const program = buildProgram().exitOverride();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  try {
    await program.parseAsync(['node', 'custodian', ...args]);
  } catch (e) {
    if (!(e instanceof Error && 'exitCode' in e)) throw e;
  }
  return { out, program };
}

describe('custodian command table', () => {
  it('lists every command', async () => {
    const { out, program } = await help(['--help']);
    expect(program.commands.length).toBeGreaterThan(10);
    for (const c of program.commands) expect(out).toContain(`  ${c.name()}`);
  });

  it('loads each command from its module, with the listed description and its sub-commands', { timeout: 60_000 }, async () => {
    const listed = buildProgram().commands.map((c) => ({ name: c.name(), description: c.description() }));
    for (const { name, description } of listed) {
      const { out, program } = await help([name, '--help']);
      const real = program.commands.find((c) => c.name() === name);
      expect(real?.description(), name).toBe(description);
      expect(out, name).toContain(`Usage: custodian ${name}`);
      expect(program.commands.map((c) => c.name())).toEqual(listed.map((c) => c.name));
    }
    expect((await help(['grouper', '--help'])).out).toMatch(/run \[options\]/);
    expect((await help(['help', 'grouper'])).out).toMatch(/run \[options\]/);
  });
});
