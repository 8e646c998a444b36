/**
 * Table types of scheduling (src/modules/scheduling), migration 0016, part of `Database` (schema.ts). UUIDv7 text
 * ids, ISO-8601 UTC text timestamps, YYYY-MM-DD dates and HH:mm local times, 0/1 integers.
 */

export interface SchedResourceTable {
  id: string;
  /** provider | room | equipment */
  kind: string;
  code: string;
  name: string;
  time_zone: string;
  max_overbook: number;
  user_id: string | null;
  feed_token_hash: string | null;
  active: number;
  created_at: string;
}

export interface SchedAppointmentTypeTable {
  id: string;
  code: string;
  name: string;
  duration_minutes: number;
  /** JSON ResourceKind[] */
  resource_kinds: string;
  instructions: string;
  color: string;
  active: number;
  /** 1: a surgical or other invasive procedure (42 CFR 482.51), which chart completion holds to its rules (0030). */
  surgical: number;
}

export interface SchedTemplateTable {
  id: string;
  resource_id: string;
  /** 1 = Monday ... 7 = Sunday */
  weekday: number;
  start_time: string;
  end_time: string;
  slot_minutes: number;
  valid_from: string;
  valid_to: string | null;
  location: string | null;
}

export interface SchedExceptionTable {
  id: string;
  resource_id: string | null;
  date: string;
  /** closed | extra */
  kind: string;
  start_time: string | null;
  end_time: string | null;
  slot_minutes: number | null;
  location: string | null;
  reason: string;
}

export interface SchedAppointmentTable {
  patient_id: string;
  id: string;
  type_id: string;
  start_at: string;
  end_at: string;
  /** booked | checked_in | completed | cancelled | no_show */
  status: string;
  location: string | null;
  overbooked: number;
  cancel_reason: string | null;
  external_id: string | null;
  reminder_sent_at: string | null;
  chart_request_id: string | null;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface SchedAppointmentResourceTable {
  appointment_id: string;
  resource_id: string;
  start_at: string;
}

export interface SchedHoldTable {
  resource_id: string;
  cell_start: string;
  seq: number;
  appointment_id: string;
}

export interface SchedWaitlistTable {
  patient_id: string;
  id: string;
  type_id: string;
  resource_id: string | null;
  earliest_at: string;
  latest_at: string;
  /** waiting | offered | booked | withdrawn */
  status: string;
  offered_start_at: string | null;
  /** JSON string[] */
  offered_resource_ids: string | null;
  created_by: string;
  created_at: string;
}

export interface SchedHl7OutboxTable {
  id: string;
  appointment_id: string;
  /** S12 | S13 | S14 | S15 | S17 | S26 */
  event: string;
  control_id: string;
  message: string;
  /** pending | sent | failed */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  ack_code: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SchedulingTables {
  sched_resources: SchedResourceTable;
  sched_appointment_types: SchedAppointmentTypeTable;
  sched_templates: SchedTemplateTable;
  sched_exceptions: SchedExceptionTable;
  sched_appointments: SchedAppointmentTable;
  sched_appointment_resources: SchedAppointmentResourceTable;
  sched_holds: SchedHoldTable;
  sched_waitlist: SchedWaitlistTable;
  sched_hl7_outbox: SchedHl7OutboxTable;
}
