import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { receiveHl7Batch } from '../modules/interfaces/index.js';
import { action, openCliDeps, withDatabaseOptions } from './shared.js';

/**
 * `custodian hl7 import --file f [--file g]`: receives HL7 v2 files (batches or concatenated messages) as the
 * MLLP listener would, message by message, and prints the count of each outcome (ids and counts only, no PHI).
 */
export function registerHl7Commands(program: Command): void {
  const hl7 = program.command('hl7').description('HL7 v2 interface tools');
  withDatabaseOptions(
    hl7
      .command('import')
      .description('receive HL7 v2 batch files or message files: store, apply ADT, report outcomes')
      .requiredOption('--file <path>', 'HL7 file; repeat for several', (v: string, prev: string[]) => [...prev, v], [] as string[]),
  ).action(
    action(async (opts: { file: string[]; database?: string; dataDir?: string }) => {
      const { modules, close } = await openCliDeps({ ...program.opts(), ...opts });
      try {
        const counts: Record<string, number> = {};
        for (const f of opts.file) {
          for (const r of await receiveHl7Batch(modules.interfaces, readFileSync(f, 'utf8'), { channel: 'file' }))
            counts[r.status] = (counts[r.status] ?? 0) + 1;
        }
        process.stdout.write(
          `${
            Object.entries(counts)
              .map(([k, n]) => `${k}: ${n}`)
              .join(', ') || 'no messages'
          }\n`,
        );
      } finally {
        await close();
      }
    }),
  );
}
