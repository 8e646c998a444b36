/**
 * The scan inbox: a folder the scanners write batches into (CUSTODIAN_SCAN_INBOX). A file is claimed once its size
 * and modification time held still across two looks and it is at least `stableMs` old (a scanner still writing it
 * is left alone), by renaming it into the inbox's `.processing` folder (atomic on one file system: no two servers
 * take the same file) under the new batch's id; then the batch row and its `scan.batch` job are written in one
 * transaction. A file renamed just before a crash (no row yet) is found in `.processing` at the next start.
 * Files and folders whose names start with a dot are not batches, nor files named as still being written
 * (`.part`, `.tmp`, `.crdownload`, `.filepart`, a trailing `~`).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { enqueueJob } from '../jobs/index.js';
import * as repo from './scanning.repository.js';
import { SCAN_BATCH_JOB_KIND } from './scanning.rules.js';
import type { ScanningDeps } from './scanning.views.js';

export const PROCESSING_FOLDER = '.processing';

export interface ScanInboxOptions {
  /** How often the folder is looked at (default 2 s); a change seen by fs.watch looks sooner. */
  pollMs?: number;
  /** How old (since its last change) a file must be before it is claimed (default 2 s). */
  stableMs?: number;
  /** Told about each claimed batch (after its job is queued): wake the job runner. */
  onClaimed?: (batchId: string) => void;
  /** Told about a failed look (error text only, no file names). */
  onError?: (e: unknown) => void;
}

export interface ScanInbox {
  /** Looks once; answers the batches claimed. */
  poll(): Promise<string[]>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type Seen = { size: number; mtimeMs: number };

/** Names scanners and copy tools give a file while they still write it (renamed when done). */
const inProgressName = /(\.(part|partial|tmp|crdownload|filepart)|~)$/i;

const idOfProcessingFile = (name: string) => /^([0-9a-f-]{36})(\.|$)/.exec(name)?.[1] ?? null;

/** The extension a claimed file keeps (lower case, short), for the tools and for people looking at the folder. */
const extensionOf = (name: string) => {
  const ext = path.extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '';
};

/** Registers a claimed file as a batch and queues its job, in one transaction. */
async function registerBatch(deps: ScanningDeps, id: string, storedPath: string, fileName: string, size: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const job = await enqueueJob(trx, deps.clock, {
      kind: SCAN_BATCH_JOB_KIND,
      payload: { batchId: id },
      dedupeKey: `scan:${id}`,
      maxAttempts: 5,
      createdBy: 'scan-inbox',
    });
    await repo.insertBatch(trx, {
      id,
      file_name: fileName,
      stored_path: storedPath,
      byte_size: size,
      format: null,
      status: 'queued',
      page_count: null,
      job_id: job.id,
      error: null,
      received_at: isoNow(deps.clock),
      finished_at: null,
    });
  });
}

/** Claims one file of the inbox now (the CLI and tests; the watcher claims only files that held still). */
export async function claimFile(deps: ScanningDeps, file: string): Promise<string> {
  const processing = path.join(deps.inboxDir, PROCESSING_FOLDER);
  await fsp.mkdir(processing, { recursive: true });
  const id = newId();
  const stored = path.join(processing, `${id}${extensionOf(file)}`);
  const { size } = await fsp.stat(file);
  await fsp.rename(file, stored);
  await registerBatch(deps, id, stored, path.basename(file).slice(-200), size);
  return id;
}

export function createScanInbox(deps: ScanningDeps, opts: ScanInboxOptions = {}): ScanInbox {
  const pollMs = opts.pollMs ?? 2_000;
  const stableMs = opts.stableMs ?? 2_000;
  const processing = path.join(deps.inboxDir, PROCESSING_FOLDER);
  const seen = new Map<string, Seen>();
  let timer: NodeJS.Timeout | null = null;
  let watcher: fs.FSWatcher | null = null;
  let looking: Promise<string[]> | null = null;
  let stopped = false;

  async function recover(): Promise<void> {
    const names = (await fsp.readdir(processing)).filter((n) => idOfProcessingFile(n));
    const known = await repo.existingBatchIds(
      deps.db,
      names.map((n) => idOfProcessingFile(n)!),
    );
    for (const n of names) {
      const id = idOfProcessingFile(n)!;
      if (known.has(id)) continue;
      const stored = path.join(processing, n);
      const { size } = await fsp.stat(stored);
      await registerBatch(deps, id, stored, '(recovered after a restart)', size);
      opts.onClaimed?.(id);
    }
  }

  async function look(): Promise<string[]> {
    const claimed: string[] = [];
    const entries = await fsp.readdir(deps.inboxDir, { withFileTypes: true });
    const present = new Set<string>();
    for (const e of entries) {
      if (stopped) break;
      if (e.name.startsWith('.') || !e.isFile() || inProgressName.test(e.name)) continue;
      present.add(e.name);
      const file = path.join(deps.inboxDir, e.name);
      const st = await fsp.stat(file).catch(() => null);
      if (!st) continue;
      const before = seen.get(e.name);
      seen.set(e.name, { size: st.size, mtimeMs: st.mtimeMs });
      // File times are finer than Date.now()'s milliseconds: a file changed within this millisecond is 0 ms old.
      const still = before && before.size === st.size && before.mtimeMs === st.mtimeMs && Date.now() - Math.floor(st.mtimeMs) >= stableMs;
      if (!still) continue;
      try {
        const id = await claimFile(deps, file);
        seen.delete(e.name);
        claimed.push(id);
        opts.onClaimed?.(id);
      } catch (err) {
        // Taken by another server, or removed by someone: looked at again next time if it is still there.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
    return claimed;
  }

  const inbox: ScanInbox = {
    poll() {
      looking ??= look().finally(() => {
        looking = null;
      });
      return looking;
    },
    async start() {
      await fsp.mkdir(processing, { recursive: true });
      await recover();
      const tick = () => {
        inbox.poll().catch((e: unknown) => opts.onError?.(e));
      };
      timer = setInterval(tick, pollMs);
      timer.unref();
      try {
        // A change looks at once (a second look, pollMs later, confirms the size held still); polling stays the
        // fallback where fs.watch tells nothing (network shares).
        watcher = fs.watch(deps.inboxDir, { persistent: false }, () => tick());
        watcher.on('error', () => watcher?.close());
      } catch {
        watcher = null;
      }
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      watcher?.close();
      await looking?.catch(() => undefined);
    },
  };
  return inbox;
}
