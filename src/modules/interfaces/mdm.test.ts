import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeDeps, makeFacility } from '../../../test/support/factories.js';
import { mdmDocumentsOf } from '../../app/mdm-documents.js';
import { Role, systemActor } from '../access/index.js';
import { verifyAuditChain } from '../audit/index.js';
import { createDocumentsService, createLocalBlobStore, type DocumentsService } from '../documents/index.js';
import {
  createFacilityDirectory,
  getHl7Message,
  listHl7Messages,
  receiveHl7,
  reprocessMessage,
  startMllpListener,
  type InterfaceDeps,
} from './index.js';
import { mllpSession, readAck as msa } from './hl7-session.test-support.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpora/hl7v2/microsoft-FHIR-Converter');

const MSH = (trigger: string, control: string, facility = 'MAIN') =>
  `MSH|^~\\&|TRANSCRIBE|${facility}|CUSTODIAN|fac-test|20260302090000+0000||MDM^${trigger}^MDM_${trigger}|${control}|P|2.5.1`;

/** An MDM message (v2.5.1) with the TXA fields and OBX content the tests vary. */
function mdm(o: {
  trigger: string;
  control: string;
  mrn?: string;
  account?: string;
  type?: string;
  number?: string;
  parent?: string;
  status?: string;
  availability?: string;
  confidentiality?: string;
  authenticator?: string;
  obx?: string[];
}): string {
  const txa = [
    'TXA',
    '1',
    o.type ?? 'HP',
    'TX',
    '20260302081500+0000',
    '1234567893^Okafor^Ngozi^^^Dr^MD',
    '20260302083000+0000',
    '',
    '',
    '',
    '',
    '',
    o.number ?? 'DOC-1',
    o.parent ?? '',
    '',
    '',
    '',
    o.status ?? 'DO',
    o.confidentiality ?? '',
    o.availability ?? 'AV',
    '',
    '',
    o.authenticator ?? '',
  ].join('|');
  return (
    [
      MSH(o.trigger, o.control),
      `EVN|${o.trigger}|20260302090000+0000`,
      `PID|1||${o.mrn ?? 'E100'}^^^REG^MR||Lindqvist^Astrid^M||19800312|F`,
      `PV1|1|I|4W^401^A||||||||||||||||${o.account ?? 'V-100'}`,
      txa,
      ...(o.obx ?? [
        'OBX|1|TX|HP^History and physical||Chief complaint: chest pain.~No prior history.||||||F',
        'OBX|2|TX|HP^History and physical||Plan: admit to telemetry.||||||F',
      ]),
    ].join('\r') + '\r'
  );
}

const register = (control: string, mrn = 'E100', account = 'V-100') =>
  [
    `MSH|^~\\&|REG|MAIN|CUSTODIAN|fac-test|20260301080000+0000||ADT^${account ? 'A04' : 'A28'}^ADT_A01|${control}|P|2.5.1`,
    `EVN|${account ? 'A04' : 'A28'}|20260301080000+0000`,
    `PID|1||${mrn}^^^REG^MR||Lindqvist^Astrid^M||19800312|F||||||||||${account}`,
    'PV1|1|O',
  ].join('\r') + '\r';

/** MSA and ERR of an ACK; ERR in the v2.5 layout (ERR-2 location, ERR-3 code) or the v2.3 one (ERR-1 ELD). */
async function pdfBase64(text: string): Promise<string> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText(text);
  return Buffer.from(await pdf.save()).toString('base64');
}

describe.each(engines)('HL7 MDM interface on %s', (engine) => {
  let t: TestDatabase;
  let deps: InterfaceDeps;
  let docs: DocumentsService;
  let blobDir: string;
  let session: Awaited<ReturnType<typeof mllpSession>>;
  let close: () => Promise<void>;
  const reader = systemActor('test');

  beforeEach(async () => {
    t = await createTestDatabase(engine);
    blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-mdm-'));
    const base = makeDeps(t);
    const docDeps = {
      db: t.db,
      clock: base.clock,
      audit: base.audit,
      records: base.records,
      blobs: createLocalBlobStore({ dir: blobDir }),
    };
    docs = createDocumentsService(docDeps);
    deps = {
      ...base,
      engine,
      facilities: createFacilityDirectory(t.db),
      documents: mdmDocumentsOf(docDeps),
      mdm: { documentTypes: { XRAY: 'RAD' }, confidentiality: { R: 'behavioral_health' } },
    };
    await makeFacility(t);
    const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
    session = await mllpSession(listener.port);
    close = () => listener.close();
  });
  afterEach(async () => {
    session.close();
    await close();
    await t.dispose();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });

  const send = async (raw: string) => msa(await session.send(raw));
  const docOf = async (number: string, system = 'MAIN') => docs.findByExternalId(reader, system, number);
  const text = async (id: string, version?: number) => Buffer.from((await docs.readContent(reader, id, version)).bytes).toString('utf8');
  const stored = (control: string) =>
    t.db.selectFrom('hl7_messages').selectAll().where('control_id', '=', control).orderBy('received_at').execute();

  it('files, finalises and signs, addends, corrects and replaces a document over MLLP, keeping every version', async () => {
    expect(await send(register('R1'))).toMatchObject({ code: 'AA' });
    // T02: a new preliminary consultation note of the visit, the OBX lines joined in order.
    const filed = await send(mdm({ trigger: 'T02', control: 'M1', type: 'CN' }));
    expect(filed).toMatchObject({ code: 'AA', control: 'M1', err: null });
    const d1 = (await docOf('DOC-1'))!;
    expect(d1).toMatchObject({
      typeCode: 'CN',
      status: 'preliminary',
      source: 'hl7',
      currentVersion: 1,
      authorName: 'Dr Ngozi Okafor, MD (1234567893)',
    });
    expect(d1.encounterId).not.toBeNull();
    expect(d1.serviceAt).toBe('2026-03-02T08:15:00.000Z');
    expect(await text(d1.id)).toBe('Chief complaint: chest pain.\nNo prior history.\nPlan: admit to telemetry.');
    expect(filed.text).toBe(`document ${d1.id} version 1`);
    expect((await stored('M1'))[0]).toMatchObject({
      status: 'applied',
      patient_id: d1.patientId,
      message_type: 'MDM',
      trigger_event: 'T02',
    });

    // T04: authenticated (TXA-17 AU) with TXA-22: signed as author, final; the same content makes no new version.
    const auth = '1234567893^Okafor^Ngozi^^^Dr^MD^^^^^^^^20260302100000+0000';
    expect(await send(mdm({ trigger: 'T04', control: 'M2', type: 'CN', status: 'AU', authenticator: auth }))).toMatchObject({ code: 'AA' });
    const d2 = (await docOf('DOC-1'))!;
    expect(d2).toMatchObject({ status: 'final', currentVersion: 1 });
    expect(d2.signatures).toHaveLength(1);
    expect(d2.signatures[0]).toMatchObject({ role: 'author', version: 1, signerName: 'hl7:TRANSCRIBE' });
    expect(d2.signatures[0]!.attestation).toContain('Okafor');

    // T06: an addendum (its own number TXA-12, the parent TXA-13) becomes version 2 of the parent: amended.
    const addendum = ['OBX|1|TX|ADD^Addendum||Troponin negative at 6 hours.||||||F'];
    expect(await send(mdm({ trigger: 'T06', control: 'M3', number: 'DOC-1-A1', parent: 'DOC-1', obx: addendum }))).toMatchObject({
      code: 'AA',
    });
    const d3 = (await docOf('DOC-1'))!;
    expect(d3).toMatchObject({ status: 'amended', currentVersion: 2 });
    expect(d3.versions.find((v) => v.version === 2)).toMatchObject({ kind: 'addendum' });
    expect(d3.versions.find((v) => v.version === 2)!.reason).toContain('DOC-1-A1');
    expect(await text(d3.id, 2)).toBe('Troponin negative at 6 hours.');

    // T08: an edit of DOC-1: a correction version.
    const edited = ['OBX|1|TX|HP^History and physical||Chief complaint: chest pressure.||||||F'];
    expect(await send(mdm({ trigger: 'T08', control: 'M4', number: 'DOC-1', obx: edited }))).toMatchObject({ code: 'AA' });
    expect((await docOf('DOC-1'))!.versions.find((v) => v.version === 3)).toMatchObject({ kind: 'correction' });

    // T10: a replacement (TXA-13 names the replaced document) carried as a Base64 PDF (ED).
    const pdf = await pdfBase64('Replacement history and physical');
    const ed = [`OBX|1|ED|HP^History and physical||^application^pdf^Base64^${pdf}||||||F`];
    expect(await send(mdm({ trigger: 'T10', control: 'M5', number: 'DOC-1-R1', parent: 'DOC-1', obx: ed }))).toMatchObject({ code: 'AA' });
    const d5 = (await docOf('DOC-1'))!;
    expect(d5.versions.map((v) => [v.version, v.kind, v.mediaType])).toEqual([
      [1, 'original', 'text/plain'],
      [2, 'addendum', 'text/plain'],
      [3, 'correction', 'text/plain'],
      [4, 'replacement', 'application/pdf'],
    ]);
    expect(Buffer.from((await docs.readContent(reader, d5.id, 4)).bytes).toString('base64')).toBe(pdf);
    // Earlier versions stay as they were.
    expect(await text(d5.id, 1)).toBe('Chief complaint: chest pain.\nNo prior history.\nPlan: admit to telemetry.');
    expect(await t.db.selectFrom('documents').select('id').execute()).toHaveLength(1);

    // An H&P authenticated on arrival: its type requires a co-signature, so it is signed and waits for it.
    expect(await send(mdm({ trigger: 'T02', control: 'M6', number: 'DOC-HP', status: 'AU', authenticator: auth }))).toMatchObject({
      code: 'AA',
    });
    expect(await docOf('DOC-HP')).toMatchObject({ typeCode: 'HP', status: 'preliminary', awaitingCosign: true });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('answers AE with an ERR naming the field, keeps the message, and applies it on reprocessing once the data is there', async () => {
    // Unknown patient: PID-3, table 0357 code 204.
    expect(await send(mdm({ trigger: 'T02', control: 'X1', mrn: 'NOBODY' }))).toMatchObject({ code: 'AE', err: '204', where: 'PID-3' });
    const [row] = await stored('X1');
    expect(row).toMatchObject({ status: 'error', error_code: '204' });
    expect(row!.raw).toContain('NOBODY');
    expect(row!.error_text).not.toContain('NOBODY');
    // The patient is registered meanwhile; but the visit V-100 is not: AE PV1-19.
    expect(await send(register('R2', 'NOBODY', ''))).toMatchObject({ code: 'AA' });
    const admin = makeActor(Role.administrator);
    expect(await reprocessMessage(deps, admin, row!.id)).toMatchObject({ status: 'error', ackCode: 'AE' });
    expect((await getHl7Message(deps, admin, row!.id)).errorText).toContain('PV1-19');
    expect(await send(register('R3', 'NOBODY', 'V-100'))).toMatchObject({ code: 'AA' });
    expect(await reprocessMessage(deps, admin, row!.id)).toMatchObject({ status: 'applied', ackCode: 'AA' });
    expect(await docOf('DOC-1')).not.toBeNull();

    // Unknown document type: TXA-2, 103; a type mapped by the site's setting is filed as that type.
    expect(await send(mdm({ trigger: 'T02', control: 'X2', mrn: 'NOBODY', type: 'ZZ', number: 'DOC-2' }))).toMatchObject({
      code: 'AE',
      err: '103',
      where: 'TXA-2',
    });
    expect(await send(mdm({ trigger: 'T02', control: 'X3', mrn: 'NOBODY', type: 'XRAY', number: 'DOC-3' }))).toMatchObject({ code: 'AA' });
    expect(await docOf('DOC-3')).toMatchObject({ typeCode: 'RAD' });
    // HL7 table 0270 defaults through LOINC: PR progress note is Custodian's PN, PN procedure note is not mapped.
    expect(await send(mdm({ trigger: 'T02', control: 'X4', mrn: 'NOBODY', type: 'PR', number: 'DOC-4' }))).toMatchObject({ code: 'AA' });
    expect(await docOf('DOC-4')).toMatchObject({ typeCode: 'PN' });
    expect(await send(mdm({ trigger: 'T02', control: 'X5', mrn: 'NOBODY', type: 'PN', number: 'DOC-5' }))).toMatchObject({
      code: 'AE',
      where: 'TXA-2',
    });

    // Bad OBX: ED that is not Base64 (102), no content (101), two ED documents (102).
    const bad = ['OBX|1|ED|HP||^application^pdf^Base64^not*base64!||||||F'];
    expect(await send(mdm({ trigger: 'T02', control: 'X6', mrn: 'NOBODY', number: 'DOC-6', obx: bad }))).toMatchObject({
      code: 'AE',
      err: '102',
      where: 'OBX-5',
    });
    expect(await send(mdm({ trigger: 'T02', control: 'X7', mrn: 'NOBODY', number: 'DOC-7', obx: [] }))).toMatchObject({
      code: 'AE',
      err: '101',
      where: 'OBX-5',
    });
    // Restricted confidentiality is mapped by the setting; very restricted without a mapping is refused (TXA-18).
    expect(await send(mdm({ trigger: 'T02', control: 'X8', mrn: 'NOBODY', number: 'DOC-8', confidentiality: 'R' }))).toMatchObject({
      code: 'AA',
    });
    expect((await docOf('DOC-8'))!.confidentiality).toEqual(['behavioral_health']);
    expect(await send(mdm({ trigger: 'T02', control: 'X9', mrn: 'NOBODY', number: 'DOC-9', confidentiality: 'V' }))).toMatchObject({
      code: 'AE',
      where: 'TXA-18',
    });
    // A change to a document that is not known here names TXA-13; an addendum of another patient's document PID-3.
    expect(await send(mdm({ trigger: 'T06', control: 'X10', mrn: 'NOBODY', number: 'A-1', parent: 'NOPE' }))).toMatchObject({
      code: 'AE',
      err: '204',
      where: 'TXA-13',
    });
    expect(await send(register('R4', 'E200', 'V-200'))).toMatchObject({ code: 'AA' });
    expect(
      await send(mdm({ trigger: 'T06', control: 'X11', mrn: 'E200', account: 'V-200', number: 'A-2', parent: 'DOC-1' })),
    ).toMatchObject({ code: 'AE', err: '205', where: 'PID-3' });
    // A second T02 with a number filed already.
    expect(await send(mdm({ trigger: 'T02', control: 'X12', mrn: 'NOBODY', number: 'DOC-1' }))).toMatchObject({
      code: 'AE',
      err: '205',
      where: 'TXA-12',
    });
    // Every failed message is kept with its outcome.
    const failed = await t.db.selectFrom('hl7_messages').select(['control_id', 'status']).where('status', '=', 'error').execute();
    expect(failed.map((r) => r.control_id).sort()).toEqual(['X10', 'X11', 'X12', 'X2', 'X5', 'X6', 'X7', 'X9']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('applies a message id once: the same MSH-10 again is acknowledged AA and files no second document', async () => {
    expect(await send(register('R1'))).toMatchObject({ code: 'AA' });
    const raw = mdm({ trigger: 'T02', control: 'DUP-1' });
    expect(await send(raw)).toMatchObject({ code: 'AA' });
    expect(await send(raw)).toMatchObject({ code: 'AA', text: 'duplicate control id: already applied' });
    // Also when both arrive in one pipelined group, and through the one-by-one path of a file.
    const raw2 = mdm({ trigger: 'T02', control: 'DUP-2', number: 'DOC-2' });
    const [a, b] = await Promise.all([session.send(raw2), session.send(raw2)]);
    expect([msa(a).code, msa(b).code]).toEqual(['AA', 'AA']);
    expect((await receiveHl7(deps, raw2, { channel: 'file' })).status).toBe('duplicate');
    expect((await stored('DUP-1')).map((r) => r.status)).toEqual(['applied', 'duplicate']);
    expect(await t.db.selectFrom('documents').select('id').execute()).toHaveLength(2);
  });

  it("shows a restricted record's MDM message as its structure only, without the document it filed", async () => {
    expect(await send(register('R1'))).toMatchObject({ code: 'AA' });
    expect(await send(mdm({ trigger: 'T02', control: 'V-1' }))).toMatchObject({ code: 'AA' });
    const [row] = await stored('V-1');
    await t.db.updateTable('patients').set({ restricted: 1 }).where('id', '=', row!.patient_id!).execute();
    const admin = makeActor(Role.administrator);
    const m = await getHl7Message(deps, admin, row!.id);
    expect(m).toMatchObject({
      withheld: true,
      patientId: null,
      errorText: null,
      messageType: 'MDM',
      triggerEvent: 'T02',
      status: 'applied',
    });
    expect(m.raw).toMatch(/^MSH\|/);
    expect(m.raw).toContain('\rTXA|…withheld');
    expect(m.raw).toContain('\rOBX|…withheld');
    expect(m.raw).not.toContain('chest pain');
    const listed = (await listHl7Messages(deps, admin, { messageType: 'MDM' })).items;
    expect(listed.map((x) => [x.controlId, x.patientId, x.errorText])).toEqual([['V-1', null, null]]);
  });

  it('answers the third-party MDM corpus: T02 filed with its TXA-22 signature, the others AE or AR naming why', async () => {
    // The corpus patient (PID-3 without an assigning authority: scoped to the sending facility) and its visit.
    const adt = [
      'MSH|^~\\&|REG|XYZHOSPITAL|CUSTODIAN|fac-test|200801311500||ADT^A04^ADT_A01|CORPUS-REG|P|2.8',
      'EVN|A04|200801311500',
      'PID|1|987654321|987654321||PROSOLV^SAMPLE||19721201|M||||||||||10000001',
      'PV1|1|I',
    ].join('\r');
    expect(await send(adt)).toMatchObject({ code: 'AA' });
    const codes: Record<string, unknown> = {};
    for (const f of fs
      .readdirSync(CORPUS)
      .filter((n) => n.startsWith('MDM-'))
      .sort()) {
      // The corpus reuses one control id in every file: each gets its own.
      const raw = fs.readFileSync(path.join(CORPUS, f), 'utf8').replace('PS1-20080131160038', `C-${f}`);
      const a = await send(raw);
      codes[f] = [a.code, a.err, a.where];
    }
    expect(codes).toEqual({
      'MDM-T01-01.hl7': ['AR', '201', 'MSH-9'],
      'MDM-T01-02.hl7': ['AR', '201', 'MSH-9'],
      // An ED OBX without data.
      'MDM-T02-01.hl7': ['AE', '101', 'OBX-5'],
      'MDM-T02-02.hl7': ['AA', null, null],
      // A simulated patient not registered here.
      'MDM-T02-03.hl7': ['AE', '204', 'PID-3'],
      'MDM-T05-01.hl7': ['AR', '201', 'MSH-9'],
      'MDM-T05-02.hl7': ['AR', '201', 'MSH-9'],
      'MDM-T06-01.hl7': ['AE', '101', 'OBX-5'],
      // The parent number (TXA-13) is not a document filed here.
      'MDM-T06-02.hl7': ['AE', '204', 'TXA-13'],
      'MDM-T09-01.hl7': ['AR', '201', 'MSH-9'],
      'MDM-T09-02.hl7': ['AR', '201', 'MSH-9'],
      'MDM-T10-01.hl7': ['AE', '101', 'OBX-5'],
      'MDM-T10-02.hl7': ['AE', '204', 'TXA-13'],
    });
    const d = (await docOf('1.2.840.317.5947431.51.20080131160038', 'XYZHOSPITAL'))!;
    // TXA-2 DI (diagnostic imaging) is the radiology report; TXA-17 AU with TXA-22: signed and final.
    expect(d).toMatchObject({ typeCode: 'RAD', status: 'final' });
    expect(d.encounterId).not.toBeNull();
    expect(d.signatures[0]!.attestation).toContain('Doctorovich');
    expect(await text(d.id)).toBe(
      'Toilet cylinder crackers model step-mother visor opening communication\nColumnist draft inn brown income ikebana circulation prince',
    );
  });
});
