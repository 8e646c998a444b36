/**
 * The turnaround report (GET /api/reports/transcription): for dictations dictated in a date range, the median and
 * mean hours from dictation to draft, draft to transcribed (sent for signature) and transcribed to signed, per
 * dictating physician and work type; and lines per hour per transcriptionist (65-character lines over the hours
 * between claiming and sending). Aggregates, names of staff and counts only: no patient appears.
 */
import { z } from 'zod';
import { tablesCsv, tablesXlsx, type ReportTable } from '../../core/shared/report-export.js';
import { anyOf, Permission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './transcription.repository.js';
import { parseInput, workTypeOf } from './transcription.rules.js';
import type { TranscriptionDeps } from './transcription.views.js';

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
export const TranscriptionReportQuerySchema = z.object({
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

export interface TurnaroundRow {
  physicianId: string;
  physician: string;
  workType: string;
  dictations: number;
  signed: number;
  /** Hours, median (null when none reached the step). */
  dictationToDraft: number | null;
  draftToTranscribed: number | null;
  transcribedToSigned: number | null;
}

export interface TranscriptionistRow {
  transcriptionistId: string;
  transcriptionist: string;
  reports: number;
  lines: number;
  hours: number;
  linesPerHour: number | null;
}

export interface TranscriptionReport {
  from: string;
  to: string;
  turnaround: TurnaroundRow[];
  transcriptionists: TranscriptionistRow[];
}

const hoursBetween = (a: string | null, b: string | null) => (a && b ? (Date.parse(b) - Date.parse(a)) / 3_600_000 : null);
const round = (n: number) => Math.round(n * 100) / 100;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

/** The report over dictations dictated from `from` (default 30 days back) to `to` inclusive (default today). */
export async function transcriptionReport(deps: TranscriptionDeps, actor: Actor, query: unknown): Promise<TranscriptionReport> {
  const q = parseInput(TranscriptionReportQuerySchema, query);
  const list = await deps.records.openList(actor, {
    permission: anyOf(Permission.reportsRead, Permission.transcriptionEdit),
    resourceType: 'transcription_report',
  });
  const today = deps.clock.now().toISOString().slice(0, 10);
  const to = q.to ?? today;
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  const rows = await repo.listForReport(deps.db, list, { from: `${from}T00:00:00.000Z`, to: end });
  const groups = new Map<string, { r: TurnaroundRow; d2d: number[]; d2t: number[]; t2s: number[] }>();
  const people = new Map<string, TranscriptionistRow>();
  for (const r of rows) {
    const key = `${r.dictated_by}\u0000${r.work_type}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        r: {
          physicianId: r.dictated_by,
          physician: r.dictated_by_name ?? r.dictated_by,
          workType: r.work_type,
          dictations: 0,
          signed: 0,
          dictationToDraft: null,
          draftToTranscribed: null,
          transcribedToSigned: null,
        },
        d2d: [],
        d2t: [],
        t2s: [],
      };
      groups.set(key, g);
    }
    g.r.dictations++;
    if (r.signed_at) g.r.signed++;
    const a = hoursBetween(r.dictated_at, r.recognized_at);
    const b = hoursBetween(r.recognized_at, r.transcribed_at);
    const c = hoursBetween(r.transcribed_at, r.signed_at);
    if (a !== null) g.d2d.push(a);
    if (b !== null) g.d2t.push(b);
    if (c !== null) g.t2s.push(c);
    if (r.transcribed_by && r.transcribed_at) {
      const p = people.get(r.transcribed_by) ?? {
        transcriptionistId: r.transcribed_by,
        transcriptionist: r.transcribed_by_name ?? r.transcribed_by,
        reports: 0,
        lines: 0,
        hours: 0,
        linesPerHour: null,
      };
      p.reports++;
      p.lines += r.line_count ?? 0;
      p.hours += Math.max(0, hoursBetween(r.claimed_at, r.transcribed_at) ?? 0);
      people.set(r.transcribed_by, p);
    }
  }
  const turnaround = [...groups.values()]
    .map((g) => ({ ...g.r, dictationToDraft: median(g.d2d), draftToTranscribed: median(g.d2t), transcribedToSigned: median(g.t2s) }))
    .sort((x, y) => x.physician.localeCompare(y.physician) || x.workType.localeCompare(y.workType));
  const transcriptionists = [...people.values()]
    .map((p) => ({ ...p, hours: round(p.hours), linesPerHour: p.hours > 0 ? round(p.lines / p.hours) : null }))
    .sort((x, y) => x.transcriptionist.localeCompare(y.transcriptionist));
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.read,
      resourceType: 'transcription_report',
      outcome: 'success',
      detail: { from, to, dictations: rows.length },
    }),
  );
  return { from, to, turnaround, transcriptionists };
}

export function reportTables(r: TranscriptionReport): ReportTable[] {
  return [
    {
      name: 'Turnaround (hours, median)',
      header: ['Physician', 'Work type', 'Dictations', 'Signed', 'Dictation to draft', 'Draft to transcribed', 'Transcribed to signed'],
      rows: r.turnaround.map((t) => [
        t.physician,
        workTypeOf(t.workType)?.name ?? t.workType,
        t.dictations,
        t.signed,
        t.dictationToDraft,
        t.draftToTranscribed,
        t.transcribedToSigned,
      ]),
    },
    {
      name: 'Transcriptionists',
      header: ['Transcriptionist', 'Reports', 'Lines', 'Hours', 'Lines per hour'],
      rows: r.transcriptionists.map((p) => [p.transcriptionist, p.reports, p.lines, p.hours, p.linesPerHour]),
    },
  ];
}

export const reportCsv = (r: TranscriptionReport) => tablesCsv(reportTables(r));
export const reportXlsx = (r: TranscriptionReport) => tablesXlsx(reportTables(r));
