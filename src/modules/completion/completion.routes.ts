import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { anyOf, Permission } from '../access/index.js';
import {
  completionReport,
  listSuspensions,
  physicianScorecards,
  reportCsv,
  reportXlsx,
  ReportQuerySchema,
  scorecardCsv,
  ScorecardQueryFields,
  scorecardXlsx,
} from './completion.reports.js';
import {
  addDeficiency,
  analyseChart,
  analyseDischarges,
  completeDeficiency,
  disputeDeficiency,
  getChartCompletion,
  listCompletionWorklist,
  listInbox,
  reassignDeficiency,
  signFromInbox,
  waiveDeficiency,
  WorklistQuerySchema,
} from './completion.service.js';
import { getCompletionSettings, setCompletionSettings } from './completion.settings.js';
import type { CompletionDeps } from './completion.views.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const Reason = z.object({ reason: z.string().max(500) });

/** Chart completion over HTTP: paths carry ids only; reasons, passwords and attestations travel in bodies. */
export async function completionRoutes(fastify: FastifyInstance, deps: CompletionDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['completion'];
  const analyst = { access: Permission.completionAnalyse };
  const physician = { access: Permission.completionComplete };
  const reports = { access: anyOf(Permission.reportsRead, Permission.completionAnalyse) };

  app.get(
    '/api/completion/worklist',
    {
      config: analyst,
      schema: {
        tags,
        summary: 'Records to complete (incomplete, delinquent or complete), oldest discharge first',
        querystring: WorklistQuerySchema,
      },
    },
    async (req) => ({ items: await listCompletionWorklist(deps, actorOf(req), req.query) }),
  );
  app.post(
    '/api/completion/analyse',
    {
      config: analyst,
      schema: { tags, summary: 'Analyse every discharged encounter not analysed yet (counts only)', body: z.object({}).optional() },
    },
    async (req) => {
      const r = await analyseDischarges(deps, actorOf(req));
      const count = (o: string) => r.filter((x) => x.outcome === o).length;
      return { analysed: count('analysed'), skipped: count('skipped'), failed: count('failed') };
    },
  );
  app.get(
    '/api/completion/encounters/:id',
    { config: analyst, schema: { tags, summary: "A chart's completion: status, deficiencies, their history", params: Id } },
    async (req) => getChartCompletion(deps, actorOf(req), req.params.id),
  );
  app.post(
    '/api/completion/encounters/:id/analyse',
    { config: analyst, schema: { tags, summary: 'Analyse this chart now', params: Id, body: z.object({}).optional() } },
    async (req) => analyseChart(deps, actorOf(req), req.params.id),
  );
  app.post(
    '/api/completion/encounters/:id/deficiencies',
    {
      config: analyst,
      schema: { tags, summary: 'Add a deficiency found on review (with its page reference)', params: Id, body: z.unknown() },
    },
    async (req, reply) => reply.status(201).send(await addDeficiency(deps, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/completion/deficiencies/:id/waive',
    { config: analyst, schema: { tags, summary: 'Waive a deficiency with a reason', params: Id, body: Reason } },
    async (req) => waiveDeficiency(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/completion/deficiencies/:id/reassign',
    {
      config: analyst,
      schema: {
        tags,
        summary: 'Reassign a deficiency to another physician with a reason',
        params: Id,
        body: z.object({ providerId: z.string().max(64), reason: z.string().max(500) }),
      },
    },
    async (req) => reassignDeficiency(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/completion/deficiencies/:id/complete',
    { config: analyst, schema: { tags, summary: 'Mark a deficiency added by hand as done', params: Id, body: z.object({}).optional() } },
    async (req) => completeDeficiency(deps, actorOf(req), req.params.id),
  );
  app.post(
    '/api/completion/deficiencies/:id/dispute',
    { config: physician, schema: { tags, summary: 'Dispute a deficiency ("not my patient") with a reason', params: Id, body: Reason } },
    async (req) => disputeDeficiency(deps, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/completion/inbox',
    { config: physician, schema: { tags, summary: "The physician's open deficiencies, oldest first" } },
    async (req) => ({
      items: await listInbox(deps, actorOf(req)),
    }),
  );
  app.post(
    '/api/completion/inbox/sign',
    {
      config: physician,
      schema: {
        tags,
        summary: 'Sign the documents of these deficiencies (attestation and password re-entry); a result per deficiency',
        body: z.object({
          deficiencyIds: z.array(z.string().max(64)).max(100),
          attestation: z.string().max(500),
          password: z.string().max(256),
        }),
      },
    },
    async (req) => ({ results: await signFromInbox(deps, actorOf(req), req.body) }),
  );
  app.get(
    '/api/completion/suspensions',
    {
      config: reports,
      schema: {
        tags,
        summary: "Physicians over the suspension threshold of delinquent records (each record by its facility's bylaws)",
        querystring: z.object({ facilityId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => ({
      items: await listSuspensions(deps, actorOf(req), req.query.facilityId ? { facilityId: req.query.facilityId } : {}),
    }),
  );
  app.get(
    '/api/reports/completion',
    {
      config: reports,
      schema: {
        tags,
        summary: 'Deficiencies by physician, type and age; delinquency rate and trend (json, csv or xlsx)',
        querystring: ReportQuerySchema.extend({ format: z.enum(['json', 'csv', 'xlsx']).optional() }),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const r = await completionReport(deps, actorOf(req), q);
      if (format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="completion-report.csv"')
          .send(reportCsv(r));
      if (format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="completion-report.xlsx"')
          .send(Buffer.from(await reportXlsx(r)));
      return r;
    },
  );
  app.get(
    '/api/reports/completion/scorecards',
    {
      config: reports,
      schema: {
        tags,
        summary:
          'Physician scorecards for a period: assigned, completed, on time, median days, disputes; open, delinquent, suspended now (json, csv or xlsx)',
        querystring: ScorecardQueryFields.extend({ format: z.enum(['json', 'csv', 'xlsx']).optional() }),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const r = await physicianScorecards(deps, actorOf(req), q);
      if (format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="physician-scorecards.csv"')
          .send(scorecardCsv(r));
      if (format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="physician-scorecards.xlsx"')
          .send(Buffer.from(await scorecardXlsx(r)));
      return r;
    },
  );
  app.get(
    '/api/completion/settings/:id',
    {
      config: { access: anyOf(Permission.completionSettings, Permission.completionAnalyse) },
      schema: { tags, summary: "A facility's completion settings (bylaws)", params: Id },
    },
    async (req) => getCompletionSettings(deps, actorOf(req), req.params.id),
  );
  app.put(
    '/api/completion/settings/:id',
    {
      config: { access: Permission.completionSettings },
      schema: { tags, summary: "Set a facility's completion settings", params: Id, body: z.unknown() },
    },
    async (req) => setCompletionSettings(deps, actorOf(req), req.params.id, req.body),
  );
}
