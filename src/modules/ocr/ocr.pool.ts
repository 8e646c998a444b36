/**
 * A first-come, first-served limit on work running at once: the engine runs one page per core, whichever file
 * it belongs to, so pages of several files are read in parallel and a file's pages start in order.
 */

export interface TaskPool {
  /** Runs `task` when a slot is free; rejects without running it if `signal` aborts while it waits. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly size: number;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
}

/** An abort reason as an Error (the signal's own reason when it is one). */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
}

export function createTaskPool(size: number): TaskPool {
  if (!Number.isInteger(size) || size < 1) throw new Error(`pool size must be a whole number of at least 1, got ${size}`);
  let running = 0;
  const queue: { start(): void; cancelled: boolean }[] = [];
  const next = () => {
    while (running < size && queue.length > 0) {
      const item = queue.shift()!;
      if (item.cancelled) continue;
      running++;
      item.start();
    }
  };
  return {
    size,
    get running() {
      return running;
    },
    get waiting() {
      return queue.filter((q) => !q.cancelled).length;
    },
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          item.cancelled = true;
          reject(abortError(signal!));
        };
        const item = {
          cancelled: false,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            Promise.resolve()
              .then(task)
              .then(resolve, reject)
              .finally(() => {
                running--;
                next();
              });
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(item);
        next();
      });
    },
  };
}
