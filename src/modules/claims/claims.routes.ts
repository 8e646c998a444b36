import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { AGE_BUCKETS } from './claims-remit.rules.js';
import { arAgeing, denialsWorklist, resolveUnmatched, unmatchedQueue } from './claims-receivables.service.js';
import { postRemittance, reversePosting } from './claims-remit.service.js';
import { recordAcknowledgement } from './claims-ack.service.js';
import { buildCorrectedClaim, buildSecondaryClaim, postUnmatchedToClaim } from './claims-correct.service.js';
import {
  claimDetail,
  claimFormPdf,
  DenialAction,
  listClaims,
  listPayers,
  ScrubFilter,
  unbilledEncounters,
  workDenial,
} from './claims-work.service.js';
import { buildClaim, exportClaims, type ClaimsDeps } from './claims.service.js';
import { x12PartiesOf } from './claims-x12-parties.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const EncounterId = z.object({ encounterId: z.string().min(1).max(64) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const Kind = z.enum(['837I', '837P']);
const X12Id = z
  .string()
  .regex(/^[A-Za-z0-9 ]{1,15}$/, 'letters, digits and spaces, at most 15')
  .optional();
/** An X12 file as text in a JSON body (the browser reads the upload as text). */
const FileBody = z.object({
  text: z
    .string()
    .min(1)
    .max(16 * 1024 * 1024),
});
const FILE_BODY_LIMIT = 20 * 1024 * 1024;

const ClaimsQuery = z.object({
  status: z.enum(['draft', 'ready', 'released']).optional(),
  kind: Kind.optional(),
  payerId: z.string().min(1).max(64).optional(),
  scrub: z.enum([ScrubFilter.errors, ScrubFilter.warnings, ScrubFilter.clean, ScrubFilter.rejected]).optional(),
});
const BuildBody = z.object({ kind: Kind, benefitOrder: z.number().int().min(1).max(9).optional() });
const ReleaseBody = z.object({
  kind: Kind,
  from: Day.optional(),
  to: Day.optional(),
  senderId: X12Id,
  receiverId: X12Id,
  receiverName: z.string().min(1).max(60).optional(),
  usage: z.enum(['T', 'P']).optional(),
});
const DenialsQuery = z.object({
  group: z.enum(['CO', 'PR', 'OA', 'PI', 'CR']).optional(),
  payerId: z.string().min(1).max(64).optional(),
  workStatus: z.enum(['open', 'appealed', 'resubmitted', 'written_off', 'closed']).optional(),
});
const DenialStepBody = z.object({
  action: z.enum([
    DenialAction.note,
    DenialAction.appeal,
    DenialAction.resubmit,
    DenialAction.writeOff,
    DenialAction.close,
    DenialAction.reopen,
  ]),
  note: z.string().min(1).max(2000),
  amountCents: z.number().int().positive().max(1_000_000_000).optional(),
});

/**
 * Claims and remittance over HTTP (issue 20): the claim edit worklist, one claim, building and releasing claims,
 * loading 835 and 999/277CA files, the denials worklist, A/R ageing and the unmatched-remittance queue. Ids in paths,
 * files in JSON bodies; everything goes to the services (record access, audit) as it is.
 */
export async function claimsRoutes(fastify: FastifyInstance, deps: ClaimsDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['claims'];
  const config = { access: Permission.claimManage };

  app.get(
    '/api/claims',
    {
      config,
      schema: { tags, summary: 'The claim edit worklist: claims with payer and scrub findings, filtered', querystring: ClaimsQuery },
    },
    async (req) => ({ items: await listClaims(deps, actorOf(req), req.query) }),
  );
  app.get('/api/claims/payers', { config, schema: { tags, summary: 'Payers (reference data)' } }, async (req) => ({
    items: await listPayers(deps, actorOf(req)),
  }));
  app.get('/api/claims/unbilled', { config, schema: { tags, summary: 'Final-coded encounters without a claim yet' } }, async (req) => ({
    items: await unbilledEncounters(deps, actorOf(req)),
  }));
  app.post(
    '/api/claims/encounters/:encounterId/build',
    {
      config,
      schema: {
        tags,
        summary: "Build (or rebuild) and scrub an encounter's claim: ready when clean, draft with findings",
        params: EncounterId,
        body: BuildBody,
      },
    },
    async (req) => {
      const built = await buildClaim(deps, actorOf(req), req.params.encounterId, req.body);
      return { ...built, errors: built.findings.filter((f) => f.severity === 'error').length };
    },
  );
  app.post(
    '/api/claims/release',
    {
      config,
      schema: {
        tags,
        summary: 'Release every ready claim of one kind in one 837 interchange (the file comes back as text)',
        body: ReleaseBody,
      },
    },
    async (req) => {
      const b = req.body;
      const r = await exportClaims(deps, actorOf(req), {
        kind: b.kind,
        from: b.from,
        to: b.to,
        ...x12PartiesOf(deps, b),
        usage: b.usage ?? 'T',
      });
      const file = r.interchangeControlNumber ? `${b.kind.toLowerCase()}-${r.interchangeControlNumber}.x12` : null;
      return { ...r, fileName: file, released: r.claims.filter((c) => c.ok).length, refused: r.claims.filter((c) => !c.ok).length };
    },
  );
  app.get(
    '/api/claims/denials',
    { config, schema: { tags, summary: 'The denials worklist by CAS group and payer, with the work status', querystring: DenialsQuery } },
    async (req) => ({ items: await denialsWorklist(deps, actorOf(req), req.query) }),
  );
  app.get(
    '/api/claims/ar',
    {
      config,
      schema: { tags, summary: 'Accounts receivable by payer and days since release', querystring: z.object({ asOf: Day.optional() }) },
    },
    async (req) => {
      const asOf = req.query.asOf ?? deps.clock.now().toISOString().slice(0, 10);
      return { asOf, buckets: AGE_BUCKETS, items: await arAgeing(deps, actorOf(req), asOf) };
    },
  );
  app.get(
    '/api/claims/:id',
    { config, schema: { tags, summary: 'A claim with its lines, scrub findings, postings, acknowledgements and denial work', params: Id } },
    async (req) => claimDetail(deps, actorOf(req), req.params.id),
  );
  app.get(
    '/api/claims/:id/form',
    {
      config,
      schema: {
        tags,
        summary: 'The claim as a UB-04 (837I) or CMS-1500 (837P) PDF on the red form, or its data only (mode=data)',
        params: Id,
        querystring: z.object({ mode: z.enum(['form', 'data']).optional() }),
      },
    },
    async (req, reply) => {
      const pdf = await claimFormPdf(deps, actorOf(req), req.params.id, req.query.mode ?? 'form');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'attachment; filename="claim-form.pdf"')
        .send(Buffer.from(pdf));
    },
  );
  app.post(
    '/api/claims/:id/rebuild',
    { config, schema: { tags, summary: 'Rebuild and scrub a claim not yet released (after the codes or charges were fixed)', params: Id } },
    async (req) => {
      const actor = actorOf(req);
      const c = await claimDetail(deps, actor, req.params.id);
      const built = await buildClaim(deps, actor, c.encounterId, { kind: c.kind as '837I' | '837P', benefitOrder: c.benefitOrder });
      return { ...built, errors: built.findings.filter((f) => f.severity === 'error').length };
    },
  );
  app.post(
    '/api/claims/:id/correct',
    {
      config,
      schema: {
        tags,
        summary: 'Build the replacement (frequency 7) or void (8) of a released claim the payer paid or denied (REF*F8)',
        params: Id,
        body: z.object({ frequency: z.enum(['7', '8']) }),
      },
    },
    async (req) => {
      const built = await buildCorrectedClaim(deps, actorOf(req), req.params.id, req.body.frequency);
      return { ...built, errors: built.findings.filter((f) => f.severity === 'error').length };
    },
  );
  app.post(
    '/api/claims/:id/secondary',
    {
      config,
      schema: {
        tags,
        summary: "Build the claim to the next payer with this claim's posted payment and adjustments (2320/2430)",
        params: Id,
      },
    },
    async (req) => {
      const built = await buildSecondaryClaim(deps, actorOf(req), req.params.id);
      return { ...built, errors: built.findings.filter((f) => f.severity === 'error').length };
    },
  );
  app.post(
    '/api/claims/:id/denial-work',
    {
      config,
      schema: {
        tags,
        summary: 'Work a denial: a note, an appeal, a corrected claim sent, a write-off, close or reopen',
        params: Id,
        body: DenialStepBody,
      },
    },
    async (req) => workDenial(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/remittance/835',
    {
      config,
      bodyLimit: FILE_BODY_LIMIT,
      schema: { tags, summary: 'Load an 835 and post it: per payment and per claim results (all or nothing per file)', body: FileBody },
    },
    async (req) => postRemittance(deps, actorOf(req), req.body.text),
  );
  app.post(
    '/api/remittance/acknowledgements',
    {
      config,
      bodyLimit: FILE_BODY_LIMIT,
      schema: { tags, summary: 'Load a 999/997, TA1 or 277CA file: accepted/rejected per claim', body: FileBody },
    },
    async (req) => recordAcknowledgement(deps, actorOf(req), req.body.text),
  );
  app.post(
    '/api/remittance/postings/:id/reverse',
    {
      config,
      schema: { tags, summary: 'Reverse one posting with a reason', params: Id, body: z.object({ reason: z.string().min(1).max(500) }) },
    },
    async (req) => reversePosting(deps, actorOf(req), req.params.id, req.body.reason),
  );
  app.get(
    '/api/remittance/unmatched',
    { config, schema: { tags, summary: 'Remittance that matched no claim, oldest first' } },
    async (req) => ({
      items: await unmatchedQueue(deps, actorOf(req)),
    }),
  );
  app.post(
    '/api/remittance/unmatched/:id/post',
    {
      config,
      schema: {
        tags,
        summary: 'Post a queued CLP to the claim named, or to the released claim with its patient control number',
        params: Id,
        body: z.object({ claimId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => postUnmatchedToClaim(deps, actorOf(req), req.params.id, req.body.claimId),
  );
  app.post(
    '/api/remittance/unmatched/:id/resolve',
    {
      config,
      schema: {
        tags,
        summary: 'Close an unmatched remittance with what was done',
        params: Id,
        body: z.object({ resolution: z.string().min(1).max(2000) }),
      },
    },
    async (req, reply) => {
      await resolveUnmatched(deps, actorOf(req), req.params.id, req.body.resolution);
      return reply.status(204).send();
    },
  );
}
