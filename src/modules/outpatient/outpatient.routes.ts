import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Permission } from '../access/index.js';
import { MDM_LEVELS } from './outpatient.rules.js';
import { checkOutpatientCodes } from './outpatient.service.js';
import { outpatientAbstractRoutes } from './outpatient-abstract.routes.js';
import type { OutpatientAbstractDeps } from './outpatient-abstract.service.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date of service as YYYY-MM-DD');
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{5}$/, 'a HCPCS Level II or CPT code (5 characters)');
const mdm = z.enum(MDM_LEVELS).optional();

/**
 * The outpatient check: codes, units and dates in, edits out. It carries no patient data (no ids, names or
 * record), so it is not audited. The stored abstract's routes (outpatient-abstract.routes.ts) open the record.
 */
export async function outpatientRoutes(fastify: FastifyInstance, deps: OutpatientAbstractDeps): Promise<void> {
  outpatientAbstractRoutes(fastify, deps);
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/outpatient/check',
    {
      config: { access: Permission.codesRead },
      schema: {
        tags: ['outpatient'],
        summary:
          "Check an outpatient encounter's codes: ICD-10-CM Section IV, service-line edits, NCCI PTP and MUE (when imported), APC from Addendum B (when imported), E/M level from MDM or time",
        body: z.object({
          side: z.enum(['facility', 'professional']),
          diagnoses: z
            .array(
              z.object({
                code: z
                  .string()
                  .trim()
                  .regex(/^[A-Za-z0-9.]{3,8}$/),
                uncertain: z.boolean().optional(),
              }),
            )
            .max(12),
          lines: z
            .array(
              z.object({
                code,
                modifiers: z
                  .array(
                    z
                      .string()
                      .trim()
                      .regex(/^[A-Za-z0-9]{2}$/, 'a modifier: two characters'),
                  )
                  .max(8)
                  .default([]),
                units: z.number().int().max(99999),
                dateOfService: date,
                pointers: z.array(z.number().int()).max(8).default([]),
                revenueCode: z.string().trim().max(4).optional(),
              }),
            )
            .max(450),
          em: z
            .object({
              category: z.enum(['office-new', 'office-established', 'emergency', 'hospital-initial', 'hospital-subsequent']),
              problems: mdm,
              data: mdm,
              risk: mdm,
              totalMinutes: z.number().int().min(0).max(1440).optional(),
            })
            .optional(),
        }),
      },
    },
    async (req) =>
      checkOutpatientCodes(deps.codes, {
        ...req.body,
        diagnoses: req.body.diagnoses.map((d) => ({
          code: d.code.replace(/\./g, '').toUpperCase(),
          ...(d.uncertain ? { uncertain: true } : {}),
        })),
      }),
  );
}
