import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const isoDateTime = z.string().datetime({ offset: true, message: 'date-time as ISO 8601 (e.g. 2026-03-01T08:30:00Z)' });

export const NewPatientSchema = z.object({
  facilityId: z.string().min(1),
  familyName: z.string().trim().min(1).max(100),
  givenName: z.string().trim().min(1).max(100),
  middleName: z.string().trim().max(100).optional(),
  dateOfBirth: isoDate.optional(),
  /** UHDDS sex: M, F, U (unknown), X (non-binary where the state allows). */
  sex: z.enum(['M', 'F', 'U', 'X']),
  race: z.string().max(50).optional(),
  ethnicity: z.string().max(50).optional(),
  address: z.object({ line1: z.string().max(200).optional(), line2: z.string().max(200).optional(), city: z.string().max(100).optional(), state: z.string().max(50).optional(), postalCode: z.string().max(20).optional() }).optional(),
  phone: z.string().max(40).optional(),
  email: z.string().email().optional(),
  ssn: z.string().regex(/^\d{3}-?\d{2}-?\d{4}$/, 'SSN as 123-45-6789').optional(),
  deceasedAt: isoDate.optional(),
  restricted: z.boolean().optional(),
  restrictionReason: z.string().max(200).optional(),
  insurance: z.array(z.object({ payerName: z.string().min(1), payerId: z.string().optional(), planType: z.string().optional(), memberId: z.string().min(1), groupNumber: z.string().optional(), subscriberName: z.string().optional(), relationship: z.string().optional() })).max(5).optional(),
  identifiers: z.array(z.object({ system: z.string().min(1), value: z.string().min(1), type: z.string().optional() })).max(20).optional(),
  nextOfKin: z.array(z.object({ name: z.string().min(1), relationship: z.string().optional(), phone: z.string().optional() })).max(5).optional(),
});
export type NewPatient = z.infer<typeof NewPatientSchema>;

/** UB-04 patient discharge status codes are two digits (01 home, 20 expired, ...). */
export const NewEncounterSchema = z.object({
  accountNumber: z.string().min(1).max(40),
  type: z.enum(['inpatient', 'outpatient', 'emergency', 'observation']),
  admitAt: isoDateTime,
  dischargeAt: isoDateTime.optional(),
  attendingProviderId: z.string().optional(),
  admissionSource: z.string().max(2).optional(),
  admissionType: z.string().max(2).optional(),
  dischargeStatus: z.string().regex(/^\d{2}$/, 'two-digit UB-04 discharge status').optional(),
  payerName: z.string().max(100).optional(),
  reasonForVisit: z.string().max(200).optional(),
});
export type NewEncounter = z.infer<typeof NewEncounterSchema>;
