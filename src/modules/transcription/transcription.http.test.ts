/**
 * The transcription HTTP API: a physician uploads a dictation (multipart, and the raw audio body), recognition runs
 * from the queue, a transcriptionist (HIM clerk) claims, autosaves and sends it, the physician signs with the password
 * re-entered, and the turnaround report answers JSON and CSV. A coder may not see the queue; text that is not audio is 400.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, TEST_PASSWORD, type SignedIn } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { buildModuleDeps } from '../../app/modules.js';
import { Role } from '../access/index.js';
import { createJobRunner } from '../jobs/index.js';
import { createPatient } from '../patients/index.js';
import { createRecognitionHandler, RECOGNIZE_JOB_KIND } from './index.js';

const run = promisify(execFile);

describe.each(engines)('transcription HTTP API on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeAppDeps>;
  let clerk: SignedIn;
  let physician: SignedIn;
  let coder: SignedIn;
  let patientId: string;
  let wav: Buffer;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t, { start: '2026-03-10T08:00:00Z' });
    app = await buildApp(deps);
    await makeFacility(t);
    patientId = (await createPatient(deps, makeActor(Role.himClerk), makePatientInput({}))).id;
    clerk = await signIn(app, deps, Role.himClerk);
    physician = await signIn(app, deps, Role.physician);
    coder = await signIn(app, deps, Role.coder);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-tx-http-'));
    await run('espeak-ng', ['-w', path.join(dir, 'a.wav'), 'Stable.']);
    wav = fs.readFileSync(path.join(dir, 'a.wav'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  const headers = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, s: SignedIn, payload?: object) =>
    app.inject({ method, url, headers: headers(s), ...(payload ? { payload } : {}) });
  const multipart = (fields: Record<string, string>, file: Buffer) => {
    const b = '----custodian-test-boundary';
    const parts = Object.entries(fields).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    return {
      body: Buffer.concat([
        Buffer.from(parts.join('')),
        Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="audio"; filename="d.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
        file,
        Buffer.from(`\r\n--${b}--\r\n`),
      ]),
      type: `multipart/form-data; boundary=${b}`,
    };
  };

  it('spell-checks a report: unknown words with suggestions, abbreviations and doses left alone; a coder may not', async () => {
    const text = "Pt has pnuemonia and COPD; B12 given. Dr. Smith's follow-up in two weeks.";
    const res = await call('POST', '/api/transcription/spelling', clerk, { text });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      vocabularySize: number;
      misspellings: { word: string; start: number; end: number; suggestions: string[] }[];
    }>();
    expect(body.vocabularySize).toBeGreaterThan(100_000);
    expect(body.misspellings.map((m) => m.word)).toEqual(['pnuemonia']);
    const [m] = body.misspellings;
    expect(text.slice(m!.start, m!.end)).toBe('pnuemonia');
    expect(m!.suggestions[0]).toBe('pneumonia');
    expect((await call('POST', '/api/transcription/spelling', coder, { text })).statusCode).toBe(403);
  });

  it('uploads, recognizes, claims, autosaves, sends, signs; the report answers JSON and CSV', async () => {
    const m = multipart({ patientId, workType: 'PN', priority: 'stat' }, wav);
    const up = await app.inject({
      method: 'POST',
      url: '/api/dictations',
      headers: { ...headers(physician), 'content-type': m.type },
      payload: m.body,
    });
    expect(up.statusCode).toBe(201);
    const id = up.json<{ id: string }>().id;
    const raw = await app.inject({
      method: 'POST',
      url: `/api/dictations?patientId=${patientId}&workType=HP`,
      headers: { ...headers(physician), 'content-type': 'audio/wav' },
      payload: wav,
    });
    expect(raw.statusCode).toBe(201);
    const notAudio = await app.inject({
      method: 'POST',
      url: `/api/dictations?patientId=${patientId}&workType=HP`,
      headers: { ...headers(physician), 'content-type': 'audio/wav' },
      payload: Buffer.from('this is not audio, only text'),
    });
    expect(notAudio.statusCode).toBe(400);

    const jobs = createJobRunner({
      db: t.db,
      clock: deps.clock,
      handlers: { [RECOGNIZE_JOB_KIND]: createRecognitionHandler(buildModuleDeps(deps).transcription) },
    });
    while (await jobs.runOnce());
    const queue = (await call('GET', '/api/dictations?status=draft', clerk)).json<{ items: { id: string; priority: string }[] }>().items;
    // STAT first.
    expect(queue.map((q) => q.id)).toEqual([id, raw.json<{ id: string }>().id]);
    expect((await call('GET', '/api/dictations', coder)).statusCode).toBe(403);

    const audio = await call('GET', `/api/dictations/${id}/audio`, clerk);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(audio.rawPayload.equals(wav)).toBe(true);
    expect((await call('POST', `/api/dictations/${id}/claim`, clerk)).statusCode).toBe(200);
    const saved = await call('PUT', `/api/dictations/${id}/text`, clerk, { text: 'SUBJECTIVE: stable.', baseVersion: 1 });
    expect(saved.json()).toMatchObject({ textVersion: 2, status: 'in_transcription' });
    const sent = await call('POST', `/api/dictations/${id}/send`, clerk, {
      text: 'SUBJECTIVE: Stable overnight.\nPLAN: Home.',
      baseVersion: 2,
    });
    expect(sent.json()).toMatchObject({ status: 'awaiting_signature' });
    const wrong = await call('POST', `/api/dictations/${id}/sign`, physician, {
      attestation: 'I have reviewed this report.',
      password: 'nope',
    });
    expect(wrong.statusCode).toBe(400);
    const signed = await call('POST', `/api/dictations/${id}/sign`, physician, {
      attestation: 'I have reviewed this report.',
      password: TEST_PASSWORD,
    });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', documentId: expect.any(String) as string });

    const report = await call('GET', '/api/reports/transcription?from=2026-03-01&to=2026-03-10', clerk);
    expect(report.json()).toMatchObject({ turnaround: expect.arrayContaining([expect.objectContaining({ workType: 'PN', signed: 1 })]) });
    const csv = await call('GET', '/api/reports/transcription?format=csv', clerk);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Turnaround (hours, median)');
    expect(csv.body).toContain('Lines per hour');
  });
});
