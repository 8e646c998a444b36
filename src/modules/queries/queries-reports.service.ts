/** Query reports: volume, response time and agreement rate, by physician and by coder (query author). */
import { Permission, requirePermission, type Actor } from '../access/index.js';
import type { QueryDeps } from './queries.service.js';
import { applyQueryAging } from './queries-aging.service.js';
import * as repo from './queries.repository.js';

export interface QueryStats {
  sent: number;
  answered: number;
  pending: number;
  escalated: number;
  expired: number;
  /** Mean hours from sending to answer, answered queries only. */
  meanResponseHours: number | null;
  /** Answered queries whose answer agreed (see answerAgrees) / answered. */
  agreementRate: number | null;
}

export interface QueryReport {
  total: QueryStats;
  byPhysician: (QueryStats & { providerId: string; name: string })[];
  byCoder: (QueryStats & { userId: string; name: string })[];
  byType: (QueryStats & { type: string })[];
}

interface Row {
  status: string;
  sent_at: string;
  answered_at: string | null;
  agreed: number | null;
}

function stats(rows: Row[]): QueryStats {
  const answered = rows.filter((r) => r.status === 'answered');
  const hours = answered.map((r) => (Date.parse(r.answered_at ?? r.sent_at) - Date.parse(r.sent_at)) / 3_600_000);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    sent: rows.length,
    answered: answered.length,
    pending: rows.filter((r) => r.status === 'open' || r.status === 'escalated').length,
    escalated: rows.filter((r) => r.status === 'escalated').length,
    expired: rows.filter((r) => r.status === 'expired').length,
    meanResponseHours: hours.length ? round(hours.reduce((a, b) => a + b, 0) / hours.length) : null,
    agreementRate: answered.length ? round(answered.filter((r) => r.agreed === 1).length / answered.length) : null,
  };
}

function groupBy<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

/** Queries sent in the range (YYYY-MM-DD, inclusive), aged first so escalations are current. */
export async function queryReport(
  deps: QueryDeps,
  actor: Actor,
  range: { from?: string | undefined; to?: string | undefined } = {},
): Promise<QueryReport> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'query_report' });
  await deps.db.transaction().execute((trx) => applyQueryAging(trx, deps, deps.queryPolicy));
  const rows = await repo.listQueriesSentBetween(deps.db, {
    from: range.from ? `${range.from}T00:00:00.000Z` : '0000',
    to: range.to ? `${range.to}T23:59:59.999Z` : '9999',
  });
  return {
    total: stats(rows),
    byPhysician: [...groupBy(rows, (r) => r.provider_id)].map(([id, rs]) => ({
      providerId: id,
      name: `${rs[0]!.given_name} ${rs[0]!.family_name}`,
      ...stats(rs),
    })),
    byCoder: [...groupBy(rows, (r) => r.author_id)].map(([id, rs]) => ({ userId: id, name: rs[0]!.display_name ?? id, ...stats(rs) })),
    byType: [...groupBy(rows, (r) => r.type)].map(([type, rs]) => ({ type, ...stats(rs) })),
  };
}

/** Days a query has been waiting, as the director's aging view groups them. */
export const QUERY_AGE_BUCKETS = [
  { label: '0-2', max: 2 },
  { label: '3-7', max: 7 },
  { label: '8-14', max: 14 },
  { label: '15-30', max: 30 },
  { label: '30+', max: Infinity },
] as const;

export interface QueryAging {
  buckets: string[];
  total: number;
  byPhysician: { providerId: string; name: string; counts: number[]; total: number; escalated: number; oldestDays: number }[];
}

/**
 * Open and escalated queries by physician and by days waiting (the HIM director's follow-up list; counts only, no
 * patient). Aged first, so escalations are current. Oldest waits first.
 */
export async function queryAgingReport(deps: QueryDeps, actor: Actor): Promise<QueryAging> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'query_report' });
  await deps.db.transaction().execute((trx) => applyQueryAging(trx, deps, deps.queryPolicy));
  const rows = await repo.listPendingQueriesByPhysician(deps.db);
  const now = deps.clock.now().getTime();
  const byPhysician = [...groupBy(rows, (r) => r.provider_id)].map(([id, rs]) => {
    const days = rs.map((r) => Math.max(0, Math.floor((now - Date.parse(r.sent_at)) / 86_400_000)));
    const first = rs[0]!;
    return {
      providerId: id,
      name: `${first.given_name} ${first.family_name}${first.credentials ? `, ${first.credentials}` : ''}`,
      counts: QUERY_AGE_BUCKETS.map((b, i) => days.filter((d) => d <= b.max && d > (QUERY_AGE_BUCKETS[i - 1]?.max ?? -1)).length),
      total: rs.length,
      escalated: rs.filter((r) => r.status === 'escalated').length,
      oldestDays: Math.max(...days),
    };
  });
  return {
    buckets: QUERY_AGE_BUCKETS.map((b) => b.label),
    total: rows.length,
    byPhysician: byPhysician.sort((a, b) => b.oldestDays - a.oldestDays || b.total - a.total),
  };
}
