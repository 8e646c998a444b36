import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { tablesCsv, tablesXlsx, type ReportTable } from '../../core/shared/report-export.js';
import { Permission } from '../access/index.js';
import { AuditAction } from '../audit/index.js';
import { dashboardTables, drillTable } from './dashboard.export.js';
import { reportPackPdf } from './report-pack.pdf.js';
import {
  audited,
  dashboardEncounters,
  DashboardQuerySchema,
  directorDashboard,
  DrillQuerySchema,
  type ReportsDeps,
} from './dashboard.service.js';
import { listWeightYears } from './drg-weights.service.js';
import { deleteSavedReport, listSavedReports, SavedReportBodySchema, saveReport } from './saved-reports.service.js';
import { runConsoleSql, SqlConsoleBodySchema } from './sql-console.service.js';
import { himIndex, IndexKindSchema, IndexQuerySchema, indexTable } from './him-indexes.service.js';

const Format = z.object({ format: z.enum(['json', 'csv', 'xlsx']).optional() });
const PackFormat = z.object({ format: z.enum(['json', 'csv', 'xlsx', 'pdf']).optional() });

async function sendTables(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, tables: ReportTable[]) {
  if (format === 'csv')
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .send(tablesCsv(tables));
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${name}.xlsx"`)
    .send(Buffer.from(await tablesXlsx(tables)));
}

/** The HIM director's dashboard over HTTP: the figures, and the encounters behind each (json, csv or xlsx). */
export async function reportsRoutes(fastify: FastifyInstance, deps: ReportsDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  const config = { access: Permission.reportsRead };

  app.post(
    '/api/reports/sql',
    {
      config: { access: Permission.reportsSql },
      schema: {
        tags,
        summary:
          'Read-only SQL console for analysts: one SELECT, read-only, 5 s limit, 1,000 rows (truncated: true beyond), audited as sql_query',
        body: SqlConsoleBodySchema,
      },
    },
    async (req) => runConsoleSql(deps, actorOf(req), req.body),
  );

  app.get(
    '/api/reports/saved',
    { config, schema: { tags, summary: "The user's saved dashboard filter sets and their email schedules" } },
    async (req) => ({ items: await listSavedReports(deps, actorOf(req)) }),
  );
  app.post(
    '/api/reports/saved',
    {
      config,
      schema: {
        tags,
        summary: 'Save a named dashboard filter set; schedule none|daily|weekly emails the figures (XLSX, aggregates only) to recipients',
        body: SavedReportBodySchema,
      },
    },
    async (req, reply) => reply.code(201).send(await saveReport(deps, actorOf(req), req.body)),
  );
  app.delete(
    '/api/reports/saved/:id',
    { config, schema: { tags, summary: "Delete one of the user's saved reports", params: z.object({ id: z.string().min(1).max(100) }) } },
    async (req, reply) => {
      await deleteSavedReport(deps, actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/reports/dashboard',
    {
      config,
      schema: {
        tags,
        summary:
          'DNFB, coding backlog and throughput, top MS-DRGs, case mix index, queries, MPI and ROI figures (json, csv, xlsx, or pdf: the report pack)',
        querystring: DashboardQuerySchema.extend(PackFormat.shape),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const d = await directorDashboard(deps, actorOf(req), q);
      if (format === 'pdf') {
        await audited(deps, actorOf(req), AuditAction.export, 'dashboard', { format });
        const f = d.filter;
        const cover = [
          `Discharges ${f.from} to ${f.to}; DNFB and coding backlog as of ${d.asOf}.`,
          `Filters: facility ${f.facility ?? 'all'}; service line ${f.service ?? 'all'}; physician ${f.physician ?? 'all'}; payer ${f.payer ?? 'all'}.`,
          `Case mix index: ${d.caseMix.weights.label}.`,
          'Restricted records are counted in every figure. Amounts in dollars.',
        ];
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', 'attachment; filename="report-pack.pdf"')
          .send(Buffer.from(await reportPackPdf('HIM director report pack', cover, dashboardTables(d))));
      }
      if (format === 'csv' || format === 'xlsx') {
        await audited(deps, actorOf(req), AuditAction.export, 'dashboard', { format });
        return sendTables(reply, format, 'dashboard', dashboardTables(d));
      }
      return d;
    },
  );

  app.get(
    '/api/reports/dashboard/encounters',
    {
      config,
      schema: {
        tags,
        summary: 'The encounters behind a dashboard figure (restricted records not opened: existence only, or counted as withheld)',
        querystring: DrillQuerySchema.extend(Format.shape),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const r = await dashboardEncounters(deps, actorOf(req), q);
      if (format === 'csv' || format === 'xlsx') {
        await audited(deps, actorOf(req), AuditAction.export, 'dashboard_drilldown', { format, count: r.items.length });
        return sendTables(reply, format, `dashboard-${r.figure.figure}`, drillTable(r.items, r.withheld));
      }
      return r;
    },
  );

  app.get(
    '/api/reports/indexes/:kind',
    {
      config,
      schema: {
        tags,
        summary: 'Disease, procedure or physician index of final-coded discharges over a date range, by code range (json, csv or xlsx)',
        params: z.object({ kind: IndexKindSchema }),
        querystring: IndexQuerySchema.extend(Format.shape),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const r = await himIndex(deps, actorOf(req), req.params.kind, q);
      if (format === 'csv' || format === 'xlsx') {
        await audited(deps, actorOf(req), AuditAction.export, 'him_index', { kind: r.kind, format });
        return sendTables(reply, format, `${r.kind}-index`, indexTable(r));
      }
      return r;
    },
  );

  app.get(
    '/api/reports/dashboard/weights',
    { config, schema: { tags, summary: 'The fiscal years of CMS Table 5 relative weights imported' } },
    async () => ({ years: await listWeightYears(deps) }),
  );
}
