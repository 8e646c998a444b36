import pino, { type Logger } from 'pino';
import { ConfigError, configEnv, type Config } from '../config/config.js';
import { systemClock, type Clock } from '../core/shared/clock.js';
import { createFieldCipher, deriveKey } from '../core/shared/crypto.js';
import { createAuditLog, publicKeyFileOf, type AuditLog } from '../modules/audit/index.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import type { AppDeps } from './deps.js';
import { prettyDestination } from './log-format.js';
import { createGroupingService } from '../modules/grouping/index.js';
import { createCodesService } from '../modules/codes/index.js';
import { backgroundCacKnowledge } from './cac-knowledge.js';
import { patientRecordDirectory } from '../modules/patients/index.js';
import { createPatientMatching, ensureMatchKeysCurrent } from '../modules/mpi/index.js';
import { codingForQueries } from '../modules/coding/index.js';
import { createRecordAccess } from '../modules/access/index.js';
import {
  createOcrEngine,
  createOcrJobHandler,
  describeMissingTool,
  findMissingOcrTools,
  OCR_JOB_KIND,
  type OcrEngine,
} from '../modules/ocr/index.js';
import { combineJobRunners, createJobRunner, type JobHandler, type JobRunner } from '../modules/jobs/index.js';
import { createDocumentsService, documentsOcrJobDeps } from '../modules/documents/index.js';
import { createRecognitionHandler, RECOGNIZE_JOB_KIND } from '../modules/transcription/index.js';
import { createScanBatchHandler, SCAN_BATCH_JOB_KIND } from '../modules/scanning/index.js';
import { documentsDepsOf, medicalSpeechRecognizer, scanningDepsOf, transcriptionDepsOf } from './modules.js';

/**
 * Logger for the server and the CLI. Redaction is a second line of defence: code logs ids, never PHI. Lines
 * are JSON (for log collectors) unless stderr is a terminal, where a person reads them (`log-format.ts`);
 * `logFormat` (CUSTODIAN_LOG_FORMAT) json or pretty overrides the guess.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
  destination?: pino.DestinationStream,
): Logger {
  const format = config.logFormat ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && process.stderr.isTTY);
  return pino(
    {
      level: config.logLevel,
      base: { service: 'custodian' },
      redact: {
        paths: [
          '*.password',
          '*.ssn',
          '*.totp',
          '*.name',
          '*.familyName',
          '*.givenName',
          '*.dateOfBirth',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? (pretty ? prettyDestination() : pino.destination(2)),
  );
}

/**
 * The audit log of a configuration: its chain key from CUSTODIAN_AUDIT_KEY, else derived from the encryption key;
 * its checkpoints in CUSTODIAN_AUDIT_CHECKPOINT_DIR, signed with CUSTODIAN_AUDIT_SIGNING_KEY_FILE (public key beside it).
 */
export function auditLogOf(
  config: Pick<Config, 'auditKey' | 'encryptionKey' | 'auditCheckpointDir' | 'auditSigningKeyFile'>,
  clock: Clock,
): AuditLog {
  return createAuditLog({
    clock,
    key: config.auditKey ? Buffer.from(config.auditKey, 'hex') : deriveKey(config.encryptionKey, 'audit chain'),
    checkpoints: {
      dir: config.auditCheckpointDir,
      signingKeyFile: config.auditSigningKeyFile,
      publicKeyFile: publicKeyFileOf(config.auditSigningKeyFile),
    },
  });
}

/**
 * Opens the database named by the config, applies pending migrations (and rebuilds stale MPI match keys) and wires
 * the shared dependencies.
 */
export async function openAppDeps(
  config: Config,
  opts: { clock?: Clock; logger?: Logger; migrate?: boolean } = {},
): Promise<{ deps: AppDeps; close: () => Promise<void> }> {
  const handle = openDatabase(config.databaseUrl);
  try {
    if (opts.migrate !== false) await migrateToLatest(handle.db, { engine: handle.engine });
  } catch (e) {
    await handle.close();
    throw e;
  }
  const logger = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const audit = auditLogOf(config, clock);
  const cipher = createFieldCipher(config.encryptionKey);
  const deps: AppDeps = {
    config,
    records: createRecordAccess({ db: handle.db, clock, audit, directory: patientRecordDirectory }),
    db: handle.db,
    engine: handle.engine,
    clock,
    cipher,
    audit,
    logger,
    grouping: createGroupingService({ dataDir: config.dataDir }),
    codes: createCodesService({
      dataDir: config.dataDir,
      codesetsDir: config.codesetsDir,
      onLoaded: (ms) => logger.info({ ms }, 'code sets loaded'),
      onError: (e) => logger.error({ err: { type: (e as Error).name, message: (e as Error).message } }, 'code sets could not be loaded'),
    }),
    matching: createPatientMatching({ cipher, config }),
    coding: codingForQueries,
    cacKnowledge: backgroundCacKnowledge(config, logger),
  };
  if (opts.migrate !== false) {
    // Stored MPI blocking keys made by an earlier version (or another encryption key) are rebuilt before use.
    try {
      const r = await ensureMatchKeysCurrent(deps.db, deps, {
        onProgress: (n) => {
          if (n % 50_000 === 0) logger.info({ patients: n }, 'rebuilding MPI match keys');
        },
      });
      if (r.rebuilt && r.patients > 0) logger.info({ patients: r.patients }, 'MPI match keys rebuilt for the current blocking keys');
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
  return { deps, close: () => handle.close() };
}

/**
 * The OCR engine of a configuration (CUSTODIAN_TESSERACT, _PDFTOPPM, _PDFINFO, _IMAGEMAGICK, _OCR_WORKERS). A missing
 * program is a ConfigError naming its setting and its Debian package.
 */
export function ocrEngineOf(
  config: Pick<Config, 'tesseractPath' | 'pdftoppmPath' | 'pdfinfoPath' | 'imagemagickPath' | 'ocrWorkers'>,
): OcrEngine {
  const paths = {
    tesseract: config.tesseractPath,
    pdftoppm: config.pdftoppmPath,
    pdfinfo: config.pdfinfoPath,
    imagemagick: config.imagemagickPath,
  };
  const missing = findMissingOcrTools(paths);
  if (missing.length > 0) throw new ConfigError(missing.map((m) => describeMissingTool(m, configEnv[`${m.tool}Path`])).join('; '));
  return createOcrEngine({ paths, workers: config.ocrWorkers });
}

/**
 * The background job runner of `serve`: the `document.ocr` handler (when the OCR programs are installed; otherwise
 * OCR jobs wait in the queue and a warning says which program is missing) and the `scan.batch` handler, each in its
 * own lane. Started by the caller; stop() on shutdown hands a running attempt back to the queue.
 */
export function createAppJobRunner(deps: AppDeps): JobRunner {
  const ocr: Record<string, JobHandler> = {};
  try {
    const engine = ocrEngineOf(deps.config);
    ocr[OCR_JOB_KIND] = createOcrJobHandler({ engine, ...documentsOcrJobDeps(documentsDepsOf(deps)) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    deps.logger.warn({ err: { type: e.name, message: e.message } }, 'OCR is not available: document.ocr jobs stay queued');
  }
  // Scanned batches from the inbox (src/modules/scanning); the programs are checked when a batch runs (a missing one
  // fails the attempt, retried with backoff, and the batch file stays in the processing folder).
  const intake: Record<string, JobHandler> = { [SCAN_BATCH_JOB_KIND]: createScanBatchHandler(scanningDepsOf(deps)) };
  const lane = (handlers: Record<string, JobHandler>) =>
    createJobRunner({
      db: deps.db,
      clock: deps.clock,
      handlers,
      concurrency: 1,
      onEvent: (ev) => {
        if (ev.event === 'succeeded') deps.logger.debug({ jobId: ev.jobId, kind: ev.kind }, 'job succeeded');
        else deps.logger.warn({ jobId: ev.jobId, kind: ev.kind, event: ev.event, error: ev.error }, 'job attempt did not succeed');
      },
    });
  // Speech recognition of dictations (src/modules/transcription, engine src/core/speech): its own lane, so a dictation's
  // draft does not wait behind a scanned batch.
  const speech: Record<string, JobHandler> = {
    [RECOGNIZE_JOB_KIND]: createRecognitionHandler(
      transcriptionDepsOf(
        deps,
        createDocumentsService(documentsDepsOf(deps)),
        medicalSpeechRecognizer(deps.config, (e) =>
          deps.logger.warn(
            { err: { type: (e as Error).name, message: (e as Error).message } },
            'medical speech model unavailable: general model used',
          ),
        ),
      ),
    ),
  };
  // Three lanes, one job at a time each: a long scanned batch never holds up the OCR of an upload, nor the reverse (the
  // OCR engine itself spreads one document's pages over every core).
  return combineJobRunners([lane(ocr), lane(intake), lane(speech)]);
}
