/**
 * Appointment reminders by email, with the appointment as an iCalendar (.ics, RFC 5545) attachment, through the
 * mail module; and a provider's read-only iCalendar feed behind a secret token.
 *
 * Minimum necessary (45 CFR 164.502(b)): a reminder names the time, the place and the preparation instructions, not
 * the patient's name or the reason for the visit; a feed shows the provider's appointments by type and time, without
 * any patient. A reminder is sent once per appointment time (rescheduling makes it due again).
 */
import { createHash } from 'node:crypto';
import { createEvent, createEvents, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { Permission, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './scheduling.repository.js';
import { parseInput, type SchedulingDeps } from './scheduling.views.js';

export interface ReminderResult {
  appointmentId: string;
  outcome: 'sent' | 'no_address' | 'failed' | 'mail_off';
  error: string | null;
}

export const RemindersSchema = z.object({
  /** Remind of the appointments that start in [from, to) (usually tomorrow). */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

const event = (a: {
  id: string;
  start: string;
  end: string;
  title: string;
  location: string | null;
  description: string;
  sequence: number;
}): EventAttributes => ({
  uid: `${a.id}@custodian`,
  start: Date.parse(a.start),
  end: Date.parse(a.end),
  startInputType: 'utc',
  startOutputType: 'utc',
  endInputType: 'utc',
  endOutputType: 'utc',
  title: a.title,
  description: a.description,
  ...(a.location ? { location: a.location } : {}),
  status: 'CONFIRMED',
  sequence: a.sequence,
  productId: 'custodian/scheduling',
});

/** Sends the reminders due in the window; reports each appointment's outcome and goes on after a failure. */
export async function sendReminders(deps: SchedulingDeps, actor: Actor, input: z.input<typeof RemindersSchema>): Promise<ReminderResult[]> {
  const v = parseInput(RemindersSchema, input);
  const list = await deps.records.openList(actor, { permission: Permission.scheduleManage, resourceType: 'appointment_reminder' });
  const rows = (
    await repo.listAppointments(deps.db, list, {
      from: new Date(v.from).toISOString(),
      to: new Date(v.to).toISOString(),
      statuses: ['booked'],
    })
  ).filter((r) => r.reminder_sent_at === null);
  const facts = await repo.mailFactsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  const results: ReminderResult[] = [];
  for (const r of rows) {
    if (!deps.mailer) {
      results.push({ appointmentId: r.id, outcome: 'mail_off', error: null });
      continue;
    }
    if (!r.email) {
      results.push({ appointmentId: r.id, outcome: 'no_address', error: null });
      continue;
    }
    const f = facts.filter((x) => x.id === r.id);
    const first = f.find((x) => x.kind === 'provider') ?? f[0];
    const zone = first?.time_zone ?? 'UTC';
    const when = DateTime.fromISO(r.start_at, { zone }).toFormat("cccc d LLLL yyyy 'at' HH:mm (ZZZZ)");
    const instructions = first?.instructions ?? '';
    const ics = createEvent(
      event({
        id: r.id,
        start: r.start_at,
        end: r.end_at,
        title: 'Appointment',
        location: r.location,
        description: instructions,
        sequence: r.version,
      }),
    );
    try {
      if (ics.error || !ics.value) throw new Error('could not build the calendar attachment');
      await deps.mailer.send({
        to: r.email,
        subject: 'Appointment reminder',
        text: [`You have an appointment on ${when}${r.location ? ` at ${r.location}` : ''}.`, instructions, 'To change it, please call us.']
          .filter((s) => s !== '')
          .join('\n\n'),
        attachments: [{ filename: 'appointment.ics', content: ics.value, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }],
      });
      const now = deps.clock.now().toISOString();
      await deps.db.transaction().execute(async (trx) => {
        await repo.markReminded(trx, list, r.id, now);
        await recordAudit(trx, deps.audit, actor, {
          action: 'remind',
          resourceType: 'appointment',
          resourceId: r.id,
          patientId: r.patient_id,
          outcome: 'success',
          detail: { channel: 'email' },
        });
      });
      results.push({ appointmentId: r.id, outcome: 'sent', error: null });
    } catch (e) {
      results.push({ appointmentId: r.id, outcome: 'failed', error: e instanceof Error ? e.message : 'send failed' });
    }
  }
  return results;
}

/**
 * A provider's iCalendar feed (30 days back, 180 ahead) for the token its owner was given; no patient data. An
 * unknown token answers not found.
 */
export async function providerFeed(deps: Pick<SchedulingDeps, 'db' | 'clock'>, token: string): Promise<string> {
  const resource = await repo.findResourceByFeedToken(deps.db, createHash('sha256').update(token).digest('hex'));
  if (!resource) throw notFound('feed');
  const now = deps.clock.now().getTime();
  const rows = await repo.feedAppointments(
    deps.db,
    resource.id,
    new Date(now - 30 * 86_400_000).toISOString(),
    new Date(now + 180 * 86_400_000).toISOString(),
  );
  const out = createEvents(
    rows.map((a) =>
      event({ id: a.id, start: a.start_at, end: a.end_at, title: a.type_name, location: a.location, description: '', sequence: a.version }),
    ),
    { calName: resource.name, productId: 'custodian/scheduling' },
  );
  if (out.error || out.value === null) throw new Error('could not build the feed');
  return out.value;
}
