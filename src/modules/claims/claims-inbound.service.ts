/**
 * Coverages and charges received from another system (the HL7 interface: ADT IN1/IN2/GT1 and DFT^P03 FT1), written
 * inside the caller's transaction with a scope the caller opened (`records.forSystem`), so that they commit with the
 * message's stored outcome before its ACK. Nothing here knows HL7: the interface reads the segments into these shapes.
 */
import { isCalendarDate } from '../../core/claim/claim.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import type { PatientCoverageTable } from '../../db/schema-claims.js';
import { scopeDetail, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as repo from './claims.repository.js';

export interface InboundDeps {
  clock: Clock;
  audit: AuditLog;
}

/** One coverage as a registration system sends it (IN1 with its IN2/GT1). */
export interface InboundCoverage {
  /** The order of benefits (IN1-1 set id: 1 primary, 2 secondary, 3 tertiary). */
  benefitOrder: number;
  /** The payer's identifier (IN1-3): matched to a payer's id or its payer id (payer_code). */
  payerKey: string | null;
  /** X12 individual relationship code (18 self, 01 spouse, 19 child, 20 employee, 21 unknown, ...). */
  relationship: string;
  memberId: string;
  groupNumber: string | null;
  groupName: string | null;
  subscriber: {
    familyName: string;
    givenName: string | null;
    middleName: string | null;
    dateOfBirth: string | null;
    sex: string | null;
  };
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

export interface InboundCoverageResult {
  /** Coverages stored (inserted or updated), in benefit order. */
  stored: { id: string; benefitOrder: number; action: 'created' | 'updated' }[];
  /** Benefit orders whose payer is not set up here: not recorded. */
  unmatchedPayer: number[];
}

const dayOrNull = (d: string | null) => (d && isCalendarDate(d) ? d : null);

/**
 * Records a patient's coverages as sent: each coverage replaces the patient's coverage of the same benefit order
 * (updated in place, so claims built on it keep their coverage id), or is added. A coverage whose payer is not set up
 * here is not recorded (reported in `unmatchedPayer`); the others are. Coverages of other benefit orders are kept.
 */
export async function recordInboundCoveragesInTx(
  trx: Db,
  deps: InboundDeps,
  scope: RecordScope,
  coverages: readonly InboundCoverage[],
): Promise<InboundCoverageResult> {
  const result: InboundCoverageResult = { stored: [], unmatchedPayer: [] };
  if (coverages.length === 0) return result;
  const keys = [...new Set(coverages.map((c) => c.payerKey).filter((k): k is string => !!k))];
  const payers =
    keys.length === 0
      ? []
      : await trx
          .selectFrom('payers')
          .select(['id', 'payer_code'])
          .where((eb) => eb.or([eb('id', 'in', keys), eb('payer_code', 'in', keys)]))
          .execute();
  const existing = await trx
    .selectFrom('patient_coverages')
    .select(['id', 'benefit_order'])
    .where('patient_id', '=', scope.patientId)
    .execute();
  const now = isoNow(deps.clock);
  for (const c of [...coverages].sort((a, b) => a.benefitOrder - b.benefitOrder)) {
    const payer = c.payerKey ? (payers.find((p) => p.id === c.payerKey) ?? payers.find((p) => p.payer_code === c.payerKey)) : undefined;
    if (!payer) {
      result.unmatchedPayer.push(c.benefitOrder);
      continue;
    }
    const s = c.subscriber;
    const columns = {
      payer_id: payer.id,
      benefit_order: c.benefitOrder,
      relationship: c.relationship,
      member_id: c.memberId.slice(0, 80),
      group_number: c.groupNumber?.slice(0, 50) ?? null,
      group_name: c.groupName?.slice(0, 60) ?? null,
      subscriber_family_name: s.familyName.slice(0, 60),
      subscriber_given_name: s.givenName?.slice(0, 35) ?? null,
      subscriber_middle_name: s.middleName?.slice(0, 25) ?? null,
      subscriber_date_of_birth: dayOrNull(s.dateOfBirth),
      subscriber_sex: s.sex && ['M', 'F', 'U'].includes(s.sex) ? s.sex : null,
      effective_from: dayOrNull(c.effectiveFrom),
      effective_to: dayOrNull(c.effectiveTo),
      updated_at: now,
    } satisfies Partial<PatientCoverageTable>;
    const same = existing.find((e) => e.benefit_order === c.benefitOrder);
    const id = same?.id ?? newId();
    if (same) {
      await trx.updateTable('patient_coverages').set(columns).where('patient_id', '=', scope.patientId).where('id', '=', same.id).execute();
    } else {
      await repo.insertCoverage(trx, scope, {
        patient_id: scope.patientId,
        id,
        ...columns,
        subscriber_address_line1: null,
        subscriber_address_line2: null,
        subscriber_city: null,
        subscriber_state: null,
        subscriber_postal_code: null,
        created_at: now,
      });
      existing.push({ id, benefit_order: c.benefitOrder });
    }
    await recordAudit(trx, deps.audit, scope.actor, {
      action: same ? AuditAction.update : AuditAction.create,
      resourceType: 'coverage',
      resourceId: id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope),
    });
    result.stored.push({ id, benefitOrder: c.benefitOrder, action: same ? 'updated' : 'created' });
  }
  return result;
}

/** One financial transaction as a charge-capture system sends it (FT1). */
export interface InboundCharge {
  /** The chargemaster code (FT1-7 transaction code). */
  code: string;
  /** `charge` (FT1-6 CG) posts it; `credit` (CD) reverses the encounter's matching charge. */
  type: 'charge' | 'credit';
  serviceDate: string;
  /** FT1-10 (1 when absent). */
  units: number;
  /** FT1-11 extended amount in cents, else the chargemaster price times the units. */
  amountCents: number | null;
  /** FT1-25 procedure code (HCPCS/CPT); checked against the chargemaster item's HCPCS when it has one. */
  procedureCode: string | null;
  component: 'facility' | 'professional';
  /** FT1-26 procedure code modifiers (CPT/HCPCS, two characters each, at most four). */
  modifiers?: string[];
  /** FT1-20 performed-by code: the performing provider's NPI, kept as the line's rendering provider when on file. */
  performingProviderNpi?: string | null;
}

/** Why a charge of a message cannot be posted (`index`: its place in the message, from 0). Nothing is written then. */
export type InboundChargeProblem =
  | { index: number; problem: 'unknown_code' }
  | { index: number; problem: 'procedure_mismatch' }
  | { index: number; problem: 'nothing_to_reverse' };

export type InboundChargeResult =
  { ok: true; posted: { id: string; action: 'posted' | 'reversed' }[] } | ({ ok: false } & InboundChargeProblem);

/**
 * Posts the charges of one message to the scope's encounter: every charge code is looked up in the chargemaster first
 * (an unknown or inactive code, or a procedure code that contradicts the item's HCPCS, refuses the whole message with
 * nothing written); a charge adds a line; a credit removes the encounter's charge it reverses (same item, service date
 * and units; the latest), audited `delete` (the message that sent it is kept in the interface's log).
 */
export async function postInboundChargesInTx(
  trx: Db,
  deps: InboundDeps,
  scope: RecordScope,
  charges: readonly InboundCharge[],
  createdBy: string,
): Promise<InboundChargeResult> {
  const encounterId = scope.encounterId;
  if (!encounterId) throw new Error('charges need an encounter scope');
  const codes = [...new Set(charges.map((c) => c.code))];
  const items =
    codes.length === 0
      ? []
      : await trx.selectFrom('chargemaster_items').selectAll().where('code', 'in', codes).where('active', '=', 1).execute();
  const itemOf = charges.map((c) => items.find((i) => i.code === c.code));
  for (const [index, c] of charges.entries()) {
    const item = itemOf[index];
    if (!item) return { ok: false, index, problem: 'unknown_code' };
    if (c.procedureCode && item.hcpcs && c.procedureCode !== item.hcpcs) return { ok: false, index, problem: 'procedure_mismatch' };
  }
  const posted: { id: string; action: 'posted' | 'reversed' }[] = [];
  const now = isoNow(deps.clock);
  for (const [index, c] of charges.entries()) {
    const item = itemOf[index]!;
    if (c.type === 'credit') {
      const target = await trx
        .selectFrom('encounter_charges')
        .select('id')
        .where('patient_id', '=', scope.patientId)
        .where('encounter_id', '=', encounterId)
        .where('item_id', '=', item.id)
        .where('service_date', '=', c.serviceDate)
        .where('units', '=', c.units)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      // A credit for a charge not posted here: the whole message is refused (the savepoint rolls back earlier lines).
      if (!target) return { ok: false, index, problem: 'nothing_to_reverse' };
      await trx.deleteFrom('encounter_charges').where('patient_id', '=', scope.patientId).where('id', '=', target.id).execute();
      await recordAudit(trx, deps.audit, scope.actor, {
        action: AuditAction.delete,
        resourceType: 'charge',
        resourceId: target.id,
        patientId: scope.patientId,
        outcome: 'success',
        detail: scopeDetail(scope),
      });
      posted.push({ id: target.id, action: 'reversed' });
      continue;
    }
    const id = newId();
    const performer = c.performingProviderNpi ? await repo.findProviderIdByNpi(trx, c.performingProviderNpi) : undefined;
    await repo.insertCharge(trx, scope, {
      patient_id: scope.patientId,
      id,
      encounter_id: encounterId,
      item_id: item.id,
      service_date: c.serviceDate,
      units: c.units,
      amount_cents: c.amountCents ?? item.price_cents * c.units,
      modifiers: JSON.stringify(c.modifiers ?? []),
      component: c.component,
      diagnosis_pointers: '[]',
      rendering_provider_id: performer ?? null,
      created_by: createdBy,
      created_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.create,
      resourceType: 'charge',
      resourceId: id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope),
    });
    posted.push({ id, action: 'posted' });
  }
  return { ok: true, posted };
}
