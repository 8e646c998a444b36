/**
 * The MS-DRG grouping steps (CMS Definitions Manual): principal diagnosis checks, pre-MDC, MDC by
 * principal diagnosis (and sex), the MDC's surgical then medical formulas in rank order, unrelated O.R.
 * procedures (DRGs 981-989), CC/MCC with CC exclusions and formula severity suppression, then HAC
 * (hospital-acquired condition) logic for the final DRG.
 */
import type { Claim } from '../claim/claim.js';
import type { CompiledRow, Grouper } from './load-grouper.js';
import {
  ClaimFlag,
  CLAIM_FLAG_COUNT,
  DIED_STATUSES,
  LEFT_AMA_STATUSES,
  TRANSFER_ACUTE_STATUSES,
  type ProcedureContext,
} from './operands.js';
import type { ReturnCode } from './types.js';
import { findCombinations } from './combinations.js';

/** Reusable per-grouper working memory: grouping one claim allocates almost nothing else. */
export interface Scratch {
  ctx: ProcedureContext;
  sdxIdx: Int32Array;
  /** Table severity (0 non-CC, 1 CC, 2 MCC) of each secondary dx, 0 for invalid codes. */
  sdxBase: Uint8Array;
  /** 1 when the principal diagnosis' CC-exclusion group holds the secondary dx. */
  sdxExcl: Uint8Array;
  /** 1 when HAC logic removes the dx's CC/MCC for the final DRG. */
  sdxHac: Uint8Array;
  /** Procedure code index of each reported procedure, in input order (-1 = invalid code). */
  procAt: Int32Array;
  /** 1 when an "MCC only if alive" code is reported for a patient who died. */
  sdxDead: Uint8Array;
  nSdx: number;
  pdx: number;
  /** State of `level`, the row-suppression callback handed to the MDC matchers (no per-call closure). */
  levelRows: readonly CompiledRow[];
  levelUseHac: boolean;
  level: (row: number) => number;
}

export interface Assignment {
  drg: string;
  mdc: number;
  returnCode: ReturnCode;
  row: CompiledRow | undefined;
  step: string | undefined;
  /** 0 non-CC, 1 CC, 2 MCC after exclusions and the row's suppression; -1 when ungroupable. */
  level: number;
  suppressIds: readonly number[];
  reroutedFrom: number;
}

const MAX_CODES = 128;

export function createScratch(g: Grouper): Scratch {
  const w = g.words;
  const sdxIdx = new Int32Array(MAX_CODES);
  const s: Scratch = {
    ctx: {
      pdx: new Int32Array(w),
      sdx: new Int32Array(w),
      pr: new Int32Array(w),
      sdxCodes: new Int32Array(0),
      nSdx: 0,
      mcc: false,
      cc: false,
      named: new Uint8Array(CLAIM_FLAG_COUNT),
      procs: new Int32Array(MAX_CODES),
      nProcs: 0,
    },
    sdxIdx,
    sdxBase: new Uint8Array(MAX_CODES),
    sdxExcl: new Uint8Array(MAX_CODES),
    sdxHac: new Uint8Array(MAX_CODES),
    sdxDead: new Uint8Array(MAX_CODES),
    procAt: new Int32Array(MAX_CODES),
    nSdx: 0,
    pdx: -1,
    levelRows: [],
    levelUseHac: false,
    level: () => 0,
  };
  s.ctx.sdxCodes = sdxIdx;
  s.level = (row) => claimLevel(g, s, s.levelUseHac, s.levelRows[row]?.suppressIds ?? NONE);
  return s;
}

/** ORs the attributes ids[from..to) into a bitset. */
function orRange(bits: Int32Array, ids: Uint16Array, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const id = ids[k] as number;
    bits[id >>> 5] = (bits[id >>> 5] as number) | (1 << (id & 31));
  }
}

function orAttrs(bits: Int32Array, off: Uint32Array, ids: Uint16Array, code: number): void {
  for (let k = off[code] as number, e = off[code + 1] as number; k < e; k++) {
    const id = ids[k] as number;
    bits[id >>> 5] = (bits[id >>> 5] as number) | (1 << (id & 31));
  }
}

export function dxHasAttr(g: Grouper, code: number, id: number): boolean {
  const { attrOff, attrIds } = g.dx;
  for (let k = attrOff[code] as number, e = attrOff[code + 1] as number; k < e; k++) if (attrIds[k] === id) return true;
  return false;
}

export function prHasAttr(g: Grouper, code: number, id: number): boolean {
  const { attrOff, attrIds } = g.pr;
  for (let k = attrOff[code] as number, e = attrOff[code + 1] as number; k < e; k++) if (attrIds[k] === id) return true;
  return false;
}

/** Fills the scratch with the claim's codes, attribute bitsets and flags. */
export function prepareClaim(g: Grouper, s: Scratch, claim: Claim): void {
  const c = s.ctx;
  c.pdx.fill(0);
  c.sdx.fill(0);
  c.pr.fill(0);
  c.named.fill(0);
  const dx = g.dx;
  const pdx = dx.index.get(claim.principalDx.code);
  s.pdx = pdx;
  if (pdx >= 0) orAttrs(c.pdx, dx.attrOff, dx.attrIds, pdx);
  const group = pdx >= 0 ? (dx.exclGroup[pdx] as number) : -1;
  const sdxList = claim.secondaryDx;
  const n = Math.min(sdxList.length, MAX_CODES);
  const tmp = c.sdx;
  const died = DIED_STATUSES.has(claim.dischargeStatus);
  const mccalive = g.ids.mccalive;
  const slots = dx.index.slots;
  for (let j = 0; j < n; j++) {
    // One probe gives the code's row, attribute range and severity (see CodeIndex payload).
    const at = dx.index.find((sdxList[j] as { code: string }).code);
    const i = at < 0 ? -1 : (slots[at + 2] as number);
    s.sdxIdx[j] = i;
    s.sdxHac[j] = 0;
    if (i < 0) {
      s.sdxBase[j] = 0;
      s.sdxExcl[j] = 0;
      s.sdxDead[j] = 0;
      continue;
    }
    s.sdxBase[j] = slots[at + 5] as number;
    // Table 6K: a secondary dx in the principal's CC-exclusion group is not a CC/MCC.
    s.sdxExcl[j] = group >= 0 && g.exclusions.has(group, i) ? 1 : 0;
    // "MCC only if alive" (attribute mccalive): such a code is not a CC/MCC when the patient died.
    s.sdxDead[j] = died && mccalive >= 0 && dxHasAttr(g, i, mccalive) ? 1 : 0;
    orRange(tmp, dx.attrIds, slots[at + 3] as number, slots[at + 4] as number);
  }
  s.nSdx = n;
  c.nSdx = n;
  const procs = claim.procedures;
  const prSlots = g.pr.index.slots;
  let np = 0;
  for (let j = 0; j < procs.length && j < MAX_CODES; j++) {
    const at = g.pr.index.find((procs[j] as { code: string }).code);
    const i = at < 0 ? -1 : (prSlots[at + 2] as number);
    s.procAt[j] = i;
    if (i < 0) continue;
    c.procs[np++] = i;
    orRange(c.pr, g.pr.attrIds, prSlots[at + 3] as number, prSlots[at + 4] as number);
  }
  c.nProcs = np;
  if (np > 1) applyCombinations(g, c);
  setClaimFlags(g, s, claim);
}

/** Bit of an attribute id in a bitset. */
function setBit(bits: Int32Array, id: number): void {
  bits[id >>> 5] = (bits[id >>> 5] as number) | (1 << (id & 31));
}

/**
 * Procedure combinations (combinations.ts): sets each matched combination's operand; when the
 * combination supersedes attributes, rebuilds the procedure bitset without those of its members.
 */
function applyCombinations(g: Grouper, c: ProcedureContext): void {
  const combos = g.combos;
  let members: number[] | undefined;
  let superseded: number[] | undefined;
  let operands: number[] | undefined;
  findCombinations(combos, g.pr.codes, g.prCodeHas, c.procs, c.nProcs, (k, i, j) => {
    const combo = combos.list[k];
    if (!combo) return;
    (operands ??= []).push(combo.operand);
    if (combo.supersedes.length === 0) return;
    (members ??= []).push(i, j);
    (superseded ??= []).push(...combo.supersedes);
  });
  if (!operands) return;
  if (members && superseded) {
    const { attrOff, attrIds } = g.pr;
    c.pr.fill(0);
    for (let p = 0; p < c.nProcs; p++) {
      const code = c.procs[p] as number;
      const member = members.includes(p);
      for (let k = attrOff[code] as number, e = attrOff[code + 1] as number; k < e; k++) {
        const id = attrIds[k] as number;
        if (!member || !superseded.includes(id)) setBit(c.pr, id);
      }
    }
  }
  for (const id of operands) setBit(c.pr, id);
}

function setClaimFlags(g: Grouper, s: Scratch, claim: Claim): void {
  const f = s.ctx.named;
  const status = claim.dischargeStatus;
  const dead = DIED_STATUSES.has(status);
  f[ClaimFlag.INVALID_DSTAT] = g.validDischargeStatus.size > 0 && !g.validDischargeStatus.has(status) ? 1 : 0;
  f[ClaimFlag.ALIVE] = dead ? 0 : 1;
  f[ClaimFlag.DIED] = dead ? 1 : 0;
  f[ClaimFlag.XFRNBA] = TRANSFER_ACUTE_STATUSES.has(status) ? 1 : 0;
  f[ClaimFlag.AMA] = LEFT_AMA_STATUSES.has(status) ? 1 : 0;
  const pdx = s.pdx;
  f[ClaimFlag.INVALID_PDX] = pdx < 0 ? 1 : 0;
  f[ClaimFlag.PDX_ECODE] = pdx >= 0 && dxHasAttr(g, pdx, g.ids.ecode) ? 1 : 0;
  const sexDependent = pdx >= 0 && ((g.dx.mdcMale[pdx] as number) > 0 || (g.dx.mdcFemale[pdx] as number) > 0);
  f[ClaimFlag.INVALID_SEX] = sexDependent && claim.sex !== 'M' && claim.sex !== 'F' ? 1 : 0;
  // Both uses of MULTST require PDX:strauma, so other claims skip the count.
  f[ClaimFlag.MULTST] = pdx >= 0 && dxHasAttr(g, pdx, g.ids.strauma) && multipleSignificantTrauma(g, s) ? 1 : 0;
}

/** MDC 24: significant trauma in at least two different body sites (principal and secondary diagnoses). */
function multipleSignificantTrauma(g: Grouper, s: Scratch): boolean {
  const found = traumaSites(g, s.pdx, 0);
  let all = found;
  for (let j = 0; j < s.nSdx; j++) if ((s.sdxIdx[j] as number) >= 0) all = traumaSites(g, s.sdxIdx[j] as number, all);
  let bits = 0;
  for (let v = all; v; v &= v - 1) bits++;
  return bits >= 2;
}

function traumaSites(g: Grouper, code: number, found: number): number {
  const sites = g.ids.stSites;
  for (let k = 0; k < sites.length; k++) if (dxHasAttr(g, code, sites[k] as number)) found |= 1 << k;
  return found;
}

/** Severity a secondary dx contributes, or 0; honours exclusions, HAC removal and the row's suppression. */
export function sdxLevel(g: Grouper, s: Scratch, j: number, useHac: boolean, suppress: readonly number[]): number {
  const base = s.sdxBase[j] as number;
  if (base === 0 || s.sdxExcl[j] === 1 || s.sdxDead[j] === 1 || (useHac && s.sdxHac[j] === 1)) return 0;
  const code = s.sdxIdx[j] as number;
  for (const id of suppress) if (dxHasAttr(g, code, id)) return 0;
  return base;
}

function claimLevel(g: Grouper, s: Scratch, useHac: boolean, suppress: readonly number[]): number {
  let level = 0;
  for (let j = 0; j < s.nSdx && level < 2; j++) {
    const l = sdxLevel(g, s, j, useHac, suppress);
    if (l > level) level = l;
  }
  return level;
}

const NONE: readonly number[] = [];

function failCode(row: CompiledRow): ReturnCode {
  const f = row.formula;
  if (f.includes('INVALID_PDX')) return 'INVALID_PDX';
  if (f.includes('PDX_ECODE')) return 'DX_CANNOT_BE_PDX';
  if (f.includes('INVALID_SEX')) return 'INVALID_SEX';
  return 'INVALID_DISCHARGE_STATUS';
}

function ungroupable(code: ReturnCode, row: CompiledRow | undefined, step?: string): Assignment {
  return { drg: '999', mdc: 0, returnCode: code, row, step, level: -1, suppressIds: NONE, reroutedFrom: -1 };
}

/** Evaluates an MDC's rows in order with the right CC/MCC operands; returns the first matching row. */
function firstMatch(g: Grouper, s: Scratch, mdc: number, useHac: boolean, base: number): CompiledRow | undefined {
  const rows = g.rows[mdc];
  const matcher = g.matchers[mdc];
  if (!rows || !matcher) return undefined;
  s.levelRows = rows;
  s.levelUseHac = useHac;
  const i = matcher(s.ctx, base, s.level);
  return i < 0 ? undefined : rows[i];
}

function principalMdc(g: Grouper, s: Scratch, sex: string): number {
  const pdx = s.pdx;
  if (sex === 'M' && (g.dx.mdcMale[pdx] as number) > 0) return g.dx.mdcMale[pdx] as number;
  if (sex === 'F' && (g.dx.mdcFemale[pdx] as number) > 0) return g.dx.mdcFemale[pdx] as number;
  return g.dx.mdc[pdx] as number;
}

/** Runs pre-MDC and MDC formulas once (initial DRG when useHac is false, final DRG when true). */
export function assignDrg(g: Grouper, s: Scratch, sex: string, useHac: boolean): Assignment {
  const base = claimLevel(g, s, useHac, NONE);
  const pre = firstMatch(g, s, 0, useHac, base);
  let mdc = -1;
  let reroutedFrom = -1;
  if (pre) {
    // Pre-MDC DRGs keep the MDC of the principal diagnosis in the output (as the CMS grouper reports it).
    if (pre.drg !== '000') return finish(g, s, pre, s.pdx >= 0 ? principalMdc(g, s, sex) : 0, useHac, base);
    if (pre.rerouteMdc === 0) return ungroupable(failCode(pre), pre);
    mdc = pre.rerouteMdc;
    reroutedFrom = principalMdc(g, s, sex);
  }
  if (s.pdx < 0) return ungroupable('INVALID_PDX', undefined);
  if (mdc < 0) mdc = principalMdc(g, s, sex);
  const row = firstMatch(g, s, mdc, useHac, base);
  if (!row) return { ...ungroupable('OK', undefined, 'no formula of the MDC matched'), mdc };
  if (row.drg === '000') {
    if (row.rerouteMdc === 29) return unrelatedOr(g, s, mdc, row, base, reroutedFrom);
    return ungroupable(failCode(row), row);
  }
  const a = finish(g, s, row, mdc, useHac, base);
  a.reroutedFrom = reroutedFrom;
  return a;
}

function finish(g: Grouper, s: Scratch, row: CompiledRow, mdc: number, useHac: boolean, base: number): Assignment {
  const level = row.suppressIds.length === 0 ? base : claimLevel(g, s, useHac, row.suppressIds);
  return { drg: row.drg, mdc, returnCode: 'OK', row, step: undefined, level, suppressIds: row.suppressIds, reroutedFrom: -1 };
}

/** DRGs 981-989: an O.R. procedure unrelated to the MDC of the principal diagnosis. */
function unrelatedOr(g: Grouper, s: Scratch, mdc: number, row: CompiledRow, level: number, reroutedFrom: number): Assignment {
  const c = s.ctx;
  const d468 = g.ids.d468;
  const extensive = d468 >= 0 && ((c.pr[d468 >>> 5] as number) & (1 << (d468 & 31))) !== 0;
  const first = extensive ? 981 : 987;
  const drg = String(first + (level >= 2 ? 0 : level === 1 ? 1 : 2));
  return {
    drg,
    mdc,
    returnCode: 'OK',
    row,
    step: extensive
      ? 'extensive O.R. procedure unrelated to principal diagnosis'
      : 'non-extensive O.R. procedure unrelated to principal diagnosis',
    level,
    suppressIds: NONE,
    reroutedFrom,
  };
}
