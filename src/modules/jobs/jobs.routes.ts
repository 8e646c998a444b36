import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../core/errors.js';
import { Permission } from '../access/index.js';
import * as repo from './jobs.repository.js';
import { toJobView } from './jobs.service.js';
import { JobStatus } from './jobs.rules.js';

/**
 * Background jobs over HTTP: status and progress for the screens that follow an import or OCR. A job's payload holds
 * ids and options only; its view carries no PHI (ids, counts, status, error text of the worker).
 */
export async function jobRoutes(fastify: FastifyInstance, deps: { db: Kysely<Database> }): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['jobs'];
  const access = { access: Permission.jobRead };
  app.get(
    '/api/jobs',
    {
      config: access,
      schema: {
        tags,
        summary: 'Background jobs, newest first (kind, status, progress)',
        querystring: z.object({
          kind: z.string().max(60).optional(),
          status: z.enum(Object.values(JobStatus) as [JobStatus, ...JobStatus[]]).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
    },
    async (req) => ({
      items: (await repo.listJobs(deps.db, { kind: req.query.kind, status: req.query.status }, req.query.limit ?? 100)).map(toJobView),
    }),
  );
  app.get(
    '/api/jobs/:jobId',
    {
      config: access,
      schema: { tags, summary: 'One background job: status, attempts, progress', params: z.object({ jobId: z.string().min(1).max(64) }) },
    },
    async (req) => {
      const j = await repo.findJob(deps.db, req.params.jobId);
      if (!j) throw notFound('job');
      return toJobView(j);
    },
  );
}
