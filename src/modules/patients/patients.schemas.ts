import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const isoDateTime = z.iso.datetime({ offset: true, error: 'date-time as ISO 8601 (e.g. 2026-03-01T08:30:00Z)' });

export const AliasSchema = z.object({
  use: z.enum(['alias', 'maiden', 'previous', 'nickname', 'merged']).default('alias'),
  familyName: z.string().trim().min(1).max(100),
  givenName: z.string().trim().min(1).max(100),
  middleName: z.string().trim().max(100).optional(),
});

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
  address: z
    .object({
      line1: z.string().max(200).optional(),
      line2: z.string().max(200).optional(),
      city: z.string().max(100).optional(),
      state: z.string().max(50).optional(),
      postalCode: z.string().max(20).optional(),
    })
    .optional(),
  phone: z.string().max(40).optional(),
  email: z.email().optional(),
  ssn: z
    .string()
    .regex(/^\d{3}-?\d{2}-?\d{4}$/, 'SSN as 123-45-6789')
    .optional(),
  deceasedAt: isoDate.optional(),
  restricted: z.boolean().optional(),
  restrictionReason: z.string().max(200).optional(),
  insurance: z
    .array(
      z.object({
        payerName: z.string().min(1),
        payerId: z.string().optional(),
        planType: z.string().optional(),
        memberId: z.string().min(1),
        groupNumber: z.string().optional(),
        subscriberName: z.string().optional(),
        relationship: z.string().optional(),
      }),
    )
    .max(5)
    .optional(),
  identifiers: z
    .array(z.object({ system: z.string().min(1), value: z.string().min(1), type: z.string().optional() }))
    .max(20)
    .optional(),
  nextOfKin: z
    .array(z.object({ name: z.string().min(1), relationship: z.string().optional(), phone: z.string().optional() }))
    .max(5)
    .optional(),
  /** Other names the patient is known by (maiden, previous, alias), AHIMA MPI recommended core data element. */
  aliases: z.array(AliasSchema).max(20).optional(),
});
export type NewPatient = z.infer<typeof NewPatientSchema>;

const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();

/**
 * A change to a patient: fields left out stay as they are, `null` clears a field. A list (aliases, identifiers,
 * insurance, next of kin) that is present replaces the stored list.
 */
export const PatientUpdateSchema = z.object({
  familyName: z.string().trim().min(1).max(100).optional(),
  givenName: z.string().trim().min(1).max(100).optional(),
  middleName: nullable(z.string().trim().max(100)),
  dateOfBirth: nullable(isoDate),
  sex: z.enum(['M', 'F', 'U', 'X']).optional(),
  race: nullable(z.string().max(50)),
  ethnicity: nullable(z.string().max(50)),
  address: z
    .object({
      line1: nullable(z.string().max(200)),
      line2: nullable(z.string().max(200)),
      city: nullable(z.string().max(100)),
      state: nullable(z.string().max(50)),
      postalCode: nullable(z.string().max(20)),
    })
    .optional(),
  phone: nullable(z.string().max(40)),
  email: nullable(z.email()),
  ssn: nullable(z.string().regex(/^\d{3}-?\d{2}-?\d{4}$/, 'SSN as 123-45-6789')),
  deceasedAt: nullable(isoDate),
  insurance: NewPatientSchema.shape.insurance,
  identifiers: NewPatientSchema.shape.identifiers,
  nextOfKin: NewPatientSchema.shape.nextOfKin,
  aliases: NewPatientSchema.shape.aliases,
});
export type PatientUpdate = z.infer<typeof PatientUpdateSchema>;

/** UB-04 patient discharge status codes are two digits (01 home, 20 expired, ...). */
export const NewEncounterSchema = z.object({
  accountNumber: z.string().min(1).max(40),
  type: z.enum(['inpatient', 'outpatient', 'emergency', 'observation']),
  admitAt: isoDateTime,
  dischargeAt: isoDateTime.optional(),
  attendingProviderId: z.string().optional(),
  admissionSource: z.string().max(2).optional(),
  admissionType: z.string().max(2).optional(),
  dischargeStatus: z
    .string()
    .regex(/^\d{2}$/, 'two-digit UB-04 discharge status')
    .optional(),
  payerName: z.string().max(100).optional(),
  reasonForVisit: z.string().max(200).optional(),
});
export type NewEncounter = z.infer<typeof NewEncounterSchema>;

export const EncounterStatus = { preadmit: 'preadmit', active: 'active', discharged: 'discharged', cancelled: 'cancelled' } as const;
export type EncounterStatus = (typeof EncounterStatus)[keyof typeof EncounterStatus];

/** A change to an encounter: fields left out stay, `null` clears (e.g. a discharge entered by mistake). */
export const EncounterUpdateSchema = z.object({
  type: NewEncounterSchema.shape.type.optional(),
  admitAt: isoDateTime.optional(),
  dischargeAt: nullable(isoDateTime),
  attendingProviderId: nullable(z.string()),
  admissionSource: nullable(z.string().max(2)),
  admissionType: nullable(z.string().max(2)),
  dischargeStatus: nullable(z.string().regex(/^\d{2}$/, 'two-digit UB-04 discharge status')),
  payerName: nullable(z.string().max(100)),
  reasonForVisit: nullable(z.string().max(200)),
  location: nullable(z.string().max(100)),
});
export type EncounterUpdate = z.infer<typeof EncounterUpdateSchema>;

/** Encounter worklists: by status, type, admit or discharge date range, account number. */
export const EncounterSearchSchema = z.object({
  status: z.enum(['preadmit', 'active', 'discharged', 'cancelled']).optional(),
  type: NewEncounterSchema.shape.type.optional(),
  accountNumber: z.string().max(40).optional(),
  admittedFrom: isoDate.optional(),
  admittedTo: isoDate.optional(),
  dischargedFrom: isoDate.optional(),
  dischargedTo: isoDate.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type EncounterSearch = z.infer<typeof EncounterSearchSchema>;

/** A person about to be registered, for the duplicate check (all optional but the names). */
export const MatchQuerySchema = NewPatientSchema.pick({
  familyName: true,
  givenName: true,
  middleName: true,
  dateOfBirth: true,
  sex: true,
  address: true,
  phone: true,
  email: true,
  ssn: true,
}).partial({ sex: true });
export type MatchQuery = z.infer<typeof MatchQuerySchema>;
