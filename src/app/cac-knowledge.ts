/**
 * The CAC knowledge of a running server (src/modules/cac's `CacKnowledgeProvider` port): loaded on first use, never at
 * start-up. The load runs `custodian cac build` in a child process — it reads the cache `<var>/cac/knowledge.v8` when
 * fresh, else builds it (35-80 s of CPU on this machine) — so the server's event loop never blocks on the build; the
 * server then reads the cached file (about a second). Until then a suggestion request answers 412 saying the
 * knowledge is loading.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { readCacKnowledge, type CacKnowledge } from '../core/cac/index.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import type { CacKnowledgeProvider } from '../modules/cac/index.js';

const BIN = fileURLToPath(new URL('../../bin/custodian.js', import.meta.url));
/** How long a request waits for a load already under way before answering "loading" (a fresh cache loads within it). */
const WAIT_MS = 8_000;

const notReady = (why: string) => new DomainError(ErrorCode.preconditionFailed, why);

/** A provider that answers a knowledge given as is (tests, `--knowledge FILE`). */
export function fixedCacKnowledge(k: CacKnowledge): CacKnowledgeProvider {
  return { get: () => Promise.resolve(k) };
}

/** A provider that says CAC is not available in this process (an app built without one). */
export const noCacKnowledge: CacKnowledgeProvider = {
  get: () => Promise.reject(notReady('computer-assisted coding is not available in this process (no knowledge provider)')),
};

/** The server's provider: `cac build` in a child process on first use, then the cached file read once and kept. */
export function backgroundCacKnowledge(config: Pick<Config, 'varDir' | 'dataDir' | 'codesetsDir'>, logger: Logger): CacKnowledgeProvider {
  let knowledge: CacKnowledge | undefined;
  let loading: Promise<CacKnowledge> | undefined;
  const file = path.join(config.varDir, 'cac', 'knowledge.v8');

  const load = () =>
    new Promise<CacKnowledge>((resolve, reject) => {
      const t0 = Date.now();
      logger.info('cac: loading the coding knowledge (built on first use, then cached)');
      const child = spawn(process.execPath, [BIN, 'cac', 'build'], {
        env: {
          ...process.env,
          CUSTODIAN_VAR_DIR: config.varDir,
          CUSTODIAN_DATA_DIR: config.dataDir,
          CUSTODIAN_CODESETS_DIR: config.codesetsDir,
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) {
          reject(new Error(`cac build exited with ${String(code)}`));
          return;
        }
        try {
          const k = readCacKnowledge(file);
          logger.info({ ms: Date.now() - t0 }, 'cac: coding knowledge loaded');
          resolve(k);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });

  return {
    async get() {
      if (knowledge) return knowledge;
      loading ??= load().then(
        (k) => (knowledge = k),
        (e: unknown) => {
          // A failed load is logged (no PHI: the build reads code sets and the training corpus only) and tried again next time.
          logger.error(
            { err: { type: (e as Error).name, message: (e as Error).message } },
            'cac: the coding knowledge could not be loaded',
          );
          loading = undefined;
          throw notReady('the coding knowledge could not be loaded: see the server log, or run `custodian cac build`');
        },
      );
      const waited = await Promise.race([loading, delay(WAIT_MS, undefined, { ref: false })]);
      if (waited) return waited;
      throw notReady('the coding knowledge is loading (the first use builds it, about a minute): try again shortly');
    },
  };
}
