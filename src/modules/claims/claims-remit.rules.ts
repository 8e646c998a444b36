/**
 * Pure rules of the remittance read models: A/R ageing buckets and the balance of a claim, and what counts as a
 * denial for the denials worklist. No I/O.
 *
 * A/R (common hospital revenue-cycle practice, HFMA MAP keys): a released claim's balance with the payer is its
 * charge less what the payer paid less the adjustments posted (contractual CO, other OA/PI/CR, and patient
 * responsibility PR, which moves to the patient's balance); it is aged by whole days since release, in the buckets
 * 0-30, 31-60, 61-90, 91-120 and over 120.
 */

export const AGE_BUCKETS = ['0-30', '31-60', '61-90', '91-120', '>120'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** Whole days from the release date to the as-of date (UTC calendar days). */
export function daysSince(releasedAt: string, asOf: string): number {
  const a = Date.UTC(Number(releasedAt.slice(0, 4)), Number(releasedAt.slice(5, 7)) - 1, Number(releasedAt.slice(8, 10)));
  const b = Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)) - 1, Number(asOf.slice(8, 10)));
  return Math.floor((b - a) / 86_400_000);
}

export function ageBucket(days: number): AgeBucket {
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  if (days <= 120) return '91-120';
  return '>120';
}

export interface ClaimSums {
  chargeCents: number;
  paidCents: number;
  contractualCents: number;
  patientResponsibilityCents: number;
  otherAdjustmentCents: number;
}

/** Balance with the payer: charge - paid - adjustments (CO, PR, OA/PI/CR). */
export const payerBalance = (s: ClaimSums): number =>
  s.chargeCents - s.paidCents - s.contractualCents - s.patientResponsibilityCents - s.otherAdjustmentCents;

export interface PostedAdjustment {
  group: string;
  reason: string;
  amountCents: number;
}

/**
 * A posting in force is a denial for the worklist when the payer denied the claim (CLP02 4) or paid nothing; its
 * worklist groups are the CAS groups of its adjustments other than PR (the patient's share is not a denial), or
 * `none` when the payer gave none.
 */
export function denialGroups(p: { kind: string; paidCents: number; adjustments: readonly PostedAdjustment[] }): string[] | null {
  if (p.kind !== 'denial' && p.paidCents !== 0) return null;
  const groups = [...new Set(p.adjustments.filter((a) => a.group !== 'PR').map((a) => a.group))].sort();
  return groups.length > 0 ? groups : ['none'];
}
