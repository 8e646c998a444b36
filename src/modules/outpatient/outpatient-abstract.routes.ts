import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { OutpatientAbstractSchema } from './outpatient-abstract.rules.js';
import * as svc from './outpatient-abstract.service.js';

const tags = ['outpatient'];
const Id = z.object({ id: z.string().min(1).max(64) });
const Body = z.object({ data: OutpatientAbstractSchema, expectedVersion: z.number().int().min(0).optional() });

/**
 * The stored outpatient abstract over HTTP: every route opens the encounter's record through the record-access step
 * (audited; a restricted record needs break-the-glass). Final coding runs the outpatient edits and answers 412 with
 * `blocking` naming each edit that holds it.
 */
export function outpatientAbstractRoutes(fastify: FastifyInstance, deps: svc.OutpatientAbstractDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/outpatient/encounters/:id',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: "An outpatient, ED, observation or clinic encounter's outpatient abstract (audited read)", params: Id },
    },
    async (req) => svc.getOutpatientAbstract(deps, actorOf(req), req.params.id),
  );
  app.put(
    '/api/outpatient/encounters/:id/draft',
    {
      config: { access: Permission.codingWrite },
      schema: { tags, summary: 'Save a draft of the outpatient abstract (any time; a new version)', params: Id, body: Body },
    },
    async (req) => svc.saveOutpatientDraft(deps, actorOf(req), req.params.id, req.body.data, req.body.expectedVersion),
  );
  app.post(
    '/api/outpatient/encounters/:id/final',
    {
      config: { access: Permission.codingWrite },
      schema: {
        tags,
        summary: 'Final-code the outpatient abstract: refused (412, naming them) while an outpatient edit blocks',
        params: Id,
        body: Body.partial(),
      },
    },
    async (req) => svc.finalOutpatient(deps, actorOf(req), req.params.id, req.body.data, req.body.expectedVersion),
  );
  app.post(
    '/api/outpatient/encounters/:id/reopen',
    {
      config: { access: Permission.codingWrite },
      schema: {
        tags,
        summary: 'Reopen a final-coded outpatient abstract, with a reason (audited)',
        params: Id,
        body: z.object({ reason: z.string().max(2000) }),
      },
    },
    async (req) => svc.reopenOutpatient(deps, actorOf(req), req.params.id, req.body.reason),
  );
  app.get(
    '/api/outpatient/encounters/:id/versions',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: "The outpatient abstract's versions, newest first, with the codes added and removed", params: Id },
    },
    async (req) => svc.listOutpatientAbstractVersions(deps, actorOf(req), req.params.id),
  );
}
