/** The release-of-information API (/api/roi/requests): ids in paths, everything about people in bodies. */
import { csrfHeader, problemOf, queryString, request, type PatientListItem } from './api.js';
import type { DeliveryView } from '../../src/modules/roi/index.js';

export interface RoiClock {
  dueOn: string;
  daysLeft: number;
  state: 'on_time' | 'escalated' | 'breached' | 'closed' | 'closed_late';
}

export interface RoiRequestView {
  id: string;
  patientId: string;
  mrn?: string;
  patientName?: string;
  details: boolean;
  requesterType: string;
  requesterName: string;
  requesterAddress: string | null;
  identityVerifiedBy: string | null;
  receivedOn: string;
  clockKind: string;
  clock: RoiClock;
  extendedDueOn: string | null;
  extensionReason: string | null;
  extensionNoticeOn: string | null;
  /** The written notice of the extension (164.524(b)(2)(ii)), once extended. */
  extensionNotice: string | null;
  purpose: string | null;
  format: string;
  delivery: string;
  authorizationDefects: string[];
  authorization: Record<string, unknown> | null;
  revokedOn: string | null;
  selected: string[];
  /** The areas drawn, by document id. */
  redactions: Record<string, RoiArea[]>;
  blockers: { code: string; citation: string }[];
  status: string;
  closedOn: string | null;
  denialGround: string | null;
  denialLetter: string | null;
  packetPages: number | null;
  invoice?: { totalCents: number; paidCents: number; paidOn: string | null; lines: { label: string; cents: number }[] } | null;
  deliveries?: RoiDelivery[];
}

/** How a released packet went out (never the link's token or passcode, which are shown once when made). */
export type RoiDelivery = DeliveryView;

/** The legal documents on file with a request (45 CFR 164.512(e), (i); 42 CFR 2.64). */
export interface RoiFacts {
  satisfactoryAssurance?: boolean;
  legalDocumentOnFile?: boolean;
  part2CourtOrder?: boolean;
  irbWaiverOnFile?: boolean;
}

/** The 164.508 authorization as read from the paper form (the fields the check evaluates). */
export interface RoiAuthorizationForm {
  description?: string | null;
  discloser?: string | null;
  recipient?: string | null;
  purpose?: string | null;
  initiatedByPatient?: boolean;
  expirationDate?: string | null;
  expirationEvent?: string | null;
  signatureDate?: string | null;
  signedBy?: 'patient' | 'representative' | null;
  representativeAuthority?: string | null;
  statements?: { rightToRevoke?: boolean; revocationHowTo?: boolean; conditioning?: boolean; redisclosure?: boolean };
  psychotherapyNotes?: boolean;
  part2?: boolean;
  part2SudDescription?: string | null;
  plainLanguage?: boolean;
}

export type RoiDeliveryInput =
  | { method: 'secure_download'; expiresInDays: number }
  | { method: 'mail'; mailedOn: string; carrier: string; trackingNumber?: string }
  | { method: 'pickup'; pickedUpOn: string; pickedUpBy: string; identificationChecked: string };

/** An area to black out: fractions of the page (of an image: of the image) from its top-left corner; page from 1. */
export interface RoiArea {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Identifiers the release finds by rule and redacts (SSNs by default). */
export const roiIdentifierKinds: [string, string][] = [
  ['ssn', 'Social Security numbers'],
  ['mrn', 'The patient’s MRN'],
  ['phone', 'Phone numbers'],
  ['email', 'Email addresses'],
  ['mbi', 'Medicare numbers (MBI)'],
];

export interface RoiCandidate {
  id: string;
  title: string;
  typeCode: string;
  serviceAt: string;
  confidentiality: string[];
  heldBack: string | null;
}

export interface NewRoiRequest {
  patientId: string;
  requesterType: string;
  requesterName: string;
  identityVerifiedBy?: string;
  receivedOn: string;
  asksFor: 'records' | 'accounting';
  asked: { from?: string; to?: string };
  purpose?: string;
  format: string;
  delivery: string;
  facts?: RoiFacts;
}

export const requesterTypeLabels: Record<string, string> = {
  patient: 'Patient',
  personal_representative: 'Personal representative',
  attorney: 'Attorney',
  insurer: 'Insurer',
  provider_treatment: 'Provider (treatment)',
  payer_payment: 'Payer (payment)',
  ssa_disability: 'SSA / disability',
  workers_comp: "Workers' compensation",
  law_enforcement: 'Law enforcement',
  court_order: 'Court order',
  subpoena: 'Subpoena',
  public_health: 'Public health',
  research_waiver: 'Research (IRB waiver)',
};

export const roiDenialGrounds: [string, string][] = [
  ['no_valid_basis', 'No valid basis for the disclosure'],
  ['psychotherapy_notes_or_litigation', 'Psychotherapy notes or compiled for litigation — 164.524(a)(1)'],
  ['research_in_progress', 'Research in progress — 164.524(a)(2)(iii)'],
  ['confidential_source', 'Obtained from a confidential source — 164.524(a)(2)(v)'],
  ['endangers_life_or_safety', 'Endangers life or safety — 164.524(a)(3)(i)'],
  ['harm_to_person_referenced', 'Harm to a person referenced — 164.524(a)(3)(ii)'],
  ['harm_by_representative', 'Harm by the representative — 164.524(a)(3)(iii)'],
];

const enc = encodeURIComponent;

async function pdf(path: string, body: unknown): Promise<Blob> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/pdf', ...csrfHeader() },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await problemOf(res);
  return res.blob();
}

export const roiApi = {
  list(status?: string): Promise<{ items: RoiRequestView[] }> {
    return request('GET', `/api/roi/requests${queryString({ status })}`);
  },
  get(id: string): Promise<RoiRequestView> {
    return request('GET', `/api/roi/requests/${enc(id)}`);
  },
  create(body: NewRoiRequest): Promise<RoiRequestView> {
    return request('POST', '/api/roi/requests', { body });
  },
  documents(id: string): Promise<{ items: RoiCandidate[] }> {
    return request('GET', `/api/roi/requests/${enc(id)}/documents`);
  },
  /** The documents to release and the areas drawn on them (only on selected documents). */
  select(id: string, documentIds: string[], redactions: Record<string, RoiArea[]> = {}): Promise<RoiRequestView> {
    return request('POST', `/api/roi/requests/${enc(id)}/selection`, { body: { documentIds, redactions } });
  },
  /** The release packet PDF; the disclosure and invoice are recorded. */
  release(id: string, body: { flatElectronic?: boolean; identifiers?: string[] }): Promise<Blob> {
    return pdf(`/api/roi/requests/${enc(id)}/release`, body);
  },
  /** The individual's electronic copy as a FHIR R4 Bundle (JSON), once released without drawn areas. */
  async fhirBundle(id: string): Promise<Blob> {
    const res = await fetch(`/api/roi/requests/${enc(id)}/fhir-bundle`, {
      credentials: 'same-origin',
      headers: { accept: 'application/fhir+json' },
    });
    if (!res.ok) throw await problemOf(res);
    return res.blob();
  },
  /** Records the authorization read from the form; the answer carries the check's defects. */
  authorize(id: string, body: RoiAuthorizationForm): Promise<RoiRequestView> {
    return request('POST', `/api/roi/requests/${enc(id)}/authorization`, { body });
  },
  revoke(id: string, body: { revokedOn: string }): Promise<RoiRequestView> {
    return request('POST', `/api/roi/requests/${enc(id)}/revoke`, { body });
  },
  /** Logs a mailing or pick-up; a secure link answers its token and passcode once. */
  deliver(id: string, body: RoiDeliveryInput): Promise<RoiDelivery | { delivery: RoiDelivery; token: string; passcode: string }> {
    return request('POST', `/api/roi/requests/${enc(id)}/deliveries`, { body });
  },
  /** The recipient's download through a secure link (no session). */
  download(token: string, passcode: string): Promise<Blob> {
    return pdf(`/api/roi/downloads/${enc(token)}`, { passcode });
  },
  deny(id: string, body: { ground: string; explanation: string }): Promise<RoiRequestView> {
    return request('POST', `/api/roi/requests/${enc(id)}/deny`, { body });
  },
  extend(id: string, body: { noticeOn: string; reason: string }): Promise<unknown> {
    return request('POST', `/api/roi/requests/${enc(id)}/extend`, { body });
  },
  payment(id: string, body: { cents: number; paidOn: string }): Promise<unknown> {
    return request('POST', `/api/roi/requests/${enc(id)}/payment`, { body });
  },
  /** The accounting of disclosures letter (164.528) as a PDF. */
  accountingPdf(id: string): Promise<Blob> {
    return pdf(`/api/roi/requests/${enc(id)}/accounting?format=pdf`, {});
  },
  searchPatients(q: string): Promise<{ items: PatientListItem[] }> {
    return request('POST', '/api/patients/search', { body: { q, limit: 10 } });
  },
};

/** The ROI report (GET /api/reports/roi): counts and money only. */
export interface RoiReport {
  from: string;
  to: string;
  asOf: string;
  turnaround: { requesterType: string; released: number; medianDays: number | null; averageDays: number | null; maxDays: number | null }[];
  backlog: { requesterType: string; open: number; onTime: number; escalated: number; breached: number }[];
  breaches: { requesterType: string; legalClock: boolean; closedLate: number; openPastDue: number }[];
  volumes: { month: string; received: number; released: number; denied: number; open: number }[];
  denials: { ground: string; count: number }[];
  revenue: { month: string; invoices: number; invoiced: number; paid: number; outstanding: number }[];
}

export const roiReportsApi = {
  report(period: { from?: string; to?: string }, signal?: AbortSignal): Promise<RoiReport> {
    return request('GET', `/api/reports/roi${queryString(period)}`, signal ? { signal } : {});
  },
  exportUrl(period: { from?: string; to?: string }, format: 'csv' | 'xlsx'): string {
    return `/api/reports/roi${queryString({ ...period, format })}`;
  },
};
