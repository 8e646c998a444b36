import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import { blobPathOf } from './blob-store.js';
import { makeDocsWorld, text, type DocsWorld } from './documents-fixtures.test-support.js';

const note = (s: string) => ({ bytes: text(s), mediaType: 'text/plain' });

describe.each(engines)('documents: signatures, status, holds, misfiles, destruction on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t);
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  it('makes a document final after the author signs, and waits for the co-signature where the type requires it', async () => {
    const p = await w.patient();
    const pn = await w.docs.fileDocument(w.physician, { patientId: p.id, typeCode: 'PN', source: 'upload', content: note('progress') });
    expect((await w.docs.sign(w.physician, pn.id, { attestation: 'Electronically signed by the author', role: 'author' })).status).toBe(
      'final',
    );

    const hp = await w.docs.fileDocument(w.physician, {
      patientId: p.id,
      typeCode: 'HP',
      source: 'upload',
      content: note('H&P by resident'),
    });
    await expect(
      w.docs.sign(w.physician2, hp.id, { attestation: 'Reviewed and agree with the findings', role: 'cosigner' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const signed = await w.docs.sign(w.physician, hp.id, { attestation: 'Electronically signed by the author', role: 'author' });
    expect(signed).toMatchObject({ status: 'preliminary', awaitingCosign: true });
    await expect(w.docs.sign(w.physician, hp.id, { attestation: 'I co-sign my own note', role: 'cosigner' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const cosigned = await w.docs.sign(w.physician2, hp.id, { attestation: 'Reviewed and agree with the findings', role: 'cosigner' });
    expect(cosigned).toMatchObject({ status: 'final', awaitingCosign: false });
    expect(cosigned.signatures.map((s) => [s.role, s.signerId, s.version])).toEqual([
      ['author', w.physician.userId, 1],
      ['cosigner', w.physician2.userId, 1],
    ]);
    await expect(w.docs.sign(w.clerk, hp.id, { attestation: 'Electronically signed', role: 'author' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const events = await queryAuditEvents(t.db, { patientId: p.id });
    expect(events.filter((e) => e.action === 'sign')).toHaveLength(3);
  });

  it('marks a document entered in error with its reason, after which it takes no version', async () => {
    const p = await w.patient();
    const d = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'PN',
      source: 'upload',
      content: note('wrong patient note'),
    });
    await expect(w.docs.setStatus(w.clerk, d.id, 'amended', 'x')).rejects.toMatchObject({ code: 'invalid' });
    const e = await w.docs.setStatus(w.clerk, d.id, 'entered_in_error', 'scanned into the wrong chart');
    expect(e).toMatchObject({ status: 'entered_in_error', statusReason: 'scanned into the wrong chart' });
    await expect(w.docs.addVersion(w.clerk, d.id, { content: note('again'), kind: 'revision', reason: 'retry' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(w.docs.setStatus(w.clerk, d.id, 'final', 'reviewed')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('blocks versions, status changes, moves and destruction under a legal hold, until it is released', async () => {
    const p = await w.patient();
    const other = await w.patient({ familyName: 'Other' });
    const d = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      encounterId: p.encounterId,
      typeCode: 'PN',
      source: 'upload',
      content: note('held note'),
    });
    const hold = await w.docs.placeHold(w.director, {
      patientId: p.id,
      encounterId: p.encounterId,
      matter: 'Smith v. General Hospital',
      reason: 'litigation hold from counsel',
    });
    expect(hold).toMatchObject({ scope: 'encounter', active: true });
    expect((await w.docs.getDocument(w.coder, d.id)).holds.map((h) => h.id)).toEqual([hold.id]);
    const held = { code: 'conflict', message: expect.stringContaining('legal hold') };
    await expect(w.docs.addVersion(w.clerk, d.id, { content: note('v2'), kind: 'revision', reason: 'fix typo' })).rejects.toMatchObject(
      held,
    );
    await expect(w.docs.setStatus(w.clerk, d.id, 'entered_in_error', 'wrong chart')).rejects.toMatchObject(held);
    await expect(
      w.docs.moveDocument(w.director, d.id, { patientId: other.id, reason: 'belongs to the other patient' }),
    ).rejects.toMatchObject(held);
    await expect(w.docs.destroyDocument(w.director, d.id, { certificateId: 'CERT-1' })).rejects.toMatchObject(held);
    expect((await w.docs.listHolds(w.director)).map((h) => h.id)).toEqual([hold.id]);
    await expect(w.docs.placeHold(w.clerk, { patientId: p.id, matter: 'x', reason: 'not allowed' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await w.docs.releaseHold(w.director, hold.id, 'matter settled');
    await expect(w.docs.releaseHold(w.director, hold.id, 'again')).rejects.toMatchObject({ code: 'conflict' });
    expect(await w.docs.listHolds(w.director)).toEqual([]);
    expect((await w.docs.destroyDocument(w.director, d.id, { certificateId: 'CERT-1' })).status).toBe('destroyed');
  });

  it('moves a misfiled document to the right patient, logged and audited on both records', async () => {
    const wrong = await w.patient({ familyName: 'Wrong' });
    const right = await w.patient({ familyName: 'Right' });
    const d = await w.docs.fileDocument(w.clerk, {
      patientId: wrong.id,
      encounterId: wrong.encounterId,
      typeCode: 'RAD',
      source: 'scan',
      content: note('chest x-ray: no acute findings'),
    });
    await w.docs.sign(w.physician, d.id, { attestation: 'Electronically signed by the author', role: 'author' });
    await expect(w.docs.moveDocument(w.clerk, d.id, { patientId: right.id, reason: 'scanned into the wrong chart' })).rejects.toMatchObject(
      { code: 'forbidden' },
    );
    await expect(
      w.docs.moveDocument(w.director, d.id, {
        patientId: right.id,
        encounterId: wrong.encounterId,
        reason: 'scanned into the wrong chart',
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const moved = await w.docs.moveDocument(w.director, d.id, {
      patientId: right.id,
      encounterId: right.encounterId,
      reason: 'scanned into the wrong chart',
    });
    expect(moved).toMatchObject({ patientId: right.id, encounterId: right.encounterId, currentVersion: 1 });
    expect(moved.signatures).toHaveLength(1);
    expect(await w.docs.listForPatient(w.coder, wrong.id)).toEqual([]);
    expect((await w.docs.listForPatient(w.coder, right.id)).map((x) => x.id)).toEqual([d.id]);
    expect(new TextDecoder().decode((await w.docs.readContent(w.coder, d.id)).bytes)).toContain('chest x-ray');
    const log = await w.docs.listMisfiles(w.director);
    expect(log).toEqual([
      expect.objectContaining({
        documentId: d.id,
        fromPatientId: wrong.id,
        toPatientId: right.id,
        reason: 'scanned into the wrong chart',
        details: true,
      }),
    ]);
    for (const patientId of [wrong.id, right.id]) {
      const ev = (await queryAuditEvents(t.db, { patientId })).filter((e) => e.action === 'move');
      expect(ev, patientId).toHaveLength(1);
      expect(ev[0]!.detail).toMatchObject({ fromPatientId: wrong.id, toPatientId: right.id });
    }
    // The text index follows the document to its patient.
    expect((await w.docs.search(w.coder, { words: 'acute findings', patientId: right.id })).hits.map((h) => h.documentId)).toEqual([d.id]);
    expect((await w.docs.search(w.coder, { words: 'acute findings', patientId: wrong.id })).hits).toEqual([]);
  });

  it('destroys a document into a tombstone: metadata kept, content gone unless another version shares it', async () => {
    const p = await w.patient();
    const shared = 'the same scanned page twice';
    const a = await w.docs.fileDocument(w.clerk, { patientId: p.id, typeCode: 'CORR', source: 'upload', content: note(shared) });
    await w.docs.addVersion(w.clerk, a.id, { content: note('letter, corrected'), kind: 'correction', reason: 'wrong date' });
    const b = await w.docs.fileDocument(w.clerk, { patientId: p.id, typeCode: 'CORR', source: 'upload', content: note(shared) });
    const sharedSha = a.versions[0]!.sha256!;
    const a2 = await w.docs.getDocument(w.coder, a.id);
    const onlyA = a2.versions[1]!.sha256!;
    await expect(w.docs.destroyDocument(w.clerk, a.id, { certificateId: 'CERT-9' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(w.docs.destroyDocument(w.director, a.id, { certificateId: '' })).rejects.toMatchObject({ code: 'invalid' });
    const tomb = await w.docs.destroyDocument(w.director, a.id, { certificateId: 'CERT-9' });
    expect(tomb).toMatchObject({ status: 'destroyed', destructionCertificateId: 'CERT-9', title: a.title, typeCode: 'CORR' });
    expect(tomb.versions.map((v) => v.sha256)).toEqual([null, null]);
    expect(fs.existsSync(blobPathOf(w.blobDir, onlyA))).toBe(false);
    expect(fs.existsSync(blobPathOf(w.blobDir, sharedSha))).toBe(true);
    expect(new TextDecoder().decode((await w.docs.readContent(w.coder, b.id)).bytes)).toBe(shared);
    await expect(w.docs.readContent(w.coder, a.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(w.docs.destroyDocument(w.director, a.id, { certificateId: 'CERT-9' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await w.docs.search(w.coder, { words: 'corrected', patientId: p.id })).hits).toEqual([]);
    expect((await queryAuditEvents(t.db, { patientId: p.id })).filter((e) => e.action === 'destroy')).toHaveLength(1);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
