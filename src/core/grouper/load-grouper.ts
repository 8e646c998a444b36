/**
 * Loads one MS-DRG version's tables and compiles them into a {@link Grouper}: per-code attribute ids,
 * CC-exclusion sets, and the formulas of drg_formulas.tsv as closures, ordered by MDC and rank.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PairSet } from './code-index.js';
import { COMBINATION_OPERANDS, compileCombinations, type CompiledCombinations } from './combinations.js';
import { compileFormula, formulaOperands, formulaSource, type CompileHooks, type EvalContext, type Evaluator } from './formula.js';
import {
  CLAIM_FLAG_COUNT,
  ClaimFlag,
  PROCEDURE_CLUSTERS,
  WIDENED_PROCEDURE_ATTRS,
  codeCluster,
  countingOperand,
  widenedAttribute,
} from './operands.js';
import { readSnapshot, snapshotKey, snapshotPath, writeSnapshot } from './snapshot.js';
import { grouperTableFiles, listGrouperVersions, readGrouperTables, type DxTableCache, type FormulaRow, type RawTables } from './tables.js';

export interface CompiledRow extends FormulaRow {
  test: Evaluator;
  /** Attribute ids whose secondary diagnoses do not count as CC/MCC for this row. */
  suppressIds: number[];
  /** A row that only names its MDC (e.g. `MDC01`); it marks the MDC and assigns nothing. */
  marker: boolean;
}

/**
 * First matching row of an MDC: index into the MDC's rows, or -1. `base` is the claim's CC level
 * (0 none, 1 CC, 2 MCC) and `level(i)` the level under row i's severity suppression.
 */
export type MdcMatcher = (c: EvalContext, base: number, level: (row: number) => number) => number;

export interface Grouper extends RawTables {
  /** Rows of each MDC (index 0..25) in evaluation order. */
  rows: CompiledRow[][];
  /** All rows of each MDC compiled into one function (generated code, or closures where code generation is not allowed). */
  matchers: MdcMatcher[];
  /** 32-bit words of an attribute bitset. */
  words: number;
  /** Attribute id of a name (undefined when no code carries it). */
  attr: (name: string) => number | undefined;
  /** Ids used by the engine. */
  ids: {
    ecode: number;
    or: number;
    d468: number;
    d477: number;
    mccalive: number;
    strauma: number;
    stSites: number[];
  };
  /** Bitset of the HAC list attributes (HAC01..HACnn). */
  hacMask: Int32Array;
  /** (CC-exclusion group, secondary dx) pairs of Table 6K. */
  exclusions: PairSet;
  /** 1 when the procedure code is an operating-room procedure (no `nonor` attribute). */
  prIsOr: Uint8Array;
  /** Operands found in the formulas that this code does not know (they evaluate to false). */
  unknownOperands: string[];
  /** Valid UB-04 discharge status codes (from the MCE discharge status table when present). */
  validDischargeStatus: ReadonlySet<number>;
  /** Procedure combinations (Definitions Manual pairs) by procedure code. */
  combos: CompiledCombinations;
  /** True when procedure code index `code` carries the named attribute. */
  prCodeHas: (code: number, attr: string) => boolean;
}

/** Folders `<dataDir>/<fy>/grouper-derived` that hold msdrg-vNN.N folders, newest fiscal year last. */
function derivedDirs(dataDir: string): string[] {
  if (!fs.existsSync(dataDir)) throw new Error(`data directory not found: ${dataDir}`);
  return fs
    .readdirSync(dataDir)
    .sort()
    .map((fy) => path.join(dataDir, fy, 'grouper-derived'))
    .filter((d) => fs.existsSync(d));
}

/** Every MS-DRG version available under the data directory, ascending, with its folder. */
export function discoverGrouperVersions(dataDir: string): { version: string; derivedDir: string }[] {
  const out: { version: string; derivedDir: string }[] = [];
  for (const d of derivedDirs(dataDir)) for (const v of listGrouperVersions(d)) out.push({ version: v, derivedDir: d });
  return out;
}

/** The MCE discharge status table of the newest MCE folder beside the grouper folders ('' when none). */
function dischargeStatusFile(derivedDir: string): string {
  const dirs = fs
    .readdirSync(derivedDir)
    .filter((n) => n.startsWith('mce-'))
    .sort();
  const last = dirs[dirs.length - 1];
  return last ? path.join(derivedDir, last, 'discharge_status.tsv') : '';
}

function readDischargeStatus(file: string): Set<number> {
  const valid = new Set<number>();
  if (!file || !fs.existsSync(file)) return valid;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    const [code, , end] = line.split('\t');
    if (code && !end) valid.add(Number(code));
  }
  return valid;
}

export interface LoadGrouperOptions {
  /**
   * Folder of compiled table snapshots (snapshot.ts; the CLI uses `<var dir>/grouper`). A snapshot made from
   * the same table files loads instead of the files; otherwise the files are parsed and a snapshot written.
   */
  cacheDir?: string;
}

/**
 * Loads and compiles one MS-DRG version (e.g. '43.1') from the data directory. Pass the same `cache` when
 * loading several versions so that they share the diagnosis tables they have in common.
 */
export function loadGrouper(dataDir: string, version: string, cache?: DxTableCache, opts: LoadGrouperOptions = {}): Grouper {
  const found = discoverGrouperVersions(dataDir).find((v) => v.version === version);
  if (!found) throw new Error(`MS-DRG version ${version} not found under ${dataDir}`);
  const statusFile = dischargeStatusFile(found.derivedDir);
  if (opts.cacheDir === undefined)
    return compileGrouper(readGrouperTables(found.derivedDir, version, cache), readDischargeStatus(statusFile));
  const key = snapshotKey(version, [...grouperTableFiles(found.derivedDir, version), statusFile]);
  const file = snapshotPath(opts.cacheDir, version, key);
  const snap = readSnapshot(file, key);
  if (snap) return compileGrouper(snap.raw, snap.dischargeStatus, snap.exclusions, true);
  const raw = readGrouperTables(found.derivedDir, version, cache);
  const status = readDischargeStatus(statusFile);
  const exclusions = exclusionPairs(raw);
  const grouper = compileGrouper(raw, status, exclusions);
  try {
    writeSnapshot(file, key, raw, status, exclusions);
  } catch {
    // A read-only or full var dir only costs the next run the parsing again.
  }
  return grouper;
}

/** At equal rank a DRG row goes before a routing row (e.g. MDC 08 rank 72: DRG 517 before 981-989). */
const isRoute = (r: FormulaRow) => (r.drg === '000' ? 1 : 0);

/** Resolves formula operands against this version's attributes and the named operands of operands.ts. */
function createHooks(raw: RawTables, unknown: Set<string>): CompileHooks {
  for (const n of COMBINATION_OPERANDS) raw.attrs.idOf(n);
  // 1 for the attribute ids that procedure codes (or procedure combinations) carry.
  const prAttrs = new Uint8Array(raw.attrs.names.length);
  for (const id of raw.pr.attrIds) prAttrs[id] = 1;
  for (const n of COMBINATION_OPERANDS) prAttrs[raw.attrs.idOf(n)] = 1;
  const attr = (name: string) => raw.attrs.ids.get(name);
  const named = new Map<string, Evaluator>();
  const hooks: CompileHooks = {
    attrId: attr,
    isProcedureAttr: (n) => {
      if (WIDENED_PROCEDURE_ATTRS.has(n)) return false;
      const id = attr(n);
      return id !== undefined && prAttrs[id] === 1;
    },
    named: (n) => {
      const cached = named.get(n);
      if (cached) return cached;
      let ev: Evaluator | undefined;
      if (WIDENED_PROCEDURE_ATTRS.has(n)) ev = widenedAttribute(n, raw.pr, attr(n));
      else if (n in ClaimFlag) {
        const slot = ClaimFlag[n as keyof typeof ClaimFlag];
        ev = (c) => c.named[slot] === 1;
      } else if (PROCEDURE_CLUSTERS[n] !== undefined) ev = compileFormula(PROCEDURE_CLUSTERS[n], hooks);
      else ev = countingOperand(n, raw.pr, attr) ?? codeCluster(n, raw.pr);
      if (ev) named.set(n, ev);
      return ev;
    },
    unknown: (n) => unknown.add(n),
    all: (id) => onlyOperand(raw, id),
  };
  return hooks;
}

/** ONLY:x — the principal and every valid secondary diagnosis carry attribute x. */
function onlyOperand(raw: RawTables, id: number): Evaluator {
  const { attrOff, attrIds } = raw.dx;
  const has = (code: number) => {
    for (let k = attrOff[code] as number, e = attrOff[code + 1] as number; k < e; k++) if (attrIds[k] === id) return true;
    return false;
  };
  const w = id >>> 5;
  const m = 1 << (id & 31);
  return (c) => {
    if (((c.pdx[w] as number) & m) === 0) return false;
    for (let j = 0; j < c.nSdx; j++) {
      const code = c.sdxCodes[j] as number;
      if (code >= 0 && !has(code)) return false;
    }
    return true;
  };
}

/** Rows of each MDC in evaluation order (rank; at equal rank DRG rows before routing rows). */
function compileRows(raw: RawTables, hooks: CompileHooks): CompiledRow[][] {
  const rows: CompiledRow[][] = Array.from({ length: 26 }, () => []);
  const ordered = raw.formulas
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.mdc - b.r.mdc || a.r.rank - b.r.rank || isRoute(a.r) - isRoute(b.r) || a.i - b.i);
  for (const { r } of ordered) {
    const marker = /^MDC\d\d$/.test(r.formula.trim());
    let test: Evaluator | undefined;
    rows[r.mdc]?.push({
      ...r,
      marker,
      // The generated matchers do the grouping; a row's own closure is made only if asked for.
      get test(): Evaluator {
        return (test ??= marker ? () => false : compileFormula(r.formula, hooks));
      },
      suppressIds: r.suppression.map((n) => hooks.attrId(n)).filter((x): x is number => x !== undefined),
    });
  }
  return rows;
}

function orFlags(raw: RawTables, nonor: number): Uint8Array {
  const prIsOr = new Uint8Array(raw.pr.codes.length);
  for (let i = 0; i < prIsOr.length; i++) {
    prIsOr[i] = 1;
    for (let k = raw.pr.attrOff[i] as number, e = raw.pr.attrOff[i + 1] as number; k < e; k++)
      if (raw.pr.attrIds[k] === nonor) prIsOr[i] = 0;
  }
  return prIsOr;
}

/** Puts each code's attribute range and severity (dx) / O.R. flag (procedures) beside its index key. */
function fillPayloads(raw: RawTables, prIsOr: Uint8Array): void {
  const { dx, pr } = raw;
  for (let i = 0; i < dx.codes.length; i++)
    dx.index.setPayload(i, dx.attrOff[i] as number, dx.attrOff[i + 1] as number, dx.severity[i] as number);
  for (let i = 0; i < pr.codes.length; i++)
    pr.index.setPayload(i, pr.attrOff[i] as number, pr.attrOff[i + 1] as number, prIsOr[i] as number);
}

function exclusionPairs(raw: RawTables): PairSet {
  let count = 0;
  for (const grp of raw.exclusionGroups) count += grp.members.length;
  function* pairs(): Generator<readonly [number, number]> {
    for (let gi = 0; gi < raw.exclusionGroups.length; gi++) for (const code of raw.exclusionGroups[gi]?.members ?? []) yield [gi, code];
  }
  return new PairSet(raw.dx.codes.length, pairs(), count);
}

/**
 * Compiles raw tables into a grouper (formulas into closures and generated matchers, lookups into flat arrays).
 * `payloadsFilled`: the code indexes come from a snapshot that already holds their payloads.
 */
export function compileGrouper(
  raw: RawTables,
  validDischargeStatus: ReadonlySet<number>,
  exclusions = exclusionPairs(raw),
  payloadsFilled = false,
): Grouper {
  const unknown = new Set<string>();
  const hooks = createHooks(raw, unknown);
  const formulaOperandLists = raw.formulas.map((r) => formulaOperands(r.formula));
  const combos = compileCombinations(
    raw.pr.codes.length,
    (name) => raw.attrs.idOf(name),
    (operand) => supersededBy(raw, formulaOperandLists, operand, hooks),
  );
  const rows = compileRows(raw, hooks);
  // Each MDC's matcher is generated on its first claim: a short run compiles only the MDCs it meets.
  const compiled = new Uint8Array(rows.length);
  const compile = (i: number): MdcMatcher => {
    const m = compileMatcher(rows[i] ?? [], hooks);
    matchers[i] = m;
    compiled[i] = 1;
    return m;
  };
  const matchers: MdcMatcher[] = rows.map((_, i) => (c, base, level) => compile(i)(c, base, level));
  const attr = hooks.attrId;
  const id = (n: string) => attr(n) ?? -1;
  const prIsOr = orFlags(raw, id('nonor'));
  if (!payloadsFilled) fillPayloads(raw, prIsOr);
  const hacMask = new Int32Array(raw.attrs.words);
  raw.attrs.names.forEach((name, i) => {
    if (/^HAC\d\d$/.test(name)) hacMask[i >>> 5] = (hacMask[i >>> 5] as number) | (1 << (i & 31));
  });
  return {
    ...raw,
    hacMask,
    exclusions,
    prIsOr,
    rows,
    matchers,
    words: raw.attrs.words,
    attr,
    ids: {
      ecode: id('ecode'),
      or: id('nonor'),
      d468: id('d468'),
      d477: id('d477'),
      mccalive: id('mccalive'),
      strauma: id('strauma'),
      stSites: ['sthead', 'stchest', 'stabdom', 'stkidney', 'sturin', 'stpel', 'stuplimb', 'stlolimb'].map(id),
    },
    /** Every formula is compiled first (the unknown operands are found while compiling). */
    get unknownOperands() {
      compiled.forEach((done, i) => done === 1 || compile(i));
      return [...unknown].sort();
    },
    validDischargeStatus,
    combos,
    prCodeHas: (code, name) => prCodeHas(raw, code, raw.attrs.ids.get(name)),
  };
}

function prCodeHas(raw: RawTables, code: number, id: number | undefined): boolean {
  if (id === undefined) return false;
  for (let k = raw.pr.attrOff[code] as number, e = raw.pr.attrOff[code + 1] as number; k < e; k++)
    if (raw.pr.attrIds[k] === id) return true;
  return false;
}

/**
 * Procedure attributes a combination supersedes in its members: those tested by the rows of the
 * combination's MDC that rank before the first row naming the combination. `operands` holds each formula
 * row's operand names (same order as raw.formulas).
 */
function supersededBy(raw: RawTables, operands: readonly (readonly string[])[], operand: string, hooks: CompileHooks): number[] {
  const first = new Map<number, number>();
  raw.formulas.forEach((r, i) => {
    if (operands[i]?.includes(operand)) first.set(r.mdc, Math.min(first.get(r.mdc) ?? Infinity, r.rank));
  });
  const ids = new Set<number>();
  raw.formulas.forEach((r, i) => {
    const limit = first.get(r.mdc);
    if (limit === undefined || r.rank >= limit) return;
    for (const n of operands[i] ?? []) {
      const id = hooks.attrId(n);
      if (id !== undefined && n !== operand && hooks.isProcedureAttr(n)) ids.add(id);
    }
  });
  return [...ids].sort((a, b) => a - b);
}

/** Compiles an MDC's rows, in order, into one generated function; falls back to closures. */
function compileMatcher(rows: CompiledRow[], hooks: CompileHooks): MdcMatcher {
  const ext: Evaluator[] = [];
  let body = 'const pdx = c.pdx, sdx = c.sdx, pr = c.pr;\nlet mcc = base >= 2, cc = base >= 1;\nc.mcc = mcc; c.cc = cc;\n';
  rows.forEach((r, i) => {
    if (r.marker) return;
    const expr = formulaSource(r.formula, hooks, ext);
    if (r.suppressIds.length === 0) body += `if (${expr}) return ${i};\n`;
    else
      body +=
        `{ const l = level(${i}); mcc = l >= 2; cc = l >= 1; c.mcc = mcc; c.cc = cc;\n  if (${expr}) return ${i};\n` +
        '  mcc = base >= 2; cc = base >= 1; c.mcc = mcc; c.cc = cc; }\n';
  });
  body += 'return -1;';
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- formulas are compiled once at load
    const make = new Function('ext', `"use strict"; return function matchMdc(c, base, level) {\n${body}\n};`) as (
      e: typeof ext,
    ) => MdcMatcher;
    return make(ext);
  } catch {
    return (c, base, level) => {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as CompiledRow;
        if (row.marker) continue;
        const l = row.suppressIds.length === 0 ? base : level(i);
        c.mcc = l >= 2;
        c.cc = l >= 1;
        if (row.test(c)) return i;
      }
      return -1;
    };
  }
}

export { CLAIM_FLAG_COUNT };
