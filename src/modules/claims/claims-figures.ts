/**
 * Revenue-cycle figures for the HIM director's dashboard (src/modules/reports): accounts receivable by age and the
 * denials in force, aggregates only. Every released claim counts, restricted records included (they are counted,
 * never shown; no row leaves this function).
 */
import type { Db } from '../../db/database.js';
import type { ListScope } from '../access/index.js';
import * as repo from './claims-remit.repository.js';
import { denialWorkSummary } from './claims-work.repository.js';
import {
  ageBucket,
  AGE_BUCKETS,
  daysSince,
  denialGroups,
  payerBalance,
  type AgeBucket,
  type PostedAdjustment,
} from './claims-remit.rules.js';

type ReleasedClaim = Awaited<ReturnType<typeof repo.listReleasedClaimBalances>>[number];

/** A released claim's balance with the payer, less what the biller wrote off (claims-work). */
export function releasedClaimBalance(c: ReleasedClaim, writtenOffCents: number): number {
  return (
    -writtenOffCents +
    payerBalance({
      chargeCents: c.total_cents,
      paidCents: Number(c.paid),
      contractualCents: Number(c.contractual),
      patientResponsibilityCents: Number(c.patient_responsibility),
      otherAdjustmentCents: Number(c.other),
    })
  );
}

export interface ReceivableFigures {
  /** Released claims with a balance other than zero, and the sum of their balances. */
  arClaims: number;
  arCents: number;
  /** Balance by days since release. */
  arByAge: Record<AgeBucket, number>;
  /** Released claims with a payment or denial posted. */
  adjudicatedClaims: number;
  /** Claims with a denial in force (CLP02 4 or nothing paid), their charges, by CAS group and by the biller's work. */
  deniedClaims: number;
  deniedChargeCents: number;
  denialsByGroup: Record<string, number>;
  denialsByWork: Record<string, number>;
  /** Denied over adjudicated claims; null when none is adjudicated. */
  denialRate: number | null;
}

/** A/R and denials on `asOf` (YYYY-MM-DD). */
export async function receivableFigures(db: Db, list: ListScope, asOf: string): Promise<ReceivableFigures> {
  const work = await denialWorkSummary(db, list);
  const claims = await repo.listReleasedClaimBalances(db, list);
  const arByAge = Object.fromEntries(AGE_BUCKETS.map((b) => [b, 0])) as Record<AgeBucket, number>;
  let arClaims = 0;
  let arCents = 0;
  for (const c of claims) {
    if (!c.released_at) continue;
    const balance = releasedClaimBalance(c, work.get(c.id)?.writtenOffCents ?? 0);
    if (balance === 0) continue;
    arByAge[ageBucket(daysSince(c.released_at, asOf))] += balance;
    arClaims += 1;
    arCents += balance;
  }
  const charge = new Map(claims.map((c) => [c.id, c.total_cents]));
  const adjudicated = new Set<string>();
  const denied = new Set<string>();
  const denialsByGroup: Record<string, number> = {};
  for (const p of await repo.listPostingsInForce(db, list)) {
    adjudicated.add(p.claim_id);
    const groups = denialGroups({ kind: p.kind, paidCents: p.paid_cents, adjustments: JSON.parse(p.adjustments) as PostedAdjustment[] });
    if (!groups || denied.has(p.claim_id)) continue;
    denied.add(p.claim_id);
    for (const g of groups) denialsByGroup[g] = (denialsByGroup[g] ?? 0) + 1;
  }
  const denialsByWork: Record<string, number> = {};
  for (const id of denied) {
    const status = work.get(id)?.status ?? 'open';
    denialsByWork[status] = (denialsByWork[status] ?? 0) + 1;
  }
  return {
    arClaims,
    arCents,
    arByAge,
    adjudicatedClaims: adjudicated.size,
    deniedClaims: denied.size,
    deniedChargeCents: [...denied].reduce((s, id) => s + (charge.get(id) ?? 0), 0),
    denialsByGroup,
    denialsByWork,
    denialRate: adjudicated.size === 0 ? null : Math.round((denied.size / adjudicated.size) * 10_000) / 10_000,
  };
}
