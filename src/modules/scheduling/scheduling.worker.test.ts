import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { startSmtpListener, type SmtpListener } from '../../../test/support/smtp.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { bookAppointment } from './appointments.service.js';
import { makeSchedulingWorld, startMllpReceiver, type SchedulingWorld } from './scheduling-fixtures.test-support.js';
import { createSchedulingWorker } from './scheduling.worker.js';

/** Polls `check` until it answers true (no sleeps of a fixed length: the timer fires when it fires). */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

describe.each(engines)('the scheduling sweep on %s', (engine) => {
  let t: TestDatabase;
  let w: SchedulingWorld;
  let smtp: SmtpListener;
  let mailer: Mailer;
  let mllp: Awaited<ReturnType<typeof startMllpReceiver>>;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    smtp = await startSmtpListener();
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'clinic@example.org' })!;
    mllp = await startMllpReceiver([]);
    w = await makeSchedulingWorld(t, {
      mailer,
      siu: { host: '127.0.0.1', port: mllp.port, sendingApplication: 'CUSTODIAN', sendingFacility: 'MAIN' },
    });
  });
  afterEach(async () => {
    mailer.close();
    await smtp.close();
    await mllp.close();
    await t.dispose();
  });

  const book = async (start: string) =>
    bookAppointment(w.deps, w.clerk, { patientId: await w.patient(), typeId: w.visit, resourceIds: [w.drA], start });

  it('sends the SIU outbox and the reminders of appointments within the lead time, once each', async () => {
    // The clock is Friday 08:00 UTC; Monday 13:00 UTC is 77 hours away, Friday 14:00 UTC (09:00 New York) is 6.
    const soon = await book('2026-03-06T14:00:00Z');
    await book('2026-03-09T13:00:00Z');
    const worker = createSchedulingWorker(w.deps, { intervalMs: 0, reminderLeadHours: 24 });
    const first = await worker.runOnce();
    expect(first.errors).toEqual([]);
    expect(first.siu.map((r) => [r.event, r.outcome])).toEqual([
      ['S12', 'sent'],
      ['S12', 'sent'],
    ]);
    expect(first.reminders).toEqual([{ appointmentId: soon.id, outcome: 'sent', error: null }]);
    expect((await smtp.nextMessage(0)).to).toHaveLength(1);
    expect(await worker.runOnce()).toEqual({ siu: [], reminders: [], errors: [] });
    expect(mllp.received).toHaveLength(2);
  });

  it('runs on its timer once started, and stops', async () => {
    const results: number[] = [];
    const worker = createSchedulingWorker(w.deps, { intervalMs: 5, reminderLeadHours: 24, onResult: (r) => results.push(r.siu.length) });
    worker.start();
    expect(worker.running).toBe(true);
    await book('2026-03-09T13:00:00Z');
    await until(async () => mllp.received.length === 1);
    await until(async () => (await t.db.selectFrom('sched_hl7_outbox').select('status').executeTakeFirst())?.status === 'sent');
    await worker.stop();
    expect(worker.running).toBe(false);
    const runs = results.length;
    expect(runs).toBeGreaterThan(0);
    // Stopped: a new change stays in the outbox until someone runs the sweep.
    await book('2026-03-09T14:00:00Z');
    expect(await t.db.selectFrom('sched_hl7_outbox').select('status').where('status', '=', 'pending').execute()).toHaveLength(1);
    expect((await worker.runOnce()).siu.map((r) => r.outcome)).toEqual(['sent']);
  });

  it('does not start with an interval of 0 (CUSTODIAN_SCHEDULING_SWEEP_SECONDS=0)', () => {
    const worker = createSchedulingWorker(w.deps, { intervalMs: 0, reminderLeadHours: 24 });
    worker.start();
    expect(worker.running).toBe(false);
  });
});
