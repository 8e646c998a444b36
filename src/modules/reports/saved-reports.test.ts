/**
 * Saved reports on both engines: save, list (own only), delete (another's is not found), access; scheduled delivery
 * through a real SMTP listener: the due reports are emailed once per period with the dashboard figures as an XLSX
 * attachment (read back with exceljs), no patient data in the body or the attachment, and the per-report results.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { mailParts, startSmtpListener, type SmtpListener } from '../../../test/support/smtp.js';
import { buildApp } from '../../app/server.js';
import { Role, systemActor } from '../access/index.js';
import { createMailer } from '../mail/index.js';
import { createPatient } from '../patients/index.js';
import { deliverScheduledReports, isDue } from './saved-reports.service.js';

describe('isDue', () => {
  it.each([
    ['none', null, '2026-03-20T06:00:00Z', false],
    ['daily', null, '2026-03-20T06:00:00Z', true],
    ['daily', '2026-03-20T00:10:00Z', '2026-03-20T23:00:00Z', false],
    ['daily', '2026-03-19T23:50:00Z', '2026-03-20T00:05:00Z', true],
    ['weekly', '2026-03-14T06:00:00Z', '2026-03-20T23:00:00Z', false],
    ['weekly', '2026-03-13T06:00:00Z', '2026-03-20T00:00:00Z', true],
  ] as const)('%s, last sent %s, at %s: %s', (schedule, last, now, due) => {
    expect(isDue(schedule, last, now)).toBe(due);
  });
});

/** The base64 body of the attachment named `filename` in a raw RFC 5322 message, as bytes. */
function attachmentBytes(raw: string, filename: string): Buffer {
  const at = raw.indexOf(`filename=${filename}`) >= 0 ? raw.indexOf(`filename=${filename}`) : raw.indexOf(`filename="${filename}"`);
  expect(at).toBeGreaterThan(0);
  const start = raw.slice(at).search(/\r?\n\r?\n/) + at;
  const body = raw.slice(start).replace(/^\s+/, '');
  const end = body.indexOf('--');
  return Buffer.from(body.slice(0, end < 0 ? undefined : end).replace(/\s+/g, ''), 'base64');
}

describe.each(engines)('saved reports on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeAppDeps>;
  let smtp: SmtpListener;
  let director: SignedIn;
  let auditor: SignedIn;
  let coder: SignedIn;

  const call = (s: SignedIn, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t, { start: '2026-03-20T06:00:00Z' });
    app = await buildApp(deps);
    smtp = await startSmtpListener();
    await makeFacility(t);
    director = await signIn(app, deps, Role.himDirector);
    auditor = await signIn(app, deps, Role.auditor);
    coder = await signIn(app, deps, Role.coder);
    await createPatient(deps, { ...systemActor('test'), role: Role.himClerk }, makePatientInput({ familyName: 'Savedreportsky' }));
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await t.dispose();
  });

  it('saves, lists and deletes a user’s own reports; refuses a scheduled one without recipients', async () => {
    const daily = await call(director, 'POST', '/api/reports/saved', {
      name: 'Daily DNFB',
      filters: { facility: 'FAC1' },
      schedule: 'daily',
      recipients: ['cfo@example.org', 'him@example.org'],
    });
    expect(daily.statusCode, daily.body).toBe(201);
    const plain = await call(director, 'POST', '/api/reports/saved', { name: 'Cardiology', filters: { service: 'Cardiology' } });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ schedule: 'none', recipients: [], lastSentAt: null });
    const bad = await call(director, 'POST', '/api/reports/saved', { name: 'X', filters: {}, schedule: 'weekly' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toMatch(/recipients/);
    const weekly = await call(auditor, 'POST', '/api/reports/saved', {
      name: 'Weekly',
      filters: {},
      schedule: 'weekly',
      recipients: ['audit@example.org'],
    });
    expect(weekly.statusCode).toBe(201);

    const list = await call(director, 'GET', '/api/reports/saved');
    expect(list.json<{ items: { name: string }[] }>().items.map((i) => i.name)).toEqual(['Cardiology', 'Daily DNFB']);
    expect((await call(auditor, 'DELETE', `/api/reports/saved/${plain.json<{ id: string }>().id}`)).statusCode).toBe(404);
    expect((await call(director, 'DELETE', `/api/reports/saved/${plain.json<{ id: string }>().id}`)).statusCode).toBe(204);
    expect((await call(director, 'GET', '/api/reports/saved')).json<{ items: unknown[] }>().items).toHaveLength(1);
    expect((await call(coder, 'GET', '/api/reports/saved')).statusCode).toBe(403);
  });

  it('emails the due reports once per period, figures only, as XLSX', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'custodian@example.org' })!;
    try {
      const first = await deliverScheduledReports({ ...deps, mailer }, '2026-03-20T06:00:00.000Z');
      expect(first.map((r) => r.outcome)).toEqual(['sent', 'sent']);
      expect(first.map((r) => r.recipients).sort()).toEqual([1, 2]);
      const mails = await Promise.all([0, 1, 2].map((i) => smtp.nextMessage(i)));
      expect(mails.flatMap((m) => m.to).sort()).toEqual(['audit@example.org', 'cfo@example.org', 'him@example.org']);
      for (const m of mails) {
        const text = mailParts(m).find((p) => p.contentType.startsWith('text/plain'))!;
        expect(text.body).toMatch(/report "(Daily DNFB|Weekly)"/);
        expect(m.raw).not.toContain('Savedreportsky');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(attachmentBytes(m.raw, 'dashboard.xlsx') as unknown as ArrayBuffer);
        const sheets = wb.worksheets.map((w) => w.name);
        expect(sheets).toContain('DNFB by reason');
        const cells = wb.worksheets.flatMap((w) => w.getSheetValues().flat().map(String)).join(' ');
        expect(cells).not.toContain('Savedreportsky');
      }
      // Later the same day nothing is due; the next day only the daily one.
      expect(await deliverScheduledReports({ ...deps, mailer }, '2026-03-20T20:00:00.000Z')).toEqual([]);
      const next = await deliverScheduledReports({ ...deps, mailer }, '2026-03-21T06:00:00.000Z');
      expect(next).toHaveLength(1);
      expect(next[0]).toMatchObject({ outcome: 'sent', recipients: 2 });
    } finally {
      mailer.close();
    }
  });

  it('skips without a mailer, and says why', async () => {
    const r = await deliverScheduledReports(deps, '2026-03-30T06:00:00.000Z');
    expect(r.length).toBeGreaterThan(0);
    expect(r.every((x) => x.outcome === 'skipped' && /mail is off/.test(x.reason ?? ''))).toBe(true);
  });
});
