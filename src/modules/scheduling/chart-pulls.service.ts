/**
 * Chart pulls for the schedule (issue 22): one chart request (src/modules/charts) for each booked or checked-in
 * appointment in a window — usually tomorrow — so HIM pulls the paper chart or confirms the electronic record before
 * the visit (42 CFR 482.24(a): records retrieved promptly). Idempotent: the request's id is kept on the appointment
 * (`chart_request_id`) and an appointment that has one is skipped. Each appointment is reported; one that fails (a
 * restricted record asks the user for break-the-glass) does not stop the others.
 */
import { z } from 'zod';
import { DomainError, invalid } from '../../core/errors.js';
import { Permission, type Actor } from '../access/index.js';
import { cancelChartRequest, createChartRequest } from '../charts/index.js';
import * as repo from './scheduling.repository.js';
import { AppointmentStatus } from './scheduling.rules.js';
import { parseInput, type SchedulingDeps } from './scheduling.views.js';

export const ChartPullSchema = z.object({
  /** Request the charts of appointments that start in [from, to) (at most 7 days). */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export interface ChartPullResult {
  appointmentId: string;
  outcome: 'requested' | 'already_requested' | 'failed';
  chartRequestId: string | null;
  /** The error code of a failure (e.g. break_glass_required), no PHI. */
  error: string | null;
}

/** The chart is wanted an hour before the visit, and never before now. */
const PULL_LEAD_MS = 60 * 60_000;

export async function requestChartsForAppointments(
  deps: SchedulingDeps,
  actor: Actor,
  input: z.input<typeof ChartPullSchema>,
): Promise<ChartPullResult[]> {
  const v = parseInput(ChartPullSchema, input);
  const fromMs = Date.parse(v.from);
  const toMs = Date.parse(v.to);
  if (toMs <= fromMs || toMs - fromMs > 7 * 86_400_000) throw invalid('to: the window is after from and at most 7 days long');
  const list = await deps.records.openList(actor, { permission: Permission.scheduleManage, resourceType: 'appointment' });
  const rows = await repo.listAppointments(deps.db, list, {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    statuses: [AppointmentStatus.booked, AppointmentStatus.checkedIn],
  });
  const providers = await repo.providerNamesOf(
    deps.db,
    rows.map((r) => r.id),
  );
  const results: ChartPullResult[] = [];
  for (const r of rows) {
    if (r.chart_request_id) {
      results.push({ appointmentId: r.id, outcome: 'already_requested', chartRequestId: r.chart_request_id, error: null });
      continue;
    }
    try {
      const now = deps.clock.now().getTime();
      const request = await createChartRequest(deps, actor, {
        patientId: r.patient_id,
        priority: 'routine',
        neededBy: new Date(Math.max(now, Date.parse(r.start_at) - PULL_LEAD_MS)).toISOString(),
        reason: `Scheduled appointment at ${r.start_at}${r.location ? `, ${r.location}` : ''}`,
        requesterName: providers.get(r.id) ?? 'Scheduling',
      });
      if (await repo.linkChartRequest(deps.db, list, r.id, request.id)) {
        results.push({ appointmentId: r.id, outcome: 'requested', chartRequestId: request.id, error: null });
      } else {
        // Another run linked its request first: withdraw this one, so HIM pulls the chart once.
        await cancelChartRequest(deps, actor, request.id, 'Duplicate: the chart was already requested for this appointment');
        results.push({ appointmentId: r.id, outcome: 'already_requested', chartRequestId: null, error: null });
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      results.push({ appointmentId: r.id, outcome: 'failed', chartRequestId: null, error: e.code });
    }
  }
  return results;
}
