/**
 * What-if analysis for coders and CDI: the DRG with each secondary diagnosis removed, each procedure
 * removed, and with candidate codes added. Each scenario is a full regrouping of a modified claim.
 */
import type { Claim, ClaimDx } from '../claim/claim.js';
import { groupClaim } from './group-claim.js';
import type { Grouper } from './load-grouper.js';
import type { GroupResult } from './types.js';

export interface WhatIfScenario {
  change: string;
  finalDrg: string;
  drgTitle: string;
  severity: GroupResult['severity'];
  /** True when the final DRG differs from the claim as coded. */
  changesDrg: boolean;
}

export interface WhatIfCandidates {
  /** Secondary diagnoses to try adding one at a time (POA defaults to Y). */
  secondaryDx?: (string | ClaimDx)[];
  /** Procedures to try adding one at a time. */
  procedures?: string[];
}

export interface WhatIfResult {
  baseline: GroupResult;
  withoutSecondaryDx: (WhatIfScenario & { code: string; index: number })[];
  withoutProcedure: (WhatIfScenario & { code: string; index: number })[];
  withAdded: (WhatIfScenario & { code: string; kind: 'secondaryDx' | 'procedure' })[];
}

function scenario(g: Grouper, claim: Claim, change: string, baseline: GroupResult): WhatIfScenario {
  const r = groupClaim(g, claim);
  return { change, finalDrg: r.finalDrg, drgTitle: r.drgTitle, severity: r.severity, changesDrg: r.finalDrg !== baseline.finalDrg };
}

/** Regroups the claim with each secondary dx removed, each procedure removed, and each candidate added. */
export function whatIf(g: Grouper, claim: Claim, candidates: WhatIfCandidates = {}): WhatIfResult {
  const baseline = groupClaim(g, claim);
  const withoutSecondaryDx = claim.secondaryDx.map((dx, index) => ({
    code: dx.code,
    index,
    ...scenario(g, { ...claim, secondaryDx: claim.secondaryDx.filter((_, j) => j !== index) }, `remove secondary dx ${dx.code}`, baseline),
  }));
  const withoutProcedure = claim.procedures.map((p, index) => ({
    code: p.code,
    index,
    ...scenario(g, { ...claim, procedures: claim.procedures.filter((_, j) => j !== index) }, `remove procedure ${p.code}`, baseline),
  }));
  const withAdded: WhatIfResult['withAdded'] = [];
  for (const c of candidates.secondaryDx ?? []) {
    const dx: ClaimDx = typeof c === 'string' ? { code: c, poa: 'Y' } : c;
    withAdded.push({
      code: dx.code,
      kind: 'secondaryDx',
      ...scenario(g, { ...claim, secondaryDx: [...claim.secondaryDx, dx] }, `add secondary dx ${dx.code}`, baseline),
    });
  }
  for (const code of candidates.procedures ?? []) {
    withAdded.push({
      code,
      kind: 'procedure',
      ...scenario(g, { ...claim, procedures: [...claim.procedures, { code }] }, `add procedure ${code}`, baseline),
    });
  }
  return { baseline, withoutSecondaryDx, withoutProcedure, withAdded };
}
