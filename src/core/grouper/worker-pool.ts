/**
 * A small pool of grouper worker threads. Chunks go to the least busy worker; each `run` resolves with
 * that chunk's output. Works from compiled JavaScript and from TypeScript sources (tsx), where the worker
 * registers the tsx loader before importing the TypeScript worker module.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface ChunkResult {
  out: string;
  grouped: number;
  errors: number;
}

export interface WorkerPool {
  size: number;
  run(seq: number, first: number, lines: string[]): Promise<ChunkResult>;
  close(): Promise<void>;
}

function spawn(workerData: unknown): Worker {
  const js = new URL('./batch-worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL('./batch-worker.ts', import.meta.url).href;
  const boot =
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })` + `.catch((e) => { throw e; });`;
  return new Worker(boot, { eval: true, workerData });
}

export function startWorkerPool(opts: { dataDir: string; cacheDir?: string; version?: string; workers?: number }): WorkerPool {
  const size = Math.max(1, opts.workers ?? os.availableParallelism());
  const workers = Array.from({ length: size }, () => spawn({ dataDir: opts.dataDir, cacheDir: opts.cacheDir, version: opts.version }));
  const waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  const busy = new Array<number>(size).fill(0);
  let failure: Error | undefined;
  workers.forEach((w, i) => {
    w.on('message', (m: { seq?: number } & ChunkResult) => {
      if (m.seq === undefined) return;
      busy[i] = (busy[i] ?? 1) - 1;
      waiting.get(m.seq)?.resolve(m);
      waiting.delete(m.seq);
    });
    w.on('error', (e) => {
      failure = e;
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
  });
  return {
    size,
    run(seq, first, lines) {
      if (failure) return Promise.reject(failure);
      let best = 0;
      for (let i = 1; i < size; i++) if ((busy[i] ?? 0) < (busy[best] ?? 0)) best = i;
      busy[best] = (busy[best] ?? 0) + 1;
      return new Promise<ChunkResult>((resolve, reject) => {
        waiting.set(seq, { resolve, reject });
        workers[best]?.postMessage({ seq, first, lines });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
