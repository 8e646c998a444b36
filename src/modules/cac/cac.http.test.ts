/**
 * The CAC routes over HTTP: 412 while the knowledge is not ready, suggestions with evidence, a decision body checked,
 * a rejection and an acceptance stored, and the acceptance report for the director only. No code sets are loaded
 * (the workspace feedback says they are unavailable), so the file stays fast.
 */
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { documentsDepsOf } from '../../app/modules.js';
import { noCacKnowledge } from '../../app/cac-knowledge.js';
import { Role, systemActor } from '../access/index.js';
import { createCodesService } from '../codes/index.js';
import { createDocumentsService } from '../documents/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { smallCacKnowledge } from './cac-fixtures.test-support.js';
import type { CacKnowledgeProvider } from './index.js';

const knowledge = smallCacKnowledge();

describe.each(engines)('CAC HTTP API on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let coder: SignedIn;
  let director: SignedIn;
  let encounterId: string;
  let documentId: string;
  let ready = false;
  const provider: CacKnowledgeProvider = { get: () => (ready ? Promise.resolve(knowledge) : noCacKnowledge.get()) };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const none = path.join(os.tmpdir(), `custodian-cac-http-no-code-sets-${process.pid}`);
    const deps = { ...makeAppDeps(t), codes: createCodesService({ dataDir: none, codesetsDir: none }), cacKnowledge: provider };
    app = await buildApp(deps);
    await makeFacility(t);
    const clerk = { ...systemActor('cac-http'), role: Role.himClerk };
    const p = await createPatient(deps, clerk, makePatientInput({}));
    const e = await createEncounter(deps, clerk, p.id, {
      accountNumber: 'CAC-1',
      type: 'inpatient',
      admitAt: '2026-02-20T10:00:00.000Z',
      dischargeAt: '2026-02-24T10:00:00.000Z',
      dischargeStatus: '01',
    });
    encounterId = e.id;
    const note = 'Assessment: acute kidney injury. Possible community acquired pneumonia.';
    documentId = (
      await createDocumentsService(documentsDepsOf(deps)).fileDocument(clerk, {
        patientId: p.id,
        encounterId,
        typeCode: 'PN',
        source: 'system',
        content: { bytes: new TextEncoder().encode(note), mediaType: 'text/plain' },
      })
    ).id;
    coder = await signIn(app, deps, Role.coder);
    director = await signIn(app, deps, Role.himDirector);
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const call = (s: SignedIn, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, ...(payload ? { payload } : {}) });
  const base = () => `/api/coding/encounters/${encounterId}/cac`;

  it('answers 412 naming why while the knowledge is not ready', async () => {
    const res = await call(coder, 'GET', `${base()}/suggestions`);
    expect(res.statusCode).toBe(412);
    expect(res.json()).toMatchObject({ code: 'precondition_failed', detail: expect.stringContaining('not available') });
  });

  it('suggests, checks a decision, records a rejection and an acceptance, and reports them', async () => {
    ready = true;
    const res = await call(coder, 'GET', `${base()}/suggestions?system=cm&limit=5`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ suggestions: { code: string; evidence: { documentId: string; text: string }[] }[] }>();
    const aki = body.suggestions.find((s) => s.code === 'N179');
    expect(aki?.evidence.some((e) => e.documentId === documentId && /kidney/i.test(e.text))).toBe(true);

    const bad = await call(coder, 'POST', `${base()}/decisions`, { decision: 'rejected', code: 'J189', system: 'cm' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid', detail: expect.stringContaining('reason') });
    const rejected = await call(coder, 'POST', `${base()}/decisions`, {
      decision: 'rejected',
      code: 'J189',
      system: 'cm',
      reason: 'pneumonia not confirmed',
    });
    expect(rejected.statusCode).toBe(201);
    const accepted = await call(coder, 'POST', `${base()}/decisions`, { decision: 'accepted', code: 'N17.9', system: 'cm' });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ decision: 'accepted', code: 'N179', abstractVersion: 1, evidence: { documentId } });

    expect((await call(coder, 'GET', '/api/reports/cac')).statusCode).toBe(403);
    const report = await call(director, 'GET', '/api/reports/cac?from=2026-01-01');
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ total: { accepted: 1, rejected: 1, rate: 0.5 } });

    const csv = await call(director, 'GET', '/api/reports/cac?from=2026-01-01&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['Total', 'Accepted,Rejected,Acceptance rate', '1,1,0.5']);
    expect(lines).toContain('ICD-10-CM,N179,1,0,1');
    expect(lines).toContain('ICD-10-CM,J189,0,1,0');

    const xlsx = await call(director, 'GET', '/api/reports/cac?from=2026-01-01&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const byCode = wb.getWorksheet('By code');
    const rows = (byCode?.getSheetValues() ?? []).flatMap((r) =>
      Array.isArray(r)
        ? [
            r
              .slice(1)
              .map((c) => String(c as string | number))
              .join('|'),
          ]
        : [],
    );
    expect(rows).toEqual(expect.arrayContaining(['System|Code|Accepted|Rejected|Acceptance rate', 'ICD-10-CM|N179|1|0|1']));
  });

  it('answers a title for each suggestion only when the code sets are loaded (null here, the codes still listed)', async () => {
    ready = true;
    const res = await call(coder, 'GET', `${base()}/suggestions?system=cm&limit=5`);
    expect(res.statusCode).toBe(200);
    const s = res.json<{ suggestions: { code: string; title: string | null }[] }>().suggestions;
    expect(s.length).toBeGreaterThan(0);
    for (const x of s) expect(x.title).toBeNull();
  });
});
