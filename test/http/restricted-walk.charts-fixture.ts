/**
 * The restricted record's paper charts and chart request, for the restricted-record walk (restricted-walk.fixture.ts
 * builds them with the rest of the record): a chart on a shelf, a second volume in an off-site box, a department to
 * check out to, and a request by the walk's physician whose reason is a secret.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { createChart, createChartRequest, createLocation } from '../../src/modules/charts/index.js';

/** The reason of the restricted record's chart request: clinical, shown only through the record-access step. */
export const CHART_REQUEST_REASON = 'Follow-up of antiretroviral therapy';

export interface ChartWalkIds {
  /** A chart on a shelf (checked out and in by the walk). */
  chartId: string;
  chartBarcode: string;
  /** A second volume, in an off-site box (relocated there again by the walk: no change). */
  boxChartBarcode: string;
  boxId: string;
  shelfId: string;
  departmentId: string;
  /** An open request for the record by the walk's physician, with CHART_REQUEST_REASON. */
  chartRequestId: string;
  physicianUserId: string;
}

const clerk: Actor = { ...systemActor('walk-fixture'), role: Role.himClerk };

export async function buildRestrictedCharts(
  deps: AppDeps,
  ids: { patientId: string; encounterId: string; physicianUserId: string },
): Promise<ChartWalkIds> {
  const shelf = await createLocation(deps, clerk, { kind: 'file_room', name: 'Walk shelf' });
  const box = await createLocation(deps, clerk, { kind: 'offsite_box', name: 'Walk box', boxNumber: 'W-1', site: 'Walk vault' });
  const department = await createLocation(deps, clerk, { kind: 'department', name: 'Walk clinic' });
  const chart = await createChart(deps, clerk, { patientId: ids.patientId, encounterId: ids.encounterId, homeLocationId: shelf.id });
  const boxChart = await createChart(deps, clerk, { patientId: ids.patientId, homeLocationId: box.id });
  const chartRequestId = await makeChartRequest(deps, ids.patientId, ids.physicianUserId, ids.encounterId);
  return {
    chartId: chart.id,
    chartBarcode: chart.barcode,
    boxChartBarcode: boxChart.barcode,
    boxId: box.id,
    shelfId: shelf.id,
    departmentId: department.id,
    chartRequestId,
    physicianUserId: ids.physicianUserId,
  };
}

/** A new open request for the record by the physician (entered by HIM, so that each walk step has one of its own). */
export async function makeChartRequest(deps: AppDeps, patientId: string, physicianUserId: string, encounterId?: string): Promise<string> {
  const r = await createChartRequest(deps, clerk, {
    patientId,
    encounterId,
    requesterUserId: physicianUserId,
    reason: CHART_REQUEST_REASON,
  });
  return r.id;
}
