/**
 * Client for amendment requests (src/modules/amendments) and retention (src/modules/retention), on the shared
 * `request` of api.ts (CSRF, problem+json errors). Paths carry ids only; what a patient wrote travels in bodies.
 */
import { queryString, request, type PatientListItem } from './api.js';
import type { AmendmentView, DenialBasis, NotificationView } from '../../src/modules/amendments/index.js';
import type { BatchDetail, BatchView, EligibleView, RetentionRule, RuleSetView } from '../../src/modules/retention/index.js';
import type { DocumentSummary } from '../../src/modules/documents/index.js';

export type {
  AmendmentView,
  DenialBasis,
  NotificationView,
  BatchDetail,
  BatchView,
  EligibleView,
  RetentionRule,
  RuleSetView,
  DocumentSummary,
};

const enc = encodeURIComponent;

export interface NewAmendmentInput {
  patientId: string;
  documentIds: string[];
  information: string;
  requestedChange: string;
  reason?: string | null;
  receivedOn: string;
  receivedVia: string;
}

export interface Recipient {
  recipient: string;
  kind: 'person' | 'organisation';
  identifiedBy: 'patient' | 'entity';
}

export const amendmentsApi = {
  list(status?: string): Promise<{ items: AmendmentView[] }> {
    return request('GET', `/api/amendments${queryString({ status })}`);
  },
  overdue(): Promise<{ items: AmendmentView[] }> {
    return request('GET', '/api/amendments/overdue');
  },
  get(id: string): Promise<AmendmentView> {
    return request('GET', `/api/amendments/${enc(id)}`);
  },
  create(body: NewAmendmentInput): Promise<AmendmentView> {
    return request('POST', '/api/amendments', { body });
  },
  extend(id: string, body: { reason: string; noticeOn: string; newDueOn?: string | null }): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/extend`, { body });
  },
  accept(
    id: string,
    body: { documentId: string; amendmentText?: string | null; version?: number | null; notify: Recipient[] },
  ): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/accept`, { body });
  },
  deny(id: string, body: { basis: DenialBasis; explanation: string }): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/deny`, { body });
  },
  disagreement(id: string, body: { text: string; receivedOn: string }): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/disagreement`, { body });
  },
  rebuttal(id: string, body: { text: string }): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/rebuttal`, { body });
  },
  addRecipient(id: string, body: Recipient): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/notifications`, { body });
  },
  notified(id: string, notificationId: string, notifiedOn: string): Promise<AmendmentView> {
    return request('POST', `/api/amendments/${enc(id)}/notifications/${enc(notificationId)}/notified`, { body: { notifiedOn } });
  },
  searchPatients(q: string): Promise<{ items: PatientListItem[] }> {
    return request('POST', '/api/patients/search', { body: { q, limit: 10 } });
  },
  documents(patientId: string): Promise<{ items: DocumentSummary[] }> {
    return request('GET', `/api/patients/${enc(patientId)}/documents`);
  },
};

export interface RuleSetInput {
  name: string;
  jurisdiction: string;
  description: string;
  ageOfMajority: number;
  rules: RetentionRule[];
}

export const retentionApi = {
  ruleSets(): Promise<{ items: RuleSetView[] }> {
    return request('GET', '/api/retention/rule-sets');
  },
  createRuleSet(body: RuleSetInput): Promise<RuleSetView> {
    return request('POST', '/api/retention/rule-sets', { body });
  },
  updateRuleSet(id: string, body: RuleSetInput): Promise<RuleSetView> {
    return request('PUT', `/api/retention/rule-sets/${enc(id)}`, { body });
  },
  activate(id: string): Promise<RuleSetView> {
    return request('POST', `/api/retention/rule-sets/${enc(id)}/activate`, { body: {} });
  },
  eligible(ruleSetId?: string): Promise<{ ruleSet: RuleSetView; asOf: string; items: EligibleView[] }> {
    return request('GET', `/api/retention/eligible${queryString({ ruleSetId })}`);
  },
  batches(): Promise<{ items: BatchView[] }> {
    return request('GET', '/api/retention/batches');
  },
  batch(id: string): Promise<BatchDetail> {
    return request('GET', `/api/retention/batches/${enc(id)}`);
  },
  createBatch(body: { ruleSetId?: string | null; documentIds: string[]; note?: string | null }): Promise<BatchDetail> {
    return request('POST', '/api/retention/batches', { body });
  },
  approve(id: string): Promise<BatchDetail> {
    return request('POST', `/api/retention/batches/${enc(id)}/approve`, { body: {} });
  },
  execute(id: string, method?: string | null): Promise<BatchDetail> {
    return request('POST', `/api/retention/batches/${enc(id)}/execute`, { body: method ? { method } : {} });
  },
  certificateUrl(id: string): string {
    return `/api/retention/batches/${enc(id)}/certificate.pdf`;
  },
};

/** Today as YYYY-MM-DD in the user's time zone (dates of receipt and notice are calendar days). */
export function todayLocal(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
