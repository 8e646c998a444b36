import type { Command } from 'commander';
import { z } from 'zod';
import { defaultQueryPolicy, runScheduledEscalation } from '../modules/queries/index.js';
import { action, openCliDeps, withDatabaseOptions } from './shared.js';

const Days = z.coerce.number().int().min(1).max(365);

/**
 * `custodian queries escalate [--escalate-after-days N] [--expire-after-days M]`: escalates physician queries
 * unanswered after N days and expires those older than M days (run it daily from cron; reads also apply it).
 */
export function registerQueriesCommands(program: Command): void {
  const queries = program.command('queries').description('Physician queries (AHIMA/ACDIS compliant query practice)');
  withDatabaseOptions(queries.command('escalate').description('escalate overdue queries and expire old ones'))
    .option('--escalate-after-days <n>', `days before an unanswered query is escalated (default ${defaultQueryPolicy.escalateAfterDays})`)
    .option('--expire-after-days <n>', `days before an unanswered query expires (default ${defaultQueryPolicy.expireAfterDays})`)
    .action(
      action(async (opts: { database?: string; dataDir?: string; escalateAfterDays?: string; expireAfterDays?: string }) => {
        const policy = {
          escalateAfterDays: Days.parse(opts.escalateAfterDays ?? defaultQueryPolicy.escalateAfterDays),
          expireAfterDays: Days.parse(opts.expireAfterDays ?? defaultQueryPolicy.expireAfterDays),
        };
        if (policy.expireAfterDays <= policy.escalateAfterDays)
          throw new Error('--expire-after-days must be more than --escalate-after-days');
        const { modules, close } = await openCliDeps(opts);
        try {
          const r = await runScheduledEscalation({ ...modules.queries, queryPolicy: policy });
          process.stdout.write(`escalated ${r.escalated}, expired ${r.expired}\n`);
        } finally {
          await close();
        }
      }),
    );
}
