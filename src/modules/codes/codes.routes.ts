import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INDEX_KINDS } from '../../core/codesets/types.js';
import { Permission } from '../access/index.js';
import {
  codeDetails,
  defaultEncoderDate,
  defaultDateNotice,
  indexBrowse,
  levelTwoModifiers,
  outpatientReleases,
  pcsBuilder,
  searchEncoder,
  validateCodes,
  type CodesService,
} from './codes.service.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD (the discharge or service date picks the code set)');
const system = z.enum(['cm', 'pcs', 'hcpcs', 'cpt']);

/**
 * The encoder: search, code details, validation of an encounter's codes, the PCS table builder and the index.
 * Code-set content is public reference data (no PHI), so these reads are not audited.
 */
export async function codesRoutes(fastify: FastifyInstance, deps: { codes: CodesService }): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const svc = deps.codes;

  app.get(
    '/api/codes/search',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary:
          'Search ICD-10-CM or ICD-10-PCS by code, words, abbreviations, the Alphabetic Index and the Drug and Neoplasm tables (billable codes first); HCPCS Level II or CPT (licensed import; otherwise format and range only) by code or words',
        querystring: z
          .object({
            q: z.string().trim().min(1).max(200),
            system: system.optional(),
            date: date.optional(),
            limit: z.coerce.number().int().min(1).max(200).default(25),
          })
          .describe('Without a date: today, or the last day of the newest loaded release when none covers today'),
      },
    },
    async (req) =>
      searchEncoder(svc, req.query.q, {
        date: req.query.date ?? defaultEncoderDate(svc, req.query.system),
        limit: req.query.limit,
        ...(req.query.system ? { system: req.query.system } : {}),
      }),
  );

  app.get(
    '/api/codes/releases',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary:
          'The loaded ICD-10-CM, ICD-10-PCS and HCPCS Level II releases and the dates each covers, whether a licensed CPT file is imported, and the date used when a request names none',
      },
    },
    async () => {
      const sets = svc.sets();
      const view = (r: { label: string; effectiveFrom: string; effectiveTo: string }) => ({
        label: r.label,
        effectiveFrom: r.effectiveFrom,
        effectiveTo: r.effectiveTo,
      });
      const notice = defaultDateNotice(svc);
      return {
        cm: sets.cm.map(view),
        pcs: sets.pcs.map(view),
        ...outpatientReleases(svc),
        defaultDate: defaultEncoderDate(svc),
        ...(notice ? { defaultDateNotice: notice } : {}),
      };
    },
  );

  app.get(
    '/api/codes/:system/:code',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary:
          'Code details: title, hierarchy, billable or header, validity dates, 7th characters, instructional notes with their source release, PCS definitions',
        params: z.object({ system, code: z.string().regex(/^[A-Za-z0-9.]{1,8}$/, 'an ICD-10, HCPCS or CPT code, dot optional') }),
        querystring: z.object({ date: date.optional() }),
      },
    },
    async (req) =>
      codeDetails(svc, req.params.code, { date: req.query.date ?? defaultEncoderDate(svc, req.params.system), system: req.params.system }),
  );

  app.get(
    '/api/codes/modifiers',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary: "HCPCS Level II modifiers valid on a date of service (CPT modifiers are the AMA's: two digits, accepted as numbers)",
        querystring: z.object({ date: date.optional() }),
      },
    },
    async (req) => {
      const d = req.query.date ?? defaultEncoderDate(svc, 'hcpcs');
      return { date: d, modifiers: levelTwoModifiers(svc, d) };
    },
  );

  app.post(
    '/api/codes/validate',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary:
          "Check an encounter's codes: unknown or invalid on the date, header codes, missing 7th character, Excludes1 pairs, code first / use additional code reminders",
        body: z.object({
          date,
          diagnoses: z.array(z.string().max(8)).max(100),
          procedures: z.array(z.string().max(8)).max(100).default([]),
        }),
      },
    },
    async (req) => validateCodes(svc, req.body),
  );

  app.get(
    '/api/codes/pcs/builder',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary: 'ICD-10-PCS table builder: the meaning of each chosen character and only the valid values of the next axis',
        querystring: z.object({
          prefix: z
            .string()
            .regex(/^[0-9A-HJ-NP-Za-hj-np-z]{0,7}$/, 'up to 7 PCS characters')
            .default(''),
          date: date.optional(),
        }),
      },
    },
    async (req) => pcsBuilder(svc, { date: req.query.date ?? defaultEncoderDate(svc, 'pcs'), prefix: req.query.prefix.toUpperCase() }),
  );

  app.get(
    '/api/codes/index',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['codes'],
        summary: 'Browse the Alphabetic Index, External Cause Index, Drug and Neoplasm tables: main term -> subterms -> code',
        querystring: z.object({
          kind: z.enum(INDEX_KINDS).optional(),
          path: z.string().max(500).optional(),
          startsWith: z.string().max(100).optional(),
          date: date.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req, reply) => {
      const r = indexBrowse(svc, {
        date: req.query.date ?? defaultEncoderDate(svc),
        limit: req.query.limit,
        ...(req.query.kind ? { kind: req.query.kind } : {}),
        ...(req.query.path
          ? {
              path: req.query.path
                .split('>')
                .map((s) => s.trim())
                .filter(Boolean),
            }
          : {}),
        ...(req.query.startsWith ? { startsWith: req.query.startsWith } : {}),
      });
      if (!r)
        return reply.status(404).type('application/problem+json').send({
          type: 'https://custodian.dev/problems/not_found',
          title: 'Not Found',
          status: 404,
          detail: 'no such index term',
          code: 'not_found',
          instance: '/api/codes/index',
          requestId: req.id,
        });
      return r;
    },
  );
}
