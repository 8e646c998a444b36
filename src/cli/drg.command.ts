/**
 * `custodian drg import-weights FILE [--fiscal-year N]`: stores the MS-DRG relative weights of CMS Table 5 of the
 * IPPS final rule (tab-delimited, as CMS publishes it) for the case mix index of the director's dashboard; replaces
 * that fiscal year's weights. `custodian drg weights` lists the years imported.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { importDrgWeights, listWeightYears } from '../modules/reports/index.js';
import { action, cliActor, openCliDeps, withDatabaseOptions } from './shared.js';

export function registerDrgCommands(program: Command): void {
  const drg = program.command('drg').description('MS-DRG relative weights (CMS IPPS Table 5) for the case mix index');
  withDatabaseOptions(
    drg
      .command('import-weights')
      .description('import CMS Table 5 (tab-delimited) relative weights; replaces that fiscal year')
      .argument('<file>', 'the Table 5 text file')
      .option('--fiscal-year <year>', 'the fiscal year, when the file does not name it (FY NNNN)'),
  ).action(
    action(async (file: string, opts: { database?: string; dataDir?: string; fiscalYear?: string }) => {
      const text = readFileSync(file, 'utf8');
      const fiscalYear = opts.fiscalYear === undefined ? undefined : Number(opts.fiscalYear);
      if (fiscalYear !== undefined && !Number.isInteger(fiscalYear)) throw new Error(`--fiscal-year: '${opts.fiscalYear}' is not a year`);
      const { modules, close } = await openCliDeps({ ...program.opts(), ...opts });
      try {
        const r = await importDrgWeights(modules.reports, cliActor(), { text, fileName: path.basename(file), fiscalYear });
        for (const s of r.skipped) process.stderr.write(`${path.basename(file)}:${s.line}: skipped: ${s.reason}\n`);
        process.stdout.write(`imported ${r.imported} MS-DRG weights for FY ${r.fiscalYear} (${r.skipped.length} lines skipped)\n`);
      } finally {
        await close();
      }
    }),
  );
  withDatabaseOptions(drg.command('weights').description('list the fiscal years of imported weights')).action(
    action(async (opts: { database?: string; dataDir?: string }) => {
      const { modules, close } = await openCliDeps({ ...program.opts(), ...opts });
      try {
        const years = await listWeightYears(modules.reports);
        process.stdout.write(
          years.length === 0 ? 'no weights imported\n' : years.map((y) => `FY ${y.fiscalYear}: ${y.drgs} MS-DRGs\n`).join(''),
        );
      } finally {
        await close();
      }
    }),
  );
}
