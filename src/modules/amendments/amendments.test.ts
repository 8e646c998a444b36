import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { makeDocsWorld, text, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import type { AmendmentDeps } from './amendments.views.js';
import {
  acceptAmendmentRequest,
  createAmendmentRequest,
  denyAmendmentRequest,
  extendAmendmentRequest,
  getAmendmentRequest,
  listAmendmentRequests,
  markRecipientNotified,
  recordDisagreement,
  recordRebuttal,
} from './amendments.service.js';

const note = (s: string) => ({ bytes: text(s), mediaType: 'text/plain' });
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe.each(engines)('amendment requests (45 CFR 164.526) on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  let deps: AmendmentDeps;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t); // clock at 2026-03-10 08:00 UTC
    deps = { ...w.deps, documents: w.docs };
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  const request = async (patientId: string, over: { receivedOn?: string; documentIds?: string[] } = {}) =>
    createAmendmentRequest(deps, w.clerk, {
      patientId,
      documentIds: over.documentIds ?? [],
      information: 'Allergy list in the discharge summary',
      requestedChange: 'Remove the penicillin allergy: it was a rash from a virus, not the drug',
      receivedOn: over.receivedOn ?? '2026-03-01',
      receivedVia: 'mail',
    });

  it('accepts: files the amendment as a version of the document and lists the people to tell, with the days they were told', async () => {
    const p = await w.patient();
    const ds = await w.docs.fileDocument(w.physician, {
      patientId: p.id,
      typeCode: 'DS',
      source: 'upload',
      status: 'final',
      content: note('Allergies: penicillin'),
    });
    const r = await request(p.id, { documentIds: [ds.id] });
    expect(r).toMatchObject({ status: 'open', dueOn: '2026-04-30', clock: { state: 'on_time', daysLeft: 51 }, documentIds: [ds.id] });

    const accepted = await acceptAmendmentRequest(deps, w.director, r.id, {
      documentId: ds.id,
      amendmentText: 'Amendment: penicillin allergy removed at the patient’s request; reaction was viral exanthem.',
      notify: [
        { recipient: 'Dr. Lee, primary care', kind: 'person', identifiedBy: 'patient' },
        { recipient: 'Riverside Pharmacy', kind: 'organisation', identifiedBy: 'entity' },
      ],
    });
    expect(accepted).toMatchObject({ status: 'accepted', decidedOn: '2026-03-10', amendmentDocumentId: ds.id, amendmentVersion: 2 });
    expect(accepted.notifications!.map((n) => [n.recipient, n.notifiedOn])).toEqual([
      ['Dr. Lee, primary care', null],
      ['Riverside Pharmacy', null],
    ]);
    const doc = await w.docs.getDocument(w.director, ds.id);
    expect(doc).toMatchObject({ status: 'amended', currentVersion: 2 });
    expect(doc.versions.map((v) => v.kind)).toEqual(['original', 'amendment']);
    expect(decode((await w.docs.readContent(w.director, ds.id, 1)).bytes)).toBe('Allergies: penicillin');

    const told = await markRecipientNotified(deps, w.clerk, r.id, accepted.notifications![1]!.id, { notifiedOn: '2026-03-10' });
    expect(told.notifications![1]).toMatchObject({ notifiedOn: '2026-03-10', notifiedBy: w.clerk.userId });
    await expect(acceptAmendmentRequest(deps, w.director, r.id, { documentId: ds.id, amendmentText: 'again' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const actions = (await queryAuditEvents(t.db, { patientId: p.id }))
      .filter((e) => e.resourceType === 'amendment_request')
      .map((e) => e.action);
    expect(actions).toEqual(['create', 'accept', 'notify']);
  });

  it('denies with its ground, and keeps the denial, the statement of disagreement and the rebuttal in the record', async () => {
    const p = await w.patient();
    const r = await request(p.id);
    await expect(
      denyAmendmentRequest(deps, w.director, r.id, { basis: 'not_a_ground' as never, explanation: 'The record is correct as written.' }),
    ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('basis') });
    await expect(recordDisagreement(deps, w.clerk, r.id, { text: 'I disagree', receivedOn: '2026-03-10' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const denied = await denyAmendmentRequest(deps, w.director, r.id, {
      basis: 'accurate_and_complete',
      explanation: 'The allergy was confirmed by the reaction documented on 2025-11-02.',
    });
    expect(denied).toMatchObject({ status: 'denied', denialBasis: 'accurate_and_complete', decidedOn: '2026-03-10' });
    await expect(recordRebuttal(deps, w.director, r.id, { text: 'Our answer' })).rejects.toMatchObject({ code: 'conflict' });

    const disagreed = await recordDisagreement(deps, w.clerk, r.id, {
      text: 'I never had a reaction to penicillin; I want my statement kept with my record.',
      receivedOn: '2026-03-10',
    });
    const rebutted = await recordRebuttal(deps, w.director, r.id, { text: 'The reaction is documented by the ED physician.' });
    await expect(recordRebuttal(deps, w.director, r.id, { text: 'A second one' })).rejects.toMatchObject({ code: 'conflict' });

    // The three letters are documents of the patient (type AMEND), so they are released with the record.
    const docs = await w.docs.listForPatient(w.director, p.id);
    const byId = new Map(docs.map((d) => [d.id, d]));
    for (const id of [denied.denialDocumentId!, disagreed.disagreementDocumentId!, rebutted.rebuttalDocumentId!])
      expect(byId.get(id)).toMatchObject({ typeCode: 'AMEND', source: 'amendment', status: 'final', patientId: p.id });
    const letter = decode((await w.docs.readContent(w.director, denied.denialDocumentId!)).bytes);
    expect(letter).toContain('164.526(a)(2)(iv)');
    expect(letter).toContain('confirmed by the reaction');
    expect(decode((await w.docs.readContent(w.director, rebutted.rebuttalDocumentId!)).bytes)).toContain('ED physician');
    expect(await getAmendmentRequest(deps, w.clerk, r.id)).toMatchObject({
      disagreementReceivedOn: '2026-03-10',
      rebuttalDocumentId: rebutted.rebuttalDocumentId,
    });
  });

  it('extends once only, by at most 30 days, with the patient told within the 60 days', async () => {
    const p = await w.patient();
    const r = await request(p.id, { receivedOn: '2026-01-10' });
    expect(r.dueOn).toBe('2026-03-11');
    await expect(
      extendAmendmentRequest(deps, w.clerk, r.id, { reason: 'Waiting for the outside records', noticeOn: '2026-03-12' }),
    ).rejects.toMatchObject({ code: 'invalid' });
    const x = await extendAmendmentRequest(deps, w.clerk, r.id, { reason: 'Waiting for the outside records', noticeOn: '2026-03-09' });
    expect(x).toMatchObject({
      extendedDueOn: '2026-04-10',
      extensionNoticeOn: '2026-03-09',
      clock: { dueOn: '2026-04-10', state: 'on_time', daysLeft: 31 },
    });
    await expect(
      extendAmendmentRequest(deps, w.director, r.id, { reason: 'Still waiting for the records', noticeOn: '2026-03-10' }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('only once') });
  });

  it('lists overdue requests by the date that counts, and shows a restricted record’s request as its clock only', async () => {
    const p = await w.patient();
    const vip = await w.patient({ restricted: true, familyName: 'Vance' });
    const late = await request(p.id, { receivedOn: '2026-01-05' }); // due 2026-03-06: overdue on 2026-03-10
    const extended = await request(p.id, { receivedOn: '2026-01-06' }); // due 2026-03-07, but extended
    await t.db.updateTable('amendment_requests').set({ extended_due_on: '2026-04-06' }).where('id', '=', extended.id).execute();
    await request(p.id, { receivedOn: '2026-03-01' });
    const system = { ...w.clerk, system: true };
    const vipLate = await createAmendmentRequest(deps, system, {
      patientId: vip.id,
      information: 'Psychiatric history',
      requestedChange: 'Delete the note of 2025-12-01',
      receivedOn: '2026-01-02',
      receivedVia: 'in_person',
    });
    const overdue = await listAmendmentRequests(deps, w.director, { overdueOnly: true });
    expect(overdue.map((o) => [o.id, o.clock.state])).toEqual([
      [vipLate.id, 'overdue'],
      [late.id, 'overdue'],
    ]);
    expect(overdue[0]).toMatchObject({ details: false, mrn: vip.mrn, requestedChange: '', information: '', dueOn: '2026-03-03' });
    expect(overdue[1]).toMatchObject({ details: true, requestedChange: expect.stringContaining('penicillin') });
    await expect(getAmendmentRequest(deps, w.director, vipLate.id)).rejects.toMatchObject({ code: 'break_glass_required' });
    await expect(listAmendmentRequests(deps, w.coder)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listAmendmentRequests(deps, w.director, { status: 'open' })).length).toBe(4);
  });

  it('refuses a document of another patient and a request received in the future', async () => {
    const p = await w.patient();
    const other = await w.patient({ familyName: 'Other' });
    const d = await w.docs.fileDocument(w.clerk, { patientId: other.id, typeCode: 'PN', source: 'upload', content: note('x') });
    await expect(request(p.id, { documentIds: [d.id] })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('documentIds'),
    });
    await expect(request(p.id, { receivedOn: '2026-03-11' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('receivedOn'),
    });
  });
});
