import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { ExecuteSchema, NewBatchSchema, RuleSetSchema } from './retention.rules.js';
import { approveBatch, createBatch, executeBatch, getBatch, listBatches, listEligible } from './retention.service.js';
import { activateRuleSet, createRuleSet, listRuleSets, updateRuleSet } from './retention-rule-sets.service.js';
import { destructionCertificatePdf } from './retention-certificate.js';
import type { RetentionDeps } from './retention.views.js';

const Id = z.object({ id: z.string().min(1).max(64) });

/** Retention rule sets, the destruction-eligible list, destruction batches and their certificates, over HTTP. */
export async function retentionRoutes(fastify: FastifyInstance, deps: RetentionDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['retention'];
  const config = { access: Permission.retentionManage };

  app.get('/api/retention/rule-sets', { config, schema: { tags, summary: 'Retention rule sets (the active one first)' } }, async (req) => ({
    items: await listRuleSets(deps, actorOf(req)),
  }));

  app.post(
    '/api/retention/rule-sets',
    { config, schema: { tags, summary: "Add a rule set (a jurisdiction's periods by document type and age)", body: RuleSetSchema } },
    async (req, reply) => reply.status(201).send(await createRuleSet(deps, actorOf(req), req.body)),
  );

  app.put(
    '/api/retention/rule-sets/:id',
    { config, schema: { tags, summary: "Change a rule set's periods", params: Id, body: RuleSetSchema } },
    async (req) => updateRuleSet(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/retention/rule-sets/:id/activate',
    { config, schema: { tags, summary: 'Make this the rule set in force', params: Id } },
    async (req) => activateRuleSet(deps, actorOf(req), req.params.id),
  );

  app.get(
    '/api/retention/eligible',
    {
      config,
      schema: {
        tags,
        summary: 'Documents eligible for destruction today under the active (or named) rule set, with the rule and dates',
        querystring: z.object({
          ruleSetId: z.string().min(1).max(64).optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
        }),
      },
    },
    async (req) => listEligible(deps, actorOf(req), { ruleSetId: req.query.ruleSetId, limit: req.query.limit }),
  );

  app.get('/api/retention/batches', { config, schema: { tags, summary: 'Destruction batches, newest first' } }, async (req) => ({
    items: await listBatches(deps, actorOf(req)),
  }));

  app.post(
    '/api/retention/batches',
    { config, schema: { tags, summary: 'A destruction batch of selected eligible documents (draft)', body: NewBatchSchema } },
    async (req, reply) => reply.status(201).send(await createBatch(deps, actorOf(req), req.body)),
  );

  app.get(
    '/api/retention/batches/:id',
    { config, schema: { tags, summary: 'A destruction batch and its lines', params: Id } },
    async (req) => getBatch(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/retention/batches/:id/approve',
    { config, schema: { tags, summary: 'Authorise a draft batch', params: Id } },
    async (req) => approveBatch(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/retention/batches/:id/execute',
    {
      config,
      schema: { tags, summary: 'Destroy the documents of an approved batch (each skipped line says why)', params: Id, body: ExecuteSchema },
    },
    async (req) => executeBatch(deps, actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/retention/batches/:id/certificate.pdf',
    { config, schema: { tags, summary: 'The certificate of destruction of a performed batch (PDF)', params: Id } },
    async (req, reply) =>
      reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="destruction-certificate-${req.params.id}.pdf"`)
        .send(Buffer.from(await destructionCertificatePdf(deps, actorOf(req), req.params.id))),
  );
}
