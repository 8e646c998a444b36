import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { requestChartsForAppointments } from '../modules/scheduling/index.js';
import { action, cliActor, openCliDeps, withDatabaseOptions } from './shared.js';

/**
 * `custodian scheduling request-charts [--date YYYY-MM-DD] [--zone IANA]`: requests the chart of each booked or
 * checked-in appointment of the day (tomorrow by default, in the zone given or the server's), once per appointment.
 * Run it daily from cron, or press "Request charts for tomorrow" on the Scheduling screen. Exit code 1 when any
 * appointment could not be requested (each is listed by id).
 */
export function registerSchedulingCommands(program: Command): void {
  const scheduling = program.command('scheduling').description('appointments: chart pulls for the schedule');
  withDatabaseOptions(scheduling.command('request-charts').description("request the charts of a day's appointments (default: tomorrow)"))
    .option('--date <yyyy-mm-dd>', 'the day of the appointments (default: tomorrow)')
    .option('--zone <iana>', "the day's time zone (default: the server's)")
    .action(
      action(async (opts: { database?: string; dataDir?: string; date?: string; zone?: string }) => {
        const zone = opts.zone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
        if (!DateTime.local().setZone(zone).isValid) throw new Error(`--zone: ${zone} is not an IANA time zone`);
        const day = opts.date ? DateTime.fromISO(opts.date, { zone }) : DateTime.now().setZone(zone).plus({ days: 1 }).startOf('day');
        if (!day.isValid || (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date))) throw new Error('--date must be YYYY-MM-DD');
        const { modules, close } = await openCliDeps(opts);
        try {
          const results = await requestChartsForAppointments(modules.scheduling, cliActor(), {
            from: day.startOf('day').toUTC().toISO(),
            to: day.startOf('day').plus({ days: 1 }).toUTC().toISO(),
          });
          const count = (o: string) => results.filter((r) => r.outcome === o).length;
          process.stdout.write(
            `${day.toISODate()}: ${results.length} appointments, ${count('requested')} charts requested, ${count('already_requested')} already requested, ${count('failed')} failed\n`,
          );
          for (const r of results.filter((x) => x.outcome === 'failed'))
            process.stdout.write(`failed: appointment ${r.appointmentId} (${r.error})\n`);
          if (count('failed')) process.exitCode = 1;
        } finally {
          await close();
        }
      }),
    );
}
