import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { createLocalBlobStore } from '../documents/index.js';
import { makeDocsWorld, makeTextPdf, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import { FEDERAL_CLOCK_POLICY } from './roi.clock.rules.js';
import { deliverRoiRequest, downloadRoiPacket, SECURE_LINK_ATTEMPTS, type SecureLink } from './roi.delivery.js';
import { roiFhirBundle } from './roi.fhir.js';
import { extendRoiRequest, releaseRoiRequest } from './roi.release.js';
import { createRoiRequest, getRoiRequest, selectDocuments } from './roi.service.js';
import type { RoiDeps } from './roi.views.js';

describe.each(engines)('delivery of a released packet on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  let deps: RoiDeps;
  let packetDir: string;
  let now: Date;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t); // documents' clock at 2026-03-10 08:00 UTC
    now = new Date('2026-03-10T08:00:00Z');
    packetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-roi-packets-'));
    deps = {
      ...w.deps,
      clock: { now: () => now },
      documents: w.docs,
      pdftoppmPath: '/usr/bin/pdftoppm',
      roiClockPolicy: FEDERAL_CLOCK_POLICY,
      packets: createLocalBlobStore({ dir: packetDir }),
    };
  });
  afterEach(async () => {
    w.dispose();
    fs.rmSync(packetDir, { recursive: true, force: true });
    await t.dispose();
  });

  /** A patient's own request, released: answers its id and the packet's bytes. */
  async function released(over: { format?: 'pdf' | 'paper' } = {}) {
    const p = await w.patient();
    const doc = await w.docs.fileDocument(w.physician, {
      patientId: p.id,
      encounterId: p.encounterId,
      typeCode: 'OP',
      title: 'Operative report',
      source: 'upload',
      status: 'final',
      serviceAt: '2026-02-12T10:00:00Z',
      content: { bytes: await makeTextPdf(['Operative report']), mediaType: 'application/pdf' },
    });
    const r = await createRoiRequest(deps, w.clerk, {
      patientId: p.id,
      requesterType: 'patient',
      requesterName: 'The patient',
      receivedOn: '2026-03-01',
      format: over.format ?? 'pdf',
      delivery: 'secure_download',
    });
    await selectDocuments(deps, w.clerk, r.id, { documentIds: [doc.id] });
    const { packet } = await releaseRoiRequest(deps, w.clerk, r.id, { flatElectronic: true });
    return { id: r.id, patientId: p.id, packet };
  }

  it('makes a secure link whose token and passcode are stored only as hashes, and serves the released packet once opened', async () => {
    const { id, patientId, packet } = await released();
    const link = (await deliverRoiRequest(deps, w.clerk, id, { method: 'secure_download', expiresInDays: 7 })) as SecureLink;
    expect(link.token.length).toBeGreaterThanOrEqual(40);
    expect(link.passcode).toMatch(/^[A-Z2-9]{8}$/);
    expect(link.delivery).toMatchObject({ method: 'secure_download', expiresAt: '2026-03-17T08:00:00.000Z', attemptsLeft: 5 });
    const row = await t.db.selectFrom('roi_deliveries').selectAll().where('id', '=', link.delivery.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(link.token);
    expect(JSON.stringify(row)).not.toContain(link.passcode);
    expect(row.passcode_hash).toMatch(/^scrypt\$/);

    const got = await downloadRoiPacket(deps, link.token, link.passcode.toLowerCase());
    expect(Buffer.from(got.bytes).equals(Buffer.from(packet))).toBe(true);
    const view = await getRoiRequest(deps, w.clerk, id);
    expect(view.deliveries).toEqual([expect.objectContaining({ method: 'secure_download', downloads: 1, attemptsLeft: 5 })]);
    expect(view.invoice).toMatchObject({ totalCents: 650, paidCents: 0 });

    const downloads = (await queryAuditEvents(t.db, { patientId })).filter((e) => e.action === 'download');
    expect(downloads.map((e) => [e.outcome, e.resourceId])).toEqual([['success', id]]);
  });

  it('locks the link after the allowed wrong passcodes, auditing each, and answers an expired or unknown link as not found', async () => {
    const { id, patientId } = await released();
    const link = (await deliverRoiRequest(deps, w.clerk, id, { method: 'secure_download', expiresInDays: 2 })) as SecureLink;
    for (let i = SECURE_LINK_ATTEMPTS - 1; i >= 0; i--)
      await expect(downloadRoiPacket(deps, link.token, 'WRONG123')).rejects.toMatchObject({
        code: 'forbidden',
        details: { attemptsLeft: i },
      });
    // Locked: even the right passcode no longer opens it, and the answer says nothing about the record.
    await expect(downloadRoiPacket(deps, link.token, link.passcode)).rejects.toMatchObject({ code: 'not_found' });
    const failures = (await queryAuditEvents(t.db, { patientId })).filter((e) => e.action === 'download' && e.outcome === 'failure');
    expect(failures).toHaveLength(SECURE_LINK_ATTEMPTS);

    const second = (await deliverRoiRequest(deps, w.clerk, id, { method: 'secure_download', expiresInDays: 2 })) as SecureLink;
    now = new Date('2026-03-12T08:00:00Z'); // the expiry itself
    await expect(downloadRoiPacket(deps, second.token, second.passcode)).rejects.toMatchObject({ code: 'not_found' });
    await expect(downloadRoiPacket(deps, 'x'.repeat(43), second.passcode)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('logs a mailing with its tracking number and a pick-up with the identification checked, and refuses an open request', async () => {
    const { id, patientId } = await released({ format: 'paper' });
    await deliverRoiRequest(deps, w.clerk, id, {
      method: 'mail',
      mailedOn: '2026-03-10',
      carrier: 'USPS Certified',
      trackingNumber: '9407 1',
    });
    await deliverRoiRequest(deps, w.clerk, id, {
      method: 'pickup',
      pickedUpOn: '2026-03-10',
      pickedUpBy: 'The patient',
      identificationChecked: "driver's license",
    });
    const v = await getRoiRequest(deps, w.clerk, id);
    expect(v.deliveries?.map((d) => [d.method, d.carrier, d.trackingNumber, d.pickedUpBy, d.identificationChecked])).toEqual([
      ['mail', 'USPS Certified', '9407 1', null, null],
      ['pickup', null, null, 'The patient', "driver's license"],
    ]);
    await expect(deliverRoiRequest(deps, w.clerk, id, { method: 'mail', mailedOn: '2026-03-11', carrier: 'USPS' })).rejects.toMatchObject({
      code: 'invalid',
    });
    const audited = (await queryAuditEvents(t.db, { patientId })).filter((e) => e.action === 'deliver');
    expect(audited).toHaveLength(2);

    const open = await createRoiRequest(deps, w.clerk, {
      patientId,
      requesterType: 'patient',
      requesterName: 'The patient',
      receivedOn: '2026-03-01',
      format: 'pdf',
      delivery: 'mail',
    });
    await expect(deliverRoiRequest(deps, w.clerk, open.id, { method: 'secure_download' })).rejects.toMatchObject({ code: 'conflict' });
    const ext = await extendRoiRequest(deps, w.clerk, open.id, { noticeOn: '2026-03-10', reason: 'Records are off-site' });
    expect(ext.extensionNotice).toContain('no later than 2026-04-30');
    expect((await getRoiRequest(deps, w.clerk, open.id)).extensionNotice).toBe(ext.extensionNotice);
  });

  it("answers the individual's released documents as a FHIR Bundle of DocumentReference and Binary, audited", async () => {
    const { id, patientId } = await released();
    const bundle = await roiFhirBundle(deps, w.clerk, id);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry.map((e) => (e.resource as { resourceType: string }).resourceType)).toEqual(['DocumentReference', 'Binary']);
    const [ref, bin] = bundle.entry.map((e) => e.resource as Record<string, unknown>);
    expect(ref).toMatchObject({ subject: { reference: `Patient/${patientId}` }, description: 'Operative report' });
    expect(Buffer.from(String(bin!.data), 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const exports = (await queryAuditEvents(t.db, { patientId })).filter((e) => e.action === 'export');
    expect(exports).toHaveLength(1);
  });
});
