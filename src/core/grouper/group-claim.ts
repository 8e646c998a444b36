/**
 * groupClaim: the public entry point that turns one claim into the CMS grouper's answer
 * (initial DRG before HAC logic, final DRG after it), plus titles and, on request, an explanation.
 */
import type { Claim } from '../claim/claim.js';
import { assignDrg, createScratch, dxHasAttr, prepareClaim, type Assignment, type Scratch } from './engine.js';
import { evaluateHac, type HacOutcome } from './hac.js';
import type { Grouper } from './load-grouper.js';
import { buildExplanation } from './explain.js';
import type { GroupResult, GroupResultWithExplanation, HacStatus, SdxSeverityFlag, Severity } from './types.js';

const scratches = new WeakMap<Grouper, Scratch>();

function scratchOf(g: Grouper): Scratch {
  let s = scratches.get(g);
  if (!s) {
    s = createScratch(g);
    scratches.set(g, s);
  }
  return s;
}

const MDC_STRINGS = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));
const pad2 = (n: number) => MDC_STRINGS[n] ?? String(n);
const MAX_PROCS = 128;
const LEVEL: readonly Severity[] = ['NON_CC', 'CC', 'MCC'];

/** Severity flag of each secondary dx under an assignment (in input order). */
export function secondaryFlags(g: Grouper, s: Scratch, a: Assignment, useHac: boolean): SdxSeverityFlag[] {
  const flags: SdxSeverityFlag[] = new Array<SdxSeverityFlag>(s.nSdx);
  const ungroupable = a.level < 0;
  for (let j = 0; j < s.nSdx; j++) flags[j] = ungroupable ? 'NEITHER' : flagOf(g, s, j, a.suppressIds, useHac);
  return flags;
}

/**
 * Order of precedence: non-CC -> NEITHER; CC exclusion by the principal dx -> *_EXCLUDED; the DRG
 * formula's severity suppression -> *_EXCLUDED_BY_DRG_LOGIC; HAC not POA -> NEITHER; else MCC / CC.
 */
export function flagOf(g: Grouper, s: Scratch, j: number, suppress: readonly number[], useHac: boolean): SdxSeverityFlag {
  const base = s.sdxBase[j] as number;
  if (base === 0) return 'NEITHER';
  if (s.sdxExcl[j] === 1) return base === 2 ? 'MCC_EXCLUDED' : 'CC_EXCLUDED';
  if (s.sdxDead[j] === 1) return 'NEITHER';
  const code = s.sdxIdx[j] as number;
  for (const id of suppress) if (dxHasAttr(g, code, id)) return base === 2 ? 'MCC_EXCLUDED_BY_DRG_LOGIC' : 'CC_EXCLUDED_BY_DRG_LOGIC';
  if (useHac && s.sdxHac[j] === 1) return 'NEITHER';
  return base === 2 ? 'MCC' : 'CC';
}

function medSurgOf(a: Assignment): GroupResult['medSurg'] {
  if (a.drg === '999' || !a.row) return 'NONE';
  if (a.row.drg === '000') return 'SURGICAL'; // unrelated O.R. procedure (981-989)
  return a.row.surgical === 'NA' ? 'NONE' : a.row.surgical;
}

function severityOf(a: Assignment): Severity {
  if (a.level < 0 || a.drg === '999' || a.drg === '998') return 'NONE';
  return LEVEL[a.level] ?? 'NONE';
}

interface Run {
  s: Scratch;
  initial: Assignment;
  final: Assignment;
  hac: HacOutcome | undefined;
  hacStatus: HacStatus;
  result: GroupResult;
}

function run(g: Grouper, claim: Claim, explain: boolean): Run {
  const s = scratchOf(g);
  prepareClaim(g, s, claim);
  const initial = assignDrg(g, s, claim.sex, false);
  let final = initial;
  let hac: HacOutcome | undefined;
  let hacStatus: HacStatus = 'NOT_APPLICABLE';
  if (initial.returnCode === 'OK' && initial.drg !== '999') {
    hac = evaluateHac(g, s, claim, explain);
    if (hac.missing > 0) {
      final = {
        ...initial,
        drg: '999',
        mdc: 0,
        returnCode: 'HAC_MISSING_ONE_POA',
        level: -1,
        row: undefined,
        step: 'HAC with missing POA',
      };
      hacStatus = 'FINAL_DRG_UNGROUPABLE';
    } else if (hac.removed > 0) {
      final = assignDrg(g, s, claim.sex, true);
      hacStatus = final.drg === initial.drg ? 'FINAL_DRG_NO_CHANGE' : 'FINAL_DRG_CHANGES';
    }
  }
  const useHac = hacStatus !== 'NOT_APPLICABLE';
  // An ungroupable final DRG (HAC with missing POA) keeps the initial DRG's flags.
  const flagSource = hacStatus === 'FINAL_DRG_UNGROUPABLE' ? initial : final;
  const procs = claim.procedures;
  const proceduresOR: boolean[] = new Array<boolean>(procs.length);
  for (let j = 0; j < procs.length; j++) {
    const i = j < MAX_PROCS ? (s.procAt[j] as number) : g.pr.index.get((procs[j] as { code: string }).code);
    proceduresOR[j] = i >= 0 && g.prIsOr[i] === 1;
  }
  const result: GroupResult = {
    initialDrg: initial.drg,
    initialMdc: pad2(initial.mdc),
    initialReturnCode: initial.returnCode,
    finalDrg: final.drg,
    finalMdc: pad2(final.mdc),
    finalReturnCode: final.returnCode,
    medSurg: medSurgOf(final),
    severity: severityOf(final),
    hacStatus,
    secondaryDxSeverity: secondaryFlags(g, s, flagSource, useHac),
    proceduresOR,
    drgTitle: g.drgTitles.get(final.drg) ?? '',
    mdcTitle: g.mdcTitles.get(pad2(final.mdc)) ?? '',
    initialDrgTitle: g.drgTitles.get(initial.drg) ?? '',
  };
  return { s, initial, final, hac, hacStatus, result };
}

/** Groups one claim with one MS-DRG version (the CMS answer: initial and final DRG, MDC, flags). */
export function groupClaim(g: Grouper, claim: Claim): GroupResult {
  return run(g, claim, false).result;
}

/** Groups one claim and explains the result (formula row, MDC reason, CC/MCC sources and exclusions). */
export function explainClaim(g: Grouper, claim: Claim): GroupResultWithExplanation {
  const r = run(g, claim, true);
  return { ...r.result, explanation: buildExplanation(g, r.s, claim, r.initial, r.final, r.hac, r.result.secondaryDxSeverity) };
}
