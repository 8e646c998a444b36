/**
 * Human-readable explanation of a grouping: which formula row chose the DRG, why the principal diagnosis
 * led to the MDC, which secondary diagnoses made the CC/MCC and which were excluded and by what.
 */
import type { Claim } from '../claim/claim.js';
import type { Assignment, Scratch } from './engine.js';
import { dxHasAttr } from './engine.js';
import type { HacOutcome } from './hac.js';
import type { Grouper } from './load-grouper.js';
import { formulaOperands } from './formula.js';
import type { GroupExplanation, SdxExplanation } from './types.js';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const SEV = ['NON_CC', 'CC', 'MCC'] as const;

function mdcReason(g: Grouper, s: Scratch, claim: Claim, a: Assignment): string {
  const code = claim.principalDx.code;
  if (s.pdx < 0) return `principal diagnosis ${code} is not a valid ICD-10-CM code for MS-DRG ${g.version}`;
  if (a.row && a.row.mdc === 0 && a.row.drg !== '000')
    return `pre-MDC: formula "${a.row.formula}" matched before MDC assignment (the output keeps MDC ${pad2(a.mdc)} of the principal diagnosis)`;
  if (a.reroutedFrom >= 0) return `pre-MDC rule rerouted the claim from MDC ${pad2(a.reroutedFrom)} to MDC ${pad2(a.mdc)}`;
  const male = g.dx.mdcMale[s.pdx] as number;
  const female = g.dx.mdcFemale[s.pdx] as number;
  if (male || female) return `principal diagnosis ${code} is sex-dependent: sex ${claim.sex} -> MDC ${pad2(a.mdc)}`;
  return `principal diagnosis ${code} belongs to MDC ${pad2(g.dx.mdc[s.pdx] as number)}`;
}

function sdxExplanations(g: Grouper, s: Scratch, claim: Claim, a: Assignment, flags: readonly string[]): SdxExplanation[] {
  const out: SdxExplanation[] = [];
  const group = s.pdx >= 0 ? (g.dx.exclGroup[s.pdx] as number) : -1;
  for (let j = 0; j < s.nSdx; j++) {
    const code = claim.secondaryDx[j]?.code ?? '';
    const idx = s.sdxIdx[j] as number;
    const flag = (flags[j] ?? 'NEITHER') as SdxExplanation['flag'];
    const tableSeverity = idx < 0 ? 'INVALID' : (SEV[s.sdxBase[j] as number] ?? 'NON_CC');
    let reason: string;
    if (idx < 0) reason = 'not a valid code: ignored';
    else if (s.sdxDead[j] === 1) reason = 'counts as CC/MCC only if the patient is discharged alive';
    else if (flag === 'NEITHER' && s.sdxHac[j] === 1)
      reason = 'hospital-acquired condition (HAC) not present on admission: no CC/MCC in the final DRG';
    else if (s.sdxBase[j] === 0) reason = 'not a CC or MCC';
    else if (flag === 'NEITHER') reason = 'ungroupable claim: no CC/MCC';
    else if (s.sdxExcl[j] === 1)
      reason = `excluded as CC/MCC by the principal diagnosis ${claim.principalDx.code} (CC-exclusion group ${g.exclusionGroups[group]?.name ?? '?'})`;
    else if (flag.endsWith('_BY_DRG_LOGIC')) {
      const by = a.suppressIds.filter((id) => dxHasAttr(g, idx, id)).map((id) => g.attrs.names[id]);
      reason = `does not count as CC/MCC in DRG ${a.drg}: the DRG's formula uses it (${by.join(', ')})`;
    } else reason = `counts as ${tableSeverity}`;
    out.push({ code, flag, tableSeverity, reason });
  }
  return out;
}

function surgicalProcedures(g: Grouper, claim: Claim): string[] {
  const nonor = g.ids.or;
  return claim.procedures
    .map((p) => p.code.toUpperCase())
    .filter((code) => {
      const i = g.pr.index.get(code);
      if (i < 0) return false;
      for (let k = g.pr.attrOff[i] as number, e = g.pr.attrOff[i + 1] as number; k < e; k++) if (g.pr.attrIds[k] === nonor) return false;
      return true;
    });
}

function ruleOf(a: Assignment): GroupExplanation['drgRule'] {
  if (a.row && !a.step) return { mdc: pad2(a.row.mdc), rank: a.row.rank, drg: a.drg, formula: a.row.formula };
  return { step: a.step ?? (a.row ? `${a.row.formula} -> ${a.returnCode}` : a.returnCode) };
}

/** Procedures whose attributes appear in the formula that chose the DRG (what made it surgical). */
function formulaProcedures(g: Grouper, claim: Claim, a: Assignment): string[] {
  if (!a.row) return [];
  const names = new Set(formulaOperands(a.row.formula));
  if (a.row.drg === '000' && a.row.rerouteMdc === 29) return surgicalProcedures(g, claim); // 981-989
  return claim.procedures
    .map((p) => p.code.toUpperCase())
    .filter((code) => {
      const i = g.pr.index.get(code);
      if (i < 0) return false;
      for (let k = g.pr.attrOff[i] as number, e = g.pr.attrOff[i + 1] as number; k < e; k++) {
        if (names.has(g.attrs.names[g.pr.attrIds[k] as number] ?? '')) return true;
      }
      return false;
    });
}

/** Builds the explanation of a grouping from the engine's working state and the result's flags. */
export function buildExplanation(
  g: Grouper,
  s: Scratch,
  claim: Claim,
  initial: Assignment,
  final: Assignment,
  hac: HacOutcome | undefined,
  flags: readonly string[],
): GroupExplanation {
  const flagSource = final.level >= 0 ? final : initial;
  return {
    version: g.version,
    mdcReason: mdcReason(g, s, claim, initial),
    drgRule: ruleOf(final),
    initialDrgRule: final === initial ? undefined : ruleOf(initial),
    orProcedures: surgicalProcedures(g, claim),
    formulaProcedures: formulaProcedures(g, claim, flagSource),
    secondaryDx: sdxExplanations(g, s, claim, flagSource, flags),
    hac: (hac?.findings ?? []).map((f) => ({
      code: claim.secondaryDx[f.sdx]?.code ?? '',
      hac: f.hac,
      poa: f.poa,
      effect:
        f.effect === 'removed'
          ? 'not present on admission: CC/MCC removed for the final DRG'
          : f.effect === 'missing_poa'
            ? 'POA missing or invalid: final DRG ungroupable'
            : 'present on admission: no effect',
    })),
  };
}
