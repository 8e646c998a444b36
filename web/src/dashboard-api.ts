/** The director's dashboard API (/api/reports/dashboard): figures, the encounters behind each, exports. */
import { queryString, request } from './api.js';
import type { Dashboard, DrillRow, FigureSelection, IndexEntry, IndexKind } from '../../src/modules/reports/index.js';

export type { Dashboard, DrillRow, FigureSelection, IndexEntry, IndexKind };

/** The filters of the screen; empty strings are left out of the query. */
export interface DashboardFilters {
  from: string;
  to: string;
  facility: string;
  service: string;
  physician: string;
  payer: string;
}

export interface DrillResult {
  figure: FigureSelection;
  total: number;
  withheld: number;
  items: DrillRow[];
}

export const dashboardApi = {
  dashboard(f: DashboardFilters, signal?: AbortSignal): Promise<Dashboard> {
    return request('GET', `/api/reports/dashboard${queryString({ ...f })}`, signal ? { signal } : {});
  },
  encounters(f: DashboardFilters, sel: FigureSelection, signal?: AbortSignal): Promise<DrillResult> {
    return request('GET', `/api/reports/dashboard/encounters${queryString({ ...f, ...selectionParams(sel) })}`, signal ? { signal } : {});
  },
  exportUrl(f: DashboardFilters, format: 'csv' | 'xlsx' | 'pdf', sel?: FigureSelection): string {
    const base = sel ? '/api/reports/dashboard/encounters' : '/api/reports/dashboard';
    return `${base}${queryString({ ...f, ...(sel ? selectionParams(sel) : {}), format })}`;
  },
};

function selectionParams(sel: FigureSelection): Record<string, string | undefined> {
  return {
    figure: sel.figure,
    reason: sel.reason,
    age: sel.age,
    day: sel.day,
    type: sel.type,
    coderId: sel.coderId,
    drg: sel.drg,
    month: sel.month,
  };
}

/** The query of an HIM index; empty strings are left out. */
export interface IndexQuery {
  from: string;
  to: string;
  codeFrom: string;
  codeTo: string;
}

export const indexesApi = {
  index(
    kind: IndexKind,
    q: IndexQuery,
    signal?: AbortSignal,
  ): Promise<{ kind: IndexKind; from: string; to: string; entries: IndexEntry[] }> {
    return request('GET', `/api/reports/indexes/${kind}${queryString({ ...q })}`, signal ? { signal } : {});
  },
  exportUrl(kind: IndexKind, q: IndexQuery, format: 'csv' | 'xlsx'): string {
    return `/api/reports/indexes/${kind}${queryString({ ...q, format })}`;
  },
};

/** The answer of the analysts' SQL console (POST /api/reports/sql). */
export interface SqlConsoleResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

export const sqlConsoleApi = {
  run(sql: string): Promise<SqlConsoleResult> {
    return request('POST', '/api/reports/sql', { body: { sql } });
  },
};

/** A saved dashboard filter set and its email schedule (GET/POST /api/reports/saved). */
export interface SavedReport {
  id: string;
  name: string;
  filters: Partial<DashboardFilters>;
  schedule: 'none' | 'daily' | 'weekly';
  recipients: string[];
  lastSentAt: string | null;
}

export const savedReportsApi = {
  list(): Promise<{ items: SavedReport[] }> {
    return request('GET', '/api/reports/saved');
  },
  save(r: {
    name: string;
    filters: Partial<DashboardFilters>;
    schedule: SavedReport['schedule'];
    recipients: string[];
  }): Promise<SavedReport> {
    return request('POST', '/api/reports/saved', { body: r });
  },
  remove(id: string): Promise<void> {
    return request('DELETE', `/api/reports/saved/${encodeURIComponent(id)}`);
  },
};
