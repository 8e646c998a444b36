/**
 * The data a claim is built from: payers, the facility's billing provider, chargemaster items (reference data,
 * `claim:manage`), a patient's coverages and an encounter's charges (patient data, through the record-access step).
 * Inputs are parsed with zod here, the one edge both the CLI and later HTTP routes pass through.
 */
import { z } from 'zod';
import { isCalendarDate } from '../../core/claim/claim.js';
import { invalidField, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { digitsOnly, isValidNpi } from '../../core/x12/x12-text.js';
import { Permission, requirePermission, scopeDetail, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './claims.repository.js';
import type { ClaimsDeps } from './claims.service.js';

const Day = z.string().refine(isCalendarDate, 'a date as YYYY-MM-DD');
const Npi = z.string().refine(isValidNpi, 'not a valid NPI (ten digits with the check digit)');
const State = z.string().regex(/^[A-Z]{2}$/, 'two-letter state code');
const Zip = z.string().refine((z) => [5, 9].includes(digitsOnly(z).length), 'five or nine digits');

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw invalidField(issue?.path.join('.') || 'input', issue?.message ?? 'invalid');
}

async function reference(
  deps: ClaimsDeps,
  actor: Actor,
  type: string,
  id: string,
  write: (trx: ClaimsDeps['db']) => Promise<unknown>,
): Promise<void> {
  if (!actor.system) await requirePermission(deps, actor, Permission.claimManage, { type });
  await deps.db.transaction().execute(async (trx) => {
    await write(trx);
    await recordAudit(trx, deps.audit, actor, { action: AuditAction.create, resourceType: type, resourceId: id, outcome: 'success' });
  });
}

export const PayerSchema = z.object({
  name: z.string().trim().min(1).max(60),
  payerId: z.string().trim().min(2).max(80),
  claimFilingIndicator: z.string().regex(/^[0-9A-Z]{2}$/, 'SBR09 code such as MA, MB, MC, CI, BL'),
});

export async function addPayer(deps: ClaimsDeps, actor: Actor, input: z.input<typeof PayerSchema>): Promise<{ id: string }> {
  const p = parse(PayerSchema, input);
  const id = newId();
  await reference(deps, actor, 'payer', id, (trx) =>
    repo.insertPayer(trx, {
      id,
      name: p.name,
      payer_code: p.payerId,
      claim_filing_indicator: p.claimFilingIndicator,
      address_line1: null,
      city: null,
      state: null,
      postal_code: null,
      created_at: isoNow(deps.clock),
    }),
  );
  return { id };
}

export const BillingProviderSchema = z.object({
  facilityId: z.string().min(1),
  name: z.string().trim().min(1).max(60),
  npi: Npi,
  taxonomy: z
    .string()
    .regex(/^[0-9A-Z]{9}X$/, 'ten-character taxonomy code')
    .nullable()
    .default(null),
  taxId: z.string().refine((t) => digitsOnly(t).length === 9, 'nine-digit EIN'),
  address: z.object({
    line1: z.string().min(1),
    line2: z.string().nullable().default(null),
    city: z.string().min(1),
    state: State,
    zip: z.string().refine((z) => digitsOnly(z).length === 9, 'nine digits (ZIP+4): the 837 billing provider needs them'),
  }),
});

export async function addBillingProvider(
  deps: ClaimsDeps,
  actor: Actor,
  input: z.input<typeof BillingProviderSchema>,
): Promise<{ id: string }> {
  const b = parse(BillingProviderSchema, input);
  const id = newId();
  await reference(deps, actor, 'billing_provider', id, (trx) =>
    repo.insertBillingProvider(trx, {
      id,
      facility_id: b.facilityId,
      name: b.name,
      npi: b.npi,
      taxonomy: b.taxonomy,
      tax_id: digitsOnly(b.taxId),
      address_line1: b.address.line1,
      address_line2: b.address.line2,
      city: b.address.city,
      state: b.address.state,
      postal_code: digitsOnly(b.address.zip),
      pay_to_address_line1: null,
      pay_to_address_line2: null,
      pay_to_city: null,
      pay_to_state: null,
      pay_to_postal_code: null,
      created_at: isoNow(deps.clock),
    }),
  );
  return { id };
}

export const ChargemasterItemSchema = z.object({
  code: z.string().trim().min(1).max(20),
  description: z.string().trim().min(1).max(200),
  revenueCode: z.string().regex(/^\d{4}$/, 'four-digit revenue code'),
  hcpcs: z
    .string()
    .regex(/^([A-V]\d{4}|\d{5}|\d{4}[FTUM])$/, 'HCPCS Level II or CPT code')
    .nullable()
    .default(null),
  priceCents: z.number().int().min(0),
});

export async function addChargemasterItem(
  deps: ClaimsDeps,
  actor: Actor,
  input: z.input<typeof ChargemasterItemSchema>,
): Promise<{ id: string }> {
  const c = parse(ChargemasterItemSchema, input);
  const id = newId();
  await reference(deps, actor, 'chargemaster_item', id, (trx) =>
    repo.insertChargemasterItem(trx, {
      id,
      code: c.code,
      description: c.description,
      revenue_code: c.revenueCode,
      hcpcs: c.hcpcs,
      price_cents: c.priceCents,
      active: 1,
      created_at: isoNow(deps.clock),
    }),
  );
  return { id };
}

export const CoverageSchema = z.object({
  payerId: z.string().min(1),
  benefitOrder: z.number().int().min(1).max(3),
  relationship: z.enum(['18', '01', '19', '20', '21', '39', '40', '53', 'G8']),
  memberId: z.string().trim().min(1).max(80),
  groupNumber: z.string().trim().max(50).nullable().default(null),
  groupName: z.string().trim().max(60).nullable().default(null),
  subscriber: z.object({
    familyName: z.string().trim().min(1).max(60),
    givenName: z.string().trim().max(35).nullable().default(null),
    dateOfBirth: Day.nullable().default(null),
    sex: z.enum(['M', 'F', 'U']).nullable().default(null),
    address: z
      .object({ line1: z.string().min(1), city: z.string().min(1), state: State, zip: Zip })
      .nullable()
      .default(null),
  }),
  effectiveFrom: Day.nullable().default(null),
  effectiveTo: Day.nullable().default(null),
});

/** Adds a coverage to a patient's record (registration; HL7 IN1 intake: claims-inbound.service.ts). */
export async function addCoverage(
  deps: ClaimsDeps,
  actor: Actor,
  patientId: string,
  input: z.input<typeof CoverageSchema>,
): Promise<{ id: string }> {
  const c = parse(CoverageSchema, input);
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.claimManage, mode: 'write', resourceType: 'coverage' },
  );
  const id = newId();
  const now = isoNow(deps.clock);
  await deps.db.transaction().execute(async (trx) => {
    const payer = await trx.selectFrom('payers').select('id').where('id', '=', c.payerId).executeTakeFirst();
    if (!payer) throw notFound('payer');
    const s = c.subscriber;
    await repo.insertCoverage(trx, scope, {
      patient_id: scope.patientId,
      id,
      payer_id: c.payerId,
      benefit_order: c.benefitOrder,
      relationship: c.relationship,
      member_id: c.memberId,
      group_number: c.groupNumber,
      group_name: c.groupName,
      subscriber_family_name: s.familyName,
      subscriber_given_name: s.givenName,
      subscriber_middle_name: null,
      subscriber_date_of_birth: s.dateOfBirth,
      subscriber_sex: s.sex,
      subscriber_address_line1: s.address?.line1 ?? null,
      subscriber_address_line2: null,
      subscriber_city: s.address?.city ?? null,
      subscriber_state: s.address?.state ?? null,
      subscriber_postal_code: s.address ? digitsOnly(s.address.zip) : null,
      effective_from: c.effectiveFrom,
      effective_to: c.effectiveTo,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.create,
      resourceType: 'coverage',
      resourceId: id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope),
    });
  });
  return { id };
}

export const ChargeSchema = z.object({
  itemId: z.string().min(1),
  serviceDate: Day,
  units: z.number().int().min(1).max(9999),
  component: z.enum(['facility', 'professional']),
  modifiers: z
    .array(z.string().regex(/^[A-Z0-9]{2}$/, 'two-character modifier'))
    .max(4)
    .default([]),
  diagnosisPointers: z.array(z.number().int().min(1).max(12)).max(4).default([]),
  /** Defaults to the item's price times the units. */
  amountCents: z.number().int().min(0).optional(),
});

/** Posts a charge to an encounter (entered by hand; HL7 DFT^P03: claims-inbound.service.ts; imports are not built yet). */
export async function addCharge(
  deps: ClaimsDeps,
  actor: Actor,
  encounterId: string,
  input: z.input<typeof ChargeSchema>,
): Promise<{ id: string }> {
  const c = parse(ChargeSchema, input);
  const scope = await deps.records.open(
    actor,
    { encounterId },
    { permission: Permission.claimManage, mode: 'write', resourceType: 'charge' },
  );
  const item = await repo.findChargemasterItem(deps.db, c.itemId);
  if (!item) throw notFound('chargemaster item');
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertCharge(trx, scope, {
      patient_id: scope.patientId,
      id,
      encounter_id: encounterId,
      item_id: item.id,
      service_date: c.serviceDate,
      units: c.units,
      amount_cents: c.amountCents ?? item.price_cents * c.units,
      modifiers: JSON.stringify(c.modifiers),
      component: c.component,
      diagnosis_pointers: JSON.stringify(c.diagnosisPointers),
      rendering_provider_id: null,
      created_by: actor.userId,
      created_at: isoNow(deps.clock),
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.create,
      resourceType: 'charge',
      resourceId: id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope),
    });
  });
  return { id };
}
