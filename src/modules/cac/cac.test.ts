/**
 * Computer-assisted coding in the workspace, on both engines: suggestions from an encounter's documents with evidence
 * pointing at the document and span, the setting from the encounter type (Guidelines II.H / IV.H), accepting onto the
 * draft abstract (the working DRG changes), rejecting with a reason, the acceptance report, and break-the-glass on a
 * restricted record. The knowledge is a small one learned from written notes (cac-fixtures.test-support.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor } from '../../../test/support/factories.js';
import { Role, type Actor } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { getAbstract, saveDraft } from '../coding/index.js';
import { makeCodingWorld, type CodingWorld } from '../coding/coding-fixtures.test-support.js';
import { createDocumentsService, createLocalBlobStore, type DocumentsService } from '../documents/index.js';
import type { CacKnowledge } from '../../core/cac/index.js';
import { fixedKnowledge, smallCacKnowledge, taughtCacKnowledge } from './cac-fixtures.test-support.js';
import { acceptSuggestion, cacAcceptanceReport, rejectSuggestion, suggestForEncounter, type CacDeps } from './index.js';

const NOTE = [
  'History: type 2 diabetes on metformin.',
  'Assessment: acute on chronic systolic heart failure. Acute kidney injury on day 2. Possible community acquired pneumonia.',
].join('\n');
const PROCEDURE_NOTE = 'Procedure: right heart catheterization under local anesthesia.';

let knowledge: CacKnowledge;
beforeAll(() => {
  knowledge = smallCacKnowledge();
});

describe.each(engines)('computer-assisted coding on %s', (engine) => {
  let t: TestDatabase;
  let w: CodingWorld;
  let deps: CacDeps;
  let clerk: Actor;
  let blobDir: string;
  let documents: DocumentsService;

  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeCodingWorld(t);
    blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-cac-blobs-'));
    documents = createDocumentsService({ ...w.deps, blobs: createLocalBlobStore({ dir: blobDir }), maxBytes: 1024 * 1024 });
    deps = { ...w.deps, coding: w.deps, documents, knowledge: fixedKnowledge(knowledge) };
    clerk = makeActor(Role.himClerk);
    await insertUserFor(t, clerk);
  });
  afterEach(async () => {
    await t.dispose();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });

  /** An encounter with its documents filed as plain text (native text: no OCR). */
  async function encounterWith(texts: string[], over: Parameters<CodingWorld['encounter']>[0] = {}) {
    const id = await w.encounter(over);
    const e = await t.db.selectFrom('encounters').select('patient_id').where('id', '=', id).executeTakeFirstOrThrow();
    const docIds: string[] = [];
    for (const text of texts) {
      const d = await documents.fileDocument(clerk, {
        patientId: e.patient_id,
        encounterId: id,
        typeCode: 'PN',
        source: 'upload',
        content: { bytes: new TextEncoder().encode(text), mediaType: 'text/plain' },
      });
      docIds.push(d.id);
    }
    return { id, patientId: e.patient_id, docIds };
  }

  it("suggests codes from the encounter's documents, each with evidence pointing at its document and span", async () => {
    const { id, docIds } = await encounterWith([NOTE, PROCEDURE_NOTE]);
    const r = await suggestForEncounter(deps, w.coder, id);
    expect(r.setting).toBe('inpatient');
    expect(r.documents.map((d) => d.documentId).sort()).toEqual([...docIds].sort());
    const codes = r.suggestions.map((s) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['I5023', 'N179', 'J189', '02HP32Z']));
    const texts = new Map([
      [docIds[0]!, NOTE],
      [docIds[1]!, PROCEDURE_NOTE],
    ]);
    for (const s of r.suggestions)
      for (const e of s.evidence) expect(texts.get(e.documentId)!.slice(e.start, e.end), `${s.code} evidence`).toBe(e.text);
    expect(r.suggestions.find((s) => s.code === '02HP32Z')!.evidence.some((e) => e.documentId === docIds[1])).toBe(true);
    // Inpatient: an uncertain diagnosis is coded as established, marked uncertain (Guidelines II.H).
    expect(r.suggestions.find((s) => s.code === 'J189')?.uncertain).toBe(true);
    expect(r.suggestions.map((s) => s.rank)).toEqual(r.suggestions.map((_, i) => i + 1));
    expect((await suggestForEncounter(deps, w.coder, id, { system: 'pcs' })).suggestions.map((s) => s.system)).toEqual(['pcs']);
    // The principal suggestion: the best-ranked diagnosis the MCE accepts as principal (all of these are acceptable).
    expect(r.principalSuggestion).toBe(r.suggestions.find((s) => s.system === 'cm')?.code);
  });

  it('never suggests a manifestation code as the principal diagnosis, and none for an outpatient', async () => {
    const taught = taughtCacKnowledge([
      { phrase: 'diabetic polyneuropathy', code: 'G63', system: 'cm' },
      { phrase: 'type 2 diabetes', code: 'E119', system: 'cm' },
    ]);
    const d = { ...deps, knowledge: fixedKnowledge(taught) };
    const text = 'Assessment: diabetic polyneuropathy, worse. Diabetic polyneuropathy in type 2 diabetes.';
    const { id } = await encounterWith([text]);
    const r = await suggestForEncounter(d, w.coder, id);
    expect(r.suggestions.map((s) => s.code)).toEqual(expect.arrayContaining(['G63', 'E119']));
    expect(r.principalSuggestion).toBe(r.suggestions.find((s) => s.code !== 'G63')?.code);
    const out = await encounterWith([text], { type: 'outpatient' });
    expect((await suggestForEncounter(d, w.coder, out.id)).principalSuggestion).toBeNull();
  });

  it('leaves an uncertain diagnosis out for an outpatient encounter (Guidelines IV.H)', async () => {
    const { id } = await encounterWith([NOTE], { type: 'outpatient' });
    const r = await suggestForEncounter(deps, w.coder, id);
    expect(r.setting).toBe('outpatient');
    expect(r.suggestions.map((s) => s.code)).not.toContain('J189');
    expect(r.suggestions.map((s) => s.code)).toContain('N179');
  });

  it('accepts a secondary diagnosis onto the draft, storing the evidence, and answers the changed working DRG', async () => {
    const { id, docIds } = await encounterWith([NOTE]);
    await saveDraft(w.deps, w.coder, id, { principalDx: { code: 'I50.23', poa: 'Y' }, dischargeStatus: '01' });
    expect((await getAbstract(w.deps, w.coder, id)).workingDrg).toBe('293');
    const before = await suggestForEncounter(deps, w.coder, id);
    expect(before.suggestions.find((s) => s.code === 'I5023')?.onAbstract).toBe(true);
    const r = await acceptSuggestion(deps, w.coder, id, { code: 'N179', system: 'cm', expectedVersion: 1 });
    // Acute kidney failure is a CC: heart failure and shock with CC (MS-DRG 292).
    expect(r).toMatchObject({ decision: 'accepted', workingDrg: '292', abstractVersion: 2 });
    const a = await getAbstract(w.deps, w.coder, id);
    expect(a.data.principalDx?.code).toBe('I5023');
    expect(a.data.secondaryDx.map((d) => d.code)).toEqual(['N179']);
    const row = await t.db.selectFrom('cac_decisions').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      encounter_id: id,
      code: 'N179',
      system: 'cm',
      decision: 'accepted',
      accepted_as: 'secondary',
      evidence_document_id: docIds[0],
      evidence_version: 1,
      decided_by: w.coder.userId,
    });
    expect(NOTE.slice(row.evidence_start!, row.evidence_end!)).toBe(row.evidence_text);
    expect(row.rank).toBe(before.suggestions.find((s) => s.code === 'N179')!.rank);
    const after = (await suggestForEncounter(deps, w.coder, id)).suggestions.find((s) => s.code === 'N179');
    expect(after).toMatchObject({ onAbstract: true, decided: { decision: 'accepted' } });
    await expect(acceptSuggestion(deps, w.coder, id, { code: 'N179', system: 'cm' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('makes a code the principal diagnosis only when the coder says so, and adds procedures to the procedures', async () => {
    const { id } = await encounterWith([NOTE, PROCEDURE_NOTE]);
    await acceptSuggestion(deps, w.coder, id, { code: 'N179', system: 'cm' });
    expect((await getAbstract(w.deps, w.coder, id)).data.principalDx).toBeNull();
    await acceptSuggestion(deps, w.coder, id, { code: 'I5023', system: 'cm', as: 'principal' });
    await acceptSuggestion(deps, w.coder, id, { code: '02HP32Z', system: 'pcs' });
    const a = await getAbstract(w.deps, w.coder, id);
    expect(a.data.principalDx?.code).toBe('I5023');
    expect(a.data.secondaryDx.map((d) => d.code)).toEqual(['N179']);
    expect(a.data.procedures.map((p) => p.code)).toEqual(['02HP32Z']);
    expect(a.version).toBe(3);
  });

  it('needs a reason to reject, stores the rejection and reports acceptance per code and per coder', async () => {
    const { id } = await encounterWith([NOTE]);
    await expect(rejectSuggestion(deps, w.coder, id, { code: 'J189', system: 'cm', reason: '' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('reason'),
    });
    await expect(rejectSuggestion(deps, w.coder, id, { code: 'Z999', system: 'cm', reason: 'not documented' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const r = await rejectSuggestion(deps, w.coder, id, { code: 'J189', system: 'cm', reason: 'pneumonia ruled out by the CT' });
    expect(r.decision).toBe('rejected');
    expect((await getAbstract(w.deps, w.coder, id)).version).toBe(0);
    await acceptSuggestion(deps, w.coder, id, { code: 'N179', system: 'cm' });
    const other = await encounterWith([NOTE]);
    await acceptSuggestion(deps, w.coder2, other.id, { code: 'J189', system: 'cm' });
    const j = (await suggestForEncounter(deps, w.coder, id)).suggestions.find((s) => s.code === 'J189');
    expect(j?.decided).toMatchObject({ decision: 'rejected', reason: 'pneumonia ruled out by the CT' });
    // The decisions tune the ranking: N17.9 (accepted once) above its engine score, J18.9 (one each) unchanged.
    const n = (await suggestForEncounter(deps, w.coder, id)).suggestions.find((s) => s.code === 'N179');
    expect(n?.tuning).toEqual({ accepted: 1, rejected: 0 });
    expect(n?.score).toBeGreaterThan(n?.engineScore ?? 1);
    expect(j?.tuning).toEqual({ accepted: 1, rejected: 1 });
    expect(j?.score).toBe(j?.engineScore);

    const report = await cacAcceptanceReport(deps, w.director);
    expect(report.total).toEqual({ accepted: 2, rejected: 1, rate: 2 / 3 });
    expect(report.byCode.find((l) => l.key === 'J189')).toMatchObject({ system: 'cm', accepted: 1, rejected: 1, rate: 0.5 });
    expect(report.byCode.find((l) => l.key === 'N179')).toMatchObject({ accepted: 1, rejected: 0, rate: 1 });
    expect(report.byCoder.find((l) => l.key === w.coder.userId)).toMatchObject({ accepted: 1, rejected: 1, rate: 0.5 });
    expect(report.byCoder.find((l) => l.key === w.coder2.userId)).toMatchObject({ accepted: 1, rejected: 0 });
    await expect(cacAcceptanceReport(deps, w.coder)).rejects.toMatchObject({ code: 'forbidden' });
    const events = await queryAuditEvents(t.db, { userId: w.coder.userId });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['suggest', 'reject', 'accept']));
  });

  it('opens a restricted record only with break-the-glass, and audits the denial', async () => {
    const { id, patientId } = await encounterWith([NOTE]);
    await t.db.updateTable('patients').set({ restricted: 1, restriction_reason: 'VIP' }).where('id', '=', patientId).execute();
    await expect(suggestForEncounter(deps, w.coder, id)).rejects.toMatchObject({ code: 'break_glass_required' });
    await expect(acceptSuggestion(deps, w.coder, id, { code: 'N179', system: 'cm' })).rejects.toMatchObject({
      code: 'break_glass_required',
    });
    expect(await t.db.selectFrom('cac_decisions').select('id').execute()).toEqual([]);
    expect((await queryAuditEvents(t.db, { userId: w.coder.userId, patientId })).some((e) => e.action === 'access_denied')).toBe(true);
    await w.deps.records.breakGlass(w.coder, patientId, 'coding the stay: assigned by the director');
    expect((await suggestForEncounter(deps, w.coder, id)).suggestions.map((s) => s.code)).toContain('N179');
    await acceptSuggestion(deps, w.coder, id, { code: 'N179', system: 'cm' });
    expect((await getAbstract(w.deps, w.coder, id)).data.secondaryDx.map((d) => d.code)).toEqual(['N179']);
  });
});
