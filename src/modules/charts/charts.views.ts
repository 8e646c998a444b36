/**
 * What the charts module answers: locations, paper charts with where they are, their moves and chart requests, made
 * from stored rows. A request whose record the user may not see shows its existence only (`details: false`): who it
 * is for, who asked, when it is needed, its status and the charts to pull, but not its reason or its encounter.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type { Db } from '../../db/database.js';
import type { ChartLocationTable, ChartMovementTable } from '../../db/schema-charts.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import * as repo from './charts.repository.js';
import type { RequestRow } from './chart-requests.repository.js';
import { encounterLabels } from './chart-requests.repository.js';
import {
  daysOverdue,
  isChartOverdue,
  minutesLeft,
  requestDueState,
  type ChartStatus,
  type DueState,
  type Fulfilment,
  type LocationKind,
  type MovementKind,
  type RequestPriority,
  type RequestStatus,
} from './charts.rules.js';

/** What the charts services need: the database, the clock, the audit log and the record-access step. */
export interface ChartDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
}

export interface LocationRef {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
}

export interface LocationView extends LocationRef {
  userId: string | null;
  boxNumber: string | null;
  site: string | null;
  active: boolean;
  /** Charts there now. */
  chartCount: number;
}

export interface ChartView {
  id: string;
  patientId: string;
  mrn: string;
  patientName: string;
  restricted: boolean;
  barcode: string;
  volume: number;
  encounterId: string | null;
  accountNumber: string | null;
  status: ChartStatus;
  home: LocationRef | null;
  current: LocationRef | null;
  checkedOutAt: string | null;
  dueBackAt: string | null;
  overdue: boolean;
  daysOverdue: number;
}

export interface MovementView {
  id: string;
  kind: MovementKind;
  from: LocationRef | null;
  to: LocationRef | null;
  dueBackAt: string | null;
  requestId: string | null;
  movedBy: string;
  movedAt: string;
}

export interface ChartRequestView {
  id: string;
  patientId: string;
  mrn: string;
  patientName: string;
  restricted: boolean;
  /** False for a restricted record the user has not opened: the reason, encounter and cancel reason are withheld. */
  details: boolean;
  encounterId: string | null;
  encounter: { accountNumber: string; type: string; admitAt: string } | null;
  requesterUserId: string | null;
  requesterName: string;
  deliverTo: LocationRef | null;
  priority: RequestPriority;
  reason: string | null;
  neededBy: string;
  requestedAt: string;
  requestedBy: string;
  status: RequestStatus;
  dueState: DueState | null;
  minutesLeft: number | null;
  fulfilledAt: string | null;
  fulfilledBy: string | null;
  fulfilment: Fulfilment | null;
  chartId: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** The patient's paper charts and where each is (to pull one); in the HIM queue only. */
  charts?: ChartView[];
}

export const patientNameOf = (r: { family_name: string; given_name: string }) => `${r.family_name}, ${r.given_name}`;

export function locationRef(l: ChartLocationTable | undefined): LocationRef | null {
  return l ? { id: l.id, code: l.code, name: l.name, kind: l.kind as LocationKind } : null;
}

export function locationView(l: ChartLocationTable, chartCount: number): LocationView {
  return { ...locationRef(l)!, userId: l.user_id, boxNumber: l.box_number, site: l.site, active: l.active === 1, chartCount };
}

/** Views of charts, with their locations and account numbers looked up once. */
export async function chartViews(db: Db, rows: readonly repo.ChartRow[], now: Date): Promise<ChartView[]> {
  if (rows.length === 0) return [];
  const places = await repo.locationsByIds(
    db,
    rows.flatMap((r) => [r.home_location_id, r.current_location_id]),
  );
  const accounts = await repo.accountNumbers(
    db,
    rows.map((r) => r.encounter_id),
  );
  return rows.map((r) => {
    const overdue = isChartOverdue(r, now);
    return {
      id: r.id,
      patientId: r.patient_id,
      mrn: r.mrn,
      patientName: patientNameOf(r),
      restricted: r.restricted === 1,
      barcode: r.barcode,
      volume: r.volume,
      encounterId: r.encounter_id,
      accountNumber: r.encounter_id ? (accounts.get(r.encounter_id) ?? null) : null,
      status: r.status as ChartStatus,
      home: locationRef(places.get(r.home_location_id)),
      current: locationRef(places.get(r.current_location_id)),
      checkedOutAt: r.checked_out_at,
      dueBackAt: r.due_back_at,
      overdue,
      daysOverdue: overdue && r.due_back_at ? daysOverdue(r.due_back_at, now) : 0,
    };
  });
}

export async function movementViews(db: Db, rows: readonly ChartMovementTable[]): Promise<MovementView[]> {
  const places = await repo.locationsByIds(
    db,
    rows.flatMap((r) => (r.from_location_id ? [r.from_location_id, r.to_location_id] : [r.to_location_id])),
  );
  const names = await repo.userDisplayNames(
    db,
    rows.map((r) => r.moved_by),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as MovementKind,
    from: r.from_location_id ? locationRef(places.get(r.from_location_id)) : null,
    to: locationRef(places.get(r.to_location_id)),
    dueBackAt: r.due_back_at,
    requestId: r.request_id,
    movedBy: names.get(r.moved_by) ?? r.moved_by,
    movedAt: r.moved_at,
  }));
}

/**
 * Views of requests. `showsDetails` says, per row, whether the user may see what the record hides; `withCharts`
 * adds each patient's paper charts (the HIM queue), made by the caller under its list scope.
 */
export async function requestViews(
  db: Db,
  rows: readonly RequestRow[],
  now: Date,
  opts: { showsDetails: (r: RequestRow) => boolean; chartsOf?: (patientId: string) => ChartView[] },
): Promise<ChartRequestView[]> {
  if (rows.length === 0) return [];
  const shown = rows.map((r) => opts.showsDetails(r));
  const encounters = await encounterLabels(
    db,
    rows.map((r, i) => (shown[i] ? r.encounter_id : null)),
  );
  const places = await repo.locationsByIds(
    db,
    rows.flatMap((r) => (r.deliver_to_location_id ? [r.deliver_to_location_id] : [])),
  );
  const names = await repo.userDisplayNames(
    db,
    rows.flatMap((r) => (r.fulfilled_by ? [r.requested_by, r.fulfilled_by] : [r.requested_by])),
  );
  return rows.map((r, i) => {
    const details = shown[i] === true;
    const e = details && r.encounter_id ? encounters.get(r.encounter_id) : undefined;
    const status = r.status as RequestStatus;
    const neededBy = new Date(r.needed_by);
    return {
      id: r.id,
      patientId: r.patient_id,
      mrn: r.mrn,
      patientName: patientNameOf(r),
      restricted: r.restricted === 1,
      details,
      encounterId: r.encounter_id,
      encounter: e ? { accountNumber: e.account_number, type: e.type, admitAt: e.admit_at } : null,
      requesterUserId: r.requester_user_id,
      requesterName: r.requester_name,
      deliverTo: r.deliver_to_location_id ? locationRef(places.get(r.deliver_to_location_id)) : null,
      priority: r.priority as RequestPriority,
      reason: details ? r.reason : null,
      neededBy: r.needed_by,
      requestedAt: r.requested_at,
      requestedBy: names.get(r.requested_by) ?? r.requested_by,
      status,
      dueState: requestDueState(status, neededBy, now),
      minutesLeft: status === 'open' ? minutesLeft(neededBy, now) : null,
      fulfilledAt: r.fulfilled_at,
      fulfilledBy: r.fulfilled_by ? (names.get(r.fulfilled_by) ?? r.fulfilled_by) : null,
      fulfilment: r.fulfilment as Fulfilment | null,
      chartId: r.chart_id,
      cancelledAt: r.cancelled_at,
      cancelReason: details ? r.cancel_reason : null,
      ...(opts.chartsOf ? { charts: opts.chartsOf(r.patient_id) } : {}),
    };
  });
}
