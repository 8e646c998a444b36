/**
 * The director's dashboard over HTTP on a seeded hospital, figures checked against values computed by hand (in the
 * comments), on both engines: DNFB by reason, age and day; backlog; throughput; top DRGs; CMI with hospital-specific
 * weights, then with imported CMS Table 5 weights; queries; the lists behind the figures with a restricted record
 * counted but not shown; CSV and XLSX exports read back; access and audit. No code sets are loaded.
 */
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { Role, systemActor } from '../access/index.js';
import { createCodesService } from '../codes/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { importDrgWeights } from './index.js';

const T0 = '2026-01-01T00:00:00.000Z';

describe.each(engines)('director dashboard on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeAppDeps>;
  let director: SignedIn;
  let auditor: SignedIn;
  let coder: SignedIn;
  const e: Record<string, string> = {};
  let vipPatient = '';

  const call = (s: SignedIn, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const none = path.join(os.tmpdir(), `custodian-reports-no-code-sets-${process.pid}`);
    deps = { ...makeAppDeps(t, { start: '2026-03-20T12:00:00Z' }), codes: createCodesService({ dataDir: none, codesetsDir: none }) };
    app = await buildApp(deps);
    await makeFacility(t);
    director = await signIn(app, deps, Role.himDirector);
    auditor = await signIn(app, deps, Role.auditor);
    coder = await signIn(app, deps, Role.coder, { displayName: 'Coder One' });
    const coder2 = await signIn(app, deps, Role.coder, { displayName: 'Coder Two' });
    await t.db
      .insertInto('providers')
      .values([
        { id: 'drC', npi: null, family_name: 'Heart', given_name: 'Carl', credentials: 'MD', specialty: 'Cardiology', created_at: T0 },
        { id: 'drM', npi: null, family_name: 'Inner', given_name: 'Mia', credentials: 'MD', specialty: 'Medicine', created_at: T0 },
      ])
      .execute();
    await t.db
      .insertInto('chargemaster_items')
      .values({
        id: 'cm1',
        code: 'RB',
        description: 'Room and board',
        revenue_code: '0110',
        hcpcs: null,
        price_cents: 1,
        active: 1,
        created_at: T0,
      })
      .execute();
    const clerk = { ...systemActor('reports-test'), role: Role.himClerk };
    const stay = async (
      key: string,
      o: { dr: string; payer: string; discharge: string | null; charges: number; restricted?: boolean; type?: 'inpatient' | 'outpatient' },
    ) => {
      const p = await createPatient(
        deps,
        clerk,
        makePatientInput({ familyName: `Fam${key}`, ...(o.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}) }),
      );
      if (o.restricted) vipPatient = p.id;
      const { id } = await createEncounter(deps, clerk, p.id, {
        accountNumber: `ACC-${key}`,
        type: o.type ?? 'inpatient',
        admitAt: '2026-03-01T08:00:00.000Z',
        ...(o.discharge ? { dischargeAt: `${o.discharge}T10:00:00.000Z` } : {}),
        attendingProviderId: o.dr,
        payerName: o.payer,
      });
      e[key] = id;
      if (o.charges > 0)
        await t.db
          .insertInto('encounter_charges')
          .values({
            patient_id: p.id,
            id: `ch-${key}`,
            encounter_id: id,
            item_id: 'cm1',
            service_date: '2026-03-01',
            units: 1,
            amount_cents: o.charges,
            modifiers: '[]',
            component: 'facility',
            diagnosis_pointers: '[]',
            rendering_provider_id: null,
            created_by: 'seed',
            created_at: T0,
          })
          .execute();
      return { patientId: p.id, id };
    };
    const finalCode = async (
      s: { patientId: string; id: string },
      drg: string,
      by: string,
      at: string,
      dx: string[] = [],
      px: string[] = [],
    ) => {
      const data = JSON.stringify({
        principalDx: dx[0] ? { code: dx[0], poa: 'Y' } : null,
        secondaryDx: dx.slice(1).map((code) => ({ code, poa: 'Y' })),
        procedures: px.map((code) => ({ code, date: null, operatingProviderId: null })),
      });
      const row = { encounter_id: s.id, patient_id: s.patientId, data };
      await t.db
        .insertInto('coding_abstracts')
        .values({
          ...row,
          status: 'final',
          version: 1,
          assigned_to: null,
          assigned_at: null,
          working_drg: drg,
          working_drg_title: null,
          final_drg: drg,
          coded_by: by,
          coded_at: at,
          query_answered: 0,
          updated_by: by,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await t.db
        .insertInto('coding_abstract_versions')
        .values({ ...row, version: 1, kind: 'final', drg, reason: null, saved_by: by, saved_at: at })
        .execute();
    };
    const claim = async (s: { patientId: string; id: string }, status: string, findings: object[], releasedAt: string | null) =>
      t.db
        .insertInto('claims')
        .values({
          patient_id: s.patientId,
          id: `cl-${s.id}`,
          encounter_id: s.id,
          kind: '837I',
          coverage_id: 'cov',
          status,
          patient_control_number: s.id.slice(0, 20),
          total_cents: 0,
          statement_from: '2026-03-01',
          statement_to: '2026-03-10',
          drg: null,
          data: '{}',
          findings: JSON.stringify(findings),
          interchange_control_number: null,
          transaction_control_number: null,
          released_at: releasedAt,
          created_by: 'seed',
          created_at: T0,
          updated_at: T0,
        })
        .execute();
    const query = async (s: { patientId: string; id: string }, id: string, status: string, sentAt: string, answeredAt: string | null) =>
      t.db
        .insertInto('physician_queries')
        .values({
          id,
          patient_id: s.patientId,
          encounter_id: s.id,
          provider_id: 'drM',
          author_id: coder.userId,
          type: 'yes_no',
          purpose: null,
          question: 'Q',
          options: '[]',
          indicators: '[]',
          status,
          drg_at_send: null,
          created_at: sentAt,
          sent_at: sentAt,
          escalated_at: null,
          closed_at: answeredAt,
          answered_at: answeredAt,
          answered_by: answeredAt ? 'drM' : null,
          answer_choice: null,
          answer_text: null,
          agreed: answeredAt ? 1 : null,
          signature: null,
        })
        .execute();

    // E1 not coded (15 days); E2 query open (2 days); E3 coded 291, claim edit (10 days); E4 coded 871, billed 03-12;
    // E5 restricted, coded 291, awaiting release (5 days); E6 still in house.
    await stay('E1', { dr: 'drC', payer: 'Medicare', discharge: '2026-03-05', charges: 100_000 });
    const s2 = await stay('E2', { dr: 'drM', payer: 'Aetna', discharge: '2026-03-18', charges: 50_000 });
    const s3 = await stay('E3', { dr: 'drC', payer: 'Medicare', discharge: '2026-03-10', charges: 300_000 });
    const s4 = await stay('E4', { dr: 'drM', payer: 'Medicare', discharge: '2026-03-06', charges: 200_000 });
    const s5 = await stay('E5', { dr: 'drC', payer: 'Secret Plan', discharge: '2026-03-15', charges: 160_000, restricted: true });
    await stay('E6', { dr: 'drM', payer: 'Medicare', discharge: null, charges: 0, type: 'outpatient' });
    await finalCode(s3, '291', coder.userId, '2026-03-12T09:00:00.000Z', ['I5023', 'E119'], ['02HV33Z']);
    await finalCode(s4, '871', coder.userId, '2026-03-08T09:00:00.000Z', ['A419', 'E119']);
    await finalCode(s5, '291', coder2.userId, '2026-03-16T09:00:00.000Z', ['I5023']);
    await claim(s3, 'draft', [{ severity: 'error', code: 'npi_invalid', loop: '2010AA', message: 'x' }], null);
    await claim(s4, 'released', [], '2026-03-12T15:00:00.000Z');
    await query(s2, 'q1', 'open', '2026-03-18T12:00:00.000Z', null);
    await query(s3, 'q2', 'answered', '2026-03-11T00:00:00.000Z', '2026-03-11T12:00:00.000Z');
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const range = 'from=2026-03-01&to=2026-03-20';

  it('computes DNFB by reason and age, its trend, the backlog and throughput', async () => {
    const res = await call(director, `/api/reports/dashboard?${range}`);
    expect(res.statusCode).toBe(200);
    const d = res.json<{
      dnfb: {
        count: number;
        chargesCents: number;
        meanDays: number;
        maxDays: number;
        byReason: { reason: string; count: number; chargesCents: number }[];
        byAge: { bucket: string; count: number }[];
        trend: { day: string; count: number }[];
      };
      coding: { backlog: unknown[]; throughput: { byCoder: { coder: string; total: number; days: number; perDay: number }[] } };
      drgs: { drg: string; cases: number; chargesCents: number }[];
      queries: unknown;
    }>();
    // E1 + E2 + E3 + E5: 1000 + 500 + 3000 + 1600 dollars; days 15, 2, 10, 5.
    expect(d.dnfb).toMatchObject({ count: 4, chargesCents: 610_000, meanDays: 8, maxDays: 15 });
    expect(Object.fromEntries(d.dnfb.byReason.map((r) => [r.reason, [r.count, r.chargesCents]]))).toEqual({
      query_open: [1, 50_000],
      not_coded: [1, 100_000],
      chart_incomplete: [0, 0],
      claim_edit: [1, 300_000],
      awaiting_release: [1, 160_000],
    });
    expect(d.dnfb.byAge.map((a) => a.count)).toEqual([1, 1, 1, 1, 0]);
    // 03-06: E1, E4. 03-12: E1, E3 (E4 released that day). 03-20: all four.
    const trend = Object.fromEntries(d.dnfb.trend.map((x) => [x.day, x.count]));
    expect([trend['2026-03-04'], trend['2026-03-06'], trend['2026-03-12'], trend['2026-03-20']]).toEqual([0, 2, 2, 4]);
    expect(d.coding.backlog).toEqual([{ type: 'inpatient', count: 2, oldestDays: 15 }]);
    expect(d.coding.throughput.byCoder.map((c) => [c.coder, c.total, c.days, c.perDay])).toEqual([
      ['Coder One', 2, 2, 1],
      ['Coder Two', 1, 1, 1],
    ]);
    expect(d.drgs.map((x) => [x.drg, x.cases, x.chargesCents])).toEqual([
      ['291', 2, 460_000],
      ['871', 1, 200_000],
    ]);
    expect(d.queries).toEqual({ sent: 2, answered: 1, pending: 1, meanResponseHours: 12, agreementRate: 1 });
  });

  it('applies the payer and service filters', async () => {
    const d = (await call(director, `/api/reports/dashboard?${range}&payer=Medicare`)).json<{ dnfb: { count: number } }>();
    expect(d.dnfb.count).toBe(2); // E1, E3
    const c = (await call(director, `/api/reports/dashboard?${range}&service=Cardiology`)).json<{ dnfb: { count: number } }>();
    expect(c.dnfb.count).toBe(2); // E1, E3 (E5, restricted and not opened, is left out of a filter on what it hides)
  });

  it('labels hospital-specific weights without Table 5, then uses the imported CMS weights', async () => {
    type Mix = {
      caseMix: {
        weights: { source: string; label: string };
        byMonthService: { service: string; cmi: number }[];
        byMonth: { cmi: number }[];
      };
    };
    const hs = (await call(director, `/api/reports/dashboard?${range}`)).json<Mix>().caseMix;
    // Mean charge per case (E3, E4, E5) = 2200; 291: 2300 / 2200 = 1.0455; 871: 2000 / 2200 = 0.9091.
    expect(hs.weights.source).toBe('hospital_specific');
    expect(hs.weights.label).toMatch(/Hospital-specific/);
    expect(Object.fromEntries(hs.byMonthService.map((c) => [c.service, c.cmi]))).toEqual({ Cardiology: 1.0455, Medicine: 0.9091 });

    const table5 = [
      'TABLE 5 FY 2026',
      ['MS-DRG', 'MDC', 'TYPE', 'MS-DRG Title', 'Weights'].join('\t'),
      '291\t05\tMED\tHEART FAILURE\t1.2',
      '871\t18\tMED\tSEPSIS\t1.9',
    ].join('\n');
    expect(await importDrgWeights(deps, systemActor('test'), { text: table5, fileName: 't5.txt' })).toEqual({
      fiscalYear: 2026,
      imported: 2,
      skipped: [],
    });
    const cms = (await call(director, `/api/reports/dashboard?${range}`)).json<Mix>().caseMix;
    // March: (1.2 + 1.9 + 1.2) / 3 = 1.4333; Cardiology 1.2; Medicine 1.9.
    expect(cms.weights).toMatchObject({ source: 'cms_table5', fiscalYears: [2026] });
    expect(cms.byMonth[0]?.cmi).toBe(1.4333);
    expect(Object.fromEntries(cms.byMonthService.map((c) => [c.service, c.cmi]))).toEqual({ Cardiology: 1.2, Medicine: 1.9 });
  });

  it('lists the encounters behind a figure, a restricted record by its existence only or counted as withheld', async () => {
    type Drill = {
      total: number;
      withheld: number;
      items: { encounterId: string; details: boolean; payer: string | null; dnfbReason: string | null }[];
    };
    const all = (await call(director, '/api/reports/dashboard/encounters?figure=dnfb')).json<Drill>();
    expect(all.total).toBe(4);
    expect(all.items.map((i) => [i.encounterId, i.details])).toEqual([
      [e.E1, true],
      [e.E3, true],
      [e.E2, true],
      [e.E5, false],
    ]);
    expect(JSON.stringify(all)).not.toContain('Secret Plan');
    const edit = (await call(director, '/api/reports/dashboard/encounters?figure=dnfb&reason=claim_edit')).json<Drill>();
    expect(edit.items.map((i) => i.encounterId)).toEqual([e.E3]);
    const held = (await call(director, '/api/reports/dashboard/encounters?figure=dnfb&reason=awaiting_release')).json<Drill>();
    expect(held).toMatchObject({ total: 1, withheld: 1, items: [] });
    const drg = (await call(director, `/api/reports/dashboard/encounters?figure=drg&drg=291&${range}`)).json<Drill>();
    expect(drg).toMatchObject({ total: 2, withheld: 1 });
    expect(drg.items.map((i) => i.encounterId)).toEqual([e.E3]);

    const grant = await call(director, `/api/patients/${vipPatient}/break-glass`, 'POST', { reason: 'reviewing DNFB for the month end' });
    expect(grant.statusCode).toBe(200);
    const opened = (await call(director, '/api/reports/dashboard/encounters?figure=dnfb&reason=awaiting_release')).json<Drill>();
    expect(opened.items).toMatchObject([{ encounterId: e.E5, details: true, payer: 'Secret Plan', dnfbReason: 'awaiting_release' }]);
  });

  it('exports CSV, XLSX and the PDF report pack, readable back', async () => {
    const csv = await call(auditor, `/api/reports/dashboard?${range}&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('DNFB by reason\r\nreason,accounts,charges\r\n');
    expect(csv.body).toContain('Total,4,6100');
    // The operational figures travel with the export: nothing billed, no messages, no appointments in this hospital.
    expect(csv.body).toContain('Operations\r\nfigure,value\r\n');
    expect(csv.body).toContain('A/R claims,0\r\n');
    expect(csv.body).toContain('HL7 messages received,0\r\n');
    expect(csv.body).toContain('no-show rate,\r\n');
    const xlsx = await call(director, `/api/reports/dashboard/encounters?figure=dnfb&format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Encounters');
    expect(ws?.getRow(1).getCell(1).value).toBe('encounter');
    expect(ws?.rowCount).toBe(5);
    const pack = await call(director, `/api/reports/dashboard?${range}&format=pdf`);
    expect(pack.headers['content-type']).toBe('application/pdf');
    const pdf = await PDFDocument.load(pack.rawPayload);
    expect(pdf.getTitle()).toBe('HIM director report pack');
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
  });

  it('gives the disease, procedure and physician indexes by code range, restricted discharges counted', async () => {
    // The auditor has no break-the-glass grant (the director opened the restricted record above).
    type Index = {
      entries: { key: string; label: string; count: number; withheld: number; rows: { encounterId: string; role: string }[] }[];
    };
    const disease = (await call(auditor, `/api/reports/indexes/disease?${range}&codeFrom=I20&codeTo=I50`)).json<Index>();
    // I50.23 on E3 and E5 (restricted: counted, not listed); E11.9 and A41.9 are out of range.
    expect(disease.entries).toEqual([
      { key: 'I5023', label: 'I5023', count: 2, withheld: 1, rows: [expect.objectContaining({ encounterId: e.E3, role: 'principal' })] },
    ]);
    const diabetes = (await call(auditor, `/api/reports/indexes/disease?${range}&codeFrom=E11&codeTo=E11`)).json<Index>();
    expect(diabetes.entries[0]?.rows.map((r) => [r.encounterId, r.role])).toEqual([
      [e.E4, 'secondary'],
      [e.E3, 'secondary'],
    ]);
    const procedure = (await call(auditor, `/api/reports/indexes/procedure?${range}`)).json<Index>();
    expect(procedure.entries.map((x) => [x.key, x.count])).toEqual([['02HV33Z', 1]]);
    const physician = (await call(auditor, `/api/reports/indexes/physician?${range}`)).json<Index>();
    expect(physician.entries.map((x) => [x.label, x.count, x.withheld])).toEqual([
      ['Carl Heart', 2, 1],
      ['Mia Inner', 1, 0],
    ]);
    const csv = await call(auditor, `/api/reports/indexes/physician?${range}&format=csv`);
    expect(csv.body).toContain('Carl Heart,"1 restricted record(s) counted, not listed"');
    expect((await call(auditor, `/api/reports/indexes/disease?codeFrom=I2%3B0`)).statusCode).toBe(400);
  });

  it('refuses a coder and a bad filter, and audits the reads', async () => {
    expect((await call(coder, '/api/reports/dashboard')).statusCode).toBe(403);
    expect((await call(director, '/api/reports/dashboard?from=2026-03-10&to=2026-03-01')).statusCode).toBe(400);
    expect((await call(director, '/api/reports/dashboard/encounters?figure=nope')).statusCode).toBe(400);
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'resource_type'])
      .where('resource_type', 'in', ['dashboard', 'dashboard_drilldown', 'drg_weights', 'him_index'])
      .execute();
    const kinds = new Set(events.map((x) => `${x.action}:${x.resource_type}`));
    expect(kinds).toEqual(
      new Set([
        'read:dashboard',
        'search:dashboard_drilldown',
        'export:dashboard',
        'export:dashboard_drilldown',
        'import_weights:drg_weights',
        'search:him_index',
        'export:him_index',
      ]),
    );
  });
});
