/**
 * After the payer answered: replacement (frequency 7) and void (8) claims of a paid or denied claim, the claim to the
 * next payer once the primary posted, and posting a queued (unmatched) CLP to a claim found later.
 *
 * - A replacement or void takes the released claim's place (same id and CLM01, so the payer's reversal of the original
 *   and its payment of the replacement post to it); what was sent is kept in `prior_submissions`. 2300 REF*F8 carries
 *   the payer's claim control number (CLP07) of the posting in force (TR3 2300 REF*F8: required when CLM05-3 is 7 or 8).
 *   A replacement is rebuilt from the encounter as it is now; a void repeats the claim as sent. A claim voided and
 *   released is not corrected again.
 * - A secondary claim is the encounter's claim to the coverage after the primary's, built with the primary's postings in
 *   force (claims-cob.rules.ts).
 * - An unmatched CLP is posted to the released claim named, or to the one with its CLP01 (the claim appeared later);
 *   the queue row is resolved with the posting's id. Each opens the claim's record (`claim:manage`, write) and audits.
 */
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import type { Claim837 } from '../../core/x12/build-837-types.js';
import type { RemitClaim } from '../../core/x12/parse-835.js';
import { postClaim } from '../../core/x12/remit-posting.js';
import { Permission, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { ClaimKind, ClaimStatus } from './claims-assemble.rules.js';
import { adjudicationOf } from './claims-cob.rules.js';
import * as remitRepo from './claims-remit.repository.js';
import { openClaimRecord, requireClaimWork, storePosting, type PostedClaim } from './claims-remit.service.js';
import * as repo from './claims.repository.js';
import { buildClaimInScope, type ClaimsDeps, type ClaimView } from './claims.service.js';

async function openClaimToWrite(deps: ClaimsDeps, actor: Actor, claimId: string): Promise<RecordScope> {
  const loc = await repo.locateClaim(deps.db, claimId);
  if (!loc) throw notFound('claim');
  return deps.records.open(
    actor,
    { encounterId: loc.encounter_id },
    { permission: Permission.claimManage, mode: 'write', resourceType: 'claim', resourceId: claimId },
  );
}

async function benefitOrderOf(deps: ClaimsDeps, scope: RecordScope, coverageId: string): Promise<number> {
  const order = await repo.findCoverageOrder(deps.db, scope, coverageId);
  if (order === undefined) throw invalid("the claim's coverage is no longer on file");
  return order;
}

/**
 * Builds the replacement (7) or void (8) of a released claim the payer paid or denied: scrubbed and stored `ready`
 * (or `draft` with findings) in the claim's place, to go out with the next release.
 */
export async function buildCorrectedClaim(deps: ClaimsDeps, actor: Actor, claimId: string, frequencyCode: '7' | '8'): Promise<ClaimView> {
  const scope = await openClaimToWrite(deps, actor, claimId);
  const row = await repo.findClaim(deps.db, scope, claimId);
  if (!row) throw notFound('claim');
  if (row.status !== ClaimStatus.released) throw conflict('only a released claim is replaced or voided: rebuild it instead');
  const sent = JSON.parse(row.data) as Claim837;
  if (sent.frequencyCode === '8') throw conflict('the claim was voided: build a new claim instead');
  const inForce = await remitRepo.listClaimPostingsInForce(deps.db, scope, claimId);
  const icn = inForce
    .map((p) => p.payer_claim_control_number)
    .filter((n) => n !== '')
    .at(-1);
  if (!icn) throw invalid('the payer has not paid or denied this claim: there is no payer claim control number to replace or void');
  const input = { kind: row.kind as ClaimKind, benefitOrder: await benefitOrderOf(deps, scope, row.coverage_id) };
  return buildClaimInScope(deps, actor, scope, input, {
    frequencyCode,
    originalClaimNumber: icn,
    ...(frequencyCode === '8' ? { voidOf: sent } : {}),
  });
}

/**
 * Builds the claim to the next payer (order of benefits + 1) of a released claim whose payer posted, with what that
 * payer paid and adjusted (2320) and each line's adjudication (2430).
 */
export async function buildSecondaryClaim(deps: ClaimsDeps, actor: Actor, claimId: string): Promise<ClaimView> {
  const scope = await openClaimToWrite(deps, actor, claimId);
  const row = await repo.findClaim(deps.db, scope, claimId);
  if (!row) throw notFound('claim');
  if (row.status !== ClaimStatus.released) throw conflict('the claim was not released: the next payer is billed after this one answers');
  if ((await remitRepo.listClaimPostingsInForce(deps.db, scope, claimId)).length === 0)
    throw invalid('the payer has not paid or denied this claim yet: post its remittance first');
  const order = (await benefitOrderOf(deps, scope, row.coverage_id)) + 1;
  return buildClaimInScope(deps, actor, scope, { kind: row.kind as ClaimKind, benefitOrder: order });
}

/**
 * Posts a queued CLP (no claim had its patient control number when the 835 came) to the released claim `claimId`, or
 * to the one whose CLM01 is the CLP01 when none is named; the queue row is resolved in the same transaction.
 */
export async function postUnmatchedToClaim(deps: ClaimsDeps, actor: Actor, unmatchedId: string, claimId?: string): Promise<PostedClaim> {
  await requireClaimWork(deps, actor, 'remittance');
  const u = await remitRepo.findUnmatched(deps.db, unmatchedId);
  if (!u) throw notFound('unmatched remittance');
  if (u.status !== 'open') throw conflict('the unmatched remittance was resolved already');
  if (u.claim_status === '23') throw invalid('the payer answered not our claim (CLP02 23): there is nothing to post');
  const clp = JSON.parse(u.remit_claim) as RemitClaim | null;
  if (!clp) throw invalid('the remittance was not kept as read: it cannot be posted');
  const list = await deps.records.openList(actor, { permission: Permission.claimManage, resourceType: 'claim' });
  const target = claimId
    ? await remitRepo.findPostableClaim(deps.db, list, claimId)
    : (await remitRepo.findReleasedClaimsByControlNumber(deps.db, list, [u.patient_control_number]))[0];
  if (!target) throw claimId ? notFound('claim') : invalid('no released claim has this patient control number yet: name the claim');
  const scope = await openClaimRecord(deps, actor, target);
  const now = isoNow(deps.clock);
  const posting = postClaim(clp, target.id, target.total_cents / 100);
  const warnings =
    target.patient_control_number === clp.patientControlNumber
      ? posting.warnings
      : [...posting.warnings, 'posted by hand to a claim with another patient control number'];
  return deps.db.transaction().execute(async (trx) => {
    const posted = await storePosting(deps, trx, scope, {
      posting: { ...posting, warnings },
      remittanceId: u.remittance_id,
      actor,
      now,
      adjudication: JSON.stringify(adjudicationOf(clp)),
    });
    const done = await remitRepo.resolveUnmatchedRow(trx, unmatchedId, {
      resolved_by: actor.userId,
      resolved_at: now,
      resolution: `posted to claim ${target.id} (posting ${posted.postingId})`,
    });
    if (done === 0) throw conflict('the unmatched remittance was resolved at the same time');
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.update,
      resourceType: 'unmatched_remittance',
      resourceId: unmatchedId,
      outcome: 'success',
      detail: { status: 'resolved', postingId: posted.postingId, claimId: target.id },
    });
    return posted;
  });
}
