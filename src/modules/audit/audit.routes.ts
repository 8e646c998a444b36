import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, type AppDeps } from '../../http/context.js';
import { Permission, requirePermission } from '../access/index.js';
import { listBreakGlass, reviewBreakGlass } from '../patients/index.js';
import { AuditAction, exportAuditCsv, queryAuditEvents, recordAudit, verifyAuditChain } from './audit.service.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'date as YYYY-MM-DD');
const Filter = z.object({
  patientId: z.string().max(64).optional(),
  userId: z.string().max(64).optional(),
  action: z.string().max(40).optional(),
  from: day.optional(),
  to: day.optional(),
});
/** `to` is inclusive of the whole day when only a date is given. */
function toFilter(q: z.infer<typeof Filter>) {
  const to = q.to && q.to.length === 10 ? new Date(Date.parse(q.to) + 86_400_000).toISOString().slice(0, 10) : q.to;
  return { ...q, ...(to ? { to } : {}) };
}

/** Audit log queries, CSV export, chain verification and break-the-glass review. */
export async function auditRoutes(fastify: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/audit/events', {
    config: { access: Permission.auditRead },
    schema: { tags: ['audit'], summary: 'Audit events: by patient ("who looked at my record"), by user, by date range', querystring: Filter.extend({
      order: z.enum(['asc', 'desc']).default('asc'),
      afterSeq: z.coerce.number().int().min(0).optional(),
      beforeSeq: z.coerce.number().int().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }) },
  }, async (req) => {
    const actor = actorOf(req);
    await requirePermission(deps, actor, Permission.auditRead, { type: 'audit' });
    const { limit, afterSeq, beforeSeq, order, ...f } = req.query;
    const items = await queryAuditEvents(deps.db, { ...toFilter(f), order, ...(afterSeq !== undefined ? { afterSeq } : {}), ...(beforeSeq !== undefined ? { beforeSeq } : {}) }, limit);
    // Reading the audit trail about a patient is itself a disclosure-relevant access: audit it.
    await deps.db.transaction().execute((trx) => recordAudit(trx, deps.audit, actor, { action: AuditAction.read, resourceType: 'audit_log', patientId: f.patientId ?? null, outcome: 'success', detail: { resultCount: items.length } }));
    // The cursor for the next page: pass it as afterSeq (oldest first) or beforeSeq (newest first).
    const next = items.length === limit ? items[items.length - 1]!.seq : null;
    return { items, nextAfterSeq: order === 'asc' ? next : null, nextBeforeSeq: order === 'desc' ? next : null };
  });

  app.get('/api/audit/events.csv', {
    config: { access: Permission.auditRead },
    schema: { tags: ['audit'], summary: 'Audit events as CSV', querystring: Filter },
  }, async (req, reply) => {
    const actor = actorOf(req);
    await requirePermission(deps, actor, Permission.auditRead, { type: 'audit' });
    await deps.db.transaction().execute((trx) => recordAudit(trx, deps.audit, actor, { action: AuditAction.export, resourceType: 'audit_log', patientId: req.query.patientId ?? null, outcome: 'success' }));
    reply.header('content-disposition', 'attachment; filename="audit-events.csv"').type('text/csv; charset=utf-8');
    return reply.send(Readable.from(exportAuditCsv(deps.db, toFilter(req.query))));
  });

  app.post('/api/audit/verify', {
    config: { access: Permission.auditVerify },
    schema: { tags: ['audit'], summary: 'Walk the hash chain and name the first broken link' },
  }, async (req) => {
    const actor = actorOf(req);
    await requirePermission(deps, actor, Permission.auditVerify, { type: 'audit' });
    const result = await verifyAuditChain(deps.db);
    await deps.db.transaction().execute((trx) => recordAudit(trx, deps.audit, actor, { action: AuditAction.verify, resourceType: 'audit_log', outcome: result.ok ? 'success' : 'failure', detail: { checked: result.checked } }));
    return result;
  });

  app.get('/api/audit/break-glass', {
    config: { access: Permission.breakGlassReview },
    schema: { tags: ['audit'], summary: 'Break-the-glass accesses for review', querystring: z.object({ unreviewed: z.enum(['true', 'false']).optional() }) },
  }, async (req) => ({ items: await listBreakGlass(deps, actorOf(req), { unreviewedOnly: req.query.unreviewed === 'true' }) }));

  app.post('/api/audit/break-glass/:id/review', {
    config: { access: Permission.breakGlassReview },
    schema: { tags: ['audit'], summary: 'Mark a break-the-glass access reviewed', params: z.object({ id: z.string().min(1).max(64) }), body: z.object({ note: z.string().max(1000).default('') }) },
  }, async (req, reply) => {
    await reviewBreakGlass(deps, actorOf(req), req.params.id, req.body.note);
    return reply.status(204).send();
  });
}
