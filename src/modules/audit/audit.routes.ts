import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission, requirePermission, systemActor } from '../access/index.js';
import { listBreakGlass, reviewBreakGlass, type PatientDeps } from '../patients/index.js';
import { startAuditCheckpoints, verifyAuditTrail } from './audit-chain.service.js';
import { AUDIT_DATE, auditTimeRange } from './audit.rules.js';
import { AuditAction, auditFilterOf, exportAuditTrail, queryAuditEvents, recordAudit } from './audit.service.js';

const day = z
  .string()
  .regex(AUDIT_DATE, 'date as YYYY-MM-DD (or a timestamp YYYY-MM-DDTHH:MM:SSZ)')
  .refine((v) => auditTimeRange({ from: v }) !== null, 'no such date');
/** `from` from the start of its day, `to` to the end of its day (inclusive); a timestamp is that instant. */
const Filter = z.object({
  patientId: z.string().max(64).optional(),
  userId: z.string().max(64).optional(),
  action: z.string().max(40).optional(),
  from: day.optional(),
  to: day.optional(),
});

/** What the audit routes need: the patients module's deps (break-the-glass review) and the checkpoint schedule. */
export interface AuditRoutesDeps extends PatientDeps {
  /** Minutes between the signed checkpoints written while the server listens (0 = none). */
  checkpointMinutes: number;
  /** Where a failed checkpoint is reported. */
  logger: Pick<Logger, 'error'>;
}

/**
 * Audit log queries, CSV export, chain verification and break-the-glass review. While the server listens (not under
 * inject), it writes a signed checkpoint every CUSTODIAN_AUDIT_CHECKPOINT_MINUTES.
 */
export async function auditRoutes(fastify: FastifyInstance, deps: AuditRoutesDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  let stopCheckpoints = () => {};
  fastify.addHook('onListen', async () => {
    stopCheckpoints = startAuditCheckpoints(deps, systemActor('server:audit-checkpoint'), {
      everyMinutes: deps.checkpointMinutes,
      onError: (e) => deps.logger.error({ err: { type: (e as Error).name, message: (e as Error).message } }, 'audit checkpoint failed'),
    });
  });
  fastify.addHook('onClose', async () => stopCheckpoints());
  app.get(
    '/api/audit/events',
    {
      config: { access: Permission.auditRead },
      schema: {
        tags: ['audit'],
        summary: 'Audit events: by patient ("who looked at my record"), by user, by date range',
        querystring: Filter.extend({
          order: z.enum(['asc', 'desc']).default('asc'),
          afterSeq: z.coerce.number().int().min(0).optional(),
          beforeSeq: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await requirePermission(deps, actor, Permission.auditRead, { type: 'audit' });
      const { limit, afterSeq, beforeSeq, order, ...f } = req.query;
      const items = await queryAuditEvents(
        deps.db,
        { ...auditFilterOf(f), order, ...(afterSeq !== undefined ? { afterSeq } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}) },
        limit,
      );
      // Reading the audit trail about a patient is itself a disclosure-relevant access: audit it.
      await deps.db.transaction().execute((trx) =>
        recordAudit(trx, deps.audit, actor, {
          action: AuditAction.read,
          resourceType: 'audit_log',
          patientId: f.patientId ?? null,
          outcome: 'success',
          detail: { resultCount: items.length },
        }),
      );
      // The cursor for the next page: pass it as afterSeq (oldest first) or beforeSeq (newest first).
      const next = items.length === limit ? items[items.length - 1]!.seq : null;
      return { items, nextAfterSeq: order === 'asc' ? next : null, nextBeforeSeq: order === 'desc' ? next : null };
    },
  );

  app.get(
    '/api/audit/events.csv',
    {
      config: { access: Permission.auditRead },
      schema: { tags: ['audit'], summary: 'Audit events as CSV', querystring: Filter },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await requirePermission(deps, actor, Permission.auditRead, { type: 'audit' });
      const csv = await exportAuditTrail(deps, actor, req.query);
      reply.header('content-disposition', 'attachment; filename="audit-events.csv"').type('text/csv; charset=utf-8');
      return reply.send(Readable.from(csv));
    },
  );

  app.post(
    '/api/audit/verify',
    {
      config: { access: Permission.auditVerify },
      schema: { tags: ['audit'], summary: 'Walk the hash chains and the signed checkpoints; list every break' },
    },
    async (req) => {
      const actor = actorOf(req);
      await requirePermission(deps, actor, Permission.auditVerify, { type: 'audit' });
      return verifyAuditTrail(deps, actor);
    },
  );

  app.get(
    '/api/audit/break-glass',
    {
      config: { access: Permission.breakGlassReview },
      schema: {
        tags: ['audit'],
        summary: 'Break-the-glass accesses for review',
        querystring: z.object({ unreviewed: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req) => ({ items: await listBreakGlass(deps, actorOf(req), { unreviewedOnly: req.query.unreviewed === 'true' }) }),
  );

  app.post(
    '/api/audit/break-glass/:id/review',
    {
      config: { access: Permission.breakGlassReview },
      schema: {
        tags: ['audit'],
        summary: 'Mark a break-the-glass access reviewed',
        params: z.object({ id: z.string().min(1).max(64) }),
        body: z.object({ note: z.string().max(1000).default('') }),
      },
    },
    async (req, reply) => {
      await reviewBreakGlass(deps, actorOf(req), req.params.id, req.body.note);
      return reply.status(204).send();
    },
  );
}
