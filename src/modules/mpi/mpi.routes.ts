import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { listMerges, mergePatients, unmergePatients, type MergeDeps } from './merge.service.js';
import { activateMpiModel, fitMpiModel, getMpiModel, listMpiModels, MODEL_VIEW_ACCESS, resetMpiModel } from './model.service.js';
import { getDuplicatePair, listDuplicatePairs, markNotDuplicate, scanForDuplicates } from './worklist.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

/**
 * The potential-duplicate worklist, merge and unmerge (permission mpi:merge); the matching model (view: mpi:merge or
 * interface:admin; fit, reset, activate: interface:admin).
 */
export async function mpiRoutes(fastify: FastifyInstance, deps: MergeDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const access = Permission.mpiMerge;
  app.get(
    '/api/mpi/duplicates',
    {
      config: { access },
      schema: {
        tags: ['mpi'],
        summary: 'Potential duplicate pairs, highest score first',
        querystring: z.object({
          status: z.enum(['open', 'not_duplicate', 'merged']).default('open'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => ({ items: await listDuplicatePairs(deps, actorOf(req), req.query) }),
  );

  app.get(
    '/api/mpi/duplicates/:id',
    {
      config: { access },
      schema: { tags: ['mpi'], summary: 'One pair side by side with the field-by-field comparison', params: IdParams },
    },
    async (req) => getDuplicatePair(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/mpi/duplicates/:id/not-duplicate',
    {
      config: { access },
      schema: {
        tags: ['mpi'],
        summary: 'Resolve a pair as two different people',
        params: IdParams,
        body: z.object({ note: z.string().max(500).nullish() }),
      },
    },
    async (req, reply) => {
      await markNotDuplicate(deps, actorOf(req), req.params.id, req.body.note ?? null);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/mpi/scan',
    {
      config: { access },
      schema: { tags: ['mpi'], summary: 'Screen every active record for duplicates (after a data migration)' },
    },
    async (req) => scanForDuplicates(deps, actorOf(req)),
  );

  app.get(
    '/api/mpi/merges',
    {
      config: { access },
      schema: {
        tags: ['mpi'],
        summary: 'Merge history (of one patient with patientId)',
        querystring: z.object({ patientId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (req) => ({ items: await listMerges(deps, actorOf(req), req.query) }),
  );

  app.post(
    '/api/mpi/merges',
    {
      config: { access },
      schema: {
        tags: ['mpi'],
        summary: 'Merge mergedId into survivorId (everything moves; the merged MRN becomes an alias)',
        body: z.object({
          survivorId: z.string().min(1).max(64),
          mergedId: z.string().min(1).max(64),
          // A merge changes two legal records: the clerk says why (kept with the merge and in the audit trail).
          reason: z.string().trim().min(5, 'give the reason for the merge (at least 5 characters)').max(500),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await mergePatients(deps, actorOf(req), req.body)),
  );

  app.post(
    '/api/mpi/merges/:id/unmerge',
    {
      config: { access },
      schema: { tags: ['mpi'], summary: 'Undo a merge exactly', params: IdParams },
    },
    async (req) => unmergePatients(deps, actorOf(req), req.params.id),
  );

  app.get(
    '/api/mpi/model',
    {
      config: { access: MODEL_VIEW_ACCESS },
      schema: {
        tags: ['mpi'],
        summary:
          "The matching model in use (fitted or default): who fitted it, from how many patients, weights per field and level, and how it scores the clerks' resolved pairs",
      },
    },
    async (req) => getMpiModel(deps, actorOf(req)),
  );

  app.get(
    '/api/mpi/models',
    {
      config: { access: MODEL_VIEW_ACCESS },
      schema: {
        tags: ['mpi'],
        summary: 'The stored fits, newest first (counts only), and which one is in use',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (req) => ({ items: await listMpiModels(deps, actorOf(req), req.query) }),
  );

  app.post(
    '/api/mpi/model/reset',
    {
      config: { access: Permission.interfaceAdmin },
      schema: { tags: ['mpi'], summary: 'Use the built-in default model from now on (the fits are kept)' },
    },
    async (req) => resetMpiModel(deps, actorOf(req)),
  );

  app.post(
    '/api/mpi/models/:id/activate',
    {
      config: { access: Permission.interfaceAdmin },
      schema: { tags: ['mpi'], summary: 'Use an earlier fit from now on', params: IdParams },
    },
    async (req) => activateMpiModel(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/mpi/model/fit',
    {
      config: { access: Permission.interfaceAdmin },
      schema: { tags: ['mpi'], summary: 'Fit the m/u weights and prior to the stored patients and use them from now on' },
    },
    async (req) => fitMpiModel(deps, actorOf(req)),
  );
}
