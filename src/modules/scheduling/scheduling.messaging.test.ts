import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../../core/hl7/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { mailHeaders, mailParts, startSmtpListener, type SmtpListener } from '../../../test/support/smtp.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { bookAppointment, setAppointmentStatus } from './appointments.service.js';
import { sendReminders, providerFeed } from './reminders.service.js';
import { makeSchedulingWorld, startMllpReceiver, type SchedulingWorld } from './scheduling-fixtures.test-support.js';
import { issueFeedToken, listCalendar } from './setup.service.js';
import { deliverSiuOutbox } from './siu.outbound.js';

describe.each(engines)('scheduling messages on %s: SMTP reminders, iCalendar feed, HL7 SIU out over MLLP', (engine) => {
  let t: TestDatabase;
  let w: SchedulingWorld;
  let smtp: SmtpListener;
  let mailer: Mailer;
  let mllp: Awaited<ReturnType<typeof startMllpReceiver>>;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    smtp = await startSmtpListener();
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'clinic@example.org' })!;
    mllp = await startMllpReceiver(['AE']);
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

  it('emails a reminder with an .ics attachment, read back from the SMTP listener, once per appointment', async () => {
    const p = await w.patient({ email: 'ana.rivera@example.org' });
    const a = await bookAppointment(w.deps, w.clerk, {
      patientId: p,
      typeId: w.visit,
      resourceIds: [w.drA],
      start: '2026-03-09T13:00:00Z',
    });
    const window = { from: '2026-03-09T04:00:00Z', to: '2026-03-10T04:00:00Z' };
    expect(await sendReminders(w.deps, w.clerk, window)).toEqual([{ appointmentId: a.id, outcome: 'sent', error: null }]);
    const mail = await smtp.nextMessage(0);
    expect(mail.to).toEqual(['ana.rivera@example.org']);
    expect(mailHeaders(mail).subject).toBe('Appointment reminder');
    const parts = mailParts(mail);
    const text = parts.find((x) => x.contentType.startsWith('text/plain'))!.body;
    // 09:00 local (EDT) on the Monday after the change, and no name in the message (minimum necessary).
    expect(text).toContain('Monday 9 March 2026 at 09:00');
    expect(text).toContain('Main clinic');
    expect(mail.raw).not.toContain('Rivera');
    const ics = parts.find((x) => x.filename === 'appointment.ics')!.body;
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('DTSTART:20260309T130000Z');
    expect(ics).toContain(`UID:${a.id}@custodian`);
    // A second run sends nothing more.
    expect(await sendReminders(w.deps, w.clerk, window)).toEqual([]);
  });

  it('serves a provider’s feed only for its token, without patient data', async () => {
    const p = await w.patient();
    await bookAppointment(w.deps, w.clerk, { patientId: p, typeId: w.visit, resourceIds: [w.drA], start: '2026-03-09T13:00:00Z' });
    const token = await issueFeedToken(w.deps, w.clerk, w.drA);
    const feed = await providerFeed(w.deps, token);
    expect(feed).toContain('SUMMARY:New patient visit');
    expect(feed).toContain('DTSTART:20260309T130000Z');
    expect(feed).not.toMatch(/Rivera|Ana/);
    await expect(providerFeed(w.deps, 'not-the-token')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('sends SIU^S12 and S15 over MLLP in order, retrying a message the destination refused, and logs each outcome', async () => {
    const p = await w.patient();
    const a = await bookAppointment(w.deps, w.clerk, {
      patientId: p,
      typeId: w.visit,
      resourceIds: [w.drA],
      start: '2026-03-09T13:00:00Z',
    });
    await setAppointmentStatus(w.deps, w.clerk, a.id, 'cancelled', { reason: 'Patient called to cancel' });
    // The destination answers AE to the first: it is kept for a retry, and the next one waits behind it.
    expect(await deliverSiuOutbox(w.deps)).toEqual([expect.objectContaining({ event: 'S12', outcome: 'retry', ack: 'AE' })]);
    // Until its retry is due, nothing goes: the cancellation does not overtake the booking.
    expect(await deliverSiuOutbox(w.deps)).toEqual([]);
    w.deps.clock.advance(60_000);
    expect((await deliverSiuOutbox(w.deps)).map((r) => [r.event, r.outcome])).toEqual([
      ['S12', 'sent'],
      ['S15', 'sent'],
    ]);
    const [first, , cancel] = mllp.received.map((m) => parseMessage(m));
    expect(first!.get('MSH-9-2')).toBe('S12');
    expect(first!.get('SCH-2-1')).toBe(a.id);
    expect(first!.get('SCH-11-4')).toBe('20260309130000+0000');
    expect(first!.get('AIP-3-1')).toBe('DRA');
    expect(cancel!.get('MSH-9-2')).toBe('S15');
    expect(cancel!.get('SCH-25')).toBe('Cancelled');
    const log = await t.db.selectFrom('sched_hl7_outbox').select(['event', 'status', 'attempts']).orderBy('created_at').execute();
    expect(log).toEqual([
      { event: 'S12', status: 'sent', attempts: 2 },
      { event: 'S15', status: 'sent', attempts: 1 },
    ]);
  });

  it('removes an appointment booked in error: S17 sent, the slot free again, gone from the calendar, a reason required', async () => {
    const p = await w.patient();
    const slot = { typeId: w.visit, resourceIds: [w.drA], start: '2026-03-09T13:00:00Z' };
    const a = await bookAppointment(w.deps, w.clerk, { patientId: p, ...slot });
    await expect(setAppointmentStatus(w.deps, w.clerk, a.id, 'deleted')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('booked in error'),
    });
    const removed = await setAppointmentStatus(w.deps, w.clerk, a.id, 'deleted', { reason: 'booked for the wrong patient' });
    expect(removed.status).toBe('deleted');
    // The slot can be booked again, and the removed appointment is not on the calendar.
    const again = await bookAppointment(w.deps, w.clerk, { patientId: await w.patient(), ...slot });
    const day = await listCalendar(w.deps, w.clerk, { from: '2026-03-09T00:00:00Z', to: '2026-03-10T00:00:00Z' });
    expect(day.map((x) => x.id)).toEqual([again.id]);
    // Only a booked appointment can be removed: a checked-in one is cancelled instead.
    await setAppointmentStatus(w.deps, w.clerk, again.id, 'checked_in');
    await expect(setAppointmentStatus(w.deps, w.clerk, again.id, 'deleted', { reason: 'wrong patient' })).rejects.toMatchObject({
      code: 'conflict',
    });
    w.deps.clock.advance(60_000);
    await deliverSiuOutbox(w.deps);
    w.deps.clock.advance(60_000);
    await deliverSiuOutbox(w.deps);
    const events = mllp.received.map((m) => parseMessage(m)).filter((m) => m.get('SCH-2-1') === a.id);
    // The receiver refuses the first message once (AE), so the S12 arrives twice; then the S17.
    expect([...new Set(events.map((m) => m.get('MSH-9-2')))]).toEqual(['S12', 'S17']);
    expect(events.at(-1)!.get('SCH-25')).toBe('Deleted');
  });
});
