/** What the scheduling module needs and answers. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Mailer } from '../mail/index.js';
import type { AppointmentListRow } from './scheduling.repository.js';

/** Where SIU messages go (CUSTODIAN_SIU_DESTINATION), and who Custodian is in MSH-3/4. */
export interface SiuDestination {
  host: string;
  port: number;
  sendingApplication: string;
  sendingFacility: string;
}

export interface SchedulingDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** Reminders are sent through it; undefined = mail is off. */
  mailer?: Mailer | undefined;
  /** Outbound SIU; undefined = no messages are logged or sent. */
  siu?: SiuDestination | undefined;
  /**
   * Told after a status change through `setAppointmentStatus` commits (check-in, completion, cancellation, ...): the
   * composition root re-analyses chart completion of the encounters the appointment falls in
   * (src/app/completion-hooks.ts). It must not throw; scheduling does not wait on what it does with the change.
   */
  afterStatusChange?: ((a: AppointmentView) => Promise<void>) | undefined;
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}

export interface AppointmentView {
  id: string;
  patientId: string;
  mrn: string;
  patientName: string;
  restricted: boolean;
  /** false: a restricted record the user has not opened; type, times' purpose, reasons are withheld. */
  details: boolean;
  typeId: string | null;
  start: string;
  end: string;
  status: string;
  location: string | null;
  resourceIds: string[];
  overbooked: boolean;
  cancelReason: string | null;
  reminderSentAt: string | null;
  version: number;
}

export function appointmentView(r: AppointmentListRow, resourceIds: string[], details: boolean): AppointmentView {
  return {
    id: r.id,
    patientId: r.patient_id,
    mrn: r.mrn,
    patientName: `${r.family_name}, ${r.given_name}`,
    restricted: r.restricted === 1,
    details,
    typeId: details ? r.type_id : null,
    // A calendar needs the time a resource is taken even for a restricted record: the slot is not free.
    start: r.start_at,
    end: r.end_at,
    status: r.status,
    location: r.location,
    resourceIds,
    overbooked: r.overbooked === 1,
    cancelReason: details ? r.cancel_reason : null,
    reminderSentAt: r.reminder_sent_at,
    version: r.version,
  };
}
