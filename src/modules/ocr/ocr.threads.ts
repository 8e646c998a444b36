/**
 * The deskew worker threads: one per engine slot, started on first use, referenced only while they work (an idle
 * engine does not keep a process alive). Works from compiled JavaScript and from TypeScript sources (tsx), as
 * src/core/grouper/worker-pool.ts does.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DeskewReply, DeskewRequest } from './ocr.deskew-worker.js';

function spawnDeskewWorker(): Worker {
  const js = new URL('./ocr.deskew-worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(js))) return new Worker(js);
  const ts = new URL('./ocr.deskew-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true });
}

export interface DeskewThreads {
  /** Straightens the PGM `input` into `output`; answers the skew found, in degrees, and whether `output` was written. */
  deskew(input: string, output: string, maxDegrees: number): Promise<{ degrees: number; written: boolean }>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export function createDeskewThreads(size: number): DeskewThreads {
  const slots: Slot[] = [];
  const pending = new Map<
    number,
    { resolve: (r: { degrees: number; written: boolean }) => void; reject: (e: Error) => void; slot: Slot }
  >();
  const queue: (() => void)[] = [];
  let seq = 0;
  let closed = false;

  const release = (slot: Slot) => {
    slot.busy = false;
    slot.worker.unref();
    queue.shift()?.();
  };
  const failAll = (slot: Slot, e: Error) => {
    for (const [id, p] of pending) {
      if (p.slot !== slot) continue;
      pending.delete(id);
      p.reject(e);
    }
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    queue.shift()?.();
  };
  const start = (): Slot => {
    const slot: Slot = { worker: spawnDeskewWorker(), busy: false };
    slot.worker.on('message', (m: DeskewReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      release(slot);
      if ('error' in m) p.reject(new Error(`deskew failed: ${m.error}`));
      else p.resolve({ degrees: m.degrees, written: m.written });
    });
    slot.worker.on('error', (e) => failAll(slot, e));
    slot.worker.on('exit', () => failAll(slot, new Error('deskew worker stopped')));
    slots.push(slot);
    return slot;
  };
  const acquire = async (): Promise<Slot> => {
    for (;;) {
      if (closed) throw new Error('OCR engine closed');
      const free = slots.find((s) => !s.busy) ?? (slots.length < size ? start() : undefined);
      if (free) {
        free.busy = true;
        free.worker.ref();
        return free;
      }
      await new Promise<void>((resolve) => queue.push(resolve));
    }
  };

  return {
    async deskew(input, output, maxDegrees) {
      const slot = await acquire();
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, slot });
        const msg: DeskewRequest = { id, input, output, maxDegrees };
        slot.worker.postMessage(msg);
      });
    },
    async close() {
      closed = true;
      for (const wake of queue.splice(0)) wake();
      await Promise.all(slots.map((s) => s.worker.terminate()));
      slots.length = 0;
    },
  };
}
