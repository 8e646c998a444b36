import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAck, encodeMllp, MllpDecoder, parseMdm, parseMessage } from '../../core/hl7/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { queryAuditEvents } from '../audit/index.js';
import { analyseChart, getChartCompletion } from '../completion/index.js';
import { makeTranscriptionWorld, PASSWORD, type TranscriptionWorld } from './transcription-fixtures.test-support.js';
import { deliverMdmOutbox } from './transcription.outbound.js';
import { transcriptionReport } from './transcription.reports.js';
import {
  claimDictation,
  createDictation,
  getDictation,
  listDictationQueue,
  listDictationVersions,
  readDictationAudio,
  saveDictationText,
  sendForSignature,
  signDictation,
} from './transcription.service.js';

/** A real MLLP receiver on a free port: keeps each message and answers AA. */
async function startMllpReceiver() {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    const decoder = new MllpDecoder();
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) {
        if (!frame.ok) continue;
        received.push(frame.message);
        socket.write(
          encodeMllp(
            buildAck(parseMessage(frame.message), { code: 'AA', controlId: `ACK${received.length}`, dateTime: '20260310080000+0000' }),
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const DS_TEXT = 'DISCHARGE SUMMARY\nFinal diagnosis: community-acquired pneumonia.\nHospital course: treated with ceftriaxone.';

describe.each(engines)('dictation and transcription on %s', (engine) => {
  let t: TestDatabase;
  let w: TranscriptionWorld;
  let mllp: Awaited<ReturnType<typeof startMllpReceiver>>;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    mllp = await startMllpReceiver();
    w = await makeTranscriptionWorld(t, {
      mdm: { host: '127.0.0.1', port: mllp.port, sendingApplication: 'CUSTODIAN', sendingFacility: 'MAIN' },
    });
  });
  afterEach(async () => {
    w.dispose();
    await mllp.close();
    await t.dispose();
  });

  it('dictation -> recognized draft on the job queue -> edited -> sent -> signed: filed as a discharge summary, deficiency completed, MDM^T02 sent', async () => {
    const chart = await w.chart();
    await analyseChart(w.deps, w.analyst, chart.encounterId);
    const audio = await w.speak('Patient stable.');
    const d = await createDictation(
      w.tx,
      w.physician,
      { patientId: chart.patientId, encounterId: chart.encounterId, workType: 'DS' },
      { bytes: audio },
    );
    // Dictated on 2026-03-10 08:00; a routine discharge summary is due in 48 hours.
    expect(d).toMatchObject({
      status: 'dictated',
      workType: 'DS',
      priority: 'routine',
      dueAt: '2026-03-12T08:00:00.000Z',
      audioMediaType: 'audio/wav',
    });
    expect(d.durationSeconds).toBeGreaterThan(0.3);

    expect(await w.jobs.runOnce()).toBe(true);
    const draft = await getDictation(w.tx, w.analyst, d.id);
    expect(draft.status).toBe('draft');
    expect(draft.engine).toMatch(/^pocketsphinx/);
    expect(draft.textVersion).toBe(1);
    for (const word of draft.words) {
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.confidence).toBeGreaterThanOrEqual(0);
      expect(word.confidence).toBeLessThanOrEqual(1);
      expect(word.low).toBe(word.confidence < 0.6);
    }
    expect(draft.text).toBe(draft.words.map((x) => x.word).join(' '));

    const queue = await listDictationQueue(w.tx, w.analyst, { workType: 'DS' });
    expect(queue.map((q) => [q.id, q.status])).toEqual([[d.id, 'draft']]);
    // The physician's own list shows it too; another physician's does not.
    expect((await listDictationQueue(w.tx, w.physician)).map((q) => q.id)).toEqual([d.id]);
    expect(await listDictationQueue(w.tx, w.physician2)).toEqual([]);

    await expect(saveDictationText(w.tx, w.analyst, d.id, { text: 'x', baseVersion: 1 })).rejects.toMatchObject({ code: 'conflict' });
    await claimDictation(w.tx, w.analyst, d.id);
    await expect(claimDictation(w.tx, w.director, d.id)).rejects.toMatchObject({ code: 'conflict' });
    const saved = await saveDictationText(w.tx, w.analyst, d.id, { text: 'DISCHARGE SUMMARY', baseVersion: 1 });
    expect(saved.textVersion).toBe(2);
    // A save over a version someone else replaced is refused.
    await expect(saveDictationText(w.tx, w.analyst, d.id, { text: 'stale', baseVersion: 1 })).rejects.toMatchObject({ code: 'conflict' });
    w.deps.clock.advance(30 * 60_000);
    const sent = await sendForSignature(w.tx, w.analyst, d.id, { text: DS_TEXT, baseVersion: 2 });
    expect(sent).toMatchObject({ status: 'awaiting_signature', lineCount: 2, textVersion: 3 });

    await expect(
      signDictation(w.tx, w.physician2, d.id, { attestation: 'I have reviewed this report.', password: PASSWORD }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      signDictation(w.tx, w.physician, d.id, { attestation: 'I have reviewed this report.', password: 'wrong' }),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
    w.deps.clock.advance(60 * 60_000);
    const signed = await signDictation(w.tx, w.physician, d.id, {
      attestation: 'I have reviewed this report.',
      password: PASSWORD,
      text: `${DS_TEXT}\nDisposition: home.`,
      baseVersion: 3,
    });
    expect(signed.status).toBe('signed');
    const doc = await w.docs.getDocument(w.director, signed.documentId!);
    // A discharge summary's type requires a co-signature (documents module): the author's signature is on it, the
    // document waits for the co-signer; completion does not ask one of the attending's own report.
    expect(doc).toMatchObject({ typeCode: 'DS', encounterId: chart.encounterId, awaitingCosign: true });
    expect(doc.signatures.map((s) => [s.role, s.signerId])).toEqual([['author', w.physician.userId]]);
    expect(new TextDecoder().decode((await w.docs.readContent(w.director, doc.id)).bytes)).toBe(`${DS_TEXT}\nDisposition: home.`);

    const completion = await getChartCompletion(w.deps, w.analyst, chart.encounterId);
    expect(completion.deficiencies.find((x) => x.requirement === 'discharge_summary')?.status).toBe('completed');

    expect((await listDictationVersions(w.tx, w.analyst, d.id)).map((v) => v.kind)).toEqual([
      'draft',
      'autosave',
      'send',
      'autosave',
      'sign',
    ]);
    expect((await deliverMdmOutbox(w.tx)).map((r) => r.outcome)).toEqual(['sent']);
    const mdm = parseMdm(parseMessage(mllp.received[0]!));
    expect(mdm.trigger).toBe('T02');
    expect(mdm.accountNumber?.id).toBeTruthy();
    expect(new TextDecoder().decode(mdm.content?.bytes)).toContain('Final diagnosis: community-acquired pneumonia.');
    expect(mdm.document.type.code).toBe('DS');
    expect(mdm.document.uniqueNumber).toBe(doc.id);
    expect(mdm.document.completionStatus).toBe('AU');
    expect(mdm.document.authentications[0]?.person.id).toBe(w.physician.userId);

    const report = await transcriptionReport(w.tx, w.director, { from: '2026-03-01', to: '2026-03-10' });
    expect(report.turnaround).toEqual([
      expect.objectContaining({
        physicianId: w.physician.userId,
        workType: 'DS',
        dictations: 1,
        signed: 1,
        dictationToDraft: 0,
        draftToTranscribed: 0.5,
        transcribedToSigned: 1,
      }),
    ]);
    expect(report.transcriptionists).toEqual([
      expect.objectContaining({ transcriptionistId: w.analyst.userId, reports: 1, lines: 2, hours: 0.5, linesPerHour: 4 }),
    ]);
    const actions = (await queryAuditEvents(t.db, { patientId: chart.patientId }))
      .filter((e) => e.resourceType === 'transcription_dictation')
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'recognize', 'claim', 'update', 'submit', 'sign']));
  });

  it('accepts WAV, FLAC, MP3, OGG, M4A and WebM (told from the bytes and decoded), and refuses a corrupt file naming the problem', async () => {
    const chart = await w.chart();
    for (const [format, type] of [
      ['flac', 'audio/flac'],
      ['mp3', 'audio/mpeg'],
      ['ogg', 'audio/ogg'],
      ['m4a', 'audio/mp4'],
      ['webm', 'audio/webm'],
    ] as const) {
      const d = await createDictation(
        w.tx,
        w.physician,
        { patientId: chart.patientId, workType: 'PN', priority: 'stat' },
        { bytes: await w.speak('Stable.', format) },
      );
      expect(d.audioMediaType).toBe(type);
      // STAT progress note: due in 2 hours.
      expect(d.dueAt).toBe('2026-03-10T10:00:00.000Z');
      const back = await readDictationAudio(w.tx, w.analyst, d.id);
      expect(back.mediaType).toBe(type);
    }
    const wav = await w.speak('Stable.');
    const corrupt = wav.slice(0, 60);
    corrupt.fill(7, 44);
    await expect(
      createDictation(
        w.tx,
        w.physician,
        { patientId: chart.patientId, workType: 'PN' },
        { bytes: new TextEncoder().encode('not audio at all, just text') },
      ),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('not WAV, FLAC, MP3') as string,
    });
    const truncated = new Uint8Array([...new TextEncoder().encode('fLaC'), ...new Uint8Array(40).fill(3)]);
    await expect(
      createDictation(w.tx, w.physician, { patientId: chart.patientId, workType: 'PN' }, { bytes: truncated }),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('audio: cannot be decoded') as string,
    });
    await expect(createDictation(w.tx, w.analyst, { patientId: chart.patientId, workType: 'PN' }, { bytes: wav })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('keeps a restricted record closed: the queue shows its existence only, and opening it needs break-the-glass', async () => {
    const chart = await w.chart({ restricted: true });
    const d = await createDictation(
      w.tx,
      { ...w.physician, system: true },
      { patientId: chart.patientId, workType: 'HP' },
      { bytes: await w.speak('Stable.') },
    );
    const [row] = await listDictationQueue(w.tx, w.analyst);
    expect(row).toMatchObject({ id: d.id, details: false, durationSeconds: null });
    await expect(getDictation(w.tx, w.analyst, d.id)).rejects.toMatchObject({ code: 'break_glass_required' });
    await expect(readDictationAudio(w.tx, w.analyst, d.id)).rejects.toMatchObject({ code: 'break_glass_required' });
  });
});
