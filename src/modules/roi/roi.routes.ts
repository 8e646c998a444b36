import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { anyOf, Permission } from '../access/index.js';
import { AuthorizationFormSchema } from './roi.authorization.rules.js';
import { deliverRoiRequest, DeliverySchema, downloadRoiPacket } from './roi.delivery.js';
import { roiFhirBundle } from './roi.fhir.js';
import { IdentifiersSchema } from './roi.identifiers.js';
import { buildAccountingLetter } from './roi.packet.js';
import { roiReport, roiReportCsv, roiReportXlsx, RoiReportQuerySchema } from './roi.reports.js';
import {
  answerAccountingRequest,
  denyRoiRequest,
  extendRoiRequest,
  recordRoiPayment,
  releaseRoiRequest,
  revokeAuthorization,
} from './roi.release.js';
import {
  candidateDocuments,
  createRoiRequest,
  getRoiRequest,
  listRoiRequests,
  recordAuthorization,
  selectDocuments,
} from './roi.service.js';
import { DenySchema, ExtendSchema, NewRequestSchema, PaymentSchema, RevokeSchema, SelectSchema, type RoiDeps } from './roi.views.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const Release = z.object({
  postageCents: z.number().int().min(0).max(100_000).optional(),
  flatElectronic: z.boolean().optional(),
  /** The identifiers to find and redact by rule (SSNs when not given). */
  identifiers: IdentifiersSchema.optional(),
});

/** Release of information over HTTP: ids in paths, everything about the patient and requester in bodies. */
export async function roiRoutes(fastify: FastifyInstance, deps: RoiDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['roi'];
  const config = { access: Permission.roiManage };

  app.get(
    '/api/roi/requests',
    {
      config,
      schema: {
        tags,
        summary: 'The ROI queue: open requests first by due date, with days left',
        querystring: z.object({ status: z.enum(['open', 'released', 'denied']).optional() }),
      },
    },
    async (req) => ({ items: await listRoiRequests(deps, actorOf(req), req.query.status ? { status: req.query.status } : {}) }),
  );
  app.post(
    '/api/roi/requests',
    { config, schema: { tags, summary: 'Log a release request (its clock starts on receipt)', body: NewRequestSchema } },
    async (req, reply) => reply.status(201).send(await createRoiRequest(deps, actorOf(req), req.body)),
  );
  app.get(
    '/api/reports/roi',
    {
      config: { access: anyOf(Permission.reportsRead, Permission.roiManage) },
      schema: {
        tags: ['reports'],
        summary: 'ROI turnaround by requester type, backlog, breaches, volumes, denials and revenue (json, csv or xlsx)',
        querystring: RoiReportQuerySchema.extend({ format: z.enum(['json', 'csv', 'xlsx']).optional() }),
      },
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const r = await roiReport(deps, actorOf(req), q);
      if (format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="roi-report.csv"')
          .send(roiReportCsv(r));
      if (format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="roi-report.xlsx"')
          .send(Buffer.from(await roiReportXlsx(r)));
      return r;
    },
  );
  app.get(
    '/api/roi/requests/:id',
    { config, schema: { tags, summary: 'A request with its clock, authorization check and blockers', params: Id } },
    async (req) => getRoiRequest(deps, actorOf(req), req.params.id),
  );
  app.post(
    '/api/roi/requests/:id/authorization',
    {
      config,
      schema: {
        tags,
        summary: 'Record the authorization read from the form and check it (45 CFR 164.508)',
        params: Id,
        body: AuthorizationFormSchema,
      },
    },
    async (req) => recordAuthorization(deps, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/roi/requests/:id/documents',
    { config, schema: { tags, summary: "The record's documents matching the request, each with what the rules hold back", params: Id } },
    async (req) => ({ items: await candidateDocuments(deps, actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/roi/requests/:id/selection',
    { config, schema: { tags, summary: 'Choose the documents to release and the areas to redact', params: Id, body: SelectSchema } },
    async (req) => selectDocuments(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/roi/requests/:id/release',
    { config, schema: { tags, summary: 'Release: the packet PDF; the disclosure and invoice recorded', params: Id, body: Release } },
    async (req, reply) => {
      const r = await releaseRoiRequest(deps, actorOf(req), req.params.id, req.body);
      return reply
        .header('content-type', 'application/pdf')
        .header('x-roi-packet-pages', String(r.request.packetPages ?? 0))
        .send(Buffer.from(r.packet));
    },
  );
  app.post(
    '/api/roi/requests/:id/revoke',
    {
      config,
      schema: { tags, summary: 'The authorization was revoked: a pending release stops (164.508(b)(5))', params: Id, body: RevokeSchema },
    },
    async (req) => revokeAuthorization(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/roi/requests/:id/deny',
    { config, schema: { tags, summary: 'Deny with the reason and review rights (164.524(a)(2)-(4), (d))', params: Id, body: DenySchema } },
    async (req) => denyRoiRequest(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/roi/requests/:id/extend',
    { config, schema: { tags, summary: 'The one extension with its written notice (164.524(b)(2)(ii))', params: Id, body: ExtendSchema } },
    async (req) => extendRoiRequest(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/roi/requests/:id/payment',
    { config, schema: { tags, summary: "Record a payment of the request's invoice", params: Id, body: PaymentSchema } },
    async (req) => recordRoiPayment(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/roi/requests/:id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'How the released packet went out: a secure link (token and passcode answered once), a mailing or a pick-up',
        params: Id,
        body: DeliverySchema,
      },
    },
    async (req, reply) => reply.status(201).send(await deliverRoiRequest(deps, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/roi/requests/:id/fhir-bundle',
    {
      config,
      schema: {
        tags,
        summary: "The individual's released documents as a FHIR R4 Bundle (DocumentReference and Binary each)",
        params: Id,
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', 'application/fhir+json')
        .header('content-disposition', 'attachment; filename="records.fhir.json"')
        .send(JSON.stringify(await roiFhirBundle(deps, actorOf(req), req.params.id))),
  );
  app.post(
    '/api/roi/downloads/:token',
    {
      // The recipient has no account: the link's token and the passcode sent separately are the key (roi.delivery.ts).
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The recipient downloads the released packet with the passcode (limited attempts, audited)',
        params: z.object({ token: z.string().min(20).max(100) }),
        body: z.object({ passcode: z.string().min(1).max(50) }),
      },
    },
    async (req, reply) => {
      const r = await downloadRoiPacket(deps, req.params.token, req.body.passcode);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="records.pdf"')
        .header('cache-control', 'no-store')
        .send(Buffer.from(r.bytes));
    },
  );
  app.post(
    '/api/roi/requests/:id/accounting',
    {
      config,
      schema: {
        tags,
        summary: 'Answer an accounting request: six years of accountable disclosures (164.528); ?format=pdf for the letter',
        params: Id,
        querystring: z.object({ format: z.enum(['json', 'pdf']).optional() }),
      },
    },
    async (req, reply) => {
      const a = await answerAccountingRequest(deps, actorOf(req), req.params.id);
      if (req.query.format !== 'pdf') return a;
      return reply.header('content-type', 'application/pdf').send(Buffer.from(await buildAccountingLetter(a)));
    },
  );
}
