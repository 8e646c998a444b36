import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { tablesCsv, tablesXlsx } from '../../core/shared/report-export.js';
import { acceptanceReportTables, SuggestQuerySchema } from './cac.rules.js';
import { cacAcceptanceReport, decideSuggestion, suggestForEncounter, type CacDeps } from './cac.service.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a date (YYYY-MM-DD)');

/** Computer-assisted coding over HTTP: ids in paths, codes and reasons in bodies. */
export async function cacRoutes(fastify: FastifyInstance, deps: CacDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['coding'];
  app.get(
    '/api/coding/encounters/:id/cac/suggestions',
    {
      config: { access: Permission.codingRead },
      schema: {
        tags,
        summary: "Code suggestions from the encounter's documents, with evidence (document, version, span)",
        params: Id,
        querystring: SuggestQuerySchema,
      },
    },
    async (req) => suggestForEncounter(deps, actorOf(req), req.params.id, req.query),
  );
  app.post(
    '/api/coding/encounters/:id/cac/decisions',
    {
      config: { access: Permission.codingWrite },
      // The body is parsed by the service (one schema for HTTP and callers), so a bad one answers 400 from there.
      schema: { tags, summary: 'Accept (onto the draft abstract) or reject (with a reason) a suggested code', params: Id },
    },
    async (req, reply) => reply.status(201).send(await decideSuggestion(deps, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/reports/cac',
    {
      config: { access: Permission.reportsRead },
      schema: {
        tags: ['reports'],
        summary: 'CAC acceptance rate per code and per coder (json, csv or xlsx)',
        querystring: z.object({ from: Day.optional(), to: Day.optional(), format: z.enum(['json', 'csv', 'xlsx']).optional() }),
      },
    },
    async (req, reply) => {
      const { format, ...range } = req.query;
      const r = await cacAcceptanceReport(deps, actorOf(req), range);
      if (format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="cac-acceptance.csv"')
          .send(tablesCsv(acceptanceReportTables(r)));
      if (format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="cac-acceptance.xlsx"')
          .send(Buffer.from(await tablesXlsx(acceptanceReportTables(r))));
      return r;
    },
  );
}
