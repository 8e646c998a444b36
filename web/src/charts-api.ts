/**
 * Client for chart requests and paper chart tracking (src/modules/charts), on the shared `request` of api.ts (CSRF,
 * problem+json errors). Barcodes, MRNs and names travel in POST bodies; paths carry ids only.
 */
import { queryString, request, type PatientListItem } from './api.js';
import type {
  ChartRequestView,
  ChartView,
  LocationKind,
  LocationView,
  MovementView,
  RequestPriority,
  ScanResult,
} from '../../src/modules/charts/index.js';
import type { EncounterView } from '../../src/modules/patients/index.js';

/** The server's own answer types (src/modules/charts), imported as types only. */
export type { ChartRequestView, ChartView, LocationKind, LocationView, MovementView, RequestPriority, ScanResult, EncounterView };

export interface NewRequestInput {
  patientId: string;
  encounterId?: string | null;
  priority: RequestPriority;
  neededBy?: string | null;
  reason: string;
  requesterName?: string | null;
  deliverToLocationId?: string | null;
}

const enc = encodeURIComponent;

export const chartsApi = {
  locations(kind?: LocationKind): Promise<{ items: LocationView[] }> {
    return request('GET', `/api/charts/locations${queryString({ kind })}`);
  },
  createLocation(l: { kind: LocationKind; name: string; code?: string | null; boxNumber?: string | null; site?: string | null }) {
    return request<LocationView>('POST', '/api/charts/locations', { body: l });
  },
  chartsAt(locationId: string): Promise<{ items: ChartView[] }> {
    return request('GET', `/api/charts/locations/${enc(locationId)}/charts`);
  },
  createChart(c: { patientId: string; homeLocationId: string; barcode?: string | null }): Promise<ChartView> {
    return request('POST', '/api/charts', { body: c });
  },
  search(q: string): Promise<{ items: ChartView[] }> {
    return request('POST', '/api/charts/search', { body: { q } });
  },
  overdue(): Promise<{ items: ChartView[] }> {
    return request('GET', '/api/charts/overdue');
  },
  chart(id: string): Promise<{ chart: ChartView; history: MovementView[] }> {
    return request('GET', `/api/charts/${enc(id)}`);
  },
  labelUrl(id: string): string {
    return `/api/charts/${enc(id)}/label.svg`;
  },
  checkOut(barcode: string, locationId: string, dueBackAt: string | null): Promise<ScanResult> {
    return request('POST', '/api/charts/check-out', { body: { barcode, to: { locationId }, dueBackAt } });
  },
  checkIn(barcode: string): Promise<ScanResult> {
    return request('POST', '/api/charts/check-in', { body: { barcode } });
  },
  relocate(barcode: string, locationId: string): Promise<ScanResult> {
    return request('POST', '/api/charts/relocate', { body: { barcode, locationId } });
  },
  requests(status: 'open' | 'fulfilled' | 'cancelled' | 'all'): Promise<{ items: ChartRequestView[] }> {
    return request('GET', `/api/charts/requests${queryString({ status })}`);
  },
  request(id: string): Promise<ChartRequestView> {
    return request('GET', `/api/charts/requests/${enc(id)}`);
  },
  createRequest(r: NewRequestInput): Promise<ChartRequestView> {
    return request('POST', '/api/charts/requests', { body: r });
  },
  fulfilElectronically(id: string): Promise<ChartRequestView> {
    return request('POST', `/api/charts/requests/${enc(id)}/fulfil`, { body: { method: 'electronic' } });
  },
  fulfilWithPaper(id: string, barcode: string): Promise<ChartRequestView> {
    return request('POST', `/api/charts/requests/${enc(id)}/fulfil`, { body: { method: 'paper', barcode } });
  },
  cancel(id: string, reason: string): Promise<ChartRequestView> {
    return request('POST', `/api/charts/requests/${enc(id)}/cancel`, { body: { reason } });
  },
  searchPatients(q: string): Promise<{ items: PatientListItem[] }> {
    return request('POST', '/api/patients/search', { body: { q, limit: 10 } });
  },
  encounters(patientId: string): Promise<{ items: EncounterView[] }> {
    return request('GET', `/api/patients/${enc(patientId)}/encounters`);
  },
};

/** A `datetime-local` input's value ("2026-03-10T14:30", local time) as ISO-8601 UTC, or null when empty. */
export function localInputToIso(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A date as a `datetime-local` input's value, in local time. */
export function isoToLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** How long until (or since) a request is needed, as a clerk reads it: "in 25 min", "2 h 5 min overdue". */
export function formatMinutesLeft(minutes: number | null): string {
  if (minutes === null) return '';
  const m = Math.abs(minutes);
  const text =
    m >= 1440
      ? `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`
      : m >= 60
        ? `${Math.floor(m / 60)} h ${m % 60} min`
        : `${m} min`;
  return minutes < 0 ? `${text} overdue` : `in ${text}`;
}

const kindLabels: Record<string, string> = {
  file_room: 'file room',
  department: 'department',
  person: 'person',
  offsite_box: 'off-site box',
};
/** A location as a select option or list line: "Cardiology clinic (department)". */
export const locationLabel = (l: { name: string; kind: string }) => `${l.name} (${kindLabels[l.kind] ?? l.kind})`;
