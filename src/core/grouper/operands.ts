/**
 * Named operands of the DRG formulas that are not plain code attributes: claim facts (discharge status,
 * validity of the principal diagnosis), counts over procedures, and procedure clusters.
 *
 * The CMS tables carry the attributes but not these definitions; they follow the MS-DRG Definitions
 * Manual (e.g. DRG 321 "4+ arteries or intraluminal devices", DRGs 426-430/447-451 spinal fusion levels,
 * DRGs 461-462 bilateral or multiple major joint procedures, device + lead clusters).
 */
import type { CodeAttributes } from './tables.js';
import type { EvalContext, Evaluator } from './formula.js';

/** Claim-level flags set by the engine before formulas run; index = slot in EvalContext.named. */
export const ClaimFlag = {
  INVALID_DSTAT: 0,
  INVALID_PDX: 1,
  PDX_ECODE: 2,
  INVALID_SEX: 3,
  ALIVE: 4,
  DIED: 5,
  XFRNBA: 6,
  AMA: 7,
  MULTST: 8,
} as const;
export type ClaimFlagName = keyof typeof ClaimFlag;
export const CLAIM_FLAG_COUNT = 9;

/** Procedure-side context the counting operands read. */
export interface ProcedureContext extends EvalContext {
  procs: Int32Array;
  nProcs: number;
}

/**
 * Clusters: operands defined as formulas over procedure attributes (organ pairs). Written in the formula
 * language and compiled like the table formulas. Pairs of codes (device plus lead, removal plus
 * replacement) are procedure combinations: see combinations.ts.
 */
export const PROCEDURE_CLUSTERS: Readonly<Record<string, string>> = {
  kidpan: 'kidneyxp & pancxp',
};

/**
 * Procedure attributes that the grouper widens with a combination rule (the attribute still counts on
 * its own). fuse9plus ("extensive fusion", DRGs 456-458): a code fusing 8+ thoracic vertebrae, or a
 * thoracic 2-7 fusion (0RG7 / XRG7) together with a lumbar 2+ fusion (0SG1 / XRGC) of the same approach
 * and column (7th character; the section X interbody codes, qualifier 7 / A, pair as 0 / 1), together
 * nine or more vertebrae.
 */
export const WIDENED_PROCEDURE_ATTRS: ReadonlySet<string> = new Set(['fuse9plus']);

function fusionColumn(code: string): string {
  const q = code.charAt(6);
  if (code.charAt(0) === 'X') return q === '7' ? '0' : q === 'A' ? '1' : q;
  return q;
}

function extensiveFusionCombo(pr: CodeAttributes, c: ProcedureContext): boolean {
  for (let i = 0; i < c.nProcs; i++) {
    const a = pr.codes[c.procs[i] as number] as string;
    const thoracic = a.startsWith('0RG7') || a.startsWith('XRG7');
    if (!thoracic) continue;
    for (let j = 0; j < c.nProcs; j++) {
      const b = pr.codes[c.procs[j] as number] as string;
      if ((b.startsWith('0SG1') || b.startsWith('XRGC')) && fusionColumn(a) === fusionColumn(b)) return true;
    }
  }
  return false;
}

/** Evaluator of a widened attribute: the attribute's bit or its combination rule. */
export function widenedAttribute(name: string, pr: CodeAttributes, attrId: number | undefined): Evaluator | undefined {
  if (name !== 'fuse9plus') return undefined;
  const w = attrId === undefined ? 0 : attrId >>> 5;
  const m = attrId === undefined ? 0 : 1 << (attrId & 31);
  return (c) => ((c.pr[w] as number) & m) !== 0 || extensiveFusionCombo(pr, c as ProcedureContext);
}

/**
 * Device clusters defined on ICD-10-PCS code patterns (Definitions Manual: a neurostimulator generator
 * reported with its lead). Each cluster is true when, for every pattern of the list, some procedure code
 * matches it. Generator: 0JH (subcutaneous tissue, chest/back/abdomen) with a stimulator generator device.
 */
const NEUROSTIM_GENERATOR = /^0JH[678][03][BCDEM]Z$/;
export const CODE_CLUSTERS: Readonly<Record<string, readonly RegExp[]>> = {
  /** Spinal neurostimulator (DRGs 029, 518): spinal canal / cord lead + generator. */
  spinstim: [/^00H[UV][034]MZ$/, NEUROSTIM_GENERATOR],
  /** Peripheral neurostimulator (DRG 041): peripheral nerve lead + generator. */
  peristim: [/^01HY[034]MZ$/, NEUROSTIM_GENERATOR],
  /** Major device implant (DRGs 023-024): brain neurostimulator lead + generator. */
  mdevimp: [/^00H0[034]MZ$/, NEUROSTIM_GENERATOR],
  /** Epilepsy with neurostimulator (DRG 023): cranial neurostimulator generator + brain lead. */
  epidevimp: [/^0NH00NZ$/, /^00H0[034]MZ$/],
  /** Carotid sinus neurostimulator (DRG 276): carotid artery stimulator lead + chest generator. */
  crtsinstim: [/^03H[KL][034]MZ$/, /^0JH6[03]MZ$/],
};

/** Evaluator of a code-pattern cluster, or undefined when the name is not one. */
export function codeCluster(name: string, pr: CodeAttributes): Evaluator | undefined {
  const patterns = CODE_CLUSTERS[name];
  if (!patterns) return undefined;
  return (c) => {
    const p = c as ProcedureContext;
    for (const re of patterns) {
      let found = false;
      for (let i = 0; i < p.nProcs && !found; i++) found = re.test(pr.codes[p.procs[i] as number] as string);
      if (!found) return false;
    }
    return true;
  };
}

/** Discharge status groups (UB-04 patient discharge status). */
export const DIED_STATUSES: ReadonlySet<number> = new Set([20]);
/** Transferred to another acute care hospital (02, 66, and their planned-readmission variants 82, 85, 94). */
export const TRANSFER_ACUTE_STATUSES: ReadonlySet<number> = new Set([2, 5, 66, 82, 85, 94]);
export const LEFT_AMA_STATUSES: ReadonlySet<number> = new Set([7]);

function hasAttr(pr: CodeAttributes, code: number, attr: number): boolean {
  for (let k = pr.attrOff[code] as number, e = pr.attrOff[code + 1] as number; k < e; k++) {
    if (pr.attrIds[k] === attr) return true;
  }
  return false;
}

/** Number of reported procedures carrying an attribute (a code reported twice counts twice). */
function countWith(pr: CodeAttributes, c: ProcedureContext, attr: number): number {
  let n = 0;
  for (let i = 0; i < c.nProcs; i++) if (hasAttr(pr, c.procs[i] as number, attr)) n++;
  return n;
}

/** Sum over procedures of the level of attributes name1..name4 (4 means 4 or more). */
function sumLevels(pr: CodeAttributes, c: ProcedureContext, ids: (number | undefined)[]): number {
  let sum = 0;
  for (let i = 0; i < c.nProcs; i++) {
    const p = c.procs[i] as number;
    for (let lvl = 0; lvl < ids.length; lvl++) {
      const id = ids[lvl];
      if (id !== undefined && hasAttr(pr, p, id)) sum += lvl + 1;
    }
  }
  return sum;
}

/** Builds the evaluator of a counting operand, or undefined when the name is not one. */
export function countingOperand(name: string, pr: CodeAttributes, attrId: (n: string) => number | undefined): Evaluator | undefined {
  const id = (n: string) => attrId(n) ?? -1;
  const atLeast2 = (attr: string): Evaluator => {
    const a = id(attr);
    return (c) => countWith(pr, c as ProcedureContext, a) >= 2;
  };
  switch (name) {
    case 'FOUR_STENTS': {
      const ids = ['stent1', 'stent2', 'stent3', 'stent4'].map(attrId);
      return (c) => sumLevels(pr, c as ProcedureContext, ids) >= 4;
    }
    case 'FOUR_VESSELS': {
      const ids = ['vessel1', 'vessel2', 'vessel3', 'vessel4'].map(attrId);
      return (c) => sumLevels(pr, c as ProcedureContext, ids) >= 4;
    }
    case 'BILATERAL': {
      const pairs = [
        ['lefthip', 'righthip'],
        ['leftknee', 'rightknee'],
        ['leftankle', 'rightankle'],
      ].map(([l, r]) => [id(l as string), id(r as string)] as const);
      const joints = pairs.flat();
      return (c) => {
        let n = 0;
        for (const j of joints) if (countWith(pr, c as ProcedureContext, j) > 0) n++;
        return n >= 2;
      };
    }
    case 'SGLANTCTR':
      return atLeast2('sglantfuse');
    case 'SGLPOST1CTR':
      return atLeast2('sglpostfuse1');
    case 'SGLANTSECTXCTR':
      return atLeast2('sglantsectXfuse');
    case 'SGLPOSTFUSECTR':
      return atLeast2('sglpostfuse');
    case 'SINGLEFUSIONCTR': {
      const ant = id('sglantfuse');
      const post = id('sglpostfuse');
      return (c) => {
        const a = countWith(pr, c as ProcedureContext, ant);
        const p = countWith(pr, c as ProcedureContext, post);
        return (a >= 2 && p >= 1) || (a >= 1 && p >= 2);
      };
    }
    default:
      return undefined;
  }
}
