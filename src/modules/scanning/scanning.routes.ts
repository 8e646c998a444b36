import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { printCoverSheet } from './cover-sheet.js';
import { CoverSheetSchema, DiscardPagesSchema, IndexPagesSchema } from './scanning.rules.js';
import { discardQaPages, indexQaPages, listBatches, listQaPages, readQaThumbnail } from './scanning.qa.js';
import type { ScanningDeps } from './scanning.views.js';

const PageId = z.object({ pageId: z.string().min(1).max(64) });

/**
 * Intake scanning over HTTP (document:write: HIM clerks and directors, physicians). Patient ids travel in POST
 * bodies; paths carry page ids only. The cover sheet answers a PDF to print.
 */
export async function scanningRoutes(fastify: FastifyInstance, deps: ScanningDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['scanning'];
  const write = { access: Permission.documentWrite };

  app.post(
    '/api/scanning/cover-sheets',
    {
      config: write,
      schema: {
        tags,
        summary: 'Print a barcoded cover sheet for a patient (and encounter) and document type (a PDF)',
        body: CoverSheetSchema,
      },
    },
    async (req, reply) => {
      const { sheetId, pdf } = await printCoverSheet(deps, actorOf(req), req.body);
      return reply
        .status(201)
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="cover-sheet-${sheetId}.pdf"`)
        .header('x-sheet-id', sheetId)
        .send(Buffer.from(pdf));
    },
  );

  app.get(
    '/api/scanning/batches',
    {
      config: write,
      schema: {
        tags,
        summary: 'Batches claimed from the scan inbox, newest first (ids, status, counts)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
      },
    },
    async (req) => ({ items: await listBatches(deps, actorOf(req), { limit: req.query.limit }) }),
  );

  app.get(
    '/api/scanning/qa',
    {
      config: write,
      schema: {
        tags,
        summary: 'Pages waiting in the QA queue, oldest first (ids, reasons, times)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(2000).optional() }),
      },
    },
    async (req) => ({ items: await listQaPages(deps, actorOf(req), { limit: req.query.limit }) }),
  );

  app.get(
    '/api/scanning/qa/:pageId/thumbnail',
    { config: write, schema: { tags, summary: "A QA page's thumbnail (PNG; an audited read)", params: PageId } },
    async (req, reply) =>
      reply
        .type('image/png')
        .header('cache-control', 'no-store')
        .send(Buffer.from(await readQaThumbnail(deps, actorOf(req), req.params.pageId))),
  );

  app.post(
    '/api/scanning/qa/index',
    {
      config: write,
      schema: {
        tags,
        summary: 'File consecutive QA pages of one batch as one document of a patient, encounter and type',
        body: IndexPagesSchema,
      },
    },
    async (req, reply) => reply.status(201).send(await indexQaPages(deps, actorOf(req), req.body)),
  );

  app.post(
    '/api/scanning/qa/discard',
    { config: write, schema: { tags, summary: 'Discard QA pages with a reason (audited)', body: DiscardPagesSchema } },
    async (req) => discardQaPages(deps, actorOf(req), req.body),
  );
}
