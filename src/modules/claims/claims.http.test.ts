import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { loadConfig } from '../../config/config.js';
import { build835 } from '../../core/x12/remit-fixtures.test-support.js';
import { Role } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { createCodesService } from '../codes/index.js';
import { makeClaimsWorld, type ClaimsWorld } from './claims-fixtures.test-support.js';
import { pdfStreams } from './claims-forms.test-support.js';

/** Inpatient claim charge of the claims fixtures: 4 days of room at 2,510.00 and 10 pharmacy units at 12.50. */
const CHARGE = 4 * 251_000 + 10 * 1_250;
const money = (cents: number): string => (cents / 100).toFixed(2);
/** The code sets the scrubber checks with, loaded once for both engines. */
const settings = loadConfig({});
const codes = createCodesService({ dataDir: settings.dataDir, codesetsDir: settings.codesetsDir });

/** A 277CA rejecting one claim (STC A7) by its patient control number. */
function rejecting277(pcn: string): string {
  const body = [
    'ST*277*0001*005010X214',
    'BHT*0085*08*1*20260311*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*MEDICARE*****PI*00430',
    'TRN*1*1',
    'HL*2*1*21*1',
    'NM1*41*2*CUSTODIAN GENERAL*****46*CUSTODIAN',
    'TRN*2*BATCH1',
    'STC*A1:19*20260311*WQ*300',
    'HL*3*2*19*1',
    'NM1*85*2*CUSTODIAN GENERAL*****XX*1234567893',
    'HL*4*3*PT',
    'NM1*QC*1*DOE*JANE',
    `TRN*2*${pcn}`,
    'STC*A7:562:85*20260311*U*100',
  ];
  body.push(`SE*${String(body.length + 1)}*0001`);
  return [
    'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*CUSTODIAN      *260311*1200*^*00501*000000301*0*P*:',
    'GS*HN*CH*CUSTODIAN*20260311*1200*301*X*005010X214',
    ...body,
    'GE*1*301',
    'IEA*1*000000301',
  ].join('~\n');
}

describe.each(engines)('claims HTTP API on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let w: ClaimsWorld;
  let biller: SignedIn;
  let coder: SignedIn;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const deps = { ...makeAppDeps(t, { start: '2026-03-10T08:00:00Z' }), codes };
    app = await buildApp(deps);
    w = await makeClaimsWorld(t);
    biller = await signIn(app, deps, Role.himDirector);
    coder = await signIn(app, deps, Role.coder);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const get = (url: string, s: SignedIn = biller) => app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  const post = (url: string, payload: object, s: SignedIn = biller) =>
    app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, payload });

  it('builds and scrubs encounters, filters the claim edit worklist, releases a batch, posts an 835 and works the denial', async () => {
    const clean = await w.codedEncounter();
    const future = await w.codedEncounter();
    // A discharge after today: the scrubber's date_in_future error keeps that claim a draft.
    await t.db.updateTable('encounters').set({ discharge_at: '2026-04-02T12:00:00.000Z' }).where('id', '=', future.encounterId).execute();

    const unbilled = (await get('/api/claims/unbilled')).json<{ items: { encounterId: string }[] }>().items.map((i) => i.encounterId);
    expect(unbilled).toEqual(expect.arrayContaining([clean.encounterId, future.encounterId]));

    const built = await post(`/api/claims/encounters/${clean.encounterId}/build`, { kind: '837I' });
    expect(built.statusCode).toBe(200);
    expect(built.json()).toMatchObject({ status: 'ready', errors: 0, totalCents: CHARGE });
    const claimId = built.json<{ id: string }>().id;
    const draft = (await post(`/api/claims/encounters/${future.encounterId}/build`, { kind: '837I' })).json<{
      id: string;
      status: string;
    }>();
    expect(draft.status).toBe('draft');

    const ids = async (q: string) => (await get(`/api/claims${q}`)).json<{ items: { claimId: string }[] }>().items.map((i) => i.claimId);
    expect(await ids('?scrub=errors')).toEqual([draft.id]);
    expect(await ids('?status=ready')).toEqual([claimId]);
    expect(await ids(`?payerId=${w.payers.acme}`)).toEqual([]);
    expect((await ids(`?payerId=${w.payers.medicare}`)).sort()).toEqual([claimId, draft.id].sort());
    const detail = (await get(`/api/claims/${draft.id}`)).json<{ findings: { code: string }[]; payerName: string; lines: unknown[] }>();
    expect(detail.findings.map((f) => f.code)).toContain('date_in_future');
    expect(detail).toMatchObject({ payerName: 'Medicare Part A' });
    expect(detail.lines).toHaveLength(2);

    const ub04 = await get(`/api/claims/${claimId}/form?mode=data`);
    expect(ub04.statusCode).toBe(200);
    expect(ub04.headers['content-type']).toBe('application/pdf');
    expect(ub04.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // pdf-lib writes Courier text as hex strings: the patient control number (FL 3a) is on the page.
    const pcnHex = Buffer.from(built.json<{ patientControlNumber: string }>().patientControlNumber).toString('hex').toUpperCase();
    expect(pdfStreams(ub04.rawPayload)).toContain(`<${pcnHex}>`);

    const release = await post('/api/claims/release', { kind: '837I' });
    expect(release.statusCode).toBe(200);
    const r = release.json<{
      text: string;
      fileName: string;
      released: number;
      refused: number;
      claims: { claimId: string; ok: boolean }[];
    }>();
    expect(r).toMatchObject({ released: 1, refused: 0 });
    expect(r.claims).toEqual([expect.objectContaining({ claimId, ok: true })]);
    expect(r.text).toMatch(/^ISA\*/);
    expect(r.text).toContain('005010X223A2');
    expect(r.fileName).toMatch(/^837i-\d+\.x12$/);
    const pcn = (await get(`/api/claims/${claimId}`)).json<{ patientControlNumber: string; status: string }>();
    expect(pcn.status).toBe('released');

    // A 277CA rejection shows against the claim in the worklist.
    const ack = await post('/api/remittance/acknowledgements', { text: rejecting277(pcn.patientControlNumber) });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ claims: [{ claimId, outcome: 'rejected' }] });
    expect(await ids('?scrub=rejected')).toEqual([claimId]);

    const remit = build835({
      trace: 'EFT-HTTP',
      body: [
        'LX*1',
        `CLP*${pcn.patientControlNumber}*4*${money(CHARGE)}*0*0*MA*ICNH1*11*1`,
        `CAS*CO*50*${money(CHARGE)}`,
        'CLP*NOTOURCLAIM*1*100*50*0*MA*ICNH2*11*1',
        'CAS*CO*45*50',
      ],
    });
    const posted = await post('/api/remittance/835', { text: remit });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toMatchObject({
      status: 'posted',
      payments: [
        { posted: true, postings: [{ claimId, kind: 'denial', paidCents: 0 }], unmatched: [{ patientControlNumber: 'NOTOURCLAIM' }] },
      ],
    });
    expect((await post('/api/remittance/835', { text: remit })).statusCode).toBe(409);

    const denials = (await get('/api/claims/denials')).json<{ items: { claimId: string; group: string; workStatus: string }[] }>().items;
    expect(denials).toEqual([expect.objectContaining({ claimId, group: 'CO', workStatus: 'open' })]);
    expect((await get('/api/claims/denials?group=PR')).json()).toEqual({ items: [] });

    // The CO-50 denial adjusts the whole charge: nothing is left to write off, so the biller appeals it.
    expect(
      (await post(`/api/claims/${claimId}/denial-work`, { action: 'note', note: 'Called payer: medical necessity review' })).statusCode,
    ).toBe(200);
    const appeal = await post(`/api/claims/${claimId}/denial-work`, { action: 'appeal', note: 'Appeal letter with the H&P sent' });
    expect(appeal.json()).toMatchObject({ status: 'appealed' });
    const wo = await post(`/api/claims/${claimId}/denial-work`, { action: 'write_off', note: 'Write off the balance', amountCents: 100 });
    expect(wo.statusCode).toBe(400);
    expect(wo.json<{ detail: string }>().detail).toContain('open balance is 0 cents');
    expect((await post(`/api/claims/${draft.id}/denial-work`, { action: 'note', note: 'not released yet' })).statusCode).toBe(409);
    expect((await get('/api/claims/denials?workStatus=appealed')).json<{ items: unknown[] }>().items).toHaveLength(1);
    const worked = (await get(`/api/claims/${claimId}`)).json<{ denialWork: { action: string; status: string }[]; postings: unknown[] }>();
    expect(worked.denialWork.map((x) => [x.action, x.status])).toEqual([
      ['note', 'open'],
      ['appeal', 'appealed'],
    ]);
    expect(worked.postings).toHaveLength(1);
    const events = await queryAuditEvents(t.db, { userId: biller.userId, action: 'work_denial' });
    expect(events.map((e) => e.resourceId)).toEqual([claimId, claimId]);

    const ar = (await get('/api/claims/ar?asOf=2026-03-10')).json<{ items: unknown[]; buckets: string[] }>();
    expect(ar.items).toEqual([]);

    const queue = (await get('/api/remittance/unmatched')).json<{ items: { id: string; patientControlNumber: string }[] }>().items;
    expect(queue.map((q) => q.patientControlNumber)).toEqual(['NOTOURCLAIM']);
    const resolved = await post(`/api/remittance/unmatched/${queue[0]!.id}/resolve`, { resolution: 'Returned to payer: not our patient' });
    expect(resolved.statusCode).toBe(204);
    expect((await get('/api/remittance/unmatched')).json()).toEqual({ items: [] });
  }, 60_000);

  it('writes off a partly paid claim, which leaves A/R, and reverses a posting', async () => {
    const e = await w.codedEncounter();
    const c = (await post(`/api/claims/encounters/${e.encounterId}/build`, { kind: '837I' })).json<{
      id: string;
      patientControlNumber: string;
    }>();
    expect((await post('/api/claims/release', { kind: '837I' })).json()).toMatchObject({ released: 1 });
    const before = (await get('/api/claims/ar?asOf=2026-03-10')).json<{ items: { totalCents: number }[] }>().items;
    expect(before).toEqual([expect.objectContaining({ payerName: 'Medicare Part A', totalCents: CHARGE, claims: 1 })]);
    const text = build835({
      trace: 'EFT-HTTP2',
      body: ['LX*1', `CLP*${c.patientControlNumber}*1*${money(CHARGE)}*0*0*MA*ICNH3*11*1`, 'CAS*OA*23*500'],
    });
    const posted = (await post('/api/remittance/835', { text })).json<{ payments: { postings: { postingId: string }[] }[] }>();
    const left = CHARGE - 50_000;
    expect((await get('/api/claims/ar?asOf=2026-03-10')).json()).toMatchObject({ items: [{ totalCents: left }] });
    const wo = await post(`/api/claims/${c.id}/denial-work`, { action: 'write_off', note: 'Small balance write-off' });
    expect(wo.json()).toMatchObject({ status: 'written_off', amountCents: left });
    expect((await get('/api/claims/ar?asOf=2026-03-10')).json()).toMatchObject({ items: [] });
    const audit = await queryAuditEvents(t.db, { userId: biller.userId, action: 'write_off' });
    expect(audit).toEqual([
      expect.objectContaining({ resourceId: c.id, detail: expect.objectContaining({ amountCents: left }) as unknown }),
    ]);

    const postingId = posted.payments[0]!.postings[0]!.postingId;
    const rev = await post(`/api/remittance/postings/${postingId}/reverse`, { reason: 'Posted to the wrong claim' });
    expect(rev.statusCode).toBe(200);
    expect(rev.json()).toMatchObject({ kind: 'reversal' });
  }, 60_000);

  it('answers 403 to a role without claim:manage and 400 to a bad filter', async () => {
    expect((await get('/api/claims', coder)).statusCode).toBe(403);
    expect((await post('/api/remittance/835', { text: 'ISA' }, coder)).statusCode).toBe(403);
    expect((await get('/api/claims?status=paid')).statusCode).toBe(400);
    const bad = await post('/api/remittance/835', { text: 'not an 835 at all' });
    expect(bad.statusCode).toBe(400);
  });
});
