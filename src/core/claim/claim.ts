import { z } from 'zod';
import { isCalendarDate } from './calendar-date.js';

export { isCalendarDate };

/**
 * An inpatient claim as the MS-DRG grouper and the Medicare Code Editor read it
 * (the line format of ../shared/grouper-cases/dev/claims.jsonl). Codes have no dots.
 */
export const PoaSchema = z.enum(['Y', 'N', 'U', 'W', '1', '']);
export type Poa = z.infer<typeof PoaSchema>;

const DxSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9]{3,7}$/, 'ICD-10-CM code of 3 to 7 letters or digits, without a dot'),
  poa: PoaSchema.default(''),
});

export const ClaimSchema = z.object({
  id: z.string().min(1).max(64),
  grouperVersion: z
    .string()
    .regex(/^\d{2}\.\d$/)
    .optional(),
  ageYears: z.number().int().min(0).max(124),
  ageDaysAdmit: z.number().int().min(0).max(365).optional(),
  ageDaysDischarge: z.number().int().min(0).max(365).optional(),
  sex: z.enum(['M', 'F', 'U']),
  dischargeStatus: z.number().int().min(0).max(99),
  principalDx: DxSchema,
  admitDx: z.object({ code: z.string() }).optional(),
  secondaryDx: z.array(DxSchema).max(100).default([]),
  procedures: z
    .array(z.object({ code: z.string().regex(/^[A-Za-z0-9]{7}$/, 'ICD-10-PCS code of 7 characters') }))
    .max(100)
    .default([]),
  dischargeDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
    .refine(isCalendarDate, 'not a calendar date (month 01-12, a day that month has)')
    .optional(),
  lengthOfStay: z.number().int().min(0).optional(),
});
export type Claim = z.infer<typeof ClaimSchema>;
export type ClaimDx = Claim['principalDx'];
