import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { QueryDraftSchema } from './queries.rules.js';
import * as svc from './queries.service.js';
import { escalateQueries } from './queries-aging.service.js';
import { queryAgingReport, queryReport } from './queries-reports.service.js';
import { listNotifications, markNotificationRead } from './notifications.service.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');

/** Physician queries over HTTP: composer check and send, the physician's inbox and answer, escalation, reports. */
export async function queryRoutes(fastify: FastifyInstance, deps: svc.QueryDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['queries'];

  app.post(
    '/api/queries/check',
    {
      config: { access: Permission.queryWrite },
      schema: {
        tags,
        summary: 'Compliance check of a query draft (AHIMA/ACDIS 2022): each problem with the offending phrase',
        body: QueryDraftSchema,
      },
    },
    async (req) => svc.checkQuery(deps, actorOf(req), req.body),
  );

  app.post(
    '/api/coding/encounters/:id/queries',
    {
      config: { access: Permission.queryWrite },
      schema: {
        tags,
        summary: 'Send a query to the responsible physician (refused until the compliance check is clean)',
        params: Id,
        body: QueryDraftSchema.extend({ providerId: z.string().min(1).max(64).nullish() }),
      },
    },
    async (req, reply) => reply.status(201).send(await svc.sendQuery(deps, actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/coding/encounters/:id/queries',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: 'The queries of an encounter', params: Id },
    },
    async (req) => ({ items: await svc.listEncounterQueries(deps, actorOf(req), req.params.id) }),
  );

  app.get(
    '/api/queries/inbox',
    {
      config: { access: Permission.queryAnswer },
      schema: {
        tags,
        summary: "The physician's query inbox",
        querystring: z.object({ status: z.enum(['open', 'escalated', 'answered', 'expired']).optional() }),
      },
    },
    async (req) => ({ items: await svc.listInbox(deps, actorOf(req), req.query) }),
  );

  app.get(
    '/api/queries/:id',
    {
      config: { access: Permission.queryAnswer },
      schema: { tags, summary: 'Read one query with its clinical indicators', params: Id },
    },
    async (req) => svc.getInboxQuery(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/queries/:id/answer',
    {
      config: { access: Permission.queryAnswer },
      schema: {
        tags,
        summary: 'Answer and sign a query (choice and free text)',
        params: Id,
        body: z.object({ choice: z.string().max(300).nullish(), text: z.string().max(4000).nullish(), attest: z.literal(true) }),
      },
    },
    async (req) => svc.answerQuery(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/queries/escalate',
    {
      config: { access: Permission.queryWrite },
      schema: {
        tags,
        summary: 'Escalate overdue queries and expire old ones now (also runs on every read)',
        body: z.object({}).optional(),
      },
    },
    async (req) => escalateQueries(deps, actorOf(req)),
  );

  app.get(
    '/api/reports/queries',
    {
      config: { access: Permission.reportsRead },
      schema: {
        tags: ['reports'],
        summary: 'Query volume, response time and agreement rate by physician and by coder',
        querystring: z.object({ from: Day.optional(), to: Day.optional() }),
      },
    },
    async (req) => queryReport(deps, actorOf(req), req.query),
  );

  app.get(
    '/api/reports/queries/aging',
    {
      config: { access: Permission.reportsRead },
      schema: { tags: ['reports'], summary: 'Open and escalated queries by physician and days waiting (counts only)' },
    },
    async (req) => queryAgingReport(deps, actorOf(req)),
  );

  app.get(
    '/api/notifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['notifications'],
        summary: "The signed-in user's notifications",
        querystring: z.object({ unread: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req) => ({ items: await listNotifications(deps, actorOf(req), { unreadOnly: req.query.unread === 'true' }) }),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['notifications'], summary: 'Mark a notification read', params: Id, body: z.object({}).optional() },
    },
    async (req, reply) => {
      await markNotificationRead(deps, actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
