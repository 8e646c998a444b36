import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import { blobPathOf, BlobCorruptError, sha256Hex } from './blob-store.js';
import {
  CCDA_XML,
  makeDocsWorld,
  makeImage,
  makeImagePdf,
  makeTextPdf,
  MDM_MESSAGE,
  text,
  type DocsWorld,
} from './documents-fixtures.test-support.js';

describe.each(engines)('documents: filing and reading on %s', (engine) => {
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

  it('stores each content type and reads it back with its hash checked, page count and native text', async () => {
    const p = await w.patient();
    const cases: { bytes: Uint8Array; declared: string; mediaType: string; pages: number; textSource: string }[] = [
      {
        bytes: await makeTextPdf(['Discharge summary page one', 'Page two: follow up in clinic']),
        declared: 'application/pdf',
        mediaType: 'application/pdf',
        pages: 2,
        textSource: 'native',
      },
      { bytes: await makeImagePdf(3), declared: 'application/pdf', mediaType: 'application/pdf', pages: 3, textSource: 'ocr_pending' },
      { bytes: await makeImage('tiff', 3), declared: 'image/tiff', mediaType: 'image/tiff', pages: 3, textSource: 'ocr_pending' },
      { bytes: await makeImage('png'), declared: 'image/png', mediaType: 'image/png', pages: 1, textSource: 'ocr_pending' },
      { bytes: await makeImage('jpeg'), declared: 'image/jpg', mediaType: 'image/jpeg', pages: 1, textSource: 'ocr_pending' },
      {
        bytes: text('Progress note: afebrile, ambulating.'),
        declared: 'text/plain; charset=utf-8',
        mediaType: 'text/plain',
        pages: 1,
        textSource: 'native',
      },
      {
        bytes: text(MDM_MESSAGE),
        declared: 'application/octet-stream',
        mediaType: 'x-application/hl7-v2+er7',
        pages: 1,
        textSource: 'native',
      },
      { bytes: text(CCDA_XML), declared: 'text/xml', mediaType: 'application/xml', pages: 1, textSource: 'native' },
    ];
    for (const c of cases) {
      const d = await w.docs.fileDocument(w.clerk, {
        patientId: p.id,
        encounterId: p.encounterId,
        typeCode: 'DS',
        source: 'upload',
        content: { bytes: c.bytes, mediaType: c.declared, fileName: 'x' },
      });
      expect(d, c.declared).toMatchObject({
        status: 'preliminary',
        currentVersion: 1,
        mediaType: c.mediaType,
        pageCount: c.pages,
        textSource: c.textSource,
      });
      expect(d.versions[0]!.sha256).toBe(sha256Hex(c.bytes));
      const back = await w.docs.readContent(w.coder, d.id);
      expect(Buffer.from(back.bytes).equals(Buffer.from(c.bytes))).toBe(true);
      expect(back).toMatchObject({ mediaType: c.mediaType, sha256: sha256Hex(c.bytes), version: 1 });
      // At rest the file is encrypted: its bytes are not the content's.
      const stored = fs.readFileSync(blobPathOf(w.blobDir, back.sha256));
      expect(stored.includes(Buffer.from(c.bytes.subarray(0, Math.min(16, c.bytes.length))))).toBe(false);
    }
    const jobs = await t.db.selectFrom('jobs').select(['kind', 'payload']).execute();
    expect(jobs.filter((j) => j.kind === 'document.ocr')).toHaveLength(4);
    const list = await w.docs.listForPatient(w.coder, p.id);
    expect(list).toHaveLength(cases.length);
    const mdm = list.find((d) => d.mediaType === 'x-application/hl7-v2+er7')!;
    const pages = await w.docs.listPages(w.coder, mdm.id, 1);
    expect(pages[0]!.text).toBe('Patient admitted with pneumonia.\nTreated with ceftriaxone&azithromycin.');
    const ccda = list.find((d) => d.mediaType === 'application/xml')!;
    const ccdaText = (await w.docs.listPages(w.coder, ccda.id, 1))[0]!.text;
    expect(ccdaText).toContain('Problems');
    expect(ccdaText).toContain('Community acquired pneumonia\nHypertension');
    expect(ccdaText).toContain('Amoxicillin | 500 mg');
    const pdf = list.find((d) => d.mediaType === 'application/pdf' && d.textSource === 'native')!;
    expect((await w.docs.listPages(w.coder, pdf.id, 1)).map((x) => x.text)).toEqual([
      'Discharge summary page one',
      'Page two: follow up in clinic',
    ]);
  });

  it('refuses unknown content and a declared type the bytes contradict, naming the problem', async () => {
    const p = await w.patient();
    const file = (bytes: Uint8Array, mediaType: string) =>
      w.docs.fileDocument(w.clerk, { patientId: p.id, typeCode: 'PN', source: 'upload', content: { bytes, mediaType } });
    await expect(file(new Uint8Array([0, 1, 2, 3, 0, 0, 7]), 'application/octet-stream')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('not a type the record accepts'),
    });
    await expect(file(text('plain words'), 'application/pdf')).rejects.toMatchObject({
      code: 'invalid',
      message: 'content: the file is plain text, not a PDF as declared',
    });
    await expect(file(text('<html><body>x</body></html>'), 'text/xml')).rejects.toMatchObject({ code: 'invalid' });
    await expect(file(text('%PDF-1.7 broken'), 'application/pdf')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('PDF'),
    });
    await expect(file(new Uint8Array(), 'text/plain')).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      w.docs.fileDocument(w.clerk, {
        patientId: p.id,
        typeCode: 'NOPE',
        source: 'upload',
        content: { bytes: text('x'), mediaType: 'text/plain' },
      }),
    ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('typeCode') });
    expect(await t.db.selectFrom('documents').select('id').execute()).toEqual([]);
  });

  it('detects a tampered blob: not served, BlobCorruptError, audited as a failed read', async () => {
    const p = await w.patient();
    const d = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'PN',
      source: 'upload',
      content: { bytes: text('Original note text'), mediaType: 'text/plain' },
    });
    const file = blobPathOf(w.blobDir, d.versions[0]!.sha256!);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    const err = await w.docs.readContent(w.coder, d.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobCorruptError);
    expect((err as BlobCorruptError).reason).toBe('unreadable');
    fs.rmSync(file);
    await expect(w.docs.readContent(w.coder, d.id)).rejects.toMatchObject({ reason: 'missing' });
    const events = await queryAuditEvents(t.db, { patientId: p.id });
    expect(events.filter((e) => e.resourceType === 'document_content' && e.outcome === 'failure')).toHaveLength(2);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('keeps every earlier version readable when a version is added, and amends a final document', async () => {
    const p = await w.patient();
    const d = await w.docs.fileDocument(w.physician, {
      patientId: p.id,
      typeCode: 'PN',
      status: 'final',
      source: 'upload',
      content: { bytes: text('first'), mediaType: 'text/plain' },
    });
    const v2 = await w.docs.addVersion(w.physician, d.id, {
      content: { bytes: text('first, with an addendum'), mediaType: 'text/plain' },
      kind: 'addendum',
      reason: 'late entry of a finding',
    });
    expect(v2).toMatchObject({ currentVersion: 2, status: 'amended' });
    expect(v2.versions.map((v) => [v.version, v.kind])).toEqual([
      [1, 'original'],
      [2, 'addendum'],
    ]);
    expect(new TextDecoder().decode((await w.docs.readContent(w.coder, d.id, 1)).bytes)).toBe('first');
    expect(new TextDecoder().decode((await w.docs.readContent(w.coder, d.id)).bytes)).toBe('first, with an addendum');
    await expect(
      w.docs.addVersion(w.coder, d.id, { content: { bytes: text('x'), mediaType: 'text/plain' }, kind: 'revision', reason: 'coder edits' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(w.docs.readContent(w.coder, d.id, 9)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('needs break-the-glass for a restricted record and document:sensitive (or a grant) for a flagged document', async () => {
    const vip = await w.patient({ restricted: true });
    const d = await w.docs.fileDocument(
      { ...w.clerk, system: true },
      { patientId: vip.id, typeCode: 'PN', source: 'system', content: { bytes: text('vip note'), mediaType: 'text/plain' } },
    );
    await expect(w.docs.getDocument(w.coder, d.id)).rejects.toMatchObject({ code: 'break_glass_required' });
    await w.deps.records.breakGlass(w.coder, vip.id, 'coding the inpatient stay today');
    expect((await w.docs.getDocument(w.coder, d.id)).id).toBe(d.id);

    const p = await w.patient();
    const bh = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'BH',
      source: 'upload',
      content: { bytes: text('behavioral health note'), mediaType: 'text/plain' },
    });
    expect(bh.confidentiality).toEqual(['behavioral_health']);
    await expect(w.docs.readContent(w.physician, bh.id)).rejects.toMatchObject({ code: 'break_glass_required' });
    expect((await w.docs.readContent(w.director, bh.id)).mediaType).toBe('text/plain');
    // Other documents of the same record are open to the physician; the flagged one after a grant.
    const pn = await w.docs.fileDocument(w.clerk, {
      patientId: p.id,
      typeCode: 'PN',
      source: 'upload',
      content: { bytes: text('progress'), mediaType: 'text/plain' },
    });
    expect((await w.docs.getDocument(w.physician, pn.id)).id).toBe(pn.id);
    await w.deps.records.breakGlass(w.physician, p.id, 'emergency: patient in the ED now');
    expect((await w.docs.readContent(w.physician, bh.id)).mediaType).toBe('text/plain');
    await expect(w.docs.getDocument(w.admin, pn.id)).rejects.toMatchObject({ code: 'forbidden' });
    const denied = (await queryAuditEvents(t.db, { patientId: p.id })).filter((e) => e.action === 'access_denied');
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it('finds a document by its source system number, and refuses a second one with the same number', async () => {
    const p = await w.patient();
    const sys = { ...w.clerk, system: true };
    const input = {
      patientId: p.id,
      typeCode: 'DS',
      source: 'hl7',
      sourceSystem: 'TRANSCRIBE',
      externalId: 'DOC-77',
      content: { bytes: text(MDM_MESSAGE), mediaType: 'x-application/hl7-v2+er7' },
    };
    const d = await w.docs.fileDocument(sys, input);
    expect((await w.docs.findByExternalId(sys, 'TRANSCRIBE', 'DOC-77'))?.id).toBe(d.id);
    expect(await w.docs.findByExternalId(sys, 'OTHER', 'DOC-77')).toBeNull();
    await expect(w.docs.fileDocument(sys, input)).rejects.toMatchObject({ code: 'conflict' });
  });
});
