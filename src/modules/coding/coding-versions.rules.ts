/**
 * What changed between two saved versions of an abstract, as a coder reads a version history: codes added and
 * removed, a new principal diagnosis, POA changes, and the other UHDDS items that changed. Pure, no I/O.
 */
import type { AbstractData } from './coding.rules.js';

export interface AbstractChanges {
  /** Codes now present that the version before did not have (principal, secondary, procedures). */
  added: string[];
  /** Codes the version before had that are gone. */
  removed: string[];
  /** The principal diagnosis, when it changed: before and after. */
  principal: { before: string | null; after: string | null } | null;
  /** Diagnoses kept whose POA indicator changed, as "CODE: N -> Y". */
  poa: string[];
  /** Other items that changed: admitting diagnosis, discharge status, birth weight, reason for visit, procedure dates. */
  other: string[];
}

const codesOf = (d: AbstractData) => [
  ...(d.principalDx ? [d.principalDx.code] : []),
  ...d.secondaryDx.map((x) => x.code),
  ...d.procedures.map((p) => p.code),
];

function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/** The changes from `before` (null: the first version, compared with an empty abstract) to `after`. */
export function diffAbstracts(before: AbstractData | null, after: AbstractData): AbstractChanges {
  const prev: AbstractData = before ?? {
    principalDx: null,
    secondaryDx: [],
    admittingDx: null,
    reasonForVisit: [],
    procedures: [],
    dischargeStatus: null,
    birthWeightGrams: null,
  };
  const added = multisetMinus(codesOf(after), codesOf(prev));
  const removed = multisetMinus(codesOf(prev), codesOf(after));
  const pBefore = prev.principalDx?.code ?? null;
  const pAfter = after.principalDx?.code ?? null;
  const poaBefore = new Map([...(prev.principalDx ? [prev.principalDx] : []), ...prev.secondaryDx].map((x) => [x.code, x.poa]));
  const poa: string[] = [];
  for (const x of [...(after.principalDx ? [after.principalDx] : []), ...after.secondaryDx]) {
    const was = poaBefore.get(x.code);
    if (was !== undefined && was !== x.poa) poa.push(`${x.code}: ${was || 'blank'} -> ${x.poa || 'blank'}`);
  }
  const other: string[] = [];
  const item = (label: string, a: string | number | null, b: string | number | null) => {
    const show = (v: string | number | null) => (v === null || v === '' ? 'none' : String(v));
    if (show(a) !== show(b)) other.push(`${label}: ${show(a)} -> ${show(b)}`);
  };
  if (before) {
    item('admitting diagnosis', prev.admittingDx, after.admittingDx);
    item('discharge status', prev.dischargeStatus, after.dischargeStatus);
    item('birth weight', prev.birthWeightGrams, after.birthWeightGrams);
    item('reason for visit', prev.reasonForVisit.join(', '), after.reasonForVisit.join(', '));
    const dates = new Map(prev.procedures.map((p) => [p.code, p.date]));
    for (const p of after.procedures) {
      const was = dates.get(p.code);
      if (was !== undefined && was !== p.date) item(`date of ${p.code}`, was, p.date);
    }
  }
  return { added, removed, principal: pBefore !== pAfter ? { before: pBefore, after: pAfter } : null, poa, other };
}
