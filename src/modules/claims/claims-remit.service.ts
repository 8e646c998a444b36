/**
 * Remittance posting (issue 20, payment side): an 835 file is read (`parse835`), each payment checked for balance
 * (TR3 1.10.2.1.3: an unbalanced one is reported and not posted), each CLP matched by its patient control number to a
 * released claim and posted by the rules of `src/core/x12/remit-posting.ts`; what matches no claim goes to the
 * unmatched queue. A file posts in one transaction (all or nothing) and is refused when its SHA-256 was received
 * before. Every claim posted to is opened through the record-access step (`forSystem` for the system's own work,
 * `open` for a user) and each posting is audited with its patient. `reversePosting` undoes one posting with a reason.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { parse835, type Remittance } from '../../core/x12/parse-835.js';
import { planRemittancePosting, type ClaimPosting, type PostingPlan } from '../../core/x12/remit-posting.js';
import type { X12Issue } from '../../core/x12/read-x12.js';
import type { Database } from '../../db/schema.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { adjudicationOf } from './claims-cob.rules.js';
import * as repo from './claims-remit.repository.js';
import type { ClaimsDeps } from './claims.service.js';

const cents = (n: number): number => Math.round(n * 100);

export interface PostedClaim {
  postingId: string;
  claimId: string;
  patientControlNumber: string;
  kind: ClaimPosting['kind'];
  paidCents: number;
  /** The posting a reversal undid. */
  reversesPostingId: string | null;
  warnings: readonly string[];
}

export interface PaymentResult {
  /** ST02, TRN02, payer and BPR02 of the payment. */
  controlNumber: string;
  trace: string;
  payer: string;
  amountCents: number;
  balanced: boolean;
  posted: boolean;
  /** Why it was not posted (unbalanced). */
  reason: string | null;
  postings: PostedClaim[];
  unmatched: { patientControlNumber: string; paidCents: number; reason: string }[];
  providerAdjustmentCents: number;
}

export interface RemittanceFileResult {
  fileId: string;
  sha256: string;
  /** posted when at least one payment posted; refused when none did. */
  status: 'posted' | 'refused';
  payments: PaymentResult[];
  /** Problems the reader reported that did not stop the file (none when it posted whole). */
  errors: X12Issue[];
}

export async function requireClaimWork(deps: ClaimsDeps, actor: Actor, type: string): Promise<void> {
  if (!actor.system) await requirePermission(deps, actor, Permission.claimManage, { type });
}

/** Opens a claim's record to write: the system's own work through forSystem, a user's through open (restriction, grant). */
export async function openClaimRecord(
  deps: ClaimsDeps,
  actor: Actor,
  claim: { id: string; patient_id: string; encounter_id: string },
): Promise<RecordScope> {
  if (actor.system) return deps.records.forSystem(actor, { patientId: claim.patient_id, encounterId: claim.encounter_id });
  return deps.records.open(
    actor,
    { patientId: claim.patient_id },
    {
      permission: Permission.claimManage,
      mode: 'write',
      resourceType: 'claim',
      resourceId: claim.id,
    },
  );
}

/** Posts one 835 file. Throws `conflict` for a file received before and `invalid` for a file that is not a readable 835. */
export async function postRemittance(deps: ClaimsDeps, actor: Actor, fileText: string): Promise<RemittanceFileResult> {
  await requireClaimWork(deps, actor, 'remittance');
  const sha256 = createHash('sha256').update(fileText).digest('hex');
  const before = await repo.findFileByHash(deps.db, sha256);
  if (before) throw conflict(`this remittance file was received before (at ${before.received_at}): it is not posted twice`);
  const parsed = parse835(fileText);
  if (parsed.remittances.length === 0)
    throw invalid(`not a readable 835 file: ${parsed.errors[0]?.message ?? 'no 835 transaction set in it'}`);
  if (parsed.errors.length > 0) throw invalid(`the 835 file has errors, nothing is posted: ${parsed.errors[0]?.message ?? ''}`);

  const list = await deps.records.openList(actor, { permission: Permission.claimManage, resourceType: 'claim' });
  const pcns = [...new Set(parsed.remittances.filter((r) => r.balanced).flatMap((r) => r.claims.map((c) => c.patientControlNumber)))];
  const claims = await repo.findReleasedClaimsByControlNumber(deps.db, list, pcns);
  // All or nothing: a claim the user may not open (a restricted record without a grant) refuses the file.
  const scopes = new Map<string, RecordScope>();
  for (const c of claims) scopes.set(c.id, await openClaimRecord(deps, actor, c));
  const byPcn = new Map(claims.map((c) => [c.patient_control_number, c]));
  const plans = parsed.remittances.map((r) =>
    planRemittancePosting(r, (pcn) => {
      const c = byPcn.get(pcn);
      return c ? { claimId: c.id, patientControlNumber: pcn, charge: c.total_cents / 100 } : undefined;
    }),
  );
  const fileId = newId();
  const now = isoNow(deps.clock);
  const status: RemittanceFileResult['status'] = plans.some((p) => p.postable) ? 'posted' : 'refused';
  const post = () =>
    deps.db.transaction().execute(async (trx) => {
      await repo.insertFile(trx, {
        id: fileId,
        sha256,
        transaction_count: plans.length,
        status,
        received_by: actor.userId,
        received_at: now,
      });
      const payments: PaymentResult[] = [];
      for (const [i, plan] of plans.entries()) {
        const remit = parsed.remittances[i] as Remittance;
        payments.push(await storePayment(deps, trx, actor, { fileId, remit, plan, scopes, now }));
      }
      await recordAudit(trx, deps.audit, actor, {
        action: AuditAction.post,
        resourceType: 'remittance_file',
        resourceId: fileId,
        outcome: 'success',
        detail: { status, payments: payments.length, posted: payments.filter((p) => p.posted).length },
      });
      return { fileId, sha256, status, payments, errors: [] };
    });
  try {
    return await post();
  } catch (e) {
    // The same file posted at the same moment by someone else: the unique hash stopped this one.
    if (await repo.findFileByHash(deps.db, sha256)) throw conflict('this remittance file was received at the same time by another posting');
    throw e;
  }
}

interface PaymentInput {
  fileId: string;
  remit: Remittance;
  plan: PostingPlan;
  scopes: Map<string, RecordScope>;
  now: string;
}

async function storePayment(deps: ClaimsDeps, trx: Kysely<Database>, actor: Actor, p: PaymentInput): Promise<PaymentResult> {
  const { remit, plan, now } = p;
  const remittanceId = newId();
  await repo.insertRemittance(trx, {
    id: remittanceId,
    file_id: p.fileId,
    control_number: remit.controlNumber,
    payer_name: remit.payer,
    payer_code: remit.payerId,
    trace: remit.trace,
    amount_cents: cents(remit.paymentAmount),
    method: remit.method,
    payment_date: remit.paymentDate,
    balanced: remit.balanced ? 1 : 0,
    status: plan.postable ? 'posted' : 'refused',
    reason: plan.reason ?? null,
  });
  const result: PaymentResult = {
    controlNumber: remit.controlNumber,
    trace: remit.trace,
    payer: remit.payer,
    amountCents: cents(remit.paymentAmount),
    balanced: remit.balanced,
    posted: plan.postable,
    reason: plan.reason ?? null,
    postings: [],
    unmatched: [],
    providerAdjustmentCents: cents(plan.totals.providerAdjustments),
  };
  if (!plan.postable) return result;
  const queue = async (
    u: { patientControlNumber: string; payerClaimControlNumber: string; status: string; charge: number; paid: number; segment: number },
    reason: string,
  ) => {
    await repo.insertUnmatched(trx, {
      id: newId(),
      remittance_id: remittanceId,
      patient_control_number: u.patientControlNumber,
      payer_claim_control_number: u.payerClaimControlNumber,
      claim_status: u.status,
      charge_cents: cents(u.charge),
      paid_cents: cents(u.paid),
      reason,
      remit_claim: JSON.stringify(remit.claims.find((c) => c.segment === u.segment) ?? null),
      status: 'open',
      created_at: now,
      resolved_by: null,
      resolved_at: null,
      resolution: null,
    });
    result.unmatched.push({ patientControlNumber: u.patientControlNumber, paidCents: cents(u.paid), reason });
  };
  for (const u of plan.unmatched) await queue(u, u.reason);
  for (const posting of plan.postings) {
    const scope = p.scopes.get(posting.claimId);
    if (!scope) throw new Error('posting to a claim that was not opened');
    if (posting.kind === 'not_our_claim') {
      const clp = remit.claims.find((c) => c.segment === posting.segment);
      await queue(
        { ...posting, charge: clp?.charge ?? 0, paid: clp?.paid ?? 0 },
        'the payer answered not our claim (CLP02 23): review and forward',
      );
      continue;
    }
    const clp = remit.claims.find((c) => c.segment === posting.segment);
    const adjudication = clp ? JSON.stringify(adjudicationOf(clp)) : null;
    result.postings.push(await storePosting(deps, trx, scope, { posting, remittanceId, actor, now, adjudication }));
  }
  for (const plb of plan.providerAdjustments)
    await repo.insertProviderAdjustment(trx, {
      id: newId(),
      remittance_id: remittanceId,
      provider: plb.provider,
      fiscal_period: plb.fiscalPeriod,
      reason: plb.reason,
      reference: plb.reference,
      amount_cents: cents(plb.amount),
    });
  return result;
}

/** Stores one posting (a reversal linked to what it undoes) and audits it with its patient, in the caller's transaction. */
export async function storePosting(
  deps: ClaimsDeps,
  trx: Kysely<Database>,
  scope: RecordScope,
  i: { posting: ClaimPosting; remittanceId: string; actor: Actor; now: string; adjudication: string | null },
): Promise<PostedClaim> {
  const { posting, now } = i;
  const id = newId();
  const warnings = [...posting.warnings];
  let reverses: string | null = null;
  if (posting.kind === 'reversal') {
    const original =
      (await repo.findReversiblePosting(trx, scope, posting.claimId, posting.payerClaimControlNumber)) ??
      (await repo.findReversiblePosting(trx, scope, posting.claimId, null));
    if (original) reverses = original.id;
    else warnings.push('no earlier posting of this claim to reverse: posted unlinked');
  }
  await repo.insertPosting(trx, scope, {
    id,
    claim_id: posting.claimId,
    remittance_id: i.remittanceId,
    kind: posting.kind,
    claim_status: posting.status,
    payer_claim_control_number: posting.payerClaimControlNumber,
    paid_cents: cents(posting.payment),
    contractual_cents: cents(posting.contractual),
    patient_responsibility_cents: cents(posting.patientResponsibility),
    other_adjustment_cents: cents(posting.otherAdjustments),
    adjustments: JSON.stringify(posting.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: cents(a.amount) }))),
    remarks: JSON.stringify(posting.remarks),
    warnings: JSON.stringify(warnings),
    reverses_posting_id: reverses,
    reversed_by_posting_id: null,
    reason: null,
    posted_by: i.actor.userId,
    posted_at: now,
    adjudication: i.adjudication,
  });
  if (reverses) await repo.markReversed(trx, scope, reverses, id);
  await recordAudit(trx, deps.audit, scope.actor, {
    action: AuditAction.post,
    resourceType: 'claim_posting',
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, { claimId: posting.claimId, kind: posting.kind, remittanceId: i.remittanceId, reverses }),
  });
  return {
    postingId: id,
    claimId: posting.claimId,
    patientControlNumber: posting.patientControlNumber,
    kind: posting.kind,
    paidCents: cents(posting.payment),
    reversesPostingId: reverses,
    warnings,
  };
}

/**
 * Reverses one posting (a payment or denial posted to the wrong claim, or in error): a new posting with every amount
 * negated, linked to the one it undoes, with the biller's reason; audited. A posting already reversed is refused.
 */
export async function reversePosting(deps: ClaimsDeps, actor: Actor, postingId: string, reason: string): Promise<PostedClaim> {
  const why = reason.trim();
  if (why.length < 10) throw invalid('reason: give at least 10 characters saying why the posting is reversed');
  const loc = await repo.locatePosting(deps.db, postingId);
  if (!loc) throw notFound('posting');
  const scope = await openClaimRecord(deps, actor, { id: loc.claim_id, patient_id: loc.patient_id, encounter_id: loc.encounter_id });
  const now = isoNow(deps.clock);
  return deps.db.transaction().execute(async (trx) => {
    const p = await repo.findPosting(trx, scope, postingId);
    if (!p) throw notFound('posting');
    if (p.kind === 'reversal') throw invalid('a reversal is not reversed: post the payment again');
    if (p.reversed_by_posting_id) throw conflict('the posting was reversed already');
    const id = newId();
    const adjustments = (JSON.parse(p.adjustments) as { group: string; reason: string; amountCents: number }[]).map((a) => ({
      ...a,
      amountCents: -a.amountCents,
    }));
    await repo.insertPosting(trx, scope, {
      ...p,
      id,
      remittance_id: null,
      kind: 'reversal',
      paid_cents: -p.paid_cents,
      contractual_cents: -p.contractual_cents,
      patient_responsibility_cents: -p.patient_responsibility_cents,
      other_adjustment_cents: -p.other_adjustment_cents,
      adjustments: JSON.stringify(adjustments),
      warnings: '[]',
      reverses_posting_id: p.id,
      reversed_by_posting_id: null,
      reason: why,
      posted_by: actor.userId,
      posted_at: now,
    });
    await repo.markReversed(trx, scope, p.id, id);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.reverse,
      resourceType: 'claim_posting',
      resourceId: p.id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { claimId: p.claim_id, reversal: id, reason: why }),
    });
    return {
      postingId: id,
      claimId: p.claim_id,
      patientControlNumber: loc.patient_control_number,
      kind: 'reversal' as const,
      paidCents: -p.paid_cents,
      reversesPostingId: p.id,
      warnings: [],
    };
  });
}
