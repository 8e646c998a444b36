/**
 * The scheduling sweep `serve` runs on a timer: send the SIU outbox (in order, with its back-off) and email the
 * reminders of the appointments that start within the lead time (once per appointment time). One run at a time;
 * `stop()` clears the timer and waits for a run in progress. Each part reports its own failure and the other goes on.
 */
import { systemActor } from '../access/index.js';
import { sendReminders, type ReminderResult } from './reminders.service.js';
import { deliverSiuOutbox, type DeliveryResult } from './siu.outbound.js';
import type { SchedulingDeps } from './scheduling.views.js';

export interface SchedulingSweepResult {
  siu: DeliveryResult[];
  reminders: ReminderResult[];
  /** Which part failed (the error's type only: no PHI in logs). */
  errors: { part: 'siu' | 'reminders'; type: string }[];
}

export interface SchedulingWorker {
  /** Runs the sweep every `intervalMs` (the first run after one interval). */
  start(): void;
  /** Runs one sweep now (or waits for the one in progress and runs again). */
  runOnce(): Promise<SchedulingSweepResult>;
  /** Clears the timer and waits for a run in progress. */
  stop(): Promise<void>;
  readonly running: boolean;
}

export function createSchedulingWorker(
  deps: SchedulingDeps,
  opts: { intervalMs: number; reminderLeadHours: number; onResult?: (r: SchedulingSweepResult) => void },
): SchedulingWorker {
  const system = systemActor('scheduling-sweep');
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<SchedulingSweepResult> | null = null;
  let stopped = true;

  async function sweep(): Promise<SchedulingSweepResult> {
    const out: SchedulingSweepResult = { siu: [], reminders: [], errors: [] };
    try {
      out.siu = await deliverSiuOutbox(deps);
    } catch (e) {
      out.errors.push({ part: 'siu', type: (e as Error).name });
    }
    if (deps.mailer) {
      const now = deps.clock.now().getTime();
      try {
        out.reminders = await sendReminders(deps, system, {
          from: new Date(now).toISOString(),
          to: new Date(now + opts.reminderLeadHours * 3_600_000).toISOString(),
        });
      } catch (e) {
        out.errors.push({ part: 'reminders', type: (e as Error).name });
      }
    }
    opts.onResult?.(out);
    return out;
  }

  async function runOnce(): Promise<SchedulingSweepResult> {
    while (current) await current.catch(() => undefined);
    current = sweep();
    try {
      return await current;
    } finally {
      current = null;
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void runOnce().finally(schedule);
    }, opts.intervalMs);
    timer.unref();
  }

  return {
    start() {
      if (!stopped || opts.intervalMs <= 0) return;
      stopped = false;
      schedule();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      while (current) await current.catch(() => undefined);
    },
    get running() {
      return !stopped;
    },
  };
}
