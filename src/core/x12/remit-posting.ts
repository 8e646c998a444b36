/**
 * Posting rules for an 835 (pure; the storage and the posting service come with the claims tables, issue 20):
 * from a parsed remittance and a lookup of our claims by patient control number, the posting plan says what
 * each CLP posts to which claim, what goes to the unmatched-remittance queue, and what the provider-level (PLB)
 * adjustments are.
 *
 * Rules (005010X221A1 TR3 and common payment-posting practice):
 * - An unbalanced transaction (BPR02 != sum CLP04 - sum PLB, TR3 1.10.2.1.3) is reported, never posted.
 * - A CLP is matched to the claim by CLP01 = the CLM01 we sent; no match puts it on the unmatched queue.
 * - Payment is CLP04; CAS group CO is the contractual adjustment (written off, not billed to the patient), PR is
 *   patient responsibility (moved to the patient's balance), OA/PI/CR are other adjustments; claim-level and
 *   service-line CAS are added together (TR3: an adjustment is given at one level, not both).
 * - CLP02 = 22 is a reversal of an earlier payment: its amounts arrive negated and post as such, undoing the
 *   earlier posting; the corrected claim, if any, follows as its own CLP and posts as a payment.
 * - CLP02 = 4 is a denial (worked in the denials worklist by CARC); CLP02 = 23 (not our claim, forwarded) posts
 *   nothing and goes to review.
 */
import type { ProviderAdjustment, RemitAdjustment, RemitClaim, Remittance } from './parse-835.js';

/** The claim on file that a CLP may post to: what the posting rules need of it. */
export interface PostableClaim {
  readonly claimId: string;
  readonly patientControlNumber: string;
  /** Total charge billed (CLM02), to check against CLP03. */
  readonly charge: number;
}

/** Finds our claim by the patient control number (CLM01) sent in the 837. */
export type ClaimLookup = (patientControlNumber: string) => PostableClaim | undefined;

export type PostingKind = 'payment' | 'denial' | 'reversal' | 'not_our_claim';

export interface ClaimPosting {
  readonly claimId: string;
  readonly patientControlNumber: string;
  readonly payerClaimControlNumber: string;
  /** CLP02. */
  readonly status: string;
  readonly kind: PostingKind;
  readonly payment: number;
  /** Sum of CO adjustments. */
  readonly contractual: number;
  /** Sum of PR adjustments. */
  readonly patientResponsibility: number;
  /** Sum of OA, PI and CR adjustments. */
  readonly otherAdjustments: number;
  /** Claim and line CAS, as received (CARC codes shown with their group). */
  readonly adjustments: readonly Pick<RemitAdjustment, 'group' | 'reason' | 'amount'>[];
  readonly remarks: readonly string[];
  /** Things a biller should look at; the posting still goes ahead. */
  readonly warnings: readonly string[];
  /** The CLP segment. */
  readonly segment: number;
}

export interface UnmatchedRemit {
  readonly patientControlNumber: string;
  readonly payerClaimControlNumber: string;
  readonly status: string;
  readonly charge: number;
  readonly paid: number;
  readonly reason: string;
  readonly segment: number;
}

export interface PostingTotals {
  readonly payments: number;
  readonly contractual: number;
  readonly patientResponsibility: number;
  readonly otherAdjustments: number;
  readonly reversals: number;
  readonly unmatchedPaid: number;
  readonly providerAdjustments: number;
}

export interface PostingPlan {
  readonly controlNumber: string;
  readonly trace: string;
  readonly payer: string;
  readonly paymentAmount: number;
  readonly method: string;
  /** False when the transaction does not balance: nothing is posted. */
  readonly postable: boolean;
  readonly reason: string | undefined;
  readonly postings: readonly ClaimPosting[];
  readonly unmatched: readonly UnmatchedRemit[];
  readonly providerAdjustments: readonly ProviderAdjustment[];
  readonly totals: PostingTotals;
}

const cents = (n: number): number => Math.round(n * 100);
const sumCents = (xs: readonly number[]): number => xs.reduce((s, x) => s + cents(x), 0) / 100;

function kindOf(status: string): PostingKind {
  if (status === '22') return 'reversal';
  if (status === '4') return 'denial';
  if (status === '23') return 'not_our_claim';
  return 'payment';
}

/** What one CLP posts to one claim (its billed charge in dollars, to warn when CLP03 differs). */
export function postClaim(clp: RemitClaim, claimId: string, billedCharge: number): ClaimPosting {
  const adjustments = [...clp.adjustments, ...clp.serviceLines.flatMap((l) => l.adjustments)];
  const byGroup = (groups: readonly string[]): number => sumCents(adjustments.filter((a) => groups.includes(a.group)).map((a) => a.amount));
  const kind = kindOf(clp.status);
  const patientResponsibility = byGroup(['PR']);
  const warnings: string[] = [];
  if (kind !== 'reversal' && cents(clp.charge) !== cents(billedCharge)) {
    warnings.push(`CLP03 charge ${clp.charge.toFixed(2)} differs from the billed charge ${billedCharge.toFixed(2)}`);
  }
  if (cents(patientResponsibility) !== cents(clp.patientResponsibility)) {
    warnings.push(`PR adjustments ${patientResponsibility.toFixed(2)} differ from CLP05 ${clp.patientResponsibility.toFixed(2)}`);
  }
  const adjusted = sumCents(adjustments.map((a) => a.amount));
  if (cents(clp.charge) - cents(clp.paid) !== cents(adjusted)) {
    warnings.push(`charge less payment ${(clp.charge - clp.paid).toFixed(2)} differs from the adjustments ${adjusted.toFixed(2)}`);
  }
  return {
    claimId,
    patientControlNumber: clp.patientControlNumber,
    payerClaimControlNumber: clp.payerClaimControlNumber,
    status: clp.status,
    kind,
    payment: kind === 'not_our_claim' ? 0 : clp.paid,
    contractual: byGroup(['CO']),
    patientResponsibility,
    otherAdjustments: byGroup(['OA', 'PI', 'CR']),
    adjustments: adjustments.map(({ group, reason, amount }) => ({ group, reason, amount })),
    remarks: [...clp.remarks, ...clp.serviceLines.flatMap((l) => l.remarks)],
    warnings,
    segment: clp.segment,
  };
}

/** The posting plan of one 835 transaction (one payment). */
export function planRemittancePosting(remit: Remittance, findClaim: ClaimLookup): PostingPlan {
  const head = {
    controlNumber: remit.controlNumber,
    trace: remit.trace,
    payer: remit.payer,
    paymentAmount: remit.paymentAmount,
    method: remit.method,
  };
  if (!remit.balanced) {
    const zero: PostingTotals = {
      payments: 0,
      contractual: 0,
      patientResponsibility: 0,
      otherAdjustments: 0,
      reversals: 0,
      unmatchedPaid: 0,
      providerAdjustments: 0,
    };
    return {
      ...head,
      postable: false,
      reason: `unbalanced: ${remit.imbalances[0] ?? ''}`,
      postings: [],
      unmatched: [],
      providerAdjustments: [],
      totals: zero,
    };
  }
  const postings: ClaimPosting[] = [];
  const unmatched: UnmatchedRemit[] = [];
  for (const clp of remit.claims) {
    const claim = clp.patientControlNumber === '' ? undefined : findClaim(clp.patientControlNumber);
    if (!claim) {
      unmatched.push({
        patientControlNumber: clp.patientControlNumber,
        payerClaimControlNumber: clp.payerClaimControlNumber,
        status: clp.status,
        charge: clp.charge,
        paid: clp.paid,
        reason: 'no claim with this patient control number',
        segment: clp.segment,
      });
      continue;
    }
    postings.push(postClaim(clp, claim.claimId, claim.charge));
  }
  const posted = postings.filter((p) => p.kind !== 'not_our_claim');
  const totals: PostingTotals = {
    payments: sumCents(posted.filter((p) => p.kind !== 'reversal').map((p) => p.payment)),
    contractual: sumCents(posted.map((p) => p.contractual)),
    patientResponsibility: sumCents(posted.map((p) => p.patientResponsibility)),
    otherAdjustments: sumCents(posted.map((p) => p.otherAdjustments)),
    reversals: sumCents(posted.filter((p) => p.kind === 'reversal').map((p) => p.payment)),
    unmatchedPaid: sumCents(unmatched.map((u) => u.paid)),
    providerAdjustments: sumCents(remit.providerAdjustments.map((p) => p.amount)),
  };
  return { ...head, postable: true, reason: undefined, postings, unmatched, providerAdjustments: remit.providerAdjustments, totals };
}
