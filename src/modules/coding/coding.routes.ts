import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { AbstractDataSchema } from './coding.rules.js';
import * as abstracts from './coding-abstract.service.js';
import * as saves from './coding-save.service.js';
import * as versions from './coding-versions.service.js';
import * as worklist from './worklist.service.js';
import * as reports from './coding-reports.service.js';
import * as audits from './coding-audit.service.js';
import { getCodingSummaryHtml } from './coding-summary.js';
import type { CodingDeps } from './coding.service.js';

const tags = ['coding'];

const Id = z.object({ id: z.string().min(1).max(64) });
const Abstract = z.object({ data: AbstractDataSchema, expectedVersion: z.number().int().min(0).optional() });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const Range = z.object({ from: Day.optional(), to: Day.optional() });
const WorklistQuery = z.object({
  type: z.enum(['inpatient', 'outpatient', 'emergency', 'observation']).optional(),
  payer: z.string().max(100).optional(),
  assignee: z.string().max(64).optional(),
  queryStatus: z.enum(['open', 'escalated', 'answered', 'none']).optional(),
  status: z.enum(['not_started', 'draft']).optional(),
  minDays: z.coerce.number().int().min(0).optional(),
  maxDays: z.coerce.number().int().min(0).optional(),
  sort: z.enum(worklist.WorklistSort).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

/** The coding workspace over HTTP: worklist, abstracting, final coding, audits, reports (the encoder is /api/codes). */
export async function codingRoutes(fastify: FastifyInstance, deps: CodingDeps): Promise<void> {
  registerWorklistRoutes(fastify, deps);
  registerAssignmentRoutes(fastify, deps);
  registerAbstractReadRoutes(fastify, deps);
  registerAbstractSaveRoutes(fastify, deps);
  registerVersionRoutes(fastify, deps);
  registerSummaryRoute(fastify, deps);
  registerAuditRoutes(fastify, deps);
  registerAuditWorkspaceRoutes(fastify, deps);
  registerReportRoutes(fastify, deps);
}

/** The DNFB worklist: list, search (a POST, so the words stay out of URLs) and "claim next". */
function registerWorklistRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/worklist',
    {
      config: { access: Permission.codingRead },
      schema: {
        tags,
        summary: 'The coding worklist (DNFB): discharged encounters not final-coded',
        querystring: WorklistQuery,
      },
    },
    async (req) => worklist.listWorklist(deps, actorOf(req), req.query),
  );

  app.post(
    '/api/coding/worklist/search',
    {
      config: { access: Permission.codingRead },
      schema: {
        tags,
        summary: 'The coding worklist searched by patient name, MRN or account (a POST: search words stay out of URLs)',
        body: WorklistQuery.extend({ text: z.string().max(100).optional() }),
      },
    },
    async (req) => worklist.listWorklist(deps, actorOf(req), req.body),
  );

  app.post(
    '/api/coding/worklist/claim-next',
    {
      config: { access: Permission.codingWrite },
      schema: {
        tags,
        summary: 'Claim the next encounter to code (own unfinished work first, then the oldest unassigned)',
        body: z.object({
          type: z.enum(['inpatient', 'outpatient', 'emergency', 'observation']).optional(),
          /** The encounter on screen, passed over ("next encounter" from the abstracting page). */
          skip: z.string().min(1).max(64).optional(),
        }),
      },
    },
    async (req) => ({ item: await worklist.claimNext(deps, actorOf(req), req.body) }),
  );
}

/** Assignment: the coders to choose from and assigning an encounter. */
function registerAssignmentRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/coders',
    {
      config: { access: Permission.codingAssign },
      schema: { tags, summary: 'Active coders, for assignment' },
    },
    async (req) => ({ items: await worklist.listCoders(deps, actorOf(req)) }),
  );

  app.post(
    '/api/coding/encounters/:id/assign',
    {
      config: { access: Permission.codingAssign },
      schema: {
        tags,
        summary: 'Assign an encounter to a coder (null unassigns)',
        params: Id,
        body: z.object({ userId: z.string().min(1).max(64).nullable() }),
      },
    },
    async (req) => worklist.assignEncounter(deps, actorOf(req), req.params.id, req.body.userId),
  );
}

/** Opening an encounter in the abstracting workspace, its restriction status and live feedback. */
function registerAbstractReadRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/encounters/:id',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: 'Open an encounter in the abstracting workspace', params: Id },
    },
    async (req) => abstracts.getAbstract(deps, actorOf(req), req.params.id),
  );

  app.get(
    '/api/coding/encounters/:id/access',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: 'Whether the record is restricted and open to this user (ids only), to offer break-the-glass', params: Id },
    },
    async (req) => abstracts.getEncounterAccess(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/coding/encounters/:id/feedback',
    {
      config: { access: Permission.codingRead },
      schema: {
        tags,
        summary: 'Live feedback: workspace rules, code-set validation, MCE edits, working MS-DRG with explanation, what-if',
        params: Id,
        body: z.object({ data: AbstractDataSchema }),
      },
    },
    async (req) => abstracts.getFeedback(deps, actorOf(req), req.params.id, req.body.data),
  );
}

/** Changing the abstract: save a draft, final-code, reopen with a reason. */
function registerAbstractSaveRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.put(
    '/api/coding/encounters/:id/draft',
    {
      config: { access: Permission.codingWrite },
      schema: { tags, summary: 'Save a draft of the abstract (any time; a new version)', params: Id, body: Abstract },
    },
    async (req) => saves.saveDraft(deps, actorOf(req), req.params.id, req.body.data, req.body.expectedVersion),
  );

  app.post(
    '/api/coding/encounters/:id/final',
    {
      config: { access: Permission.codingWrite },
      schema: {
        tags,
        summary: 'Final-code: refused while anything blocks; locks the abstract and stamps coder and time',
        params: Id,
        body: Abstract.partial(),
      },
    },
    async (req) => saves.finalCode(deps, actorOf(req), req.params.id, req.body.data, req.body.expectedVersion),
  );

  app.post(
    '/api/coding/encounters/:id/reopen',
    {
      config: { access: Permission.codingWrite },
      schema: {
        tags,
        summary: 'Reopen a final-coded abstract, with a reason (audited)',
        params: Id,
        body: z.object({ reason: z.string().min(10, 'give a reason of at least 10 characters').max(500) }),
      },
    },
    async (req) => saves.reopenAbstract(deps, actorOf(req), req.params.id, req.body.reason),
  );
}

/** The abstract's version history. */
function registerVersionRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/encounters/:id/versions',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: 'Every saved version of the abstract, newest first', params: Id },
    },
    async (req) => ({ items: await versions.listAbstractVersions(deps, actorOf(req), req.params.id) }),
  );

  app.get(
    '/api/coding/encounters/:id/versions/:version',
    {
      config: { access: Permission.codingRead },
      schema: {
        tags,
        summary: 'One version of the abstract with its codes',
        params: Id.extend({ version: z.coerce.number().int().min(1) }),
      },
    },
    async (req) => versions.getAbstractVersion(deps, actorOf(req), req.params.id, req.params.version),
  );
}

/** The printable coding summary. */
function registerSummaryRoute(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/encounters/:id/summary',
    {
      config: { access: Permission.codingRead },
      schema: { tags, summary: 'Printable coding summary (HTML page)', params: Id },
    },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await getCodingSummaryHtml(deps, actorOf(req), req.params.id)),
  );
}

/** Coding quality audits: the encounters to audit, and starting a blind re-abstraction of one. */
function registerAuditRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/audits',
    {
      config: { access: Permission.codingAudit },
      schema: { tags, summary: "Final-coded encounters to audit, with this auditor's audits" },
    },
    async (req) => ({ items: await audits.listAuditCandidates(deps, actorOf(req)) }),
  );

  app.post(
    '/api/coding/encounters/:id/audits',
    {
      config: { access: Permission.codingAudit },
      schema: {
        tags,
        summary: 'Start (or resume) a blind re-abstraction of a final-coded encounter',
        params: Id,
        body: z.object({}).optional(),
      },
    },
    async (req) => audits.startAudit(deps, actorOf(req), req.params.id),
  );
}

/** The audit workspace: the auditor's re-abstraction, its live feedback, saving and submitting it. */
function registerAuditWorkspaceRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/coding/audits/:id',
    {
      config: { access: Permission.codingAudit },
      schema: { tags, summary: "The audit workspace (the coder's codes only after submission)", params: Id },
    },
    async (req) => audits.getAudit(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/coding/audits/:id/feedback',
    {
      config: { access: Permission.codingAudit },
      schema: { tags, summary: "Live feedback on the auditor's codes", params: Id, body: z.object({ data: AbstractDataSchema }) },
    },
    async (req) => audits.getAuditFeedback(deps, actorOf(req), req.params.id, req.body.data),
  );

  app.put(
    '/api/coding/audits/:id',
    {
      config: { access: Permission.codingAudit },
      schema: {
        tags,
        summary: "Save the auditor's re-abstraction; submit: true closes it and answers the code-level agreement",
        params: Id,
        body: z.object({ data: AbstractDataSchema, submit: z.boolean().default(false) }),
      },
    },
    async (req) => audits.saveAudit(deps, actorOf(req), req.params.id, req.body.data, req.body.submit),
  );
}

/** The director's coding reports: DNFB totals, productivity, quality. */
function registerReportRoutes(fastify: FastifyInstance, deps: CodingDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/reports/coding/dnfb',
    {
      config: { access: Permission.reportsRead },
      schema: { tags: ['reports'], summary: 'DNFB totals by age bucket, coder and type' },
    },
    async (req) => worklist.dnfbTotals(deps, actorOf(req)),
  );

  app.get(
    '/api/reports/coding/productivity',
    {
      config: { access: Permission.reportsRead },
      schema: { tags: ['reports'], summary: 'Encounters final-coded per day and hour, by type and coder', querystring: Range },
    },
    async (req) => reports.productivityReport(deps, actorOf(req), req.query),
  );

  app.get(
    '/api/reports/coding/quality',
    {
      config: { access: Permission.reportsRead },
      schema: { tags: ['reports'], summary: 'DRG change rate after query; audit agreement and re-coding after audit', querystring: Range },
    },
    async (req) => reports.qualityReport(deps, actorOf(req), req.query),
  );
}
