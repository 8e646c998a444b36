import type { Db } from '../../db/database.js';
import type { PatientTable } from '../../db/schema.js';
import {
  component,
  Hl7Error,
  Hl7ErrorCode,
  HL7_NULL,
  readPid,
  repetitions,
  value,
  type Hl7Message,
  type Insurance,
} from '../../core/hl7/index.js';
import type { Actor, RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { Clock } from '../../core/shared/clock.js';
import { postInboundChargesInTx, recordInboundCoveragesInTx, type InboundCharge, type InboundCoverage } from '../claims/index.js';
import { findEncounterByAccount } from '../patients/index.js';
import { isoDateOf, patientIdentifiers, type IdentifierRef } from './adt.rules.js';
import { findWithRef } from './patient-lookup.js';

/**
 * Billing data received over HL7 (HL7 v2.5 chapter 6): a patient's insurance from ADT IN1 segments, and charges from
 * DFT^P03 FT1 segments, written through the claims module (src/modules/claims/claims-inbound.service.ts) in the
 * message's transaction, scoped with `records.forSystem` as the interface.
 */
export interface BillingDeps {
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
}

/** HL7 table 0063 relationship (and X12 codes sent as they are) to the X12 individual relationship code. */
const RELATIONSHIP: Readonly<Record<string, string>> = {
  SEL: '18',
  SPO: '01',
  CHD: '19',
  NCH: '19',
  STP: '19',
  EMP: '20',
  DOM: '53',
  UNK: '21',
};
const X12_RELATIONSHIPS = new Set(['18', '01', '19', '20', '21', '39', '40', '53', 'G8']);

export function relationshipOf(code: string | undefined): string {
  const c = (code ?? '').toUpperCase();
  if (c === '') return '18';
  return RELATIONSHIP[c] ?? (X12_RELATIONSHIPS.has(c) ? c : '21');
}

const real = (v: string | undefined) => (v && v !== HL7_NULL ? v : undefined);

/**
 * The coverages of an ADT message's IN1 segments (what is left out is named in `skipped`): benefit order IN1-1 (else
 * the segment's place), payer IN1-3, member id IN1-36 else IN1-49, group IN1-8/IN1-9, relationship IN1-17, subscriber
 * IN1-16/IN1-18 (the patient when IN1-16 is empty and the relationship is self), effective IN1-12 to IN1-13.
 */
export function coveragesOf(insurance: readonly Insurance[], patient: PatientTable): { coverages: InboundCoverage[]; skipped: string[] } {
  const coverages: InboundCoverage[] = [];
  const skipped: string[] = [];
  insurance.slice(0, 3).forEach((i, n) => {
    const setId = Number(i.setId);
    const benefitOrder = Number.isInteger(setId) && setId >= 1 && setId <= 3 ? setId : n + 1;
    const memberId = real(i.policyNumber) ?? real(i.insuredIds[0]?.id);
    if (!memberId) {
      skipped.push(`IN1 ${benefitOrder}: no member id (IN1-36, IN1-49), coverage not recorded`);
      return;
    }
    const relationship = relationshipOf(i.insuredRelationship?.code);
    const name = i.insuredNames[0];
    const self = relationship === '18' && !real(name?.family);
    const familyName = self ? patient.family_name : real(name?.family);
    if (!familyName) {
      skipped.push(`IN1 ${benefitOrder}: no subscriber name (IN1-16), coverage not recorded`);
      return;
    }
    coverages.push({
      benefitOrder,
      payerKey: real(i.companyIds[0]?.id) ?? null,
      relationship,
      memberId,
      groupNumber: real(i.groupNumber) ?? null,
      groupName: real(i.groupName) ?? null,
      subscriber: {
        familyName,
        givenName: self ? patient.given_name : (real(name?.given) ?? null),
        middleName: self ? null : (real(name?.middle) ?? null),
        dateOfBirth: self ? patient.date_of_birth : (isoDateOf(i.insuredDateOfBirth) ?? null),
        sex: self ? patient.sex : null,
      },
      effectiveFrom: isoDateOf(i.planEffectiveDate) ?? null,
      effectiveTo: isoDateOf(i.planExpirationDate) ?? null,
    });
  });
  return { coverages, skipped };
}

/**
 * Records the IN1 coverages of an ADT message for its patient; answers the ACK text's note (what was not recorded:
 * a payer not set up here, a coverage without member id or subscriber), or undefined when all were recorded.
 */
export async function applyAdtCoverages(
  trx: Db,
  deps: BillingDeps,
  actor: Actor,
  insurance: readonly Insurance[],
  patient: PatientTable,
): Promise<string | undefined> {
  if (insurance.length === 0) return undefined;
  const { coverages, skipped } = coveragesOf(insurance, patient);
  const scope = deps.records.forSystem(actor, { patientId: patient.id });
  const r = await recordInboundCoveragesInTx(trx, deps, scope, coverages);
  const notes = [...skipped, ...r.unmatchedPayer.map((o) => `IN1 ${o}: payer (IN1-3) not set up here, coverage not recorded`)];
  return notes.length > 0 ? notes.join('; ') : undefined;
}

const ft1Error = (code: Hl7ErrorCode, field: number, sequence: number, text: string) =>
  new Hl7Error(code, `FT1 ${sequence}: ${text}`, { segment: 'FT1', sequence, field });

/** The charges of a DFT^P03's FT1 segments (a field that cannot be read is AE naming it). */
export function chargesOf(message: Hl7Message): InboundCharge[] {
  const segments = message.all('FT1');
  if (segments.length === 0)
    throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'a DFT^P03 needs at least one FT1 segment', { segment: 'FT1' });
  return segments.map((seg, i) => {
    const n = i + 1;
    const date = value(seg, 4);
    if (!/^\d{8}/.test(date)) throw ft1Error(Hl7ErrorCode.requiredFieldMissing, 4, n, 'transaction date is required');
    const type = value(seg, 6).toUpperCase();
    if (type !== 'CG' && type !== 'CD') throw ft1Error(Hl7ErrorCode.tableValueNotFound, 6, n, 'transaction type must be CG or CD');
    const code = value(seg, 7);
    if (code === '') throw ft1Error(Hl7ErrorCode.requiredFieldMissing, 7, n, 'transaction code is required');
    const q = value(seg, 10);
    const units = q === '' ? 1 : Math.abs(Number(q));
    if (!Number.isInteger(units) || units < 1 || units > 9999)
      throw ft1Error(Hl7ErrorCode.dataTypeError, 10, n, 'quantity must be a whole number from 1 to 9999');
    const a = value(seg, 11);
    const amount = a === '' ? null : Number(a);
    if (amount !== null && (!Number.isFinite(amount) || !/^-?\d+(\.\d{1,2})?$/.test(a)))
      throw ft1Error(Hl7ErrorCode.dataTypeError, 11, n, 'extended amount must be a number with at most two decimals');
    const procedure = value(seg, 25);
    // FT1-26 (CNE, repeating): one modifier per repetition; FT1-20 (XCN): the performing provider's NPI in XCN.1.
    const modifiers = repetitions(seg, 26)
      .map((r) => component(r, 1).toUpperCase())
      .filter((m) => m !== '');
    if (modifiers.length > 4 || modifiers.some((m) => !/^[0-9A-Z]{2}$/.test(m)))
      throw ft1Error(Hl7ErrorCode.dataTypeError, 26, n, 'procedure code modifiers are two letters or digits, at most four');
    const performer = value(seg, 20);
    return {
      code,
      type: type === 'CG' ? 'charge' : 'credit',
      serviceDate: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
      units,
      amountCents: amount === null ? null : Math.abs(Math.round(amount * 100)),
      procedureCode: procedure === '' ? null : procedure,
      component: 'facility',
      modifiers,
      performingProviderNpi: /^\d{10}$/.test(performer) ? performer : null,
    } satisfies InboundCharge;
  });
}

export interface DftContext {
  facilityId: string;
  facilityIds: readonly string[];
  sendingFacility: string;
}

/**
 * Applies a DFT^P03: the patient of PID-3 (as ADT finds one), the visit of the account number (PID-18, else PV1-19)
 * in the patient's facility, then the FT1 charges posted to it by the claims module. A charge code not in the
 * chargemaster is AE 204 naming FT1-7; the message then leaves nothing written (the caller's savepoint).
 */
export async function applyDft(
  trx: Db,
  deps: BillingDeps,
  actor: Actor,
  message: Hl7Message,
  ctx: DftContext,
): Promise<{ patientId: string; text: string }> {
  const charges = chargesOf(message);
  const pidSegment = message.segment('PID');
  if (!pidSegment) throw new Hl7Error(Hl7ErrorCode.segmentSequence, 'PID segment is required', { segment: 'PID' });
  const pid = readPid(pidSegment);
  const pv1 = message.segment('PV1');
  const account = real(pid.accountNumber?.id) ?? (pv1 ? real(value(pv1, 19)) : undefined);
  if (!account)
    throw new Hl7Error(Hl7ErrorCode.requiredFieldMissing, 'patient account number is required (PID-18 or PV1-19)', {
      segment: 'PV1',
      field: 19,
    });
  const refs: IdentifierRef[] = patientIdentifiers(pid.identifiers, ctx.sendingFacility);
  const hit = await findWithRef(trx, refs, new Set(ctx.facilityIds));
  if (!hit) throw new Hl7Error(Hl7ErrorCode.unknownKeyIdentifier, 'the patient is not known here', { segment: 'PID', field: 3 });
  const patient = hit.patient;
  const visit = await findEncounterByAccount(trx, patient.facility_id, account);
  if (!visit) throw new Hl7Error(Hl7ErrorCode.unknownKeyIdentifier, 'the visit is not known here', { segment: 'PV1', field: 19 });
  if (visit.patient_id !== patient.id)
    throw new Hl7Error(Hl7ErrorCode.duplicateKeyIdentifier, 'the account number belongs to another patient', { segment: 'PV1', field: 19 });
  const scope = deps.records.forSystem(actor, { patientId: patient.id, encounterId: visit.id });
  const r = await postInboundChargesInTx(trx, deps, scope, charges, actor.userId);
  if (!r.ok) {
    const n = r.index + 1;
    if (r.problem === 'unknown_code')
      throw ft1Error(Hl7ErrorCode.unknownKeyIdentifier, 7, n, 'transaction code is not in the chargemaster');
    if (r.problem === 'procedure_mismatch')
      throw ft1Error(Hl7ErrorCode.tableValueNotFound, 25, n, "procedure code is not the chargemaster item's HCPCS");
    throw ft1Error(Hl7ErrorCode.unknownKeyIdentifier, 7, n, 'no charge of this code, date and quantity to reverse on the visit');
  }
  const posted = r.posted.filter((p) => p.action === 'posted').length;
  const reversed = r.posted.length - posted;
  return {
    patientId: patient.id,
    text: `encounter ${visit.id}: ${posted} charge${posted === 1 ? '' : 's'} posted${reversed ? `, ${reversed} reversed` : ''}`,
  };
}
