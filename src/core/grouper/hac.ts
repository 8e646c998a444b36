/**
 * Hospital-acquired conditions (CMS Definitions Manual, "Hospital-Acquired Conditions (HAC)"; POA
 * reporting not exempt). A secondary diagnosis on a HAC list whose other criteria are met (a procedure on
 * the HAC's procedure list, the obesity principal diagnosis for HAC 11, the catheter code for HAC 06):
 *   POA Y or W      -> not a HAC;
 *   POA N or U      -> the diagnosis does not count as CC/MCC for the final DRG;
 *   POA blank or 1  -> missing/invalid POA: the final DRG is ungroupable (999, HAC_MISSING_ONE_POA).
 */
import type { Claim } from '../claim/claim.js';
import type { Grouper } from './load-grouper.js';
import type { Scratch } from './engine.js';

export interface HacFinding {
  sdx: number;
  hac: string;
  poa: string;
  effect: 'none' | 'removed' | 'missing_poa';
}

export interface HacOutcome {
  /** Number of HAC dx whose CC/MCC is removed (POA N/U). */
  removed: number;
  /** Number of HAC dx with blank or '1' POA. */
  missing: number;
  findings: HacFinding[] | undefined;
}

function prHas(s: Scratch, g: Grouper, name: string): boolean {
  const id = g.attr(name);
  if (id === undefined) return false;
  return ((s.ctx.pr[id >>> 5] as number) & (1 << (id & 31))) !== 0;
}

function bitSet(bits: Int32Array, id: number | undefined): boolean {
  return id !== undefined && ((bits[id >>> 5] as number) & (1 << (id & 31))) !== 0;
}

function dxHas(g: Grouper, code: number, name: string): boolean {
  const id = g.attr(name);
  if (id === undefined) return false;
  for (let k = g.dx.attrOff[code] as number, e = g.dx.attrOff[code + 1] as number; k < e; k++) if (g.dx.attrIds[k] === id) return true;
  return false;
}

/** Whether the non-diagnosis criteria of a HAC hold for this claim. */
function criteriaMet(g: Grouper, s: Scratch, hac: string, code: number): boolean {
  switch (hac) {
    case 'HAC06':
      // Catheter-associated UTI: the catheter complication code (hac06_sdx) itself; the UTI codes
      // (hac06_show) are listed with it but are not HACs on their own.
      return dxHas(g, code, 'hac06_sdx');
    case 'HAC08':
      return prHas(s, g, 'hac08_proc');
    case 'HAC10':
      return prHas(s, g, 'hac10_proc');
    case 'HAC11':
      return bitSet(s.ctx.pdx, g.attr('hac11_pdx')) && prHas(s, g, 'hac11_proc');
    case 'HAC12':
      return prHas(s, g, 'hac12_proc');
    case 'HAC13':
      return prHas(s, g, 'hac13_proc');
    case 'HAC14':
      return prHas(s, g, 'hac14_proc');
    default:
      return /^HAC\d\d$/.test(hac);
  }
}

/**
 * Marks HAC secondary diagnoses in the scratch (sdxHac) and reports what it found.
 * A HAC is "triggered" when its criteria are met and its POA is not Y/W. When some HAC is triggered, any
 * secondary diagnosis on a HAC list (criteria met or not) with a blank or '1' POA makes the final DRG
 * ungroupable; otherwise the triggered diagnoses (POA N/U) lose their CC/MCC for the final DRG.
 */
export function evaluateHac(g: Grouper, s: Scratch, claim: Claim, explain: boolean): HacOutcome {
  let removed = 0;
  let missing = 0;
  let triggered = 0;
  let missingAnyList = 0;
  const findings: HacFinding[] | undefined = explain ? [] : undefined;
  // Fast exit: no secondary dx carries a HAC list attribute (HAC01..HAC14 are dx attributes).
  let any = 0;
  for (let w = 0; w < g.hacMask.length; w++) any |= (g.hacMask[w] as number) & (s.ctx.sdx[w] as number);
  if (any === 0) return { removed, missing, findings };
  for (let j = 0; j < s.nSdx; j++) {
    const code = s.sdxIdx[j] as number;
    if (code < 0) continue;
    const hacs = g.dx.hac[code];
    // Only a diagnosis that would count as CC/MCC can be a HAC (not one excluded by the principal dx).
    if (!hacs || s.sdxBase[j] === 0 || s.sdxExcl[j] === 1 || s.sdxDead[j] === 1) continue;
    const poa = claim.secondaryDx[j]?.poa ?? '';
    const poaMissing = poa !== 'Y' && poa !== 'W' && poa !== 'N' && poa !== 'U';
    let met: string | undefined;
    for (const hac of hacs) {
      if (/^HAC\d\d$/.test(hac) && criteriaMet(g, s, hac, code)) {
        met = hac;
        break;
      }
    }
    if (poaMissing && hacs.some((h) => /^HAC\d\d$/.test(h))) {
      missingAnyList++;
    }
    if (met === undefined) continue;
    let effect: HacFinding['effect'] = 'none';
    if (poa === 'N' || poa === 'U') {
      removed++;
      triggered++;
      s.sdxHac[j] = 1;
      effect = 'removed';
    } else if (poaMissing) {
      missing++;
      triggered++;
      s.sdxHac[j] = 1;
      effect = 'missing_poa';
    }
    findings?.push({ sdx: j, hac: met, poa, effect });
  }
  if (triggered > 0 && missingAnyList > 0) missing = missingAnyList;
  return { removed, missing, findings };
}
