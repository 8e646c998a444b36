/**
 * Procedure combinations ("procedure clusters" of the MS-DRG Definitions Manual): two procedures that,
 * reported together, define a DRG that neither defines alone — e.g. "0SP90JZ and 0SR9019" (removal of a
 * hip prosthesis with its replacement: revision of hip replacement, DRGs 466-468), a pacemaker generator
 * with a pacemaker lead (DRGs 242-244), insertion and removal of a short-term heart assist system
 * (DRGs 001-002). The CMS tables carry the single-code attributes only; the pairs below are the v43
 * Definitions Manual lists, written as PCS patterns where the manual lists a full cross product.
 *
 * A matched combination sets its operand. Its two codes then count as the combination: they lose the
 * procedure attributes that the formulas of the combination's MDC test before the combination's own
 * rows (e.g. a removal of a knee prosthesis is also a `graft` code, DRGs 463-465, which rank before
 * 466-468; reported with the replacement, it is a revision). Other codes of the claim keep theirs.
 */

/** One side of a combination: a code pattern, optionally limited to codes carrying an attribute. */
interface Member {
  pattern: RegExp;
  attr?: string;
}

/** Pairs: any `first` member with any `second` member (of the same joint and side when `sameJoint`). */
interface PairGroup {
  first: Member;
  second: Member;
  sameJoint?: boolean;
}

export interface ProcedureCombination {
  /** Formula operand (a procedure attribute or a named operand) that the combination sets. */
  operand: string;
  groups: readonly PairGroup[];
}

const codes = (list: string): RegExp => new RegExp(`^(?:${list.trim().split(/\s+/).join('|')})$`);

/**
 * Hip and knee joint and side of a body-part character (section 0, body system S): right hip 9/A/R,
 * left hip B/E/S, right knee C/T/V, left knee D/U/W. Revision pairs join parts of the same joint.
 */
const JOINT: Readonly<Record<string, string>> = {
  '9': 'hip-R',
  A: 'hip-R',
  R: 'hip-R',
  B: 'hip-L',
  E: 'hip-L',
  S: 'hip-L',
  C: 'knee-R',
  T: 'knee-R',
  V: 'knee-R',
  D: 'knee-L',
  U: 'knee-L',
  W: 'knee-L',
};

export function jointOf(code: string): string | undefined {
  return JOINT[code.charAt(3)];
}

export const PROCEDURE_COMBINATIONS: readonly ProcedureCombination[] = [
  {
    // DRGs 001-002, implant of heart assist system (and heart transplant by ventricle replacements).
    operand: 'hasspair',
    groups: [
      {
        first: { pattern: codes('02HA0RS 02HA0RZ 02HA3RS 02HA4RS 02HA4RZ 02WA0QZ 02WA0RZ 02WA3QZ 02WA3RZ 02WA4QZ 02WA4RZ 02WW3RZ') },
        second: { pattern: codes('02PA0RZ 02PA3RZ 02PA4RZ') },
      },
      {
        first: { pattern: codes('02PW3RZ') },
        second: { pattern: codes('02HA0RS 02HA0RZ 02HA3RS 02HA4RS 02HA4RZ 02WA0QZ 02WA0RZ 02WA3QZ 02WA3RZ 02WA4QZ 02WA4RZ') },
      },
      { first: { pattern: codes('02HA0RZ') }, second: { pattern: codes('X2HX0F9') } },
      { first: { pattern: codes('02HA3RZ') }, second: { pattern: codes('X2HL0F9 X2HM0F9') } },
    ],
  },
  { operand: 'heartxp', groups: [{ first: { pattern: codes('02RK0JZ') }, second: { pattern: codes('02RL0JZ') } }] },
  // DRG 209, complex aortic arch procedures.
  { operand: 'caacluster1', groups: [{ first: { pattern: codes('02VX3EZ') }, second: { pattern: codes('02VW3DZ') } }] },
  { operand: 'caacluster2', groups: [{ first: { pattern: codes('X2RX0N7') }, second: { pattern: codes('X2VW0N7') } }] },
  // DRGs 275-277: a defibrillator generator with the insertion (not removal or revision) of a defibrillator lead.
  ...['defib', 'cardefib'].map((operand) => ({
    operand,
    groups: [{ first: { pattern: /^0JH[68]/, attr: 'aicd' }, second: { pattern: /^..H/, attr: 'aicdlead' } }],
  })),
  {
    // DRGs 242-244: a pacemaker generator with the insertion of a pacemaker or cardiac lead into the heart.
    operand: 'pacemake',
    groups: [{ first: { pattern: /^(?:0JH|XHH)/, attr: 'reppulgen' }, second: { pattern: /^02H.[034][JM]Z$/, attr: 'pacerepl' } }],
  },
  {
    // DRGs 466-468: removal of a hip or knee prosthesis component (synthetic substitute, liner, spacer,
    // resurfacing device) with the replacement of the same joint (hip: or a new liner).
    operand: 'revision',
    groups: [
      {
        first: { pattern: /^0SP(?:[9B](?:0[89BJ]|4[8J])Z|[AERS][04]JZ)$/ },
        second: { pattern: /^0S(?:R[9ABERS]0(?:[012346J][9AZ]|EZ)|U[9ABERS]09Z)$/ },
        sameJoint: true,
      },
      {
        first: { pattern: /^0SP(?:[CD](?:[04]J[CZ]|09Z|[034]8Z|[04][LMN]Z)|[TUVW][04]JZ)$/ },
        second: { pattern: /^0SR(?:[CD]0(?:[6JLMN][9AZ]|EZ)|[TUVW]0[6J][9AZ])$/ },
        sameJoint: true,
      },
    ],
  },
];

/** Operand names set by combinations (the formulas read them like procedure attributes). */
export const COMBINATION_OPERANDS: ReadonlySet<string> = new Set(PROCEDURE_COMBINATIONS.map((c) => c.operand));

/** Compiled combinations of one grouper version, by procedure code index. */
export interface CompiledCombinations {
  /**
   * Per procedure code: bit 2k = first member of combination k, bit 2k+1 = second member; -1 = not yet
   * looked at (each code's roles are worked out the first time a claim reports it).
   */
  roles: Int32Array;
  list: {
    /** Attribute id of the operand. */
    operand: number;
    groups: readonly PairGroup[];
    /** Attribute ids the members lose when the combination matches (see the module comment). */
    supersedes: readonly number[];
  }[];
}

function matches(m: Member, code: string, has: (attr: string) => boolean): boolean {
  return m.pattern.test(code) && (m.attr === undefined || has(m.attr));
}

/** The combinations of a grouper version with `codeCount` procedure codes (at most 16 combinations). */
export function compileCombinations(
  codeCount: number,
  operandId: (name: string) => number,
  supersedes: (operand: string) => number[],
): CompiledCombinations {
  return {
    roles: new Int32Array(codeCount).fill(-1),
    list: PROCEDURE_COMBINATIONS.map((c) => ({ operand: operandId(c.operand), groups: c.groups, supersedes: supersedes(c.operand) })),
  };
}

function rolesOf(combos: CompiledCombinations, i: number, code: string, hasAttr: (code: number, attr: string) => boolean): number {
  let r = combos.roles[i] as number;
  if (r >= 0) return r;
  r = 0;
  const has = (a: string) => hasAttr(i, a);
  combos.list.forEach((combo, k) => {
    for (const g of combo.groups) {
      if (matches(g.first, code, has)) r |= 1 << (2 * k);
      if (matches(g.second, code, has)) r |= 1 << (2 * k + 1);
    }
  });
  combos.roles[i] = r;
  return r;
}

/**
 * Finds the combinations among a claim's procedures. Calls `onMatch(k, i, j)` with the combination and the
 * positions (in `procs`) of its two codes, once per matched pair.
 */
export function findCombinations(
  combos: CompiledCombinations,
  prCodes: readonly string[],
  hasAttr: (code: number, attr: string) => boolean,
  procs: Int32Array,
  nProcs: number,
  onMatch: (k: number, i: number, j: number) => void,
): void {
  let all = 0;
  for (let p = 0; p < nProcs; p++) {
    const c = procs[p] as number;
    all |= rolesOf(combos, c, prCodes[c] as string, hasAttr);
  }
  if (all === 0) return;
  combos.list.forEach((combo, k) => {
    const firstBit = 1 << (2 * k);
    const secondBit = 1 << (2 * k + 1);
    if ((all & firstBit) === 0 || (all & secondBit) === 0) return;
    for (let i = 0; i < nProcs; i++) {
      const a = procs[i] as number;
      if (((combos.roles[a] as number) & firstBit) === 0) continue;
      const codeA = prCodes[a] as string;
      for (let j = 0; j < nProcs; j++) {
        const b = procs[j] as number;
        if (i === j || ((combos.roles[b] as number) & secondBit) === 0) continue;
        const codeB = prCodes[b] as string;
        const paired = combo.groups.some(
          (g) =>
            matches(g.first, codeA, (x) => hasAttr(a, x)) &&
            matches(g.second, codeB, (x) => hasAttr(b, x)) &&
            (!g.sameJoint || jointOf(codeA) === jointOf(codeB)),
        );
        if (paired) onMatch(k, i, j);
      }
    }
  });
}
