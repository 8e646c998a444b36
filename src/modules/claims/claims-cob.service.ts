/**
 * Loads what earlier payers decided on an encounter's claims of one kind, for the claim to the next payer (secondary,
 * tertiary): their postings in force, read through the claim's record scope, turned into the 2320 and 2430 data by
 * `claims-cob.rules.ts`. A payer whose claim was not released or has no posting in force contributes nothing (the
 * claim goes without its COB data and the scrubber does not invent it).
 */
import type { Claim837, LineAdjudication } from '../../core/x12/build-837-types.js';
import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import type { CoverageForClaim, PriorPayment } from './claims-assemble.rules.js';
import { priorAdjudication, type LineToMatch, type PostingAdjudication } from './claims-cob.rules.js';
import * as remitRepo from './claims-remit.repository.js';
import * as repo from './claims.repository.js';

export interface EarlierPayers {
  priorPayments: PriorPayment[];
  /** Per claim line (same index), the line adjudications of the earlier payers, in payer order. */
  lineAdjudications: LineAdjudication[][];
  warnings: string[];
}

/** The lines of an assembled claim as the 835 matching needs them. */
export function linesToMatch(claim: Claim837): LineToMatch[] {
  if (claim.kind === '837I')
    return claim.lines.map((l) => ({
      procedureCode: l.hcpcs ?? null,
      modifiers: l.modifiers ?? [],
      revenueCode: l.revenueCode,
      chargeCents: l.chargeCents,
    }));
  return claim.lines.map((l) => ({
    procedureCode: l.procedureCode,
    modifiers: l.modifiers ?? [],
    revenueCode: null,
    chargeCents: l.chargeCents,
  }));
}

/** What the payers before `destinationOrder` decided on the encounter's claims of this kind. */
export async function loadEarlierPayers(
  db: Db,
  scope: RecordScope,
  kind: string,
  coverages: readonly CoverageForClaim[],
  destinationOrder: number,
  lines: readonly LineToMatch[],
): Promise<EarlierPayers> {
  const out: EarlierPayers = { priorPayments: [], lineAdjudications: lines.map(() => []), warnings: [] };
  const earlier = coverages.filter((c) => c.benefitOrder < destinationOrder).sort((a, b) => a.benefitOrder - b.benefitOrder);
  for (const cov of earlier) {
    const claim = await repo.findClaimOfEncounter(db, scope, kind, cov.id);
    if (!claim || (!claim.released_at && claim.prior_submissions === '[]')) continue;
    const postings = await remitRepo.listClaimPostingsInForce(db, scope, claim.id);
    if (postings.length === 0) continue;
    const r = priorAdjudication(
      cov.id,
      cov.payer.payerId,
      postings.map((p) => ({
        paidCents: p.paid_cents,
        adjustments: JSON.parse(p.adjustments) as PostingAdjudication['claimAdjustments'],
        adjudication: p.adjudication ? (JSON.parse(p.adjudication) as PostingAdjudication) : null,
        paymentDate: p.payment_date ?? p.posted_at,
      })),
      lines,
    );
    out.priorPayments.push(r.prior);
    r.lines.forEach((l, i) => {
      if (l) out.lineAdjudications[i]?.push(l);
    });
    out.warnings.push(...r.warnings);
  }
  return out;
}

/** The claim with each line's 2430 adjudications attached. */
export function withLineAdjudications<C extends Claim837>(claim: C, perLine: readonly LineAdjudication[][]): C {
  const lines = claim.lines.map((l, i) => {
    const a = perLine[i] ?? [];
    return a.length > 0 ? { ...l, adjudications: a } : l;
  });
  return { ...claim, lines };
}
