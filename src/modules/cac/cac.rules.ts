/**
 * Pure rules of computer-assisted coding in the workspace: the care setting an encounter's type codes under (ICD-10-CM
 * Official Guidelines II.H inpatient, IV.H outpatient), the text of an encounter's documents as one string with each
 * document's place in it (so evidence points back at a document and a span of its text), adding an accepted code to
 * the abstract, and the acceptance report.
 */
import { z } from 'zod';
import type { ReportTable } from '../../core/shared/report-export.js';
import type { CacSystem, CareSetting } from '../../core/cac/index.js';
import type { AbstractData, AbstractInput } from '../coding/index.js';

/**
 * Uncertain diagnoses are coded as established only for inpatient admissions (Section II.H); observation, emergency
 * and other outpatient encounters follow Section IV.H (code the signs and symptoms instead).
 */
export const settingOf = (encounterType: string): CareSetting => (encounterType === 'inpatient' ? 'inpatient' : 'outpatient');

/** One document version's text, pages joined by PAGE_BREAK. */
export interface DocumentText {
  documentId: string;
  version: number;
  text: string;
}

export const PAGE_BREAK = '\n\n';
const DOCUMENT_BREAK = '\n\n\n';

/** The documents' texts as one (so combination codes read across notes, I.A.15), with each one's start offset. */
export function joinDocuments(docs: readonly DocumentText[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  let text = '';
  for (const d of docs) {
    if (text.length > 0) text += DOCUMENT_BREAK;
    starts.push(text.length);
    text += d.text;
  }
  return { text, starts };
}

export interface EvidenceLink {
  documentId: string;
  version: number;
  /** Character offsets in the version's text (its pages' text joined by a blank line). */
  start: number;
  end: number;
  text: string;
}

/** The document an evidence span of the joined text lies in, with the span re-based on that document's text. */
export function locateEvidence(
  docs: readonly DocumentText[],
  starts: readonly number[],
  span: { start: number; end: number; text: string },
): EvidenceLink | undefined {
  for (let i = docs.length - 1; i >= 0; i--) {
    const s = starts[i]!;
    const d = docs[i]!;
    if (span.start >= s && span.end <= s + d.text.length)
      return { documentId: d.documentId, version: d.version, start: span.start - s, end: span.end - s, text: span.text };
  }
  return undefined;
}

const norm = (code: string): string => code.toUpperCase().replace(/\./g, '');

/** The codes already on the abstract, by system, without dots. */
export function codesOnAbstract(data: AbstractData): { cm: Set<string>; pcs: Set<string> } {
  const cm = new Set<string>();
  if (data.principalDx) cm.add(norm(data.principalDx.code));
  for (const d of data.secondaryDx) cm.add(norm(d.code));
  return { cm, pcs: new Set(data.procedures.map((p) => norm(p.code))) };
}

export const AcceptAs = { principal: 'principal', secondary: 'secondary', procedure: 'procedure' } as const;
export type AcceptAs = (typeof AcceptAs)[keyof typeof AcceptAs];

/**
 * The abstract with an accepted code added: a procedure to the procedures; a diagnosis as a secondary diagnosis, or as
 * the principal only when the coder says so (UHDDS: the condition established after study to be chiefly responsible
 * for the admission is the coder's call) — the principal it replaces becomes the first secondary diagnosis. POA and
 * procedure date are left blank for the coder to assign.
 */
export function addAcceptedCode(data: AbstractData, code: string, system: CacSystem, as: AcceptAs): AbstractInput {
  if (system === 'pcs') return { ...data, procedures: [...data.procedures, { code, date: null, operatingProviderId: null }] };
  if (as === 'principal')
    return {
      ...data,
      principalDx: { code, poa: '' },
      secondaryDx: [...(data.principalDx ? [data.principalDx] : []), ...data.secondaryDx],
    };
  return { ...data, secondaryDx: [...data.secondaryDx, { code, poa: '' }] };
}

const Code = z
  .string()
  .trim()
  .transform(norm)
  .pipe(z.string().regex(/^[A-Z0-9]{3,7}$/, 'an ICD-10-CM or ICD-10-PCS code'));

export const DecisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('accepted'),
    code: Code,
    system: z.enum(['cm', 'pcs']),
    /** Diagnoses: secondary unless the coder names it principal. Ignored for procedures. */
    as: z.enum(['principal', 'secondary']).optional(),
    /** The abstract version the coder saw (optimistic concurrency, as saveDraft). */
    expectedVersion: z.number().int().min(0).optional(),
  }),
  z.object({
    decision: z.literal('rejected'),
    code: Code,
    system: z.enum(['cm', 'pcs']),
    reason: z.string().trim().min(3, 'a reason for the rejection (3 to 500 characters)').max(500),
  }),
]);
export type DecisionInput = z.input<typeof DecisionSchema>;

export const SuggestQuerySchema = z.object({
  system: z.enum(['cm', 'pcs', 'both']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export interface DecisionRow {
  encounter_id: string;
  code: string;
  system: string;
  decision: string;
  decided_by: string;
  decided_at: string;
}

export interface AcceptanceLine {
  key: string;
  accepted: number;
  rejected: number;
  /** accepted / (accepted + rejected). */
  rate: number;
}

function lines(rows: readonly DecisionRow[], keyOf: (r: DecisionRow) => string): AcceptanceLine[] {
  const m = new Map<string, AcceptanceLine>();
  for (const r of rows) {
    const key = keyOf(r);
    const l = m.get(key) ?? { key, accepted: 0, rejected: 0, rate: 0 };
    if (r.decision === 'accepted') l.accepted++;
    else l.rejected++;
    m.set(key, l);
  }
  return [...m.values()]
    .map((l) => ({ ...l, rate: l.accepted / (l.accepted + l.rejected) }))
    .sort((a, b) => b.accepted + b.rejected - (a.accepted + a.rejected) || a.key.localeCompare(b.key));
}

/**
 * Acceptance rate per code and per coder. Only the latest decision on a code of an encounter counts (a coder who
 * changes their mind is counted once, as they decided last).
 */
export function acceptanceReport(rows: readonly DecisionRow[]): {
  total: { accepted: number; rejected: number; rate: number | null };
  byCode: (AcceptanceLine & { system: string })[];
  byCoder: AcceptanceLine[];
} {
  const latest = new Map<string, DecisionRow>();
  for (const r of [...rows].sort((a, b) => a.decided_at.localeCompare(b.decided_at)))
    latest.set(`${r.encounter_id}|${r.system}|${r.code}`, r);
  const kept = [...latest.values()];
  const accepted = kept.filter((r) => r.decision === 'accepted').length;
  return {
    total: { accepted, rejected: kept.length - accepted, rate: kept.length ? accepted / kept.length : null },
    byCode: lines(kept, (r) => `${r.system}|${r.code}`).map((l) => {
      const [system, code] = l.key.split('|') as [string, string];
      return { ...l, key: code, system };
    }),
    byCoder: lines(kept, (r) => r.decided_by),
  };
}

/** The acceptance report as tables for CSV/XLSX: totals, per code, per coder (rates as fractions, 3 decimals). */
export function acceptanceReportTables(r: {
  total: { accepted: number; rejected: number; rate: number | null };
  byCode: readonly (AcceptanceLine & { system: string })[];
  byCoder: readonly (AcceptanceLine & { name?: string })[];
}): ReportTable[] {
  const rate = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return [
    {
      name: 'Total',
      header: ['Accepted', 'Rejected', 'Acceptance rate'],
      rows: [[r.total.accepted, r.total.rejected, rate(r.total.rate)]],
    },
    {
      name: 'By code',
      header: ['System', 'Code', 'Accepted', 'Rejected', 'Acceptance rate'],
      rows: r.byCode.map((l) => [l.system === 'pcs' ? 'ICD-10-PCS' : 'ICD-10-CM', l.key, l.accepted, l.rejected, rate(l.rate)]),
    },
    {
      name: 'By coder',
      header: ['Coder', 'Accepted', 'Rejected', 'Acceptance rate'],
      rows: r.byCoder.map((l) => [l.name ?? l.key, l.accepted, l.rejected, rate(l.rate)]),
    },
  ];
}

/** Coders' past decisions on a code, hospital-wide. */
export interface DecisionCounts {
  accepted: number;
  rejected: number;
}

/**
 * How coders' decisions tune a code's score: the score times 0.5 + the smoothed acceptance rate
 * ((accepted + 1) / (accepted + rejected + 2), Laplace): no history leaves it as the engine gave it (x 1.0), a code
 * always rejected tends to half, one always accepted to one and a half (capped at 1). Suggestions are then ranked
 * again by the tuned score (ties: engine score, then code).
 */
export function tuneByDecisions<T extends { code: string; system: string; score: number }>(
  suggestions: readonly T[],
  counts: ReadonlyMap<string, DecisionCounts>,
): (T & { engineScore: number; tuning: DecisionCounts | null })[] {
  return suggestions
    .map((s) => {
      const c = counts.get(`${s.system}|${s.code}`) ?? null;
      const factor = c ? 0.5 + (c.accepted + 1) / (c.accepted + c.rejected + 2) : 1;
      return { ...s, engineScore: s.score, score: Math.round(Math.min(1, s.score * factor) * 1000) / 1000, tuning: c };
    })
    .sort((a, b) => b.score - a.score || b.engineScore - a.engineScore || a.code.localeCompare(b.code));
}

/** Decision count rows (system, code, decision, n) as a map "system|code" -> counts. */
export function decisionCountMap(
  rows: readonly { system: string; code: string; decision: string; n: number }[],
): Map<string, DecisionCounts> {
  const m = new Map<string, DecisionCounts>();
  for (const r of rows) {
    const k = `${r.system}|${r.code}`;
    const c = m.get(k) ?? { accepted: 0, rejected: 0 };
    if (r.decision === 'accepted') c.accepted += r.n;
    else c.rejected += r.n;
    m.set(k, c);
  }
  return m;
}
