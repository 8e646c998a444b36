import { inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { pdfTextPages } from '../documents/index.js';
import { makeDocsWorld, makeTextPdf, text, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import { FEDERAL_CLOCK_POLICY } from './roi.clock.rules.js';
import {
  answerAccountingRequest,
  denyRoiRequest,
  extendRoiRequest,
  recordRoiPayment,
  releaseRoiRequest,
  revokeAuthorization,
} from './roi.release.js';
import {
  candidateDocuments,
  createRoiRequest,
  getRoiRequest,
  listRoiRequests,
  recordAuthorization,
  selectDocuments,
} from './roi.service.js';
import type { NewRequest, RoiDeps } from './roi.views.js';
import { roiReport, roiReportCsv, roiReportXlsx } from './roi.reports.js';
import ExcelJS from 'exceljs';

const SECRET = 'PLUGH-REDACT-ME';
/** A valid authorization as of 2026-03-10 (the world's clock). */
const authorization = {
  description: 'Operative report and discharge summary, February 2026 admission',
  discloser: 'Custodian General Hospital',
  recipient: 'Smith & Jones LLP',
  purpose: 'Personal injury claim',
  expirationDate: '2026-12-31',
  signatureDate: '2026-02-28',
  signedBy: 'patient' as const,
  statements: { rightToRevoke: true, revocationHowTo: true, conditioning: true, redisclosure: true },
  plainLanguage: true,
};

/** Everything in the file: raw bytes and inflated streams, upper-cased, with text as hex too. */
function everythingIn(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf);
  const s = raw.toString('latin1');
  const parts = [s];
  for (let at = s.indexOf('stream'); at !== -1; at = s.indexOf('stream', at + 6)) {
    const start = s[at + 6] === '\r' ? at + 8 : at + 7;
    const end = s.indexOf('endstream', start);
    if (end === -1) break;
    try {
      parts.push(inflateSync(raw.subarray(start, end)).toString('latin1'));
    } catch {
      // not Flate
    }
  }
  return parts.join('\n').toUpperCase();
}
const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex').toUpperCase();

describe.each(engines)('release of information on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  let deps: RoiDeps;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t); // clock at 2026-03-10 08:00 UTC
    deps = { ...w.deps, documents: w.docs, pdftoppmPath: '/usr/bin/pdftoppm', roiClockPolicy: FEDERAL_CLOCK_POLICY };
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  /** A patient with an operative report (PDF), a discharge summary (text with an SSN) and psychotherapy notes. */
  async function record() {
    const p = await w.patient();
    const file = (typeCode: string, title: string, content: { bytes: Uint8Array; mediaType: string }, confidentiality: string[] = []) =>
      w.docs.fileDocument(w.physician, {
        patientId: p.id,
        encounterId: p.encounterId,
        typeCode,
        title,
        source: 'upload',
        status: 'final',
        serviceAt: '2026-02-12T10:00:00Z',
        confidentiality: confidentiality,
        content,
      });
    const op = await file('OP', 'Operative report', {
      bytes: await makeTextPdf([`Operative report\n${SECRET}`]),
      mediaType: 'application/pdf',
    });
    const ds = await file('DS', 'Discharge summary', { bytes: text('Discharged home. SSN 123-45-6789.'), mediaType: 'text/plain' });
    const pn = await file('PN', 'Psychotherapy session', { bytes: text('Session notes'), mediaType: 'text/plain' }, [
      'psychotherapy_notes',
    ]);
    return { p, op, ds, pn };
  }

  const request = (patientId: string, over: Partial<NewRequest> = {}) =>
    createRoiRequest(deps, w.clerk, {
      patientId,
      requesterType: 'attorney',
      requesterName: 'Smith & Jones LLP',
      requesterAddress: '1 Main St, Springfield',
      identityVerifiedBy: 'letterhead and bar number',
      receivedOn: '2026-03-01',
      format: 'pdf',
      delivery: 'secure_download',
      ...over,
    });

  it('fulfils an attorney request under a valid authorization: select, redact, packet, release, exempt disclosure, invoice, payment', async () => {
    const { p, op, ds, pn } = await record();
    const r = await request(p.id, { authorization });
    expect(r).toMatchObject({ status: 'open', clockKind: 'third_party', authorizationDefects: [], blockers: [] });

    const candidates = await candidateDocuments(deps, w.clerk, r.id);
    expect(candidates.find((c) => c.id === pn.id)?.heldBack).toMatch(/164\.508\(a\)\(2\)/);
    expect(
      candidates
        .filter((c) => c.heldBack === null)
        .map((c) => c.id)
        .sort(),
    ).toEqual([op.id, ds.id].sort());
    await expect(selectDocuments(deps, w.clerk, r.id, { documentIds: [pn.id] })).rejects.toMatchObject({ code: 'invalid' });

    const chosen = await selectDocuments(deps, w.clerk, r.id, {
      documentIds: [op.id, ds.id],
      redactions: { [op.id]: [{ page: 1, x: 0.03, y: 0.072, width: 0.9, height: 0.025 }] },
    });
    // The request's view carries the areas, as the screen shows and sends them back.
    expect(chosen.redactions).toEqual({ [op.id]: [{ page: 1, x: 0.03, y: 0.072, width: 0.9, height: 0.025 }] });
    const { request: released, packet } = await releaseRoiRequest(deps, w.clerk, r.id);
    expect(released).toMatchObject({ status: 'released', closedOn: '2026-03-10', clock: { state: 'closed' } });
    // The redacted text is gone from the bytes (raw, inflated, as hex) and from the text layer; the rest stays.
    expect(everythingIn(packet)).not.toContain(SECRET);
    expect(everythingIn(packet)).not.toContain(hex(SECRET));
    const pages = (await pdfTextPages(packet)).map((x) => x.text).join('\n');
    expect(pages).not.toContain(SECRET);
    expect(pages).not.toContain('123-45-6789');
    expect(pages).toContain('XXX-XX-XXXX');
    expect(pages).toMatch(/ROI-[0-9A-F]{8}-000001/);
    expect(pages).not.toContain('42 CFR part 2');

    // Under an authorization: recorded, but exempt from the accounting (164.528(a)(1)(iv)).
    const rows = await t.db.selectFrom('roi_disclosures').selectAll().where('patient_id', '=', p.id).execute();
    expect(rows.map((d) => [d.recipient, d.basis, d.accountable])).toEqual([['Smith & Jones LLP', 'authorization', 0]]);
    const paid = await recordRoiPayment(deps, w.clerk, r.id, { cents: 500, paidOn: '2026-03-10' });
    expect(paid.totalCents).toBeGreaterThan(2000); // the sample state's search fee plus pages
    expect(paid.paidCents).toBe(500);
    await expect(releaseRoiRequest(deps, w.clerk, r.id)).rejects.toMatchObject({ code: 'conflict' });

    const actions = (await queryAuditEvents(t.db, { patientId: p.id }))
      .filter((e) => e.resourceType === 'roi_request')
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'select', 'release', 'payment']));
  });

  it('refuses a release with a defective or revoked authorization, and a subpoena without satisfactory assurance', async () => {
    const { p, op } = await record();
    const bad = await request(p.id, { authorization: { ...authorization, expirationDate: '2026-03-09' } });
    expect(bad.authorizationDefects).toEqual(['expired']);
    await selectDocuments(deps, w.clerk, bad.id, { documentIds: [op.id] });
    await expect(releaseRoiRequest(deps, w.clerk, bad.id)).rejects.toMatchObject({
      code: 'precondition_failed',
      details: { blockers: ['authorization_invalid'] },
    });
    const fixed = await recordAuthorization(deps, w.clerk, bad.id, authorization);
    expect(fixed.blockers).toEqual([]);
    const revoked = await revokeAuthorization(deps, w.clerk, bad.id, { revokedOn: '2026-03-10' });
    expect(revoked.blockers.map((b) => b.code)).toEqual(['authorization_revoked']);
    await expect(releaseRoiRequest(deps, w.clerk, bad.id)).rejects.toMatchObject({ details: { blockers: ['authorization_revoked'] } });

    const subpoena = await request(p.id, { requesterType: 'subpoena', requesterName: 'County Court Clerk' });
    expect(subpoena.blockers.map((b) => b.code)).toEqual(['subpoena_without_assurance']);
  });

  it('answers a patient access request on its 30-day clock, with one extension, the flat electronic fee, and the accounting', async () => {
    const { p, op } = await record();
    const access = await request(p.id, { requesterType: 'patient', requesterName: 'The patient', format: 'electronic' });
    expect(access).toMatchObject({ clockKind: 'access', clock: { dueOn: '2026-03-31', daysLeft: 21, state: 'on_time' }, blockers: [] });
    const extended = await extendRoiRequest(deps, w.clerk, access.id, {
      noticeOn: '2026-03-10',
      reason: 'Older records are stored off-site',
    });
    expect(extended).toMatchObject({ extendedDueOn: '2026-04-30', clock: { dueOn: '2026-04-30' } });
    expect(extended.extensionNotice).toContain('no later than 2026-04-30 (45 CFR 164.524(b)(2)(ii))');
    await expect(
      extendRoiRequest(deps, w.clerk, access.id, { noticeOn: '2026-03-10', reason: 'Still more time please' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await selectDocuments(deps, w.clerk, access.id, { documentIds: [op.id] });
    await releaseRoiRequest(deps, w.clerk, access.id, { flatElectronic: true });
    const invoice = await recordRoiPayment(deps, w.clerk, access.id, { cents: 0, paidOn: '2026-03-10' });
    expect(invoice.totalCents).toBe(650);

    // A public health disclosure is accountable (164.512(b)); the patient's own access is not (164.528(a)(1)(ii)).
    const ph = await request(p.id, { requesterType: 'public_health', requesterName: 'State health department' });
    await selectDocuments(deps, w.clerk, ph.id, { documentIds: [op.id] });
    await releaseRoiRequest(deps, w.clerk, ph.id);
    const acc = await request(p.id, {
      requesterType: 'patient',
      requesterName: 'The patient',
      asksFor: 'accounting',
      receivedOn: '2026-03-10',
    });
    expect(acc.clock).toMatchObject({ dueOn: '2026-05-09' });
    const accounting = await answerAccountingRequest(deps, w.clerk, acc.id);
    expect(accounting).toMatchObject({ from: '2020-03-10', free: true });
    expect(accounting.entries.map((e) => e.recipient)).toEqual(['State health department']);
    const second = await request(p.id, {
      requesterType: 'patient',
      requesterName: 'The patient',
      asksFor: 'accounting',
      receivedOn: '2026-03-10',
    });
    expect((await answerAccountingRequest(deps, w.clerk, second.id)).free).toBe(false);
  });

  it('reports turnaround, backlog, breaches, denials and revenue from the stored requests, as JSON, CSV and XLSX', async () => {
    const { p, op } = await record();
    // Released today (2026-03-10) after receipt on 2026-03-01: 9 days, on the flat $6.50 electronic fee.
    const fast = await request(p.id, { requesterType: 'patient', requesterName: 'The patient' });
    await selectDocuments(deps, w.clerk, fast.id, { documentIds: [op.id] });
    await releaseRoiRequest(deps, w.clerk, fast.id, { flatElectronic: true });
    // Received 2026-02-01, open: its 30-day access clock ran out on 2026-03-03.
    await request(p.id, { requesterType: 'patient', requesterName: 'The patient', receivedOn: '2026-02-01' });
    const denied = await request(p.id, { requesterType: 'patient', requesterName: 'The patient', receivedOn: '2026-03-05' });
    await denyRoiRequest(deps, w.clerk, denied.id, {
      ground: 'endangers_life_or_safety',
      explanation: 'A licensed professional judged so',
    });
    await request(p.id, { receivedOn: '2026-03-08', authorization }); // an attorney's, open and on time

    const r = await roiReport(deps, w.director, { from: '2026-02-01', to: '2026-03-31' });
    expect(r.turnaround).toEqual([{ requesterType: 'patient', released: 1, medianDays: 9, averageDays: 9, maxDays: 9 }]);
    expect(r.backlog).toEqual([
      { requesterType: 'attorney', open: 1, onTime: 1, escalated: 0, breached: 0 },
      { requesterType: 'patient', open: 1, onTime: 0, escalated: 0, breached: 1 },
    ]);
    expect(r.breaches).toEqual([{ requesterType: 'patient', legalClock: true, closedLate: 0, openPastDue: 1 }]);
    expect(r.denials).toEqual([{ ground: 'endangers_life_or_safety', count: 1 }]);
    expect(r.volumes).toEqual([
      { month: '2026-02', received: 1, released: 0, denied: 0, open: 1 },
      { month: '2026-03', received: 3, released: 1, denied: 1, open: 1 },
    ]);
    expect(r.revenue.find((m) => m.month === '2026-03')).toEqual({
      month: '2026-03',
      invoices: 1,
      invoiced: 6.5,
      paid: 0,
      outstanding: 6.5,
    });
    expect(roiReportCsv(r)).toContain('Breaches\r\nrequester type,legal clock,closed late,open past due\r\npatient,yes,0,1\r\n');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await roiReportXlsx(r)).buffer as ArrayBuffer);
    expect(wb.getWorksheet('Turnaround')!.getRow(2).values).toEqual([undefined, 'patient', 1, 9, 9, 9]);
    await expect(roiReport(deps, w.director, { from: '2026-04-01', to: '2026-03-01' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(roiReport(deps, w.physician, {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('denies with the reason and review rights (164.524(a)(3)-(4), (d))', async () => {
    const { p } = await record();
    const access = await request(p.id, { requesterType: 'patient', requesterName: 'The patient' });
    await expect(
      denyRoiRequest(deps, w.clerk, access.id, { ground: 'no_valid_basis', explanation: 'No authorization' }),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
    const denied = await denyRoiRequest(deps, w.clerk, access.id, {
      ground: 'endangers_life_or_safety',
      explanation: 'A licensed professional judged that access would endanger your life',
    });
    expect(denied).toMatchObject({ status: 'denied', denialGround: 'endangers_life_or_safety' });
    expect(denied.denialLetter).toContain('reviewed by a licensed health care professional');
  });

  it('lets only a role with document:sensitive release a flagged document the law lets go (the patient’s own HIV result)', async () => {
    const { p } = await record();
    const hiv = await w.docs.fileDocument(w.physician, {
      patientId: p.id,
      encounterId: p.encounterId,
      typeCode: 'LAB',
      title: 'HIV test result',
      source: 'upload',
      status: 'final',
      serviceAt: '2026-02-12T10:00:00Z',
      confidentiality: ['hiv'],
      content: { bytes: text('HIV-1/2 antibody: negative'), mediaType: 'text/plain' },
    });
    const access = await request(p.id, { requesterType: 'patient', requesterName: 'The patient' });
    const asClerk = (await candidateDocuments(deps, w.clerk, access.id)).find((c) => c.id === hiv.id);
    expect(asClerk?.heldBack).toMatch(/document:sensitive/);
    await expect(selectDocuments(deps, w.clerk, access.id, { documentIds: [hiv.id] })).rejects.toMatchObject({ code: 'invalid' });
    expect((await candidateDocuments(deps, w.director, access.id)).find((c) => c.id === hiv.id)?.heldBack).toBeNull();
    await selectDocuments(deps, w.director, access.id, { documentIds: [hiv.id] });
    const { request: released } = await releaseRoiRequest(deps, w.director, access.id);
    expect(released.status).toBe('released');
  });

  it('keeps a restricted record’s request behind break-the-glass, and shows only its clock in the queue', async () => {
    const p = await w.patient({ restricted: true });
    const grant = await w.deps.records.breakGlass(w.director, p.id, 'Release requested by the patient at the desk');
    expect(grant).toBeTruthy();
    const r = await request(p.id, { requesterType: 'patient', requesterName: 'The VIP' }).catch((e: unknown) => e);
    expect(r).toMatchObject({ code: 'break_glass_required' });
    const made = await createRoiRequest(deps, w.director, {
      patientId: p.id,
      requesterType: 'patient',
      requesterName: 'The VIP',
      receivedOn: '2026-03-01',
      format: 'pdf',
      delivery: 'pickup',
    });
    await expect(getRoiRequest(deps, w.clerk, made.id)).rejects.toMatchObject({ code: 'break_glass_required' });
    const queue = await listRoiRequests(deps, w.clerk);
    expect(queue.find((q) => q.id === made.id)).toMatchObject({ details: false, requesterName: '', clock: { dueOn: '2026-03-31' } });
  });
});
