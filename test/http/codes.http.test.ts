import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

describe('encoder over HTTP', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let coder: SignedIn;
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie: coder.cookie } });

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const deps = makeAppDeps(t);
    app = await buildApp(deps);
    coder = await signIn(app, deps, 'coder');
    deps.codes.sets();
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('finds heart failure codes for "CHF", billable first, with titles', async () => {
    const res = await get('/api/codes/search?q=CHF&date=2026-01-15&limit=10');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ release: string; hits: { code: string; billable: boolean; title: string }[] }>();
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits[0]!.code).toMatch(/^I50/);
    expect(body.hits[0]!.billable).toBe(true);
    const firstHeader = body.hits.findIndex((h) => !h.billable);
    if (firstHeader >= 0) expect(body.hits.slice(firstHeader).every((h) => !h.billable)).toBe(true);
  });

  it('searches HCPCS Level II by words on a date of service, and shows a code with its indicators', async () => {
    const res = await get('/api/codes/search?q=outpatient%20clinic%20visit&system=hcpcs&date=2026-03-02&limit=5');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ release: string; hits: { code: string; validOnDate: boolean }[] }>();
    expect(body.release).toMatch(/^HCPCS Level II January 2026/);
    expect(body.hits[0]).toMatchObject({ code: 'G0463', validOnDate: true });
    const d = await get('/api/codes/hcpcs/G0463?date=2026-03-02');
    expect(d.json()).toMatchObject({ betos: 'M1B', coverage: { code: 'C' }, pricing: [{ code: '00' }] });
  });

  it('says CPT is not loaded and checks CPT numbers for format and range only', async () => {
    const rel = await get('/api/codes/releases');
    expect(rel.json()).toMatchObject({ cpt: { loaded: false }, hcpcs: [{ effectiveFrom: '2026-01-01' }] });
    const d = await get('/api/codes/cpt/99284?date=2026-03-02');
    expect(d.json()).toMatchObject({ licensed: false, section: 'Evaluation and Management' });
    const bad = await get('/api/codes/cpt/12?date=2026-03-02');
    expect(bad.statusCode).toBe(400);
  });

  it('lists the Level II modifiers valid on a date', async () => {
    const res = await get('/api/codes/modifiers?date=2026-03-02');
    const codes = res.json<{ modifiers: { code: string }[] }>().modifiers.map((m) => m.code);
    expect(codes).toEqual(expect.arrayContaining(['XE', 'XS', 'JW', 'LT', 'RT']));
    expect(codes).not.toContain('25');
  });

  it('checks an ED visit: Section IV, line edits, E/M level, and says the NCCI, MUE and Addendum B tables are not loaded', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/outpatient/check',
      headers: { cookie: coder.cookie, 'x-csrf-token': coder.csrfToken },
      payload: {
        side: 'facility',
        diagnoses: [{ code: 'S61.411A' }, { code: 'J18.9', uncertain: true }],
        lines: [
          { code: 'G0463', units: 1, dateOfService: '2026-03-02', pointers: [1], revenueCode: '0450' },
          { code: '12002', modifiers: ['LT'], units: 1, dateOfService: '2026-03-02', pointers: [1, 5], revenueCode: '0450' },
        ],
        em: { category: 'emergency', problems: 'moderate', data: 'low', risk: 'moderate' },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ findings: { rule: string }[]; em: { code: string }; ptp: { loaded: boolean }; opps: { loaded: boolean } }>();
    expect(body.findings.map((f) => f.rule).sort()).toEqual(['pointer-dangling', 'uncertain-diagnosis']);
    expect(body.em.code).toBe('99284');
    expect(body.ptp.loaded).toBe(false);
    expect(body.opps.loaded).toBe(false);
  });

  it('shows a header code as not billable, with its children', async () => {
    const res = await get('/api/codes/cm/I50.2?date=2026-01-15');
    expect(res.statusCode).toBe(200);
    const d = res.json<{ status: string; children: { code: string }[] }>();
    expect(d.status).toBe('header');
    expect(d.children.map((c) => c.code)).toContain('I5023');
  });

  it('flags a header code and a missing 7th character in an encounter', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/codes/validate',
      headers: { cookie: coder.cookie, 'x-csrf-token': coder.csrfToken },
      payload: { date: '2026-01-15', diagnoses: ['I50.2', 'S72.001'] },
    });
    expect(res.statusCode).toBe(200);
    const findings = res.json<{ findings: { code?: string; rule: string }[] }>().findings;
    expect(findings.length).toBeGreaterThanOrEqual(2);
  });

  it('offers only valid next values in the PCS table builder', async () => {
    const res = await get('/api/codes/pcs/builder?prefix=0FT&date=2026-01-15');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ nextPosition: number; options: { code: string }[] }>();
    expect(body.nextPosition).toBe(4);
    expect(body.options.map((v) => v.code)).toContain('4');
    expect(body.options.map((v) => v.code)).not.toContain('Z');
  });

  it('uses a date the code sets cover when the request names none, and says which release answered', async () => {
    const res = await get('/api/codes/search?q=I50.23');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ date: string; release: string; hits: { code: string }[] }>();
    expect(body.hits[0]!.code).toBe('I5023');
    expect(body.release).toMatch(/FY20\d\d/);
  });

  it('lists the loaded releases with the dates they cover', async () => {
    const res = await get('/api/codes/releases');
    const body = res.json<{ cm: { label: string; effectiveFrom: string; effectiveTo: string }[]; pcs: unknown[]; defaultDate: string }>();
    expect(body.cm.map((r) => r.effectiveFrom)).toEqual(expect.arrayContaining(['2024-10-01', '2025-10-01']));
    expect(body.pcs.length).toBeGreaterThan(0);
    expect(body.cm.some((r) => r.effectiveFrom <= body.defaultDate && body.defaultDate <= r.effectiveTo)).toBe(true);
  });

  it('answers 400 naming the date when no code set covers it', async () => {
    const res = await get('/api/codes/search?q=CHF&date=1999-01-01');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid', detail: expect.stringMatching(/date/) });
  });
});
