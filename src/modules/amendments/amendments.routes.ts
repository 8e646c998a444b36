import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import {
  AcceptSchema,
  amendmentStatuses,
  DenySchema,
  DisagreementSchema,
  ExtendSchema,
  NewAmendmentSchema,
  NotifiedSchema,
  RebuttalSchema,
  RecipientSchema,
} from './amendments.rules.js';
import {
  acceptAmendmentRequest,
  addAmendmentRecipient,
  createAmendmentRequest,
  denyAmendmentRequest,
  extendAmendmentRequest,
  getAmendmentRequest,
  listAmendmentRequests,
  markRecipientNotified,
  recordDisagreement,
  recordRebuttal,
} from './amendments.service.js';
import type { AmendmentDeps } from './amendments.views.js';

const Id = z.object({ id: z.string().min(1).max(64) });

/** Amendment requests (45 CFR 164.526) over HTTP: ids in paths, everything a patient wrote in bodies. */
export async function amendmentRoutes(fastify: FastifyInstance, deps: AmendmentDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['amendments'];
  const config = { access: Permission.amendmentManage };

  app.get(
    '/api/amendments',
    {
      config,
      schema: {
        tags,
        summary: 'Amendment requests, open ones first by the date they are due, with their clock',
        querystring: z.object({ status: z.enum(amendmentStatuses).optional() }),
      },
    },
    async (req) => ({ items: await listAmendmentRequests(deps, actorOf(req), { status: req.query.status }) }),
  );

  app.get(
    '/api/amendments/overdue',
    { config, schema: { tags, summary: 'Open requests past the date that counts (60 days, or the extended date): the HIM director list' } },
    async (req) => ({ items: await listAmendmentRequests(deps, actorOf(req), { overdueOnly: true }) }),
  );

  app.post(
    '/api/amendments',
    {
      config,
      schema: { tags, summary: "Log a patient's request to amend their record (due 60 days after receipt)", body: NewAmendmentSchema },
    },
    async (req, reply) => reply.status(201).send(await createAmendmentRequest(deps, actorOf(req), req.body)),
  );

  app.get(
    '/api/amendments/:id',
    { config, schema: { tags, summary: 'A request with its clock, decision, letters and the people to tell', params: Id } },
    async (req) => getAmendmentRequest(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/amendments/:id/extend',
    {
      config,
      schema: {
        tags,
        summary: 'The one 30-day extension, with its reason and the date the patient was told',
        params: Id,
        body: ExtendSchema,
      },
    },
    async (req) => extendAmendmentRequest(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/amendments/:id/accept',
    {
      config,
      schema: { tags, summary: 'Accept: the amendment version of the document, and the people to tell', params: Id, body: AcceptSchema },
    },
    async (req) => acceptAmendmentRequest(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/amendments/:id/deny',
    {
      config,
      schema: {
        tags,
        summary: 'Deny on a ground of 164.526(a)(2): the written denial is filed in the record',
        params: Id,
        body: DenySchema,
      },
    },
    async (req) => denyAmendmentRequest(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/amendments/:id/disagreement',
    {
      config,
      schema: { tags, summary: "The patient's statement of disagreement, filed in the record", params: Id, body: DisagreementSchema },
    },
    async (req) => recordDisagreement(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/amendments/:id/rebuttal',
    {
      config,
      schema: { tags, summary: 'The rebuttal of the statement of disagreement, filed in the record', params: Id, body: RebuttalSchema },
    },
    async (req) => recordRebuttal(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/amendments/:id/notifications',
    {
      config,
      schema: { tags, summary: 'Add a person or organisation to tell of the accepted amendment', params: Id, body: RecipientSchema },
    },
    async (req) => addAmendmentRecipient(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/amendments/:id/notifications/:notificationId/notified',
    {
      config,
      schema: {
        tags,
        summary: 'Record the day a recipient was given the amendment',
        params: z.object({ id: z.string().min(1).max(64), notificationId: z.string().min(1).max(64) }),
        body: NotifiedSchema,
      },
    },
    async (req) => markRecipientNotified(deps, actorOf(req), req.params.id, req.params.notificationId, req.body),
  );
}
