/**
 * Client for chart completion (src/modules/completion), on the shared `request` of api.ts (CSRF, problem+json
 * errors). Paths carry ids only; reasons, attestations and passwords travel in bodies.
 */
import { queryString, request } from './api.js';
import type {
  ChartCompletionView,
  CompletionRecordView,
  CompletionReport,
  DeficiencyView,
  InboxItem,
  Scorecard,
  ScorecardReport,
  SignResult,
  Suspension,
} from '../../src/modules/completion/index.js';

export type {
  ChartCompletionView,
  CompletionRecordView,
  CompletionReport,
  DeficiencyView,
  InboxItem,
  Scorecard,
  ScorecardReport,
  SignResult,
  Suspension,
};

/** The scorecards' period: days YYYY-MM-DD (both included); the current month when absent. */
export interface ScorecardFilters {
  from?: string;
  to?: string;
  facilityId?: string;
}

const enc = encodeURIComponent;

export const completionApi = {
  worklist: (status?: string) => request<{ items: CompletionRecordView[] }>('GET', `/api/completion/worklist${queryString({ status })}`),
  analyseDischarges: () => request<{ analysed: number; skipped: number; failed: number }>('POST', '/api/completion/analyse', { body: {} }),
  chart: (encounterId: string) => request<ChartCompletionView>('GET', `/api/completion/encounters/${enc(encounterId)}`),
  analyse: (encounterId: string) =>
    request<ChartCompletionView>('POST', `/api/completion/encounters/${enc(encounterId)}/analyse`, { body: {} }),
  waive: (id: string, reason: string) =>
    request<DeficiencyView>('POST', `/api/completion/deficiencies/${enc(id)}/waive`, { body: { reason } }),
  reassign: (id: string, providerId: string, reason: string) =>
    request<DeficiencyView>('POST', `/api/completion/deficiencies/${enc(id)}/reassign`, { body: { providerId, reason } }),
  dispute: (id: string, reason: string) =>
    request<DeficiencyView>('POST', `/api/completion/deficiencies/${enc(id)}/dispute`, { body: { reason } }),
  inbox: () => request<{ items: InboxItem[] }>('GET', '/api/completion/inbox'),
  sign: (deficiencyIds: string[], attestation: string, password: string) =>
    request<{ results: SignResult[] }>('POST', '/api/completion/inbox/sign', { body: { deficiencyIds, attestation, password } }),
  report: () => request<CompletionReport>('GET', '/api/reports/completion'),
  scorecards: (f: ScorecardFilters = {}) =>
    request<ScorecardReport>(
      'GET',
      `/api/reports/completion/scorecards${queryString({ from: f.from, to: f.to, facilityId: f.facilityId })}`,
    ),
  /** Where the browser downloads an export (a plain link: the session cookie carries the sign-in). */
  scorecardsExportUrl: (f: ScorecardFilters, format: 'csv' | 'xlsx') =>
    `/api/reports/completion/scorecards${queryString({ from: f.from, to: f.to, facilityId: f.facilityId, format })}`,
  suspensions: () => request<{ items: Suspension[] }>('GET', '/api/completion/suspensions'),
};
