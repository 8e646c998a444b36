import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { mergePatients, unmergePatients } from '../mpi/index.js';
import { makeChartsWorld, type ChartsWorld } from './charts-fixtures.test-support.js';
import {
  cancelChartRequest,
  createChart,
  createChartRequest,
  fulfilChartRequest,
  getChart,
  getChartRequest,
  listChartRequests,
} from './index.js';

const HOUR = 3_600_000;

describe.each(engines)('chart requests on %s', (engine) => {
  let t: TestDatabase;
  let w: ChartsWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeChartsWorld(t);
  });
  afterEach(() => t.dispose());

  it('queues requests by the time they are needed, highlights the due and the overdue, and shows where each chart is', async () => {
    const a = await w.patient({ familyName: 'Abbott' });
    const b = await w.patient({ familyName: 'Baker' });
    const chart = await createChart(w.deps, w.clerk, { patientId: a.id, homeLocationId: w.shelf.id });
    const routine = await createChartRequest(w.deps, w.physician, { patientId: a.id, reason: 'Clinic follow-up visit' });
    const stat = await createChartRequest(w.deps, w.physician, {
      patientId: b.id,
      encounterId: b.encounterId,
      priority: 'stat',
      reason: 'Patient in the emergency department',
    });
    expect(routine).toMatchObject({
      requesterUserId: w.physician.userId,
      requesterName: w.physician.username,
      neededBy: '2026-03-11T08:00:00.000Z',
      status: 'open',
      dueState: 'on_time',
    });
    expect(stat).toMatchObject({
      neededBy: '2026-03-10T08:30:00.000Z',
      dueState: 'due_soon',
      minutesLeft: 30,
      encounter: { type: 'inpatient' },
    });
    const queue = await listChartRequests(w.deps, w.clerk);
    expect(queue.map((r) => r.id)).toEqual([stat.id, routine.id]);
    expect(queue[1]!.charts).toEqual([
      expect.objectContaining({ id: chart.id, barcode: chart.barcode, current: expect.objectContaining({ id: w.shelf.id }) }),
    ]);
    w.deps.clock.advance(HOUR);
    expect((await listChartRequests(w.deps, w.clerk)).map((r) => [r.priority, r.dueState, r.minutesLeft])).toEqual([
      ['stat', 'overdue', -30],
      ['routine', 'on_time', 23 * 60],
    ]);
    await expect(
      createChartRequest(w.deps, w.physician, { patientId: a.id, reason: 'late', neededBy: '2026-03-10T06:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid', message: 'neededBy: is in the past' });
    await expect(createChartRequest(w.deps, w.coder, { patientId: a.id, reason: 'coding' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('fulfils a request by pulling the paper chart: checked out to the requester, the move naming the request', async () => {
    const p = await w.patient();
    const chart = await createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.shelf.id });
    const other = await w.patient({ familyName: 'Other' });
    const otherChart = await createChart(w.deps, w.clerk, { patientId: other.id, homeLocationId: w.shelf.id });
    const r = await createChartRequest(w.deps, w.physician, { patientId: p.id, reason: 'Pre-operative review' });
    await expect(fulfilChartRequest(w.deps, w.clerk, r.id, { method: 'paper', barcode: otherChart.barcode })).rejects.toMatchObject({
      code: 'invalid',
    });
    const done = await fulfilChartRequest(w.deps, w.clerk, r.id, { method: 'paper', barcode: chart.barcode });
    expect(done).toMatchObject({
      status: 'fulfilled',
      fulfilment: 'paper',
      chartId: chart.id,
      fulfilledBy: w.clerk.username,
      dueState: null,
    });
    const { chart: after, history } = await getChart(w.deps, w.clerk, chart.id);
    expect(after).toMatchObject({ status: 'out', current: { kind: 'person', name: w.physician.username } });
    expect(history[0]).toMatchObject({ kind: 'check_out', requestId: r.id });
    await expect(fulfilChartRequest(w.deps, w.clerk, r.id, { method: 'electronic' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'this request is already fulfilled',
    });
    // A department's request goes where it says.
    const dept = await createChartRequest(w.deps, w.clerk, {
      patientId: p.id,
      reason: 'Tumour board',
      requesterName: 'Oncology tumour board',
      deliverToLocationId: w.cardiology.id,
    });
    expect(dept).toMatchObject({ requesterUserId: null, requesterName: 'Oncology tumour board', deliverTo: { id: w.cardiology.id } });
    await fulfilChartRequest(w.deps, w.clerk, dept.id, { method: 'paper', barcode: chart.barcode });
    expect((await getChart(w.deps, w.clerk, chart.id)).chart.current).toMatchObject({ id: w.cardiology.id });
  });

  it('fulfils electronically for a user who may open records and refuses it for a department, with an audit event each', async () => {
    const p = await w.patient();
    const r = await createChartRequest(w.deps, w.physician, { patientId: p.id, reason: 'Second opinion' });
    const done = await fulfilChartRequest(w.deps, w.director, r.id, { method: 'electronic' });
    expect(done).toMatchObject({ status: 'fulfilled', fulfilment: 'electronic', chartId: null });
    expect((await listChartRequests(w.deps, w.physician, { status: 'fulfilled' })).map((x) => x.id)).toEqual([r.id]);
    const dept = await createChartRequest(w.deps, w.clerk, {
      patientId: p.id,
      reason: 'Quality review',
      requesterName: 'Quality department',
    });
    await expect(fulfilChartRequest(w.deps, w.clerk, dept.id, { method: 'electronic' })).rejects.toMatchObject({ code: 'invalid' });
    const events = (await queryAuditEvents(t.db, { patientId: p.id })).filter((e) => e.resourceType === 'chart_request');
    expect(events.map((e) => [e.action, e.detail?.fulfilment ?? null])).toEqual([
      ['create', null],
      ['update', 'electronic'],
      ['create', null],
    ]);
  });

  it('shows a clinician only their own requests, lets them cancel theirs with a reason, and hides the others', async () => {
    const p = await w.patient();
    const mine = await createChartRequest(w.deps, w.physician, { patientId: p.id, reason: 'Clinic visit' });
    const theirs = await createChartRequest(w.deps, w.physician2, { patientId: p.id, reason: 'Consult' });
    expect((await listChartRequests(w.deps, w.physician)).map((r) => r.id)).toEqual([mine.id]);
    expect((await listChartRequests(w.deps, w.physician))[0]!.charts).toBeUndefined();
    await expect(getChartRequest(w.deps, w.physician, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(cancelChartRequest(w.deps, w.physician, theirs.id, 'not needed')).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      createChartRequest(w.deps, w.physician, { patientId: p.id, reason: 'x', requesterUserId: w.physician2.userId }),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
    const cancelled = await cancelChartRequest(w.deps, w.physician, mine.id, 'Visit rescheduled');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Visit rescheduled', dueState: null });
    await expect(cancelChartRequest(w.deps, w.clerk, mine.id, 'again')).rejects.toMatchObject({ code: 'conflict' });
    expect((await listChartRequests(w.deps, w.clerk)).map((r) => r.id)).toEqual([theirs.id]);
    expect((await listChartRequests(w.deps, w.clerk, { status: 'all' })).map((r) => r.id).sort()).toEqual([mine.id, theirs.id].sort());
  });

  it("needs break-the-glass to request or read a restricted record's request, and queues it as its existence only", async () => {
    const vip = await w.patient({ familyName: 'Zebulon', restricted: true });
    const chart = await createChart(w.deps, w.clerk, { patientId: vip.id, homeLocationId: w.shelf.id });
    const input = { patientId: vip.id, encounterId: vip.encounterId, reason: 'HIV clinic follow-up' };
    await expect(createChartRequest(w.deps, w.physician, input)).rejects.toMatchObject({ code: 'break_glass_required' });
    await w.deps.records.breakGlass(w.physician, vip.id, 'patient in my clinic today');
    const r = await createChartRequest(w.deps, w.physician, input);
    expect(r).toMatchObject({ reason: 'HIV clinic follow-up', encounter: { type: 'inpatient' } });
    const [queued] = await listChartRequests(w.deps, w.clerk);
    expect(queued).toMatchObject({
      id: r.id,
      mrn: vip.mrn,
      details: false,
      reason: null,
      encounter: null,
      requesterName: w.physician.username,
    });
    expect(queued!.charts!.map((c) => c.barcode)).toEqual([chart.barcode]);
    expect(JSON.stringify(queued)).not.toContain('HIV');
    expect(JSON.stringify(queued)).not.toContain('2026-02-11');
    await expect(getChartRequest(w.deps, w.clerk, r.id)).rejects.toMatchObject({ code: 'break_glass_required' });
    // Pulling the paper is tracking: no break-the-glass, and the answer still hides the reason.
    const done = await fulfilChartRequest(w.deps, w.clerk, r.id, { method: 'paper', barcode: chart.barcode });
    expect(done).toMatchObject({ status: 'fulfilled', details: false, reason: null });
    await w.deps.records.breakGlass(w.clerk, vip.id, 'checking what the physician asked for');
    expect(await getChartRequest(w.deps, w.clerk, r.id)).toMatchObject({ reason: 'HIV clinic follow-up', details: true });
    const created = (await queryAuditEvents(t.db, { patientId: vip.id })).find(
      (e) => e.resourceType === 'chart_request' && e.action === 'create',
    );
    expect(created).toMatchObject({ purposeOfUse: 'ETREAT', detail: { breakGlass: expect.any(String) } });
  });

  it("moves a patient's charts, their history and requests to the survivor in a merge, and back on unmerge", async () => {
    const survivor = await w.patient({ familyName: 'Whitaker', givenName: 'Robert' });
    const other = await w.patient({ familyName: 'Whitaker', givenName: 'Bob' });
    const chart = await createChart(w.deps, w.clerk, { patientId: other.id, encounterId: other.encounterId, homeLocationId: w.shelf.id });
    const r = await createChartRequest(w.deps, w.physician, {
      patientId: other.id,
      encounterId: other.encounterId,
      reason: 'Clinic visit',
    });
    const m = await mergePatients(w.deps, w.clerk, { survivorId: survivor.id, mergedId: other.id });
    expect(m.moved).toMatchObject({ paper_charts: 1, chart_movements: 1, chart_requests: 1 });
    const owner = async () =>
      (await t.db.selectFrom('paper_charts').select('patient_id').where('id', '=', chart.id).executeTakeFirstOrThrow()).patient_id;
    expect(await owner()).toBe(survivor.id);
    // Moves made after the merge go back with the chart.
    await fulfilChartRequest(w.deps, w.clerk, r.id, { method: 'paper', barcode: chart.barcode });
    const u = await unmergePatients(w.deps, w.clerk, m.mergeId);
    expect(u.missing).toBe(0);
    expect(await owner()).toBe(other.id);
    const moves = await t.db.selectFrom('chart_movements').select(['patient_id', 'kind']).where('chart_id', '=', chart.id).execute();
    expect(moves.map((x) => x.patient_id)).toEqual([other.id, other.id]);
    expect((await getChartRequest(w.deps, w.clerk, r.id)).patientId).toBe(other.id);
  });
});
