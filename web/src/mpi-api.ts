/**
 * Client for registration, the MPI worklist and the HL7 message log (src/modules/patients, mpi, interfaces), on
 * the shared `request` of api.ts (CSRF, problem+json errors). Person data travels in POST bodies, never URLs.
 */
import { queryString, request } from './api.js';
import type { FitOutcome, ModelChangeOutcome, MpiModelFitView, MpiModelView } from '../../src/modules/mpi/index.js';

/** The matching model's answers: the server's own types (src/modules/mpi/model.service.ts), imported as types only. */
export type { FitOutcome, ModelChangeOutcome, MpiModelFitView, MpiModelView };

export interface PersonInput {
  familyName: string;
  givenName: string;
  middleName?: string;
  dateOfBirth?: string;
  sex?: 'M' | 'F' | 'U' | 'X';
  race?: string;
  ethnicity?: string;
  address?: { line1?: string; line2?: string; city?: string; state?: string; postalCode?: string };
  phone?: string;
  email?: string;
  ssn?: string;
}

export interface MatchCandidate {
  patient: {
    id: string;
    mrn: string;
    familyName: string;
    givenName: string;
    dateOfBirth: string | null;
    sex: string | null;
    restricted: boolean;
    addressLine1: string | null;
    city: string | null;
    postalCode: string | null;
    phone: string | null;
    ssnMasked: string | null;
  };
  /** Null for a restricted record the user has not opened (its agreement with the person is withheld). */
  score: number | null;
  weight: number | null;
  fields: Record<string, string | null>;
  transposedNames: boolean;
}

export interface PairPatient {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string | null;
  sex: string;
  restricted: boolean;
  mergedInto: string | null;
}
export interface DuplicatePair {
  id: string;
  score: number | null;
  status: string;
  source: string;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  mergeId: string | null;
  patients: [PairPatient, PairPatient];
}
export interface SidePatient extends PairPatient {
  middleName: string | null;
  address: { line1: string | null; line2: string | null; city: string | null; state: string | null; postalCode: string | null };
  phone: string | null;
  email: string | null;
  ssnMasked: string | null;
  deceasedAt: string | null;
  createdAt: string;
  aliases: { use: string; familyName: string; givenName: string }[];
  identifiers: { system: string; value: string; type: string | null }[];
  encounters: { accountNumber: string; type: string; status: string; admitAt: string; dischargeAt: string | null }[];
}
export interface PairDetail {
  pair: DuplicatePair;
  left: SidePatient;
  right: SidePatient;
  comparison: { field: string; level: string | null; weight: number }[];
  currentScore: number;
  transposedNames: boolean;
}
export interface MergeView {
  id: string;
  survivorId: string;
  mergedId: string;
  status: string;
  source: string;
  reason: string | null;
  mergedAt: string;
  mergedBy: string;
  unmergedAt: string | null;
  unmergedBy: string | null;
  survivorMrn?: string | null;
  survivorName?: string | null;
  mergedMrn?: string | null;
  mergedName?: string | null;
  mergedByName?: string | null;
  unmergedByName?: string | null;
}

export interface Hl7Message {
  id: string;
  receivedAt: string;
  channel: string;
  controlId: string | null;
  sendingApplication: string | null;
  sendingFacility: string | null;
  messageType: string | null;
  triggerEvent: string | null;
  version: string | null;
  status: string;
  ackCode: string | null;
  errorCode: string | null;
  errorText: string | null;
  patientId: string | null;
  attempts: number;
  processedAt: string | null;
}

/** Filters of the HL7 message log (none of them person data: the URL carries them). `from`/`to` are ISO instants, `to` exclusive. */
export interface Hl7MessageFilter {
  status?: string;
  messageType?: string;
  triggerEvent?: string;
  controlId?: string;
  from?: string;
  to?: string;
}

export const mpiApi = {
  matchCandidates: (person: PersonInput) =>
    request<{ items: MatchCandidate[] }>('POST', '/api/patients/match-candidates', { body: person }),
  createPatient: (input: PersonInput & { facilityId: string; sex: 'M' | 'F' | 'U' | 'X' }) =>
    request<{ id: string; mrn: string; newDuplicatePairs: number }>('POST', '/api/patients', { body: input }),
  updatePatient: (id: string, patch: Record<string, unknown>) =>
    request<{ id: string; updatedAt: string }>('PATCH', `/api/patients/${encodeURIComponent(id)}`, { body: patch }),
  duplicates: (status = 'open') => request<{ items: DuplicatePair[] }>('GET', `/api/mpi/duplicates${queryString({ status })}`),
  duplicate: (id: string) => request<PairDetail>('GET', `/api/mpi/duplicates/${encodeURIComponent(id)}`),
  notDuplicate: (id: string, note: string) =>
    request<undefined>('POST', `/api/mpi/duplicates/${encodeURIComponent(id)}/not-duplicate`, { body: { note: note || null } }),
  merge: (survivorId: string, mergedId: string, reason: string) =>
    request<{ mergeId: string }>('POST', '/api/mpi/merges', { body: { survivorId, mergedId, reason } }),
  merges: () => request<{ items: MergeView[] }>('GET', '/api/mpi/merges'),
  unmerge: (mergeId: string) =>
    request<{ restored: number; missing: number }>('POST', `/api/mpi/merges/${encodeURIComponent(mergeId)}/unmerge`),
  hl7Messages: (f: Hl7MessageFilter, before?: string, limit = 100) =>
    request<{ items: Hl7Message[]; counts: Record<string, number> }>(
      'GET',
      `/api/interfaces/hl7/messages${queryString({ ...f, before, limit })}`,
    ),
  hl7Message: (id: string) =>
    request<Hl7Message & { raw: string; withheld?: boolean }>('GET', `/api/interfaces/hl7/messages/${encodeURIComponent(id)}`),
  reprocess: (id: string) =>
    request<{ status: string; ackCode: string; errorText: string | null }>(
      'POST',
      `/api/interfaces/hl7/messages/${encodeURIComponent(id)}/reprocess`,
    ),
  model: () => request<MpiModelView>('GET', '/api/mpi/model'),
  modelFits: () => request<{ items: MpiModelFitView[] }>('GET', '/api/mpi/models'),
  fitModel: () => request<FitOutcome>('POST', '/api/mpi/model/fit'),
  resetModel: () => request<ModelChangeOutcome>('POST', '/api/mpi/model/reset'),
  activateModel: (id: string) => request<ModelChangeOutcome>('POST', `/api/mpi/models/${encodeURIComponent(id)}/activate`),
};

const FIELD_LABELS: Record<string, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  middleName: 'Middle name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  streetNumber: 'Street number',
  streetName: 'Street name',
  addressLine2: 'Address line 2',
  city: 'City',
  postcode: 'ZIP code',
  state: 'State',
  phone: 'Phone',
  ssn: 'SSN',
  email: 'E-mail',
};

/** A compared field as people name it ("Date of birth" for dateOfBirth). */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** What a fit did, in a sentence: the model fitted, or the model kept and why (the server's reason). */
export function fitOutcomeText(r: FitOutcome): string {
  return r.fitted
    ? `Fitted from ${r.patients.toLocaleString('en-US')} patients (${r.candidatePairs.toLocaleString('en-US')} candidate pairs, ${r.iterations} EM iterations); the new fit is in use now.`
    : `Nothing fitted; the ${r.model.source} model stays in use: ${r.reason ?? 'no reason given'}.`;
}

/** Share of a count as a percentage for people ("50%"), or a dash when there is nothing to divide. */
export function formatShare(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`;
}

/** Score as a percentage for people ("97%"). */
export function formatScore(score: number | null): string {
  if (score === null) return 'restricted';
  const pct = score * 100;
  return pct >= 99.95 ? '>99.9%' : `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** Agreement level of a compared field, as a clerk reads it. */
export function levelLabel(level: string | null): string {
  if (level === null) return 'not compared';
  return level.replace(/_/g, ' ');
}

/** Drops empty strings so that the server sees absent fields, not blanks. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === '' || v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = compact(v as Record<string, unknown>);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out as Partial<T>;
}

export const facilitiesApi = {
  list: () => request<{ items: { id: string; name: string }[] }>('GET', '/api/facilities'),
};
