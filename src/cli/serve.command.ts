import type { Command } from 'commander';
import { openAppDeps, createLogger, createAppJobRunner } from '../app/bootstrap.js';
import { buildModuleDeps } from '../app/modules.js';
import { createScanInbox } from '../modules/scanning/index.js';
import { buildApp } from '../app/server.js';
import { isDatabaseEmpty, isDemoLoaded, seedDemo, demoUsers, DEMO_PASSWORD } from '../modules/demo/index.js';
import { startMllpListener } from '../modules/interfaces/index.js';
import { sweepExpiredSessions } from '../modules/auth/index.js';
import { analyseDischarges, sendCompletionNotices } from '../modules/completion/index.js';
import { systemActor } from '../modules/access/index.js';
import { createSchedulingWorker } from '../modules/scheduling/index.js';
import { deliverMdmOutbox } from '../modules/transcription/index.js';
import { deliverScheduledReports } from '../modules/reports/index.js';
import { isoNow } from '../core/shared/clock.js';
import { action, configFromFlags, progress, withDatabaseOptions } from './shared.js';

/**
 * What a person needs once the server is up, apart from the log lines: where to open it and, with the demo
 * hospital loaded, whom to sign in as (the demo password is public: README, demo module).
 */
export function startBanner(url: string, engine: string, demo: boolean): string {
  const users = demoUsers.filter((u) => u.username !== 'admin').map((u) => u.username);
  const lines = [
    '',
    `  Custodian is running: ${url}  (database: ${engine})`,
    ...(demo
      ? [`  Sign in as ${users.join(', ')} with password ${DEMO_PASSWORD}`, '  (admin also needs a TOTP code: see README, Quick start)']
      : []),
    '  Stop with Ctrl+C.',
    '',
  ];
  return lines.join('\n') + '\n';
}

export function registerServeCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('serve')
      .description('run the web app and the API (and the HL7 MLLP listener with --mllp-port)')
      .option('--port <n>', 'HTTP port (env CUSTODIAN_PORT, default 8080)')
      .option('--mllp-port <n>', 'port of the HL7 v2 MLLP listener (env CUSTODIAN_MLLP_PORT)')
      .option('--seed-if-empty', 'load the demo hospital when the database has no users yet'),
  ).action(
    action(async (opts: { port?: string; mllpPort?: string; database?: string; dataDir?: string; seedIfEmpty?: boolean }) => {
      const config = configFromFlags(opts);
      const logger = createLogger(config);
      const { deps, close } = await openAppDeps(config, { logger });
      if (opts.seedIfEmpty && (await isDatabaseEmpty(deps))) {
        logger.info('empty database: loading the demo hospital');
        const r = await seedDemo(deps, { billing: true, dictations: true, onProgress: progress('demo data') });
        logger.info(
          { patients: r.patients, encounters: r.encounters },
          `demo data loaded; sign in as coder, clerk, director, physician or auditor with password ${DEMO_PASSWORD}`,
        );
      }
      const modules = buildModuleDeps(deps);
      const app = await buildApp(deps, modules);
      const mllp =
        config.mllpPort === undefined
          ? null
          : await startMllpListener(
              { ...modules.interfaces, logger },
              {
                port: config.mllpPort,
                host: config.host,
                idleTimeoutMs: config.mllpIdleSeconds * 1000,
                maxConnections: config.mllpMaxConnections,
                maxMessageBytes: config.mllpMaxMessageBytes,
              },
            );
      if (mllp) logger.info({ mllpPort: mllp.port }, `HL7 v2 MLLP listener on port ${mllp.port}`);
      // End and audit sessions nobody came back to (automatic logoff is otherwise noticed on the next request).
      const sweeper = setInterval(() => {
        sweepExpiredSessions(modules.auth).catch((e: unknown) => logger.warn({ err: { type: (e as Error).name } }, 'session sweep failed'));
      }, 60_000);
      sweeper.unref();
      // Chart completion: analyse each new discharge, and send the physicians' notices (src/modules/completion).
      const completionSweep = setInterval(() => {
        const system = systemActor('completion-sweep');
        analyseDischarges(modules.completion, system)
          .then(() => sendCompletionNotices(modules.completion, system))
          .catch((e: unknown) => logger.warn({ err: { type: (e as Error).name } }, 'completion sweep failed'));
      }, 60_000);
      completionSweep.unref();
      // Scheduling: the SIU outbox and the appointment reminders (CUSTODIAN_SCHEDULING_SWEEP_SECONDS, 0 = off).
      const schedulingSweep = createSchedulingWorker(modules.scheduling, {
        intervalMs: config.schedulingSweepSeconds * 1000,
        reminderLeadHours: config.reminderLeadHours,
        onResult: (r) => {
          for (const e of r.errors) logger.warn({ err: { type: e.type }, part: e.part }, 'scheduling sweep failed');
          const failed = r.siu.filter((x) => x.outcome !== 'sent').length + r.reminders.filter((x) => x.outcome === 'failed').length;
          if (failed) logger.warn({ siu: r.siu.length, reminders: r.reminders.length, failed }, 'scheduling sweep: some items not sent');
        },
      });
      schedulingSweep.start();
      // MDM^T02 of signed transcriptions to CUSTODIAN_MDM_DESTINATION (src/modules/transcription), when configured.
      const mdmSweep = setInterval(() => {
        deliverMdmOutbox(modules.transcription).catch((e: unknown) =>
          logger.warn({ err: { type: (e as Error).name } }, 'MDM delivery failed'),
        );
      }, 30_000);
      mdmSweep.unref();
      // Saved reports due today (daily/weekly) emailed as XLSX to their recipients (src/modules/reports), when SMTP is set.
      const reportsSweep = setInterval(() => {
        deliverScheduledReports(modules.reports, isoNow(deps.clock))
          .then((r) => {
            const failed = r.filter((x) => x.outcome === 'failed').length;
            if (failed) logger.warn({ reports: r.length, failed }, 'saved reports: some not sent');
          })
          .catch((e: unknown) => logger.warn({ err: { type: (e as Error).name } }, 'saved reports delivery failed'));
      }, 15 * 60_000);
      reportsSweep.unref();
      // Background work (OCR of scanned documents) from the durable queue.
      const jobs = createAppJobRunner(deps);
      jobs.start();
      // The scan inbox (CUSTODIAN_SCAN_INBOX): each batch that held still is claimed and queued as a scan.batch job.
      const inbox = createScanInbox(modules.scanning, {
        onClaimed: (batchId) => {
          logger.info({ batchId }, 'scan batch claimed from the inbox');
          jobs.wake();
        },
        onError: (e) =>
          logger.warn({ err: { type: (e as Error).name, code: (e as NodeJS.ErrnoException).code } }, 'scan inbox look failed'),
      });
      await inbox.start();
      const shutdown = async () => {
        clearInterval(sweeper);
        clearInterval(completionSweep);
        await schedulingSweep.stop();
        clearInterval(mdmSweep);
        clearInterval(reportsSweep);
        await inbox.stop();
        await jobs.stop();
        await mllp?.close();
        await app.close();
        await close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
      await app.listen({ port: config.port, host: config.host });
      // Load the code sets after the server is up (from the snapshot `custodian codes import` writes).
      deps.codes.warmUp();
      logger.info({ port: config.port, engine: deps.engine }, `Custodian is listening on http://localhost:${config.port}`);
      process.stdout.write(startBanner(`http://localhost:${config.port}`, deps.engine, await isDemoLoaded(deps)));
    }),
  );
}
