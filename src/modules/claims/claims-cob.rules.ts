/**
 * Coordination of benefits for a secondary (or tertiary) claim, from what the earlier payer's 835 posted (pure).
 *
 * - A posting keeps the 835's split (`PostingAdjudication`): claim-level CAS (loop 2100) and each service line (2110
 *   SVC with its CAS). The secondary claim carries the claim-level CAS and the total paid in loop 2320 (CAS, AMT*D)
 *   and each line's adjudication in loop 2430 (SVD, CAS, DTP*573) of the matching 2400 line (TR3 005010X223A2 /
 *   X222A1, 2320 and 2430 notes: an adjustment is reported once, at the level the payer gave it).
 * - The postings in force (payments and denials nothing reversed) are what the payer decided; several add up (a
 *   supplemental payment after a correction).
 * - An 835 line is matched to the first unused claim line with its procedure code (and modifiers when the line has
 *   them), else, on an 837I, its revenue code; an 835 line that matches none has its adjustments reported at claim
 *   level and a warning says so.
 */
import type { RemitClaim } from '../../core/x12/parse-835.js';
import type { ClaimAdjustment, LineAdjudication } from '../../core/x12/build-837-types.js';
import type { PriorPayment } from './claims-assemble.rules.js';

const cents = (n: number): number => Math.round(n * 100);

/** One 835 service line as a posting keeps it (amounts in cents). */
export interface AdjudicatedLine {
  /** SVC01-1: HC, NU (revenue code), ... */
  qualifier: string;
  code: string;
  modifiers: string[];
  revenueCode: string | null;
  chargeCents: number;
  paidCents: number;
  units: number | null;
  adjustments: ClaimAdjustment[];
}

/** The 835's split of a posting (stored with it, `remittance_postings.adjudication`). */
export interface PostingAdjudication {
  claimAdjustments: ClaimAdjustment[];
  lines: AdjudicatedLine[];
}

/** The adjudication of one CLP as a posting stores it. */
export function adjudicationOf(clp: RemitClaim): PostingAdjudication {
  const adj = (list: RemitClaim['adjustments']): ClaimAdjustment[] =>
    list.map((a) => ({ group: a.group, reason: a.reason, amountCents: cents(a.amount) }));
  return {
    claimAdjustments: adj(clp.adjustments),
    lines: clp.serviceLines.map((l) => ({
      qualifier: l.qualifier,
      code: l.code,
      modifiers: [...l.modifiers],
      revenueCode: l.revenueCode ?? (l.qualifier === 'NU' ? l.code : null),
      chargeCents: cents(l.charge),
      paidCents: cents(l.paid),
      units: l.units ?? null,
      adjustments: adj(l.adjustments),
    })),
  };
}

/** A posting in force of the earlier payer's claim. */
export interface PostingInForce {
  paidCents: number;
  /** All CAS of the posting (claim and line), for postings stored before their adjudication was kept. */
  adjustments: ClaimAdjustment[];
  adjudication: PostingAdjudication | null;
  /** BPR16 (CCYYMMDD) or YYYY-MM-DD. */
  paymentDate: string;
}

/** A line of the claim being built, as the matching needs it. */
export interface LineToMatch {
  procedureCode: string | null;
  modifiers: string[];
  revenueCode: string | null;
  chargeCents: number;
}

export interface PriorAdjudication {
  prior: PriorPayment;
  /** Per claim line (same index), the earlier payer's line adjudication, when it gave one. */
  lines: (LineAdjudication | null)[];
  warnings: string[];
}

const isoDay = (d: string): string => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d.slice(0, 10));

/** Adjustments with the same group and reason added together, in first-seen order; zero totals dropped. */
export function mergeAdjustments(list: readonly ClaimAdjustment[]): ClaimAdjustment[] {
  const out = new Map<string, ClaimAdjustment>();
  for (const a of list) {
    const key = `${a.group}:${a.reason}`;
    const had = out.get(key);
    out.set(key, { group: a.group, reason: a.reason, amountCents: (had?.amountCents ?? 0) + a.amountCents });
  }
  return [...out.values()].filter((a) => a.amountCents !== 0);
}

function matchLine(l: AdjudicatedLine, lines: readonly LineToMatch[], used: Set<number>): number {
  const sameMods = (c: LineToMatch) => c.modifiers.length === 0 || c.modifiers.join(':') === l.modifiers.join(':');
  const byCode = lines.findIndex((c, i) => !used.has(i) && l.qualifier !== 'NU' && c.procedureCode === l.code && sameMods(c));
  if (byCode >= 0) return byCode;
  return lines.findIndex((c, i) => !used.has(i) && c.revenueCode !== null && l.revenueCode !== null && c.revenueCode === l.revenueCode);
}

/**
 * What the earlier payer decided, for the 2320 and 2430 loops of the claim to the next payer: the total paid and
 * claim-level adjustments of its postings in force, and each claim line's adjudication.
 */
export function priorAdjudication(
  coverageId: string,
  payerId: string,
  postings: readonly PostingInForce[],
  claimLines: readonly LineToMatch[],
): PriorAdjudication {
  const warnings: string[] = [];
  const claimLevel: ClaimAdjustment[] = [];
  const perLine: { paid: number; adjustments: ClaimAdjustment[]; units: number; line: AdjudicatedLine }[] = [];
  const lineAt = new Map<number, (typeof perLine)[number]>();
  let date = '';
  for (const p of postings) {
    const d = isoDay(p.paymentDate);
    if (d > date) date = d;
    if (!p.adjudication) {
      claimLevel.push(...p.adjustments);
      continue;
    }
    claimLevel.push(...p.adjudication.claimAdjustments);
    const used = new Set<number>();
    for (const l of p.adjudication.lines) {
      const i = matchLine(l, claimLines, used);
      if (i < 0) {
        warnings.push(`the payer's service line ${l.code} matches no line of the claim: its adjustments are reported on the claim`);
        claimLevel.push(...l.adjustments);
        continue;
      }
      used.add(i);
      const had = lineAt.get(i);
      if (had) {
        had.paid += l.paidCents;
        had.adjustments.push(...l.adjustments);
      } else {
        const entry = { paid: l.paidCents, adjustments: [...l.adjustments], units: l.units ?? 1, line: l };
        lineAt.set(i, entry);
        perLine.push(entry);
      }
    }
  }
  const lines = claimLines.map((_c, i): LineAdjudication | null => {
    const e = lineAt.get(i);
    if (!e) return null;
    return {
      payerId,
      paidCents: e.paid,
      procedureCode: e.line.qualifier === 'NU' ? null : e.line.code,
      modifiers: e.line.modifiers,
      revenueCode: e.line.revenueCode,
      units: e.units,
      adjustments: mergeAdjustments(e.adjustments),
      adjudicationDate: date,
    };
  });
  return {
    prior: {
      coverageId,
      paidCents: postings.reduce((t, p) => t + p.paidCents, 0),
      adjustments: mergeAdjustments(claimLevel),
      adjudicationDate: date || null,
    },
    lines,
    warnings,
  };
}
