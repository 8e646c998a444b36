/**
 * Claim acknowledgements (issue 20): a 999/997 (005010X231A1) or 277CA (005010X214) file read by
 * `parseAcknowledgements` is stored against our released claims: a 277CA claim by its TRN02 patient control number,
 * a 999 transaction set by the ISA13/ST02 its claims went out in (every claim of a rejected set is rejected; IK3
 * segment errors whose CTX names a CLM01 go to that claim only). Each claim is opened through the record-access step
 * and each result audited. TA1 and acknowledgements that match no claim are reported, not stored. A file received
 * before is refused.
 */
import { createHash } from 'node:crypto';
import { conflict, invalid } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { parseAcknowledgements, type ClaimAcknowledgement, type ImplementationAck } from '../../core/x12/parse-ack.js';
import { Permission, scopeDetail, type Actor, type ListScope, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './claims-remit.repository.js';
import { openClaimRecord, requireClaimWork } from './claims-remit.service.js';
import type { ClaimsDeps } from './claims.service.js';

export interface AckError {
  code: string;
  message: string;
}

export interface AckClaimResult {
  kind: string;
  patientControlNumber: string;
  /** Null when no released claim matched. */
  claimId: string | null;
  outcome: string;
  errors: AckError[];
}

export interface AckFileResult {
  sha256: string;
  claims: AckClaimResult[];
  /** Acknowledgements not against a claim (TA1), one line each. */
  notes: string[];
}

type ClaimRef = { id: string; patient_id: string; encounter_id: string; patient_control_number: string };
type Pending = { kind: string; pcn: string; claim: ClaimRef | undefined; outcome: string; errors: AckError[] };

async function from277(deps: ClaimsDeps, list: ListScope, a: ClaimAcknowledgement): Promise<Pending[]> {
  const found = await repo.findReleasedClaimsByControlNumber(
    deps.db,
    list,
    a.claims.map((c) => c.patientControlNumber),
  );
  return a.claims.map((c) => ({
    kind: a.kind,
    pcn: c.patientControlNumber,
    claim: found.find((f) => f.patient_control_number === c.patientControlNumber),
    outcome: c.outcome,
    errors: c.statuses.map((s) => ({
      code: [s.category, s.code, s.entity].filter(Boolean).join(':'),
      message: s.categoryText ?? `status category ${s.category}`,
    })),
  }));
}

async function from999(deps: ClaimsDeps, list: ListScope, a: ImplementationAck): Promise<Pending[]> {
  const out: Pending[] = [];
  for (const t of a.transactions) {
    const claims = await repo.findReleasedClaimsOfTransaction(deps.db, list, a.groupControlNumber, t.controlNumber);
    for (const c of claims) {
      const errors: AckError[] = t.errorCodes.map((code) => ({
        code: `IK5-${code}`,
        message: `transaction set ${t.controlNumber} error ${code}`,
      }));
      for (const s of t.segmentErrors.filter((s) => !s.patientControlNumber || s.patientControlNumber === c.patient_control_number)) {
        errors.push({
          code: `IK3-${s.code}`,
          message: `${s.segmentId} at position ${String(s.position ?? '?')} (loop ${s.loop || '?'}) error ${s.code}`,
        });
        for (const e of s.elements)
          errors.push({
            code: `IK4-${e.code}`,
            message: `element ${String(e.position ?? '?')}${e.component ? `-${String(e.component)}` : ''} (ref ${e.reference}) error ${e.code}`,
          });
      }
      out.push({ kind: a.kind, pcn: c.patient_control_number, claim: c, outcome: t.accepted ? 'accepted' : 'rejected', errors });
    }
    if (claims.length === 0)
      out.push({ kind: a.kind, pcn: '', claim: undefined, outcome: t.accepted ? 'accepted' : 'rejected', errors: [] });
  }
  return out;
}

/** Stores a 999/997 or 277CA file's results against our claims. Throws `conflict` for a file received before. */
export async function recordAcknowledgement(deps: ClaimsDeps, actor: Actor, fileText: string): Promise<AckFileResult> {
  await requireClaimWork(deps, actor, 'claim_acknowledgement');
  const sha256 = createHash('sha256').update(fileText).digest('hex');
  const before = await repo.ackFileReceived(deps.db, sha256);
  if (before) throw conflict(`this acknowledgement file was received before (at ${before.received_at})`);
  const parsed = parseAcknowledgements(fileText);
  if (parsed.acknowledgements.length === 0)
    throw invalid(`not a readable acknowledgement file: ${parsed.errors[0]?.message ?? 'no TA1, 999 or 277CA in it'}`);
  const list = await deps.records.openList(actor, { permission: Permission.claimManage, resourceType: 'claim' });
  const pending: Pending[] = [];
  const notes: string[] = [];
  for (const a of parsed.acknowledgements) {
    if (a.kind === 'TA1') notes.push(`TA1 interchange ${a.controlNumber}: ${a.meaning}`);
    else if ('transactions' in a) pending.push(...(await from999(deps, list, a)));
    else pending.push(...(await from277(deps, list, a)));
  }
  const opened: (RecordScope | null)[] = [];
  for (const p of pending) opened.push(p.claim ? await openClaimRecord(deps, actor, p.claim) : null);
  const now = isoNow(deps.clock);
  await deps.db.transaction().execute(async (trx) => {
    for (const [i, p] of pending.entries()) {
      const scope = opened[i];
      if (!p.claim || !scope) continue;
      const id = newId();
      await repo.insertAcknowledgement(trx, scope, {
        id,
        claim_id: p.claim.id,
        kind: p.kind,
        outcome: p.outcome,
        errors: JSON.stringify(p.errors),
        file_sha256: sha256,
        received_by: actor.userId,
        received_at: now,
      });
      await recordAudit(trx, deps.audit, scope.actor, {
        action: AuditAction.acknowledge,
        resourceType: 'claim',
        resourceId: p.claim.id,
        patientId: scope.patientId,
        outcome: 'success',
        detail: scopeDetail(scope, { kind: p.kind, outcome: p.outcome, acknowledgement: id }),
      });
    }
  });
  return {
    sha256,
    claims: pending.map((p) => ({
      kind: p.kind,
      patientControlNumber: p.pcn,
      claimId: p.claim?.id ?? null,
      outcome: p.outcome,
      errors: p.errors,
    })),
    notes,
  };
}
