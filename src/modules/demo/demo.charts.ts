/**
 * Chart tracking demo data: file-room shelves, departments, the demo physician's person location, two off-site boxes,
 * paper charts for the first patients (some in the boxes, some out, two overdue), and open chart requests in the
 * HIM queue (one stat, one from a department, one for a restricted record). Through the charts module's services.
 * The check-outs are recorded a few days back (a clock set back for them), so that the overdue list has entries.
 */
import type { AppDeps } from '../../app/deps.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { checkOutChart, createChart, createChartRequest, createLocation, relocateChart } from '../charts/index.js';
import { listUnmergedPatientsAfter } from '../patients/index.js';

const DAY = 86_400_000;

export async function seedChartsDemo(deps: AppDeps): Promise<void> {
  const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const physician = await findFirstUserOfRole(deps.db, Role.physician);
  const patients = await listUnmergedPatientsAfter(deps.db, '', 16);
  if (!physician || patients.length === 0) return;
  const place = (kind: 'file_room' | 'department', name: string, code: string) => createLocation(deps, seeder, { kind, name, code });
  const shelves = [
    await place('file_room', 'File room, shelf A-1', 'SHELF-A1'),
    await place('file_room', 'File room, shelf B-2', 'SHELF-B2'),
  ];
  const cardiology = await place('department', 'Cardiology clinic', 'DEPT-CARD');
  const emergency = await place('department', 'Emergency department', 'DEPT-ED');
  await place('department', 'Oncology clinic', 'DEPT-ONC');
  await createLocation(deps, seeder, { kind: 'person', name: 'Alice Morgan, MD', code: 'DR-MORGAN', userId: physician.id });
  const boxes = [
    await createLocation(deps, seeder, {
      kind: 'offsite_box',
      name: 'Box 0042',
      code: 'BOX-0042',
      boxNumber: '0042',
      site: 'Off-site records vault, aisle 12',
    }),
    await createLocation(deps, seeder, {
      kind: 'offsite_box',
      name: 'Box 0043',
      code: 'BOX-0043',
      boxNumber: '0043',
      site: 'Off-site records vault, aisle 12',
    }),
  ];
  const charts = [];
  for (const [i, p] of patients.entries()) {
    const chart = await createChart(deps, seeder, { patientId: p.id, homeLocationId: shelves[i % 2]!.id });
    charts.push(chart);
    if (i % 5 === 4) await relocateChart(deps, seeder, { barcode: chart.barcode, locationId: boxes[i % 2]!.id });
  }
  // Out on loan, recorded as of a few days ago: two are past their due-back time now.
  const now = deps.clock.now().getTime();
  const back = (days: number) => ({ ...deps, clock: { now: () => new Date(now - days * DAY) } });
  await checkOutChart(back(5), seeder, { barcode: charts[0]!.barcode, to: { userId: physician.id } });
  await checkOutChart(back(3), seeder, { barcode: charts[1]!.barcode, to: { locationId: cardiology.id } });
  if (charts[2]) await checkOutChart(deps, seeder, { barcode: charts[2].barcode, to: { locationId: emergency.id } });
  const open = (i: number, input: { priority: 'stat' | 'urgent' | 'routine'; reason: string; requesterName?: string }) =>
    patients[i] &&
    createChartRequest(deps, seeder, {
      patientId: patients[i].id,
      ...input,
      ...(input.requesterName ? { deliverToLocationId: cardiology.id } : { requesterUserId: physician.id }),
    });
  await open(3, { priority: 'stat', reason: 'Patient in the emergency department: prior cardiac history needed' });
  await open(6, { priority: 'routine', reason: 'Follow-up clinic visit tomorrow morning' });
  await open(5, { priority: 'urgent', reason: 'Case review at the cardiology conference', requesterName: 'Cardiology conference' });
  // Patient 8 of the demo is a restricted (VIP) record: its request shows in the queue without its reason.
  await open(7, { priority: 'urgent', reason: 'Pre-operative assessment' });
}
