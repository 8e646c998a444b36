import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { tablesCsv, tablesXlsx, type ReportTable } from '../../core/shared/report-export.js';
import { Permission } from '../access/index.js';
import { AuditAction } from '../audit/index.js';
import { dashboardTables, drillTable } from './dashboard.export.js';
import {
  audited,
  dashboardEncounters,
  DashboardQuerySchema,
  directorDashboard,
  DrillQuerySchema,
  type ReportsDeps,
} from './dashboard.service.js';
import { listWeightYears } from './drg-weights.service.js';
import { himIndex, IndexKindSchema, IndexQuerySchema, indexTable } from './him-indexes.service.js';

const Format = z.object({ format: z.enum(['json', 'csv', 'xlsx']).optional() });

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

  app.get(
    '/api/reports/dashboard',
    {
      config,
      schema: {
        tags,
        summary: 'DNFB, coding backlog and throughput, top MS-DRGs, case mix index, queries, MPI and ROI figures (json, csv or xlsx)',
        querystring: DashboardQuerySchema.extend(Format.shape),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const d = await directorDashboard(deps, actorOf(req), q);
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
