/** The director's dashboard API (/api/reports/dashboard): figures, the encounters behind each, exports. */
import { queryString, request } from './api.js';
import type { Dashboard, DrillRow, FigureSelection } from '../../src/modules/reports/index.js';

export type { Dashboard, DrillRow, FigureSelection };

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
  exportUrl(f: DashboardFilters, format: 'csv' | 'xlsx', sel?: FigureSelection): string {
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
