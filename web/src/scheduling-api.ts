/**
 * Client for scheduling (src/modules/scheduling), on the shared `request` of api.ts (CSRF, problem+json errors).
 * Patient ids and search words travel in bodies; paths carry appointment ids only.
 */
import { ApiError, queryString, request, type PatientListItem } from './api.js';
import type { AppointmentView } from '../../src/modules/scheduling/index.js';

export type { AppointmentView, PatientListItem };

export interface ScheduleResource {
  id: string;
  kind: string;
  code: string;
  name: string;
  timeZone: string;
  maxOverbook: number;
}

export interface AppointmentType {
  id: string;
  code: string;
  name: string;
  durationMinutes: number;
  resourceKinds: string[];
  instructions: string;
  color: string;
}

export interface FreeSlot {
  start: string;
  end: string;
  resourceIds: string[];
  location: string | null;
}

export interface WaitlistItem {
  id: string;
  patientId: string;
  patientName: string | null;
  mrn: string | null;
  details: boolean;
  typeId: string | null;
  status: string;
  offeredStart: string | null;
  createdAt: string;
}

export type StatusStep = 'checked_in' | 'completed' | 'cancelled' | 'no_show' | 'deleted';

const enc = encodeURIComponent;

export const schedulingApi = {
  setup(): Promise<{ resources: ScheduleResource[]; types: AppointmentType[] }> {
    return request('GET', '/api/scheduling/setup');
  },
  calendar(q: { from: string; to: string; resourceId?: string }): Promise<{ items: AppointmentView[] }> {
    return request('GET', `/api/scheduling/calendar${queryString(q)}`);
  },
  firstAvailable(q: { typeId: string; from: string; resourceIds?: string[] }): Promise<{ slot: FreeSlot | null }> {
    return request(
      'GET',
      `/api/scheduling/first-available${queryString({ typeId: q.typeId, from: q.from, resourceIds: q.resourceIds?.join(',') })}`,
    );
  },
  book(b: { patientId: string; typeId: string; resourceIds: string[]; start: string; overbook?: boolean }): Promise<AppointmentView> {
    return request('POST', '/api/scheduling/appointments', { body: b });
  },
  reschedule(id: string, b: { start: string; version?: number; overbook?: boolean }): Promise<AppointmentView> {
    return request('POST', `/api/scheduling/appointments/${enc(id)}/reschedule`, { body: b });
  },
  setStatus(id: string, status: StatusStep, reason?: string): Promise<AppointmentView> {
    return request('POST', `/api/scheduling/appointments/${enc(id)}/status`, { body: { status, ...(reason ? { reason } : {}) } });
  },
  waitlist(): Promise<{ items: WaitlistItem[] }> {
    return request('GET', '/api/scheduling/waitlist');
  },
  addToWaitlist(w: { patientId: string; typeId: string; resourceId?: string | null; earliest: string; latest: string }) {
    return request<{ id: string; status: string }>('POST', '/api/scheduling/waitlist', { body: w });
  },
  requestCharts(w: { from: string; to: string }): Promise<{ results: { appointmentId: string; outcome: string; error: string | null }[] }> {
    return request('POST', '/api/scheduling/chart-requests', { body: w });
  },
  searchPatients(q: string): Promise<{ items: PatientListItem[] }> {
    // POST: search words are PHI and stay out of URLs.
    return request('POST', '/api/patients/search', { body: { q, limit: 10 } });
  },
};

const conflictText: Record<string, string> = {
  outside_hours: 'outside the hours of the schedule',
  resource_taken: 'that time is already booked',
  patient_double_booked: 'the patient already has an appointment then',
  overbook_limit: 'no more overbookings are allowed in that slot',
};

/**
 * A clerk's sentence for a refused booking or move: the conflict reasons the server gives (outside hours, slot taken,
 * patient double-booked, overbook limit), else the server's message.
 */
export function explainSchedulingError(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : 'The request failed.';
  if (e.code !== 'conflict') return e.message;
  const reasons = e.message
    .split('; ')
    .map((part) => /^([a-z_]+): (.*)$/.exec(part))
    .map((m) => (m ? (conflictText[m[1]!] ?? m[2]!) : null))
    .filter((s): s is string => s !== null);
  const unique = [...new Set(reasons)];
  return unique.length ? `Not possible: ${unique.join('; ')}.` : e.message;
}

/** The status as the front desk says it. */
export const statusLabels: Record<string, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
  deleted: 'Removed (booked in error)',
};

/** Tomorrow in the browser's time zone, as the [from, to) of a chart pull. */
export function tomorrowWindow(now: Date = new Date()): { from: string; to: string } {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 2);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** What a chart pull did, in one sentence. */
export function chartPullSummary(results: readonly { outcome: string }[]): string {
  const n = (o: string) => results.filter((r) => r.outcome === o).length;
  if (results.length === 0) return 'No appointments tomorrow: no charts to request.';
  const parts = [`${n('requested')} chart request(s) sent to HIM`, `${n('already_requested')} already requested`];
  if (n('failed')) parts.push(`${n('failed')} not requested (a restricted record needs break-the-glass, or you may not request charts)`);
  return `${parts.join(', ')}.`;
}

/** Black or white, whichever reads better on the type's colour (WCAG 2.1 relative luminance, 1.4.3 contrast). */
export function readableTextOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#ffffff';
  const lin = (c: string) => {
    const v = parseInt(c, 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(m[1]!) + 0.7152 * lin(m[2]!) + 0.0722 * lin(m[3]!);
  // Contrast with white is 1.05 / (l + 0.05), with black (l + 0.05) / 0.05: white wins below l ≈ 0.179.
  return l < 0.179 ? '#ffffff' : '#000000';
}
