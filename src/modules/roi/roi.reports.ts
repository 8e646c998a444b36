/**
 * Release-of-information reports for the HIM director and the ROI lead: turnaround, backlog, breaches, volumes,
 * denials and revenue (roi.reports.rules.ts), as JSON, CSV or XLSX. Counts and money only. Audited as a read.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import { tablesCsv, tablesXlsx } from '../../core/shared/report-export.js';
import { anyOf, Permission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { addDays, addYears, type ClockKind } from './roi.clock.rules.js';
import * as repo from './roi.repository.js';
import { buildRoiReport, roiReportTables, type RoiReport } from './roi.reports.rules.js';
import { today } from './roi.service.js';
import type { RoiDeps } from './roi.views.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const RoiReportQuerySchema = z.object({
  /** First day of receipt counted; twelve months before `to` by default. */
  from: Day.optional(),
  /** Last day of receipt counted; today by default. */
  to: Day.optional(),
});

/** The ROI report over requests received from `from` to `to` (inclusive), with today's backlog. */
export async function roiReport(deps: RoiDeps, actor: Actor, input: unknown = {}): Promise<RoiReport> {
  const parsed = RoiReportQuerySchema.safeParse(input ?? {});
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  const now = today(deps);
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? addDays(addYears(to, -1), 1);
  if (from > to) throw invalid('from: the period starts after it ends');
  if (addYears(from, 5) < to) throw invalid('from: a report covers at most five years');
  const list = await deps.records.openList(actor, {
    permission: anyOf(Permission.reportsRead, Permission.roiManage),
    resourceType: 'roi_report',
  });
  const requests = await repo.listRequestsForReport(deps.db, list);
  const invoices = await repo.listInvoicesForReport(deps.db, list, from, addDays(to, 1));
  const report = buildRoiReport(
    requests.map((r) => ({
      requesterType: r.requester_type,
      clockKind: r.clock_kind as ClockKind,
      status: r.status,
      receivedOn: r.received_on,
      extendedDueOn: r.extended_due_on,
      closedOn: r.closed_on,
      denialGround: r.denial_ground,
    })),
    invoices.map((i) => ({ createdOn: i.created_at.slice(0, 10), totalCents: i.total_cents, paidCents: i.paid_cents })),
    deps.roiClockPolicy,
    { from, to, today: now },
  );
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.read,
      resourceType: 'roi_report',
      outcome: 'success',
      detail: { from, to, requests: requests.length },
    }),
  );
  return report;
}

export const roiReportCsv = (r: RoiReport): string => tablesCsv(roiReportTables(r));
export const roiReportXlsx = (r: RoiReport): Promise<Uint8Array> => tablesXlsx(roiReportTables(r));
