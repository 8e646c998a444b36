/**
 * Client for outpatient coding (src/modules/outpatient): the stored outpatient abstract of an outpatient, ED,
 * observation or clinic encounter, and the stateless outpatient check. Types mirror the server's answers.
 */
import { request } from './api.js';
import type { EncounterHeader } from './coding-api.js';

export type Side = 'facility' | 'professional';
export type MdmLevel = 'straightforward' | 'low' | 'moderate' | 'high';
export type EmCategory = 'office-new' | 'office-established' | 'emergency' | 'hospital-initial' | 'hospital-subsequent';
export const MDM_LEVELS: MdmLevel[] = ['straightforward', 'low', 'moderate', 'high'];
export const EM_CATEGORIES: { value: EmCategory; label: string }[] = [
  { value: 'emergency', label: 'Emergency department (99282-99285)' },
  { value: 'office-new', label: 'Office or outpatient, new patient (99202-99205)' },
  { value: 'office-established', label: 'Office or outpatient, established (99212-99215)' },
  { value: 'hospital-initial', label: 'Hospital or observation, initial (99221-99223)' },
  { value: 'hospital-subsequent', label: 'Hospital or observation, subsequent (99231-99233)' },
];

export interface ServiceLine {
  code: string;
  modifiers: string[];
  units: number;
  dateOfService: string;
  pointers: number[];
  revenueCode: string | null;
  charge: number | null;
}

export interface EmChoice {
  category: EmCategory;
  basis: 'mdm' | 'time';
  problems: MdmLevel | null;
  data: MdmLevel | null;
  risk: MdmLevel | null;
  totalMinutes: number | null;
  code: string;
}

export interface OutpatientData {
  side: Side;
  firstListedDx: string | null;
  otherDx: string[];
  reasonForVisit: string[];
  lines: ServiceLine[];
  em: EmChoice | null;
}

export interface OutpatientView {
  encounter: EncounterHeader;
  status: 'not_started' | 'draft' | 'final';
  version: number;
  data: OutpatientData;
  emCategory: EmCategory;
  codedBy: string | null;
  codedByName: string | null;
  codedAt: string | null;
}

export interface OutpatientFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  diagnosis?: number;
  line?: number;
  citation: string;
}

export interface EmSuggestion {
  code: string | null;
  byMdm: { code: string; level: MdmLevel } | null;
  byTime: { code: string; minutes: number } | null;
  reasons: string[];
  citation: string;
}

export interface OutpatientCheck {
  side: Side;
  findings: OutpatientFinding[];
  lines: { code: string; title: string; opps: { statusIndicator: string; apc: string } | null }[];
  ptp: {
    loaded: boolean;
    conflicts: {
      column1Line: number;
      column2Line: number;
      column1: string;
      column2: string;
      modifierIndicator: string;
      bypassed: boolean;
    }[];
  };
  mue: { loaded: boolean; excess: { code: string; dateOfService: string; units: number; mue: number; indicator: string }[] };
  opps: { loaded: boolean };
  em: EmSuggestion | null;
}

export interface EmInput {
  category: EmCategory;
  problems?: MdmLevel;
  data?: MdmLevel;
  risk?: MdmLevel;
  totalMinutes?: number;
}

const enc = (id: string) => `/api/outpatient/encounters/${encodeURIComponent(id)}`;

/** The diagnoses in claim order (what pointers 1..n name). */
export const diagnosesOf = (d: OutpatientData): string[] => [...(d.firstListedDx ? [d.firstListedDx] : []), ...d.otherDx];

export const outpatientApi = {
  abstract: (id: string) => request<OutpatientView>('GET', enc(id)),
  saveDraft: (id: string, data: OutpatientData, expectedVersion: number) =>
    request<{ version: number; status: 'draft' }>('PUT', `${enc(id)}/draft`, { body: { data, expectedVersion } }),
  finalCode: (id: string, data: OutpatientData, expectedVersion: number) =>
    request<{ version: number; status: 'final'; warnings: string[] }>('POST', `${enc(id)}/final`, { body: { data, expectedVersion } }),
  reopen: (id: string, reason: string) => request<{ version: number }>('POST', `${enc(id)}/reopen`, { body: { reason } }),
  /** The outpatient edits of the codes on screen (no patient data is sent: codes, units, dates). */
  check: (d: OutpatientData, em: EmInput | undefined, signal?: AbortSignal) =>
    request<OutpatientCheck>('POST', '/api/outpatient/check', {
      body: {
        side: d.side,
        diagnoses: diagnosesOf(d).map((code) => ({ code })),
        lines: d.lines.map((l) => ({ ...l, revenueCode: l.revenueCode ?? undefined, charge: undefined })),
        ...(em ? { em } : {}),
      },
      ...(signal ? { signal } : {}),
    }),
};
