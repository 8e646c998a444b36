/**
 * Read models of the payment side (issue 20): the denials worklist (by CAS group and payer), accounts receivable by
 * payer and age since release, the unmatched-remittance queue, and one claim's postings and acknowledgements. Lists
 * across patients go through `openList`: a restricted record the user has not opened shows its claim id only, in a
 * group of its own sorted last (its payer and codes are what it hides). A/R gives totals per payer, no rows.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { Permission, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './claims-remit.repository.js';
import { denialWorkSummary } from './claims-work.repository.js';
import { openClaimRecord, requireClaimWork } from './claims-remit.service.js';
import { releasedClaimBalance } from './claims-figures.js';
import { ageBucket, AGE_BUCKETS, daysSince, denialGroups, type AgeBucket, type PostedAdjustment } from './claims-remit.rules.js';
import type { ClaimsDeps } from './claims.service.js';

const listUse = { permission: Permission.claimManage, resourceType: 'claim' } as const;

export interface DenialItem {
  claimId: string;
  /** Null for a restricted record the user has not opened (details hidden). */
  group: string | null;
  payerId: string | null;
  payerName: string | null;
  patientControlNumber: string | null;
  /** CARC codes of this group, with amounts. */
  reasons: { reason: string; amountCents: number }[];
  remarks: string[];
  paidCents: number | null;
  postingId: string | null;
  /** The biller's work on the denial (claims-work.service.ts): open until a step changes it; null when hidden. */
  workStatus: string | null;
  lastNote: string | null;
  restricted: boolean;
}

export interface DenialFilter {
  group?: string | undefined;
  payerId?: string | undefined;
  /** open, appealed, resubmitted, written_off, closed. */
  workStatus?: string | undefined;
}

/**
 * Claims with a denial (CLP02 4) or a zero payment in force, one item per CAS group, ordered by group then payer.
 * A filter leaves out the restricted records the user has not opened (they may not be found by what they hide).
 */
export async function denialsWorklist(deps: ClaimsDeps, actor: Actor, f: DenialFilter = {}): Promise<DenialItem[]> {
  await requireClaimWork(deps, actor, 'claim');
  const list = await deps.records.openList(actor, listUse);
  const claims = new Map((await repo.listReleasedClaimBalances(deps.db, list)).map((c) => [c.id, c]));
  const work = await denialWorkSummary(deps.db, list);
  const shown: DenialItem[] = [];
  const hidden: DenialItem[] = [];
  for (const p of await repo.listPostingsInForce(deps.db, list)) {
    const c = claims.get(p.claim_id);
    if (!c) continue;
    const adjustments = JSON.parse(p.adjustments) as PostedAdjustment[];
    const groups = denialGroups({ kind: p.kind, paidCents: p.paid_cents, adjustments });
    if (!groups) continue;
    if (!list.showsDetails({ patientId: c.patient_id, restricted: c.restricted })) {
      if (!hidden.some((h) => h.claimId === c.id))
        hidden.push({
          claimId: c.id,
          group: null,
          payerId: null,
          payerName: null,
          patientControlNumber: null,
          reasons: [],
          remarks: [],
          paidCents: null,
          postingId: null,
          workStatus: null,
          lastNote: null,
          restricted: true,
        });
      continue;
    }
    for (const group of groups)
      shown.push({
        claimId: c.id,
        group,
        payerId: c.payer_id,
        payerName: c.payer_name,
        patientControlNumber: c.patient_control_number,
        reasons: adjustments.filter((a) => a.group === group).map((a) => ({ reason: a.reason, amountCents: a.amountCents })),
        remarks: JSON.parse(p.remarks) as string[],
        paidCents: p.paid_cents,
        postingId: p.id,
        workStatus: work.get(c.id)?.status ?? 'open',
        lastNote: work.get(c.id)?.note ?? null,
        restricted: Boolean(c.restricted),
      });
  }
  const key = (d: DenialItem) => `${d.group ?? ''}\u0000${d.payerName ?? ''}\u0000${d.payerId ?? ''}\u0000${d.claimId}`;
  shown.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  hidden.sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
  if (f.group || f.payerId || f.workStatus)
    return shown.filter(
      (d) =>
        (!f.group || d.group === f.group) && (!f.payerId || d.payerId === f.payerId) && (!f.workStatus || d.workStatus === f.workStatus),
    );
  return [...shown, ...hidden];
}

export interface PayerAgeing {
  payerId: string;
  payerName: string;
  /** Balance in cents per age bucket (days since release). */
  buckets: Record<AgeBucket, number>;
  totalCents: number;
  /** Claims with a balance other than zero. */
  claims: number;
}

/** Accounts receivable by payer and age bucket on `asOf` (YYYY-MM-DD): balance = charge - paid - adjustments - write-offs. */
export async function arAgeing(deps: ClaimsDeps, actor: Actor, asOf: string): Promise<PayerAgeing[]> {
  await requireClaimWork(deps, actor, 'claim');
  const list = await deps.records.openList(actor, listUse);
  const out = new Map<string, PayerAgeing>();
  const work = await denialWorkSummary(deps.db, list);
  for (const c of await repo.listReleasedClaimBalances(deps.db, list)) {
    if (!c.released_at) continue;
    const balance = releasedClaimBalance(c, work.get(c.id)?.writtenOffCents ?? 0);
    if (balance === 0) continue;
    const row =
      out.get(c.payer_id) ??
      ({
        payerId: c.payer_id,
        payerName: c.payer_name,
        buckets: Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<AgeBucket, number>,
        totalCents: 0,
        claims: 0,
      } satisfies PayerAgeing);
    row.buckets[ageBucket(daysSince(c.released_at, asOf))] += balance;
    row.totalCents += balance;
    row.claims += 1;
    out.set(c.payer_id, row);
  }
  return [...out.values()].sort((a, b) => (a.payerName < b.payerName ? -1 : a.payerName > b.payerName ? 1 : 0));
}

/** The open unmatched-remittance queue (control numbers and amounts, oldest first). */
export async function unmatchedQueue(deps: ClaimsDeps, actor: Actor) {
  await requireClaimWork(deps, actor, 'remittance');
  return (await repo.listUnmatched(deps.db, 'open')).map((u) => ({
    id: u.id,
    patientControlNumber: u.patient_control_number,
    payerClaimControlNumber: u.payer_claim_control_number,
    claimStatus: u.claim_status,
    chargeCents: u.charge_cents,
    paidCents: u.paid_cents,
    payer: u.payer_name,
    trace: u.trace,
    reason: u.reason,
    receivedAt: u.created_at,
  }));
}

/** One claim's postings and acknowledgements (the claim's payment history), through the record-access step. */
export async function claimRemittance(deps: ClaimsDeps, actor: Actor, claimId: string) {
  await requireClaimWork(deps, actor, 'claim');
  const list = await deps.records.openList(actor, listUse);
  const loc = (await repo.findClaimsByIds(deps.db, list, [claimId]))[0];
  if (!loc) throw notFound('claim');
  const scope = actor.system
    ? await openClaimRecord(deps, actor, loc)
    : await deps.records.open(actor, { patientId: loc.patient_id }, { ...listUse, mode: 'read', resourceId: claimId });
  return remittanceOf(deps, scope, claimId);
}

/** One claim's postings and acknowledgements through a scope already opened (no further audit). */
export async function remittanceOf(deps: Pick<ClaimsDeps, 'db'>, scope: RecordScope, claimId: string) {
  const postings = await repo.listClaimPostings(deps.db, scope, claimId);
  const acks = await repo.listClaimAcknowledgements(deps.db, scope, claimId);
  return {
    postings: postings.map((p) => ({
      id: p.id,
      kind: p.kind,
      claimStatus: p.claim_status,
      paidCents: p.paid_cents,
      contractualCents: p.contractual_cents,
      patientResponsibilityCents: p.patient_responsibility_cents,
      otherAdjustmentCents: p.other_adjustment_cents,
      adjustments: JSON.parse(p.adjustments) as PostedAdjustment[],
      remarks: JSON.parse(p.remarks) as string[],
      warnings: JSON.parse(p.warnings) as string[],
      reversesPostingId: p.reverses_posting_id,
      reversedByPostingId: p.reversed_by_posting_id,
      reason: p.reason,
      postedAt: p.posted_at,
    })),
    acknowledgements: acks.map((a) => ({
      kind: a.kind,
      outcome: a.outcome,
      errors: JSON.parse(a.errors) as { code: string; message: string }[],
      receivedAt: a.received_at,
    })),
  };
}

/**
 * Closes an item of the unmatched queue with what was done about it (refunded to the payer, posted by hand to an
 * account found later, sent back as not ours ...); audited. The CLP as read stays on the row.
 */
export async function resolveUnmatched(deps: ClaimsDeps, actor: Actor, id: string, resolution: string): Promise<void> {
  await requireClaimWork(deps, actor, 'remittance');
  const note = resolution.trim();
  if (note.length < 10) throw invalid('resolution: give at least 10 characters saying what was done');
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findUnmatched(trx, id);
    if (!row) throw notFound('unmatched remittance');
    if ((await repo.resolveUnmatchedRow(trx, id, { resolved_by: actor.userId, resolved_at: isoNow(deps.clock), resolution: note })) === 0)
      throw conflict('the unmatched remittance was resolved already');
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.update,
      resourceType: 'unmatched_remittance',
      resourceId: id,
      outcome: 'success',
      detail: { status: 'resolved' },
    });
  });
}
