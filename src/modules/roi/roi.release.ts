/**
 * The outcomes of a release request: release (packet, disclosure recorded for the accounting, invoice), revocation
 * of the authorization (stops the pending release, 164.508(b)(5)), denial with its reason and review rights
 * (164.524(a)(2)-(4), (d)), the one extension with its written notice (164.524(b)(2)(ii), 164.528(c)(1)(ii)),
 * payment, and the patient's accounting of disclosures (164.528).
 */
import { createHash } from 'node:crypto';
import { DomainError, ErrorCode, conflict, invalid } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, type Actor } from '../access/index.js';
import { AuditAction } from '../audit/index.js';
import * as repo from './roi.repository.js';
import { accountingFrom, accountingIsFree, addDays, clockLimits, extensionProblem, feeOf, type ClockKind } from './roi.clock.rules.js';
import { REQUEST_TYPE_RULES, releaseBlockers, type RequesterType } from './roi.requests.rules.js';
import { DEFAULT_IDENTIFIERS, type IdentifierKind } from './roi.identifiers.js';
import { auditRoi, buildPacket, defectsOf, getRoiRequest, loadRequest, openRequest, today } from './roi.service.js';
import {
  DenySchema,
  ExtendSchema,
  factsOf,
  parseInput,
  PaymentSchema,
  RevokeSchema,
  type RoiDeps,
  type RoiRequestView,
} from './roi.views.js';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/**
 * Releases the request: nothing may block it (an authorization re-checked as of today, not revoked; the legal
 * document or assurance on file), the packet is built from the selected documents, the disclosure is recorded
 * (listed in the accounting when 164.528(a)(1) does not exempt it) and the invoice made. Answers the packet.
 */
export async function releaseRoiRequest(
  deps: RoiDeps,
  actor: Actor,
  id: string,
  opts: { postageCents?: number; flatElectronic?: boolean; identifiers?: readonly IdentifierKind[] } = {},
): Promise<{ request: RoiRequestView; packet: Uint8Array }> {
  const scope = await openRequest(deps, actor, id, 'write');
  const row = await loadRequest(deps, scope, id);
  if (row.status !== 'open') throw conflict(`the request is already ${row.status}`);
  if (row.clock_kind === 'accounting') throw invalid('an accounting request is answered with the accounting, not a release');
  const now = today(deps);
  // The authorization may have expired since it was checked (164.508(b)(2)(i)).
  const fresh = { ...row, authorization_defects: row.authorization ? JSON.stringify(defectsOf(JSON.parse(row.authorization), now)) : null };
  const blockers = releaseBlockers(factsOf(fresh));
  if (blockers.length > 0)
    throw new DomainError(ErrorCode.preconditionFailed, `cannot release: ${blockers.map((b) => `${b.code} (${b.citation})`).join(', ')}`, {
      blockers: blockers.map((b) => b.code),
    });
  const selected = JSON.parse(row.selected) as string[];
  if (selected.length === 0) throw invalid('select the documents to release first');
  const identifiers = [...new Set(opts.identifiers ?? DEFAULT_IDENTIFIERS)];
  const packet = await buildPacket(deps, actor, id, identifiers);
  const rule = REQUEST_TYPE_RULES[row.requester_type as RequesterType];
  const fee = feeOf({
    individual: rule.basis === 'individual_access',
    format: row.format as 'paper' | 'pdf' | 'electronic',
    pages: packet.pages,
    postageCents: row.delivery === 'mail' ? (opts.postageCents ?? 0) : 0,
    flatElectronic: opts.flatElectronic === true,
  });
  const at = isoNow(deps.clock);
  // Kept (encrypted, by hash) so a secure download link serves exactly what was disclosed (roi.delivery.ts).
  await deps.packets?.put(packet.bytes);
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateRequest(trx, scope, id, 'open', {
      status: 'released',
      closed_on: now,
      authorization_defects: fresh.authorization_defects,
      packet_sha256: createHash('sha256').update(packet.bytes).digest('hex'),
      packet_pages: packet.pages,
      updated_at: at,
    });
    if (!ok) throw conflict('the request changed meanwhile: open it again');
    await repo.insertDisclosure(trx, scope, {
      patient_id: scope.patientId,
      id: newId(),
      request_id: id,
      disclosed_on: now,
      recipient: row.requester_name,
      recipient_address: row.requester_address,
      description: `${selected.length} document(s), ${packet.pages} pages`,
      purpose: row.purpose ?? `request of ${row.received_on} (${row.requester_type.replace(/_/g, ' ')})`,
      basis: rule.basis,
      accountable: rule.accountable ? 1 : 0,
      created_by: actor.userId,
      created_at: at,
    });
    await repo.insertInvoice(trx, scope, {
      patient_id: scope.patientId,
      id: newId(),
      request_id: id,
      lines: JSON.stringify(fee.lines),
      total_cents: fee.totalCents,
      paid_cents: 0,
      paid_on: null,
      created_at: at,
    });
    await auditRoi(deps, trx, scope, AuditAction.release, id, {
      pages: packet.pages,
      documents: selected.length,
      accountable: rule.accountable,
      part2Notice: packet.part2,
      identifiers,
    });
  });
  return { request: await getRoiRequest(deps, actor, id), packet: packet.bytes };
}

/** The patient revoked the authorization in writing (164.508(b)(5)): a pending release no longer goes. */
export async function revokeAuthorization(deps: RoiDeps, actor: Actor, id: string, input: unknown): Promise<RoiRequestView> {
  const v = parseInput(RevokeSchema, input);
  if (v.revokedOn > today(deps)) throw invalid('revokedOn: cannot be in the future');
  const scope = await openRequest(deps, actor, id, 'write');
  const row = await loadRequest(deps, scope, id);
  if (row.authorization === null) throw invalid('the request has no authorization to revoke');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateRequest(trx, scope, id, 'open', { revoked_on: v.revokedOn, updated_at: isoNow(deps.clock) })))
      throw conflict('only an open request can be stopped; a release already made is not undone by a revocation (164.508(b)(5)(i))');
    await auditRoi(deps, trx, scope, AuditAction.revoke, id, { revokedOn: v.revokedOn });
  });
  return getRoiRequest(deps, actor, id);
}

/** Denies the request on a ground of 164.524(a)(2)-(3) (or no basis for a third party), with the written denial. */
export async function denyRoiRequest(deps: RoiDeps, actor: Actor, id: string, input: unknown): Promise<RoiRequestView> {
  const d = parseInput(DenySchema, input);
  const scope = await openRequest(deps, actor, id, 'write');
  const row = await loadRequest(deps, scope, id);
  const individual = REQUEST_TYPE_RULES[row.requester_type as RequesterType].basis === 'individual_access';
  if (individual === (d.ground === 'no_valid_basis'))
    throw invalid(
      individual
        ? 'ground: deny the individual access only on a ground of 45 CFR 164.524(a)(2)-(3)'
        : 'ground: a third-party request is denied for no_valid_basis',
    );
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateRequest(trx, scope, id, 'open', {
      status: 'denied',
      closed_on: today(deps),
      denial_ground: d.ground,
      denial_explanation: d.explanation,
      updated_at: isoNow(deps.clock),
    });
    if (!ok) throw conflict(`the request is already ${row.status}`);
    await auditRoi(deps, trx, scope, AuditAction.deny, id, { ground: d.ground });
  });
  return getRoiRequest(deps, actor, id);
}

/** The one extension, with the written notice of the reasons and the date (164.524(b)(2)(ii), 164.528(c)(1)(ii)). */
export async function extendRoiRequest(
  deps: RoiDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<RoiRequestView & { extensionNotice: string }> {
  const e = parseInput(ExtendSchema, input);
  if (e.noticeOn > today(deps)) throw invalid('noticeOn: cannot be in the future');
  const scope = await openRequest(deps, actor, id, 'write');
  const row = await loadRequest(deps, scope, id);
  const kind = row.clock_kind as ClockKind;
  const firstDue = addDays(row.received_on, clockLimits(kind, deps.roiClockPolicy).days);
  const newDueOn = e.newDueOn ?? addDays(firstDue, clockLimits(kind, deps.roiClockPolicy).extensionDays);
  const problem = extensionProblem(
    { kind, receivedOn: row.received_on, extendedDueOn: row.extended_due_on, closedOn: row.closed_on },
    deps.roiClockPolicy,
    { noticeOn: e.noticeOn, newDueOn, reason: e.reason },
  );
  if (problem) throw row.extended_due_on !== null || row.closed_on !== null ? conflict(problem) : invalid(problem);
  await deps.db.transaction().execute(async (trx) => {
    const set = { extended_due_on: newDueOn, extension_reason: e.reason, extension_notice_on: e.noticeOn, updated_at: isoNow(deps.clock) };
    if (!(await repo.extendOnce(trx, scope, id, set))) throw conflict('the time may be extended only once');
    await auditRoi(deps, trx, scope, AuditAction.extend, id, { dueOn: firstDue, extendedDueOn: newDueOn });
  });
  const view = await getRoiRequest(deps, actor, id);
  return { ...view, extensionNotice: view.extensionNotice ?? '' };
}

/** Records a payment of the request's invoice. A patient's access never waits on it (164.524(c)(4)). */
export async function recordRoiPayment(
  deps: RoiDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ totalCents: number; paidCents: number; lines: { label: string; cents: number }[] }> {
  const p = parseInput(PaymentSchema, input);
  const scope = await openRequest(deps, actor, id, 'write');
  const inv = await repo.findInvoice(deps.db, scope, id);
  if (!inv) throw invalid('the request has no invoice (it is made at release)');
  const paid = inv.paid_cents + p.cents;
  if (paid > inv.total_cents) throw invalid(`cents: more than the ${money(inv.total_cents - inv.paid_cents)} owed`);
  await deps.db.transaction().execute(async (trx) => {
    await repo.payInvoice(trx, scope, inv.id, { paid_cents: paid, paid_on: p.paidOn });
    await auditRoi(deps, trx, scope, AuditAction.payment, id, { cents: p.cents });
  });
  return { totalCents: inv.total_cents, paidCents: paid, lines: JSON.parse(inv.lines) as { label: string; cents: number }[] };
}

export interface AccountingView {
  patientId: string;
  requestedOn: string;
  from: string;
  free: boolean;
  entries: { disclosedOn: string; recipient: string; recipientAddress: string | null; description: string; purpose: string }[];
}

/**
 * Answers an accounting request: the accountable disclosures of the six years before it (164.528(a)(1), (b)(2)),
 * free when it is the first in 12 months (164.528(c)(2)). Closes the request.
 */
export async function answerAccountingRequest(deps: RoiDeps, actor: Actor, id: string): Promise<AccountingView> {
  const scope = await openRequest(deps, actor, id, 'write');
  const row = await loadRequest(deps, scope, id);
  if (row.clock_kind !== 'accounting') throw invalid('not an accounting request');
  const from = accountingFrom(row.received_on);
  const entries = (await repo.listDisclosures(deps.db, scope, from, true)).filter((d) => d.disclosed_on <= row.received_on);
  const free = accountingIsFree(row.received_on, await repo.accountingRequestDates(deps.db, scope, id));
  await deps.db.transaction().execute(async (trx) => {
    if (row.status === 'open')
      await repo.updateRequest(trx, scope, id, 'open', { status: 'released', closed_on: today(deps), updated_at: isoNow(deps.clock) });
    await auditRoi(deps, trx, scope, AuditAction.export, id, { entries: entries.length, free, permission: Permission.roiManage });
  });
  return {
    patientId: scope.patientId,
    requestedOn: row.received_on,
    from,
    free,
    entries: entries.map((d) => ({
      disclosedOn: d.disclosed_on,
      recipient: d.recipient,
      recipientAddress: d.recipient_address,
      description: d.description,
      purpose: d.purpose,
    })),
  };
}
