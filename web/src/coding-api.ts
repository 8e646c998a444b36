/**
 * Client for the coding workspace and physician query APIs (src/modules/coding, src/modules/queries), on the
 * shared `request` of api.ts (CSRF, problem+json errors). Types mirror the server's answers.
 */
import { queryString, request } from './api.js';

export type Poa = 'Y' | 'N' | 'U' | 'W' | '1' | '';
export interface Dx {
  code: string;
  poa: Poa;
}
export interface Px {
  code: string;
  date: string | null;
  operatingProviderId: string | null;
}
export interface AbstractData {
  principalDx: Dx | null;
  secondaryDx: Dx[];
  admittingDx: string | null;
  reasonForVisit: string[];
  procedures: Px[];
  dischargeStatus: string | null;
  birthWeightGrams: number | null;
}

export interface WorklistItem {
  encounterId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  accountNumber: string;
  type: string;
  payerName: string | null;
  admitAt: string;
  dischargeAt: string;
  daysSinceDischarge: number;
  lengthOfStay: number;
  attending: string | null;
  workingDrg: string | null;
  workingDrgTitle: string | null;
  status: 'not_started' | 'draft';
  queryStatus: 'open' | 'escalated' | 'answered' | 'none';
  assignedTo: string | null;
  assigneeName: string | null;
  /** The chart's completion (a separate queue) and whether it holds the final bill; null before the analysis. */
  completion: { status: string; outstanding: number; blocksFinalBill: boolean } | null;
  restricted: boolean;
  /** False for a restricted record not opened by this user: dates, type, payer, attending and DRG are withheld. */
  details: boolean;
}
export interface WorklistFilter {
  type?: string;
  payer?: string;
  assignee?: string;
  queryStatus?: string;
  status?: string;
  minDays?: number;
  maxDays?: number;
  sort?: string;
  dir?: string;
}

export interface EncounterHeader {
  id: string;
  patientId: string;
  accountNumber: string;
  type: string;
  admitAt: string;
  dischargeAt: string | null;
  dischargeStatus: string | null;
  payerName: string | null;
  reasonForVisit: string | null;
  attending: string | null;
  attendingProviderId: string | null;
  mrn: string;
  patientName: string;
  dateOfBirth: string | null;
  sex: string | null;
}
export interface DocumentView {
  id: string;
  kind: string;
  title: string;
  author: string | null;
  authoredAt: string;
  text: string;
}
export interface AbstractView {
  encounter: EncounterHeader;
  status: 'not_started' | 'draft' | 'final';
  version: number;
  data: AbstractData;
  assignedTo: string | null;
  codedBy: string | null;
  codedAt: string | null;
  workingDrg: string | null;
  workingDrgTitle: string | null;
  finalDrg: string | null;
  queryAnswered: boolean;
  /** Physician queries still open or escalated: each holds final coding. */
  pendingQueries: number;
  documents: DocumentView[];
  providers: { id: string; name: string }[];
}
export interface Feedback {
  issues: { severity: 'error' | 'warning' | 'info'; rule: string; field: string; message: string }[];
  findings: { severity: 'error' | 'warning' | 'reminder'; rule: string; code: string; message: string; noteSource?: string }[];
  codeSetRelease: string | null;
  /** Release of the code titles and validity, and of the instructional notes (a tabular older than the code set is named). */
  codeSetSources?: { codes: string; notes: string[]; validity?: string } | null;
  mce: { editType: string; edits: { name: string; count: number; blocking: boolean }[]; messages: string[] } | null;
  drg: {
    grouperVersion: string;
    drg: string;
    title: string;
    mdc: string;
    mdcTitle: string;
    severity: string;
    returnCode: string;
    explanation: Explanation;
    secondaryDxSeverity: { code: string; flag: string }[];
  } | null;
  drgNote: string | null;
  whatIf: { change: string; code: string; kind: string; drg: string; title: string; changesDrg: boolean }[];
  blocking: string[];
  titles: Record<string, string>;
}
export interface Explanation {
  mdcReason?: string;
  drgRule?: { mdc?: string; drg?: string; formula?: string; step?: string };
  secondaryDx?: { code: string; flag: string; reason: string }[];
  hac?: { code: string; hac: string; poa: string; effect: string }[];
}
export interface SaveResult {
  version: number;
  status: 'draft' | 'final';
  workingDrg: string | null;
  workingDrgTitle: string | null;
  codedBy?: string | null;
  codedAt?: string | null;
  feedback: Feedback;
}
export interface CodeHit {
  system: 'cm' | 'pcs';
  code: string;
  display: string;
  title: string;
  billable: boolean;
  path: string[];
}
export interface Indicator {
  kind: string;
  text: string;
  source: string | null;
  observedAt: string | null;
}
export interface QueryView {
  id: string;
  encounterId: string;
  patientId: string;
  providerId: string;
  providerName: string | null;
  authorId: string;
  authorName: string | null;
  type: string;
  purpose: string | null;
  question: string;
  options: string[];
  indicators: Indicator[];
  status: string;
  sentAt: string;
  daysOpen: number;
  escalatedAt: string | null;
  answeredAt: string | null;
  answerChoice: string | null;
  answerText: string | null;
  agreed: boolean | null;
  signature: string | null;
  patientName?: string;
  accountNumber?: string;
  /** In the inbox, false for a restricted record not opened yet: question, indicators and answer withheld. */
  details?: boolean;
}
export interface QueryDraft {
  type: string;
  purpose: string | null;
  question: string;
  options: string[];
  indicators: { kind: string; text: string; source?: string | null }[];
}
export interface ComplianceProblem {
  rule: string;
  phrase: string;
  field: string;
  message: string;
}
export interface NotificationView {
  id: string;
  kind: string;
  encounterId: string | null;
  resourceId: string | null;
  message: string;
  patientName?: string | null;
  mrn?: string | null;
  accountNumber?: string | null;
  createdAt: string;
  readAt: string | null;
}

export const codingApi = {
  worklist: (f: WorklistFilter, signal?: AbortSignal) =>
    request<{ total: number; items: WorklistItem[] }>('GET', `/api/coding/worklist${queryString({ ...f })}`, signal ? { signal } : {}),
  /** The worklist with search words (name, MRN, account) in a POST body, never in the URL. */
  searchWorklist: (f: WorklistFilter & { text?: string; limit?: number; offset?: number }, signal?: AbortSignal) =>
    request<{ total: number; items: WorklistItem[]; payers: string[] }>('POST', '/api/coding/worklist/search', {
      body: f,
      ...(signal ? { signal } : {}),
    }),
  claimNext: (type?: string, skip?: string) =>
    request<{ item: WorklistItem | null }>('POST', '/api/coding/worklist/claim-next', {
      body: { ...(type ? { type } : {}), ...(skip ? { skip } : {}) },
    }),
  coders: () => request<{ items: { id: string; name: string }[] }>('GET', '/api/coding/coders'),
  assign: (id: string, userId: string | null) =>
    request<{ assignedTo: string | null }>('POST', `/api/coding/encounters/${encodeURIComponent(id)}/assign`, { body: { userId } }),
  access: (id: string) =>
    request<{ patientId: string; restricted: boolean; open: boolean }>('GET', `/api/coding/encounters/${encodeURIComponent(id)}/access`),
  abstract: (id: string) => request<AbstractView>('GET', `/api/coding/encounters/${encodeURIComponent(id)}`),
  feedback: (id: string, data: AbstractData, signal?: AbortSignal) =>
    request<Feedback>('POST', `/api/coding/encounters/${encodeURIComponent(id)}/feedback`, {
      body: { data },
      ...(signal ? { signal } : {}),
    }),
  saveDraft: (id: string, data: AbstractData, expectedVersion: number) =>
    request<SaveResult>('PUT', `/api/coding/encounters/${encodeURIComponent(id)}/draft`, { body: { data, expectedVersion } }),
  finalCode: (id: string, data: AbstractData, expectedVersion: number) =>
    request<SaveResult>('POST', `/api/coding/encounters/${encodeURIComponent(id)}/final`, { body: { data, expectedVersion } }),
  reopen: (id: string, reason: string) =>
    request<{ version: number }>('POST', `/api/coding/encounters/${encodeURIComponent(id)}/reopen`, { body: { reason } }),
  versions: (id: string) => request<{ items: VersionView[] }>('GET', `/api/coding/encounters/${encodeURIComponent(id)}/versions`),
  search: (q: string, system: 'cm' | 'pcs', date: string, signal?: AbortSignal) =>
    request<{ release: string; hits: CodeHit[] }>(
      'GET',
      `/api/codes/search${queryString({ q, system, date, limit: 15 })}`,
      signal ? { signal } : {},
    ),
  encounterQueries: (id: string) => request<{ items: QueryView[] }>('GET', `/api/coding/encounters/${encodeURIComponent(id)}/queries`),
  checkQuery: (d: QueryDraft, signal?: AbortSignal) =>
    request<{ problems: ComplianceProblem[] }>('POST', '/api/queries/check', { body: d, ...(signal ? { signal } : {}) }),
  sendQuery: (id: string, d: QueryDraft & { providerId?: string | null }) =>
    request<QueryView>('POST', `/api/coding/encounters/${encodeURIComponent(id)}/queries`, { body: d }),
  inbox: () => request<{ items: QueryView[] }>('GET', '/api/queries/inbox'),
  query: (id: string) => request<QueryView>('GET', `/api/queries/${encodeURIComponent(id)}`),
  answer: (id: string, a: { choice: string | null; text: string | null }) =>
    request<QueryView>('POST', `/api/queries/${encodeURIComponent(id)}/answer`, { body: { ...a, attest: true } }),
  escalate: () => request<{ escalated: number; expired: number }>('POST', '/api/queries/escalate', { body: {} }),
  markRead: (id: string) => request<undefined>('POST', `/api/notifications/${encodeURIComponent(id)}/read`, { body: {} }),
  notifications: () => request<{ items: NotificationView[] }>('GET', '/api/notifications'),
  audits: () => request<{ items: AuditListItem[] }>('GET', '/api/coding/audits'),
  startAudit: (encounterId: string) =>
    request<AuditView>('POST', `/api/coding/encounters/${encodeURIComponent(encounterId)}/audits`, { body: {} }),
  audit: (id: string) => request<AuditView>('GET', `/api/coding/audits/${encodeURIComponent(id)}`),
  auditFeedback: (id: string, data: AbstractData, signal?: AbortSignal) =>
    request<Feedback>('POST', `/api/coding/audits/${encodeURIComponent(id)}/feedback`, { body: { data }, ...(signal ? { signal } : {}) }),
  saveAudit: (id: string, data: AbstractData, submit: boolean) =>
    request<AuditView>('PUT', `/api/coding/audits/${encodeURIComponent(id)}`, { body: { data, submit } }),
  dnfb: () =>
    request<{
      total: number;
      byAge: { bucket: string; count: number; inpatient: number }[];
      byCoder: { userId: string | null; name: string; count: number; oldestDays: number }[];
      byType: { type: string; count: number }[];
      onQueryHold: number;
    }>('GET', '/api/reports/coding/dnfb'),
  productivity: (from?: string, to?: string) =>
    request<{
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
      byCoderDay: { coder: string; day: string; type: string; count: number }[];
    }>('GET', `/api/reports/coding/productivity${queryString({ from, to })}`),
  quality: () =>
    request<{
      drgChangeAfterQuery: { queries: number; changed: number; rate: number; unmeasured: number };
      audits: { submitted: number; meanCodeAgreement: number; drgAgreementRate: number; recodedAfterAudit: number; recodeRate: number };
    }>('GET', '/api/reports/coding/quality'),
  queryAging: () =>
    request<{
      buckets: string[];
      total: number;
      byPhysician: { providerId: string; name: string; counts: number[]; total: number; escalated: number; oldestDays: number }[];
    }>('GET', '/api/reports/queries/aging'),
  queryReport: () =>
    request<{
      total: QueryStats;
      byPhysician: (QueryStats & { name: string; providerId: string })[];
      byCoder: (QueryStats & { name: string; userId: string })[];
    }>('GET', '/api/reports/queries'),
};
export interface VersionView {
  version: number;
  kind: string;
  drg: string | null;
  drgBefore?: string | null;
  reason: string | null;
  savedByName: string | null;
  savedAt: string;
  changes?: {
    added: string[];
    removed: string[];
    principal: { before: string | null; after: string | null } | null;
    poa: string[];
    other: string[];
  };
}
export interface QueryStats {
  sent: number;
  answered: number;
  pending: number;
  escalated: number;
  expired: number;
  meanResponseHours: number | null;
  agreementRate: number | null;
}

/** Code as printed: ICD-10-CM with the dot after the third character; PCS as is. */
export function dotted(code: string): string {
  return /^[A-Z]\d/.test(code) && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

export interface AuditListItem {
  encounterId: string;
  restricted: boolean;
  accountNumber: string;
  type: string;
  dischargeAt: string | null;
  codedAt: string | null;
  auditId: string | null;
  auditStatus: string | null;
  codeAgreementRate: number | null;
}
export interface CodeAgreement {
  principalDx: { coder: string | null; auditor: string | null; agree: boolean };
  secondaryDx: { matched: string[]; coderOnly: string[]; auditorOnly: string[]; poaDiffers: string[] };
  procedures: { matched: string[]; coderOnly: string[]; auditorOnly: string[] };
  drg: { coder: string | null; auditor: string | null; agree: boolean };
  codeAgreementRate: number;
}
export interface AuditView {
  id: string;
  status: 'in_progress' | 'submitted';
  encounter: EncounterHeader;
  documents: DocumentView[];
  providers: { id: string; name: string }[];
  data: AbstractData;
  drg: string | null;
  coder: { version: number; data: AbstractData; drg: string | null } | null;
  agreement: CodeAgreement | null;
}
