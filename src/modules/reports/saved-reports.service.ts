/**
 * Saved reports (issue 24): a user names a set of dashboard filters and may have it emailed daily or weekly to a few
 * addresses. The email says only which report it is; its XLSX attachment holds the dashboard figures (aggregates,
 * the same tables as the dashboard's XLSX export), never an encounter list. The delivery computes the dashboard as
 * the report's owner (their permission and list scope), so a report never shows more than its owner may see.
 */
import { z } from 'zod';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { tablesXlsx } from '../../core/shared/report-export.js';
import { invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, roleHas, type Actor, type Role } from '../access/index.js';
import { AuditAction } from '../audit/index.js';
import type { Mailer } from '../mail/index.js';
import { dashboardTables } from './dashboard.export.js';
import { audited, DashboardQuerySchema, directorDashboard, type ReportsDeps } from './dashboard.service.js';

export const Schedules = ['none', 'daily', 'weekly'] as const;
export type Schedule = (typeof Schedules)[number];

export const SavedReportBodySchema = z.object({
  name: z.string().trim().min(1).max(100),
  filters: DashboardQuerySchema,
  schedule: z.enum(Schedules).default('none'),
  recipients: z.array(z.email().max(254)).max(20).default([]),
});

export interface SavedReport {
  id: string;
  name: string;
  filters: z.infer<typeof DashboardQuerySchema>;
  schedule: Schedule;
  recipients: string[];
  lastSentAt: string | null;
  createdAt: string;
}

type Row = {
  id: string;
  name: string;
  owner: string;
  filters: string;
  schedule: Schedule;
  recipients: string;
  last_sent_at: string | null;
  created_at: string;
};

const toSaved = (r: Row): SavedReport => ({
  id: r.id,
  name: r.name,
  filters: JSON.parse(r.filters) as SavedReport['filters'],
  schedule: r.schedule,
  recipients: JSON.parse(r.recipients) as string[],
  lastSentAt: r.last_sent_at,
  createdAt: r.created_at,
});

/** Saves a named filter set (and its schedule) for the actor. */
export async function saveReport(deps: ReportsDeps, actor: Actor, body: unknown): Promise<SavedReport> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'saved_report' });
  const parsed = SavedReportBodySchema.safeParse(body);
  if (!parsed.success)
    throw invalid(`saved report: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const b = parsed.data;
  if (b.schedule !== 'none' && b.recipients.length === 0) throw invalid('recipients: a scheduled report needs at least one email address');
  const row: Row = {
    id: newId(),
    name: b.name,
    owner: actor.userId,
    filters: JSON.stringify(b.filters),
    schedule: b.schedule,
    recipients: JSON.stringify(b.recipients),
    last_sent_at: null,
    created_at: isoNow(deps.clock),
  };
  await deps.db.insertInto('reports_saved').values(row).execute();
  await audited(deps, actor, AuditAction.create, 'saved_report', { id: row.id, schedule: row.schedule, recipients: b.recipients.length });
  return toSaved(row);
}

/** The actor's saved reports, by name. */
export async function listSavedReports(deps: ReportsDeps, actor: Actor): Promise<SavedReport[]> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'saved_report' });
  const rows = await deps.db
    .selectFrom('reports_saved')
    .selectAll()
    .where('owner', '=', actor.userId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toSaved);
}

/** Deletes one of the actor's saved reports (another user's is not found). */
export async function deleteSavedReport(deps: ReportsDeps, actor: Actor, id: string): Promise<void> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'saved_report' });
  const r = await deps.db.deleteFrom('reports_saved').where('id', '=', id).where('owner', '=', actor.userId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('saved report');
  await audited(deps, actor, AuditAction.delete, 'saved_report', { id });
}

const DAY_MS = 86_400_000;

/** Pure: a daily report is due once per UTC day, a weekly one when 7 days have passed since it was last sent. */
export function isDue(schedule: Schedule, lastSentAt: string | null, now: string): boolean {
  if (schedule === 'none') return false;
  if (!lastSentAt) return true;
  if (schedule === 'daily') return lastSentAt.slice(0, 10) < now.slice(0, 10);
  return Date.parse(now.slice(0, 10)) - Date.parse(lastSentAt.slice(0, 10)) >= 7 * DAY_MS;
}

export interface DeliveryResult {
  id: string;
  outcome: 'sent' | 'failed' | 'skipped';
  /** Why it failed or was skipped (no PHI: a reason, never the report). */
  reason?: string;
  recipients: number;
}

/**
 * Emails every scheduled report that is due at `now` (run by `serve` on a timer): the dashboard as the owner, as an
 * XLSX attachment, to each recipient; `last_sent_at` is set when every recipient took it. Per-report results; one
 * report failing does not stop the others. Without a mailer (CUSTODIAN_SMTP_URL unset) nothing is sent.
 */
export async function deliverScheduledReports(deps: ReportsDeps & { mailer?: Mailer }, now: string): Promise<DeliveryResult[]> {
  const rows = (await deps.db.selectFrom('reports_saved').selectAll().where('schedule', '!=', 'none').orderBy('id').execute()) as Row[];
  const due = rows.filter((r) => isDue(r.schedule, r.last_sent_at, now));
  const results: DeliveryResult[] = [];
  for (const r of due) {
    const recipients = JSON.parse(r.recipients) as string[];
    if (!deps.mailer) {
      results.push({ id: r.id, outcome: 'skipped', reason: 'mail is off (CUSTODIAN_SMTP_URL unset)', recipients: 0 });
      continue;
    }
    try {
      const owner = await deps.db
        .selectFrom('users')
        .select(['id', 'username', 'role', 'disabled'])
        .where('id', '=', r.owner)
        .executeTakeFirst();
      if (!owner || owner.disabled || !roleHas(owner.role, Permission.reportsRead)) {
        results.push({ id: r.id, outcome: 'skipped', reason: 'the owner no longer holds reports:read', recipients: 0 });
        continue;
      }
      const actor: Actor = { userId: owner.id, username: owner.username, role: owner.role as Role, purposeOfUse: 'HOPERAT' };
      const filters = JSON.parse(r.filters) as Record<string, string | undefined>;
      const to = filters.to ?? now.slice(0, 10);
      const from = filters.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
      const d = await directorDashboard(deps, actor, { ...filters, from, to });
      const xlsx = await tablesXlsx(dashboardTables(d));
      let sent = 0;
      for (const address of recipients) {
        await deps.mailer.send({
          to: address,
          subject: `Custodian report: ${r.name}`,
          text: `The ${r.schedule} report "${r.name}" (dashboard figures, ${from} to ${to}) is attached as a spreadsheet. It holds totals only, no patient list.`,
          attachments: [
            { filename: 'dashboard.xlsx', content: xlsx, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
          ],
        });
        sent++;
      }
      await deps.db.updateTable('reports_saved').set({ last_sent_at: now }).where('id', '=', r.id).execute();
      await audited(deps, actor, AuditAction.export, 'saved_report', { id: r.id, recipients: sent, format: 'xlsx' });
      results.push({ id: r.id, outcome: 'sent', recipients: sent });
    } catch (e) {
      results.push({ id: r.id, outcome: 'failed', reason: (e as Error).name, recipients: 0 });
    }
  }
  return results;
}
