/**
 * Coding productivity and quality reports for the HIM director: encounters final-coded per day and per hour by
 * type and coder, DRG change rate after a physician query, and audit results with re-coding after audit.
 */
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { listAnsweredQueriesOfFinalCoded } from '../queries/index.js';
import * as repo from './coding.repository.js';
import type { CodeAgreement } from './coding.rules.js';
import { userNames, type CodingDeps } from './coding.service.js';

export interface ReportRange {
  /** Inclusive, YYYY-MM-DD (UTC). */
  from?: string | undefined;
  /** Inclusive, YYYY-MM-DD (UTC). */
  to?: string | undefined;
}

const bounds = (r: ReportRange) => ({ from: r.from ? `${r.from}T00:00:00.000Z` : '0000', to: r.to ? `${r.to}T23:59:59.999Z` : '9999' });

export interface ProductivityReport {
  byCoderDay: { coderId: string; coder: string; day: string; type: string; count: number }[];
  byCoderHour: { coderId: string; coder: string; hour: number; count: number }[];
  byCoder: {
    coderId: string;
    coder: string;
    total: number;
    days: number;
    perDay: number;
    hoursActive: number;
    perHour: number;
    byType: Record<string, number>;
  }[];
}

/**
 * Final codings in the range (each final version counts, so re-coding after reopening counts again). Hours active
 * are the distinct clock hours in which the coder final-coded something: a floor for time worked.
 */
export async function productivityReport(deps: CodingDeps, actor: Actor, range: ReportRange = {}): Promise<ProductivityReport> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'coding_report' });
  const b = bounds(range);
  const rows = await repo.listFinalVersionsBetween(deps.db, b);
  const names = await userNames(
    deps.db,
    rows.map((r) => r.saved_by),
  );
  const day = new Map<string, ProductivityReport['byCoderDay'][number]>();
  const hour = new Map<string, ProductivityReport['byCoderHour'][number]>();
  const coder = new Map<string, { total: number; days: Set<string>; hours: Set<string>; byType: Record<string, number> }>();
  for (const r of rows) {
    const d = r.saved_at.slice(0, 10);
    const h = Number(r.saved_at.slice(11, 13));
    const name = names.get(r.saved_by) ?? r.saved_by;
    const dk = `${r.saved_by}|${d}|${r.type}`;
    const de = day.get(dk) ?? { coderId: r.saved_by, coder: name, day: d, type: r.type, count: 0 };
    de.count++;
    day.set(dk, de);
    const hk = `${r.saved_by}|${h}`;
    const he = hour.get(hk) ?? { coderId: r.saved_by, coder: name, hour: h, count: 0 };
    he.count++;
    hour.set(hk, he);
    const c = coder.get(r.saved_by) ?? { total: 0, days: new Set<string>(), hours: new Set<string>(), byType: {} };
    c.total++;
    c.days.add(d);
    c.hours.add(r.saved_at.slice(0, 13));
    c.byType[r.type] = (c.byType[r.type] ?? 0) + 1;
    coder.set(r.saved_by, c);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    byCoderDay: [...day.values()].sort((a, b) => a.day.localeCompare(b.day) || a.coder.localeCompare(b.coder)),
    byCoderHour: [...hour.values()].sort((a, b) => a.coder.localeCompare(b.coder) || a.hour - b.hour),
    byCoder: [...coder].map(([id, c]) => ({
      coderId: id,
      coder: names.get(id) ?? id,
      total: c.total,
      days: c.days.size,
      perDay: round(c.total / c.days.size),
      hoursActive: c.hours.size,
      perHour: round(c.total / c.hours.size),
      byType: c.byType,
    })),
  };
}

export interface QualityReport {
  /**
   * Answered queries on encounters now final-coded: the DRG before the answer (when the query was sent, else the last
   * version saved before the answer) vs the final DRG. `unmeasured`: queries with no DRG known before the answer.
   */
  drgChangeAfterQuery: {
    queries: number;
    unmeasured: number;
    changed: number;
    rate: number;
    byCoder: { coderId: string; coder: string; queries: number; changed: number; rate: number }[];
  };
  audits: {
    submitted: number;
    meanCodeAgreement: number;
    drgAgreementRate: number;
    recodedAfterAudit: number;
    recodeRate: number;
    byCoder: { coderId: string; coder: string; audits: number; meanCodeAgreement: number; drgAgreementRate: number }[];
  };
}

/**
 * The DRG before each query's answer: kept when the query was sent, else the DRG of the last version of the abstract
 * saved before the answer (a query sent before the coder saved any codes). Null when nothing was saved before.
 */
async function drgBeforeAnswer<T extends { encounter_id: string; drg_at_send: string | null; answered_at: string | null }>(
  deps: CodingDeps,
  rows: T[],
): Promise<(T & { drgBefore: string | null })[]> {
  const missing = [...new Set(rows.filter((r) => r.drg_at_send === null).map((r) => r.encounter_id))];
  const versions = await repo.listVersionDrgsOf(deps.db, missing);
  return rows.map((r) => {
    if (r.drg_at_send !== null) return { ...r, drgBefore: r.drg_at_send };
    const before = versions.filter((v) => v.encounter_id === r.encounter_id && v.drg !== null && v.saved_at < (r.answered_at ?? ''));
    return { ...r, drgBefore: before[before.length - 1]?.drg ?? null };
  });
}

/** DRG change rate after query and audit results (re-coding after audit = a reopening after the audit was submitted). */
export async function qualityReport(deps: CodingDeps, actor: Actor, range: ReportRange = {}): Promise<QualityReport> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'coding_report' });
  const b = bounds(range);
  const q = await drgBeforeAnswer(deps, await listAnsweredQueriesOfFinalCoded(deps.db, b));
  const unmeasured = q.filter((x) => x.drgBefore === null).length;
  const audits = await repo.listSubmittedAuditsBetween(deps.db, b);
  const reopens =
    audits.length === 0
      ? []
      : await repo.listReopensOf(
          deps.db,
          audits.map((a) => a.encounter_id),
        );
  const names = await userNames(deps.db, [...q.map((x) => x.author_id), ...audits.map((a) => a.coder_id)]);
  const rate = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 1000) / 1000);
  const measured = q.filter((x) => x.drgBefore !== null);
  const qc = new Map<string, { queries: number; changed: number }>();
  for (const x of measured) {
    const c = qc.get(x.author_id) ?? { queries: 0, changed: 0 };
    c.queries++;
    if (x.drgBefore !== x.final_drg) c.changed++;
    qc.set(x.author_id, c);
  }
  const changed = measured.filter((x) => x.drgBefore !== x.final_drg).length;
  const ac = new Map<string, { audits: number; sum: number; drgAgree: number }>();
  let sum = 0,
    drgAgree = 0,
    recoded = 0;
  for (const a of audits) {
    const g = JSON.parse(a.agreement ?? 'null') as CodeAgreement | null;
    const c = ac.get(a.coder_id) ?? { audits: 0, sum: 0, drgAgree: 0 };
    c.audits++;
    c.sum += g?.codeAgreementRate ?? 0;
    c.drgAgree += g?.drg.agree ? 1 : 0;
    ac.set(a.coder_id, c);
    sum += g?.codeAgreementRate ?? 0;
    drgAgree += g?.drg.agree ? 1 : 0;
    if (reopens.some((r) => r.encounter_id === a.encounter_id && r.saved_at >= (a.submitted_at ?? ''))) recoded++;
  }
  return {
    drgChangeAfterQuery: {
      queries: measured.length,
      changed,
      rate: rate(changed, measured.length),
      unmeasured,
      byCoder: [...qc].map(([id, c]) => ({
        coderId: id,
        coder: names.get(id) ?? id,
        queries: c.queries,
        changed: c.changed,
        rate: rate(c.changed, c.queries),
      })),
    },
    audits: {
      submitted: audits.length,
      meanCodeAgreement: rate(sum, audits.length),
      drgAgreementRate: rate(drgAgree, audits.length),
      recodedAfterAudit: recoded,
      recodeRate: rate(recoded, audits.length),
      byCoder: [...ac].map(([id, c]) => ({
        coderId: id,
        coder: names.get(id) ?? id,
        audits: c.audits,
        meanCodeAgreement: rate(c.sum, c.audits),
        drgAgreementRate: rate(c.drgAgree, c.audits),
      })),
    },
  };
}
