import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ClaimSchema } from '../../core/claim/claim.js';
import { isDomainError } from '../../core/errors.js';
import { Permission } from '../access/index.js';
import { parseClaim, type GroupingService } from './grouping.service.js';

/**
 * MS-DRG grouping and the Medicare Code Editor over HTTP. Claims are passed in and nothing is stored, so these
 * routes read no patient record and write no audit event; the coding workspace, which does read records,
 * calls the same service and audits there.
 */
export async function groupingRoutes(fastify: FastifyInstance, deps: { grouping: GroupingService }): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const svc = deps.grouping;

  app.post(
    '/api/grouper/group',
    {
      config: { access: Permission.grouperRun },
      schema: { tags: ['grouper'], summary: 'Group one claim: MS-DRG with explanation, and the MCE edits', body: ClaimSchema },
    },
    async (req) => svc.groupEncounter(req.body),
  );

  app.post(
    '/api/grouper/batch',
    {
      config: { access: Permission.grouperRun },
      schema: {
        tags: ['grouper'],
        summary: 'Group up to 1,000 claims; each item answers a result or an error, and one bad claim does not stop the rest',
        body: z.object({ claims: z.array(z.unknown()).min(1).max(1000) }),
      },
    },
    async (req) => {
      const results = [];
      for (const [index, raw] of req.body.claims.entries()) {
        try {
          const claim = parseClaim(raw);
          const r = await svc.groupEncounter(claim);
          results.push({ index, id: claim.id, ok: true as const, grouperVersion: r.grouperVersion, grouper: r.grouper, mce: r.mce });
        } catch (e) {
          const id =
            typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
          if (!isDomainError(e)) throw e;
          results.push({ index, id, ok: false as const, error: e.message });
        }
      }
      return { results };
    },
  );

  app.post(
    '/api/mce/edit',
    {
      config: { access: Permission.grouperRun },
      schema: { tags: ['grouper'], summary: 'Run the Medicare Code Editor on one claim', body: ClaimSchema },
    },
    async (req) => svc.editEncounter(req.body),
  );

  app.post(
    '/api/grouper/what-if',
    {
      config: { access: Permission.grouperRun },
      schema: {
        tags: ['grouper'],
        summary:
          'The DRG with each secondary diagnosis or procedure removed, and with candidate codes added (to see which documentation matters; never advice to add codes the record does not support)',
        body: z.object({
          claim: ClaimSchema,
          candidates: z
            .object({
              secondaryDx: z
                .array(z.string().regex(/^[A-Za-z0-9]{3,7}$/))
                .max(50)
                .optional(),
              procedures: z
                .array(z.string().regex(/^[A-Za-z0-9]{7}$/))
                .max(50)
                .optional(),
            })
            .optional(),
        }),
      },
    },
    async (req) => svc.whatIf(req.body.claim, req.body.candidates),
  );

  app.get(
    '/api/grouper/versions',
    {
      config: { access: Permission.grouperRun },
      schema: { tags: ['grouper'], summary: 'MS-DRG versions available in the data directory' },
    },
    async () => ({ versions: svc.versions() }),
  );
}
