import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { CCDA_XML, makeDocsWorld, makeTextPdf, MDM_MESSAGE, text, type DocsWorld } from './documents-fixtures.test-support.js';

describe.each(engines)('documents: full-text search on %s', (engine) => {
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

  it('finds words in text, HL7, C-CDA and PDF text layers, with filters and marked snippets', async () => {
    const a = await w.patient({ familyName: 'Alpha' });
    const b = await w.patient({ familyName: 'Beta' });
    const file = (patientId: string, typeCode: string, bytes: Uint8Array, mediaType: string, extra: Record<string, unknown> = {}) =>
      w.docs.fileDocument(w.clerk, { patientId, typeCode, source: 'upload', content: { bytes, mediaType }, ...extra });
    const dsA = await file(a.id, 'DS', text('Discharged home. Pneumonia resolved <b>fully</b> after ceftriaxone.'), 'text/plain', {
      serviceAt: '2026-02-14T15:00:00Z',
      encounterId: a.encounterId,
      authorName: 'Dr. Gregory House',
    });
    const pnA = await file(a.id, 'PN', text('Progress: pneumonia improving, still febrile.'), 'text/plain', {
      serviceAt: '2026-02-12T09:00:00Z',
    });
    const mdmB = await file(b.id, 'DS', text(MDM_MESSAGE), 'x-application/hl7-v2+er7', { serviceAt: '2026-01-05T10:00:00Z' });
    const ccdaB = await file(b.id, 'CCDA', text(CCDA_XML), 'application/xml', { serviceAt: '2026-01-06T10:00:00Z' });
    const pdfB = await file(
      b.id,
      'RAD',
      await makeTextPdf(['Chest radiograph', 'Impression: right lower lobe pneumonia']),
      'application/pdf',
      { serviceAt: '2026-01-07T10:00:00Z' },
    );

    const ids = async (q: Parameters<typeof w.docs.search>[1]) =>
      (await w.docs.search(w.coder, q)).hits.map((h) => `${h.documentId}:${h.page}`);
    expect((await ids({ words: 'pneumonia' })).sort()).toEqual(
      [`${dsA.id}:1`, `${pnA.id}:1`, `${mdmB.id}:1`, `${ccdaB.id}:1`, `${pdfB.id}:2`].sort(),
    );
    expect(await ids({ words: 'pneumonia', patientId: b.id, typeCode: 'RAD' })).toEqual([`${pdfB.id}:2`]);
    expect((await ids({ words: 'pneumonia', patientId: a.id })).sort()).toEqual([`${dsA.id}:1`, `${pnA.id}:1`].sort());
    expect(await ids({ words: 'pneumonia', encounterId: a.encounterId })).toEqual([`${dsA.id}:1`]);
    expect(await ids({ words: 'pneumonia', authorName: 'house' })).toEqual([`${dsA.id}:1`]);
    expect((await ids({ words: 'pneumonia', from: '2026-01-06T00:00:00Z', to: '2026-02-13T00:00:00Z' })).sort()).toEqual(
      [`${ccdaB.id}:1`, `${pdfB.id}:2`, `${pnA.id}:1`].sort(),
    );
    expect(await ids({ words: 'pneumonia febrile' })).toEqual([`${pnA.id}:1`]);
    expect(await ids({ words: 'amoxicillin' })).toEqual([`${ccdaB.id}:1`]);
    expect(await ids({ words: 'pneumonia', status: 'final' })).toEqual([]);
    await w.docs.sign(w.physician, pnA.id, { attestation: 'Electronically signed by the author', role: 'author' });
    expect(await ids({ words: 'pneumonia', status: 'final' })).toEqual([`${pnA.id}:1`]);
    // Most recently filed first; snippets escape the text and mark the hits.
    const all = (await w.docs.search(w.coder, { words: 'pneumonia' })).hits;
    expect(all.map((h) => h.documentId)).toEqual([pdfB.id, ccdaB.id, mdmB.id, pnA.id, dsA.id]);
    const snippet = all.find((h) => h.documentId === dsA.id)!.snippet;
    expect(snippet).toContain('<mark>');
    expect(snippet.toLowerCase()).toContain('pneumonia</mark>');
    expect(snippet).not.toContain('<b>');
    await expect(w.docs.search(w.coder, { words: '!!! ???' })).rejects.toMatchObject({ code: 'invalid' });
    // Audit events never hold the words.
    const events = await queryAuditEvents(t.db, {});
    expect(JSON.stringify(events)).not.toContain('febrile');
  });

  it('leaves restricted records and flagged documents out of whole-record search, and audits each record shown', async () => {
    const vip = await w.patient({ restricted: true });
    const p = await w.patient();
    await w.docs.fileDocument(
      { ...w.clerk, system: true },
      { patientId: vip.id, typeCode: 'PN', source: 'system', content: { bytes: text('sarcoidosis follow-up'), mediaType: 'text/plain' } },
    );
    const bh = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'BH',
      source: 'upload',
      content: { bytes: text('sarcoidosis and anxiety'), mediaType: 'text/plain' },
    });
    const pn = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'PN',
      source: 'upload',
      content: { bytes: text('sarcoidosis stable'), mediaType: 'text/plain' },
    });
    expect((await w.docs.search(w.coder, { words: 'sarcoidosis' })).hits.map((h) => h.documentId)).toEqual([pn.id]);
    expect((await w.docs.search(w.director, { words: 'sarcoidosis' })).hits.map((h) => h.documentId).sort()).toEqual([bh.id, pn.id].sort());
    await expect(w.docs.search(w.coder, { words: 'sarcoidosis', patientId: vip.id })).rejects.toMatchObject({
      code: 'break_glass_required',
    });
    await w.deps.records.breakGlass(w.coder, vip.id, 'coding the stay: need the notes');
    expect((await w.docs.search(w.coder, { words: 'sarcoidosis', patientId: vip.id })).hits).toHaveLength(1);
    const shown = (await queryAuditEvents(t.db, { patientId: p.id })).filter((e) => e.action === 'search' && e.userId === w.coder.userId);
    expect(shown.length).toBeGreaterThanOrEqual(1);
    await expect(w.docs.search(w.admin, { words: 'sarcoidosis' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('finds the newest hits when the newest pages with the words are all left out (more than one round of candidates)', async () => {
    const vip = await w.patient({ restricted: true });
    const p = await w.patient();
    const file = (patientId: string, typeCode: string, body: string, system = false) =>
      w.docs.fileDocument(system ? { ...w.clerk, system: true } : w.clerk, {
        patientId,
        typeCode,
        source: system ? 'system' : 'upload',
        content: { bytes: text(body), mediaType: 'text/plain' },
      });
    const older: string[] = [];
    for (let i = 0; i < 12; i++) older.push((await file(p.id, i % 2 ? 'DS' : 'PN', `Pericardial tamponade drained, note ${i}.`)).id);
    // Newer pages with the same word, all of a restricted record: whole-record search leaves every one of them out.
    for (let i = 0; i < 230; i++) await file(vip.id, 'PN', `Tamponade physiology on echo, note ${i}.`, true);
    const hits = (await w.docs.search(w.coder, { words: 'tamponade' })).hits;
    expect(hits.map((h) => h.documentId)).toEqual([...older].reverse());
    expect(hits.every((h) => h.snippet.toLowerCase().includes('<mark>tamponade</mark>'))).toBe(true);
    const ds = (await w.docs.search(w.coder, { words: 'tamponade', typeCode: 'DS', limit: 3 })).hits.map((h) => h.documentId);
    expect(ds).toEqual(
      older
        .filter((_, i) => i % 2)
        .reverse()
        .slice(0, 3),
    );
  });
});
