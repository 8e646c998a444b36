import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import { makeChartsWorld, type ChartsWorld } from './charts-fixtures.test-support.js';
import {
  checkInChart,
  checkOutChart,
  createChart,
  getChart,
  listChartsAtLocation,
  listLocations,
  listOverdueCharts,
  printChartLabel,
  relocateChart,
  searchCharts,
  updateLocation,
} from './index.js';

const DAY = 86_400_000;

describe.each(engines)('paper chart tracking on %s', (engine) => {
  let t: TestDatabase;
  let w: ChartsWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeChartsWorld(t);
  });
  afterEach(() => t.dispose());

  it('opens a chart with a generated barcode at its home, numbers volumes, and prints a Code 128 label', async () => {
    const p = await w.patient();
    const v1 = await createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.shelf.id });
    expect(v1).toMatchObject({
      patientId: p.id,
      mrn: p.mrn,
      volume: 1,
      status: 'in',
      home: { id: w.shelf.id },
      current: { id: w.shelf.id },
    });
    expect(v1.barcode).toMatch(/^C\d{10}$/);
    const v2 = await createChart(w.deps, w.clerk, {
      patientId: p.id,
      encounterId: p.encounterId,
      homeLocationId: w.shelf.id,
      barcode: 'old-77',
    });
    expect(v2).toMatchObject({ volume: 2, barcode: 'OLD-77', accountNumber: expect.stringMatching(/^CH-/) });
    await expect(createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.shelf.id, barcode: 'OLD-77' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.cardiology.id })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(createChart(w.deps, w.physician, { patientId: p.id, homeLocationId: w.shelf.id })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const svg = await printChartLabel(w.deps, w.clerk, v1.id);
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain(`MRN ${p.mrn}`);
    expect(svg).toContain('Whitaker, Robert');
    expect(svg).toMatch(/<path [^>]*stroke="#000000"/);
    const history = (await getChart(w.deps, w.clerk, v1.id)).history;
    expect(history.map((m) => [m.kind, m.to?.name])).toEqual([['created', 'File room, shelf A-1']]);
    const events = await queryAuditEvents(t.db, { patientId: p.id });
    expect(events.filter((e) => e.resourceType.startsWith('paper_chart')).map((e) => e.action)).toEqual([
      'create',
      'create',
      'export',
      'read',
    ]);
  });

  it('checks a chart out to a physician by barcode, lists it overdue after its due time, and checks it back in by scan', async () => {
    const p = await w.patient();
    const chart = await createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.shelf.id });
    const out = await checkOutChart(w.deps, w.clerk, { barcode: ` ${chart.barcode.toLowerCase()}\n`, to: { userId: w.physician.userId } });
    expect(out).toMatchObject({
      moved: true,
      message: `Checked out to ${w.physician.username}`,
      chart: { status: 'out', dueBackAt: '2026-03-13T08:00:00.000Z' },
    });
    expect(out.chart.current).toMatchObject({ kind: 'person', name: w.physician.username });
    expect(await listOverdueCharts(w.deps, w.clerk)).toEqual([]);
    w.deps.clock.advance(4 * DAY);
    const overdue = await listOverdueCharts(w.deps, w.clerk);
    expect(overdue).toEqual([expect.objectContaining({ id: chart.id, overdue: true, daysOverdue: 1 })]);
    const back = await checkInChart(w.deps, w.clerk, { barcode: chart.barcode });
    expect(back).toMatchObject({
      moved: true,
      message: 'Checked in at File room, shelf A-1',
      chart: { status: 'in', dueBackAt: null, overdue: false },
    });
    // A second scan at the return desk changes nothing.
    expect(await checkInChart(w.deps, w.clerk, { barcode: chart.barcode })).toMatchObject({ moved: false, message: 'already checked in' });
    expect(await listOverdueCharts(w.deps, w.clerk)).toEqual([]);
    const { history } = await getChart(w.deps, w.clerk, chart.id);
    expect(history.map((m) => `${m.kind}: ${m.from?.name ?? '-'} -> ${m.to?.name}`)).toEqual([
      `check_in: ${w.physician.username} -> File room, shelf A-1`,
      `check_out: File room, shelf A-1 -> ${w.physician.username}`,
      'created: - -> File room, shelf A-1',
    ]);
    expect(history[1]).toMatchObject({ dueBackAt: '2026-03-13T08:00:00.000Z', movedBy: w.clerk.username });
    const stored = await t.db.selectFrom('paper_charts').selectAll().where('id', '=', chart.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'in', current_location_id: w.shelf.id, checked_out_at: null, due_back_at: null });
    const moves = (await queryAuditEvents(t.db, { patientId: p.id })).filter((e) => e.action === 'update');
    expect(moves.map((e) => e.detail?.movement)).toEqual(['check_out', 'check_in']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('hands a chart on to another borrower, files it in an off-site box only once it is in, and lists what the box holds', async () => {
    const p = await w.patient();
    const chart = await createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.shelf.id });
    await checkOutChart(w.deps, w.clerk, {
      barcode: chart.barcode,
      to: { locationId: w.cardiology.id },
      dueBackAt: '2026-03-10T17:00:00Z',
    });
    const handed = await checkOutChart(w.deps, w.clerk, { barcode: chart.barcode, to: { userId: w.physician2.userId } });
    expect(handed).toMatchObject({
      movement: { kind: 'transfer', from: { id: w.cardiology.id } },
      chart: { dueBackAt: '2026-03-13T08:00:00.000Z' },
    });
    await expect(relocateChart(w.deps, w.clerk, { barcode: chart.barcode, locationId: w.box.id })).rejects.toMatchObject({
      code: 'conflict',
    });
    await checkInChart(w.deps, w.clerk, { barcode: chart.barcode });
    const filed = await relocateChart(w.deps, w.clerk, { barcode: chart.barcode, locationId: w.box.id });
    expect(filed).toMatchObject({ moved: true, chart: { home: { id: w.box.id }, current: { id: w.box.id }, status: 'in' } });
    expect(await relocateChart(w.deps, w.clerk, { barcode: chart.barcode, locationId: w.box.id })).toMatchObject({ moved: false });
    expect((await listChartsAtLocation(w.deps, w.clerk, w.box.id)).map((c) => c.barcode)).toEqual([chart.barcode]);
    const boxes = await listLocations(w.deps, w.physician, { kind: 'offsite_box' });
    expect(boxes).toEqual([expect.objectContaining({ boxNumber: '0042', site: 'Records vault, aisle 12', chartCount: 1 })]);
    await expect(updateLocation(w.deps, w.clerk, w.box.id, { active: false })).rejects.toMatchObject({ code: 'conflict' });
    // The shelf it left can be retired; a location some chart goes home to while it is out cannot.
    expect(await updateLocation(w.deps, w.clerk, w.shelf.id, { active: false })).toMatchObject({ active: false });
    expect(await updateLocation(w.deps, w.clerk, w.box.id, { site: 'Records vault, aisle 3' })).toMatchObject({
      site: 'Records vault, aisle 3',
    });
    // A check-in brings the chart back to its new home.
    await checkOutChart(w.deps, w.clerk, { barcode: chart.barcode, to: { userId: w.physician.userId } });
    await expect(updateLocation(w.deps, w.clerk, w.box.id, { active: false })).rejects.toMatchObject({ code: 'conflict' });
    expect((await checkInChart(w.deps, w.clerk, { barcode: chart.barcode })).chart.current).toMatchObject({ id: w.box.id });
  });

  it('refuses a mistyped or unknown barcode, a shelf as a borrower and a due-back time that has passed', async () => {
    const p = await w.patient();
    const chart = await createChart(w.deps, w.clerk, { patientId: p.id, homeLocationId: w.shelf.id });
    const typo = `${chart.barcode.slice(0, 10)}${(Number(chart.barcode[10]) + 1) % 10}`;
    await expect(checkInChart(w.deps, w.clerk, { barcode: typo })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('check digit'),
    });
    await expect(checkInChart(w.deps, w.clerk, { barcode: 'NO-SUCH-CHART' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(checkOutChart(w.deps, w.clerk, { barcode: chart.barcode, to: { locationId: w.shelf2.id } })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(
      checkOutChart(w.deps, w.clerk, { barcode: chart.barcode, to: { locationId: w.cardiology.id }, dueBackAt: '2026-03-09T08:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid', message: 'dueBackAt: must be after the check-out' });
    await expect(checkOutChart(w.deps, w.coder, { barcode: chart.barcode, to: { locationId: w.cardiology.id } })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await t.db.selectFrom('chart_movements').select('kind').where('chart_id', '=', chart.id).execute()).map((m) => m.kind)).toEqual(
      ['created'],
    );
  });

  it("finds and moves a restricted patient's chart without break-the-glass: existence only, audited on the patient", async () => {
    const vip = await w.patient({ familyName: 'Zebulon', givenName: 'Quill', restricted: true });
    const chart = await createChart(w.deps, w.clerk, { patientId: vip.id, homeLocationId: w.shelf.id });
    for (const q of [chart.barcode, vip.mrn, 'zeb', 'Zebulon, Qu'])
      expect(
        (await searchCharts(w.deps, w.clerk, q)).map((c) => c.id),
        q,
      ).toEqual([chart.id]);
    const out = await checkOutChart(w.deps, w.clerk, { barcode: chart.barcode, to: { userId: w.physician.userId } });
    expect(out.chart).toMatchObject({ restricted: true, mrn: vip.mrn, patientName: 'Zebulon, Quill' });
    expect(JSON.stringify(out)).not.toContain('1970-05-17');
    await checkInChart(w.deps, w.clerk, { barcode: chart.barcode });
    const events = await queryAuditEvents(t.db, { patientId: vip.id });
    expect(events.filter((e) => e.resourceType === 'paper_chart').map((e) => [e.action, e.outcome])).toEqual([
      ['create', 'success'],
      ['update', 'success'],
      ['update', 'success'],
    ]);
    expect(events.some((e) => e.action === 'access_denied')).toBe(false);
  });
});
