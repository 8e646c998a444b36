import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makePatientInput } from '../../../test/support/factories.js';
import { queryAuditEvents } from '../audit/index.js';
import { makeDocsWorld, text, type DocsWorld } from '../documents/documents-fixtures.test-support.js';
import { createPatient } from '../patients/index.js';
import { destructionCertificatePdf } from './retention-certificate.js';
import { approveBatch, createBatch, executeBatch, getBatch, listEligible } from './retention.service.js';
import { activateRuleSet, listRuleSets, updateRuleSet } from './retention-rule-sets.service.js';
import type { RetentionDeps } from './retention.views.js';

describe.each(engines)('retention and destruction on %s', (engine) => {
  let t: TestDatabase;
  let w: DocsWorld;
  let deps: RetentionDeps;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeDocsWorld(t); // clock at 2026-03-10
    deps = { ...w.deps, documents: w.docs };
  });
  afterEach(async () => {
    w.dispose();
    await t.dispose();
  });

  /** A patient without encounters (the federal rule then counts from the date of service) and one document of theirs. */
  const patientWithDocument = async (dateOfBirth: string, serviceAt: string, over: { restricted?: boolean } = {}) => {
    const p = await createPatient(
      w.deps,
      { ...w.clerk, system: true },
      makePatientInput({ dateOfBirth, familyName: 'Archer', ...(over.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}) }),
    );
    const d = await w.docs.fileDocument(
      { ...w.clerk, system: true },
      {
        patientId: p.id,
        typeCode: 'PN',
        source: 'scan',
        serviceAt,
        content: { bytes: text(`note of ${serviceAt}`), mediaType: 'text/plain' },
      },
    );
    return { patientId: p.id, mrn: p.mrn, documentId: d.id };
  };

  it('lists adult documents past their period with the rule and dates, and keeps a minor’s until majority', async () => {
    const adult = await patientWithDocument('1950-01-01', '2015-04-02T10:00:00Z');
    const recent = await patientWithDocument('1950-01-01', '2023-04-02T10:00:00Z');
    const child = await patientWithDocument('2012-06-01', '2015-04-02T10:00:00Z');
    const { ruleSet, asOf, items } = await listEligible(deps, w.director);
    expect(ruleSet).toMatchObject({ id: 'rs-federal', active: true });
    expect(asOf).toBe('2026-03-10');
    expect(items.map((i) => i.documentId)).toEqual([adult.documentId]);
    expect(items[0]).toMatchObject({ serviceOn: '2015-04-02', eligibleOn: '2020-04-02', minor: false, mrn: adult.mrn });
    expect(items[0]!.why).toContain('5 years after the last encounter (2015-04-02)');
    expect(items.some((i) => i.documentId === recent.documentId || i.documentId === child.documentId)).toBe(false);
    // State B counts 7 years from service, and minors until 18 + 10: the child's note (born 2012) waits for 2040.
    const b = await listEligible(deps, w.director, { ruleSetId: 'rs-example-b' });
    expect(b.items.map((i) => i.documentId)).toEqual([adult.documentId]);
    expect(b.items[0]!.eligibleOn).toBe('2022-04-02');
  });

  it('leaves out documents under legal hold and destroyed ones, and refuses to put them in a batch', async () => {
    const a = await patientWithDocument('1950-01-01', '2012-01-01T10:00:00Z');
    const held = await patientWithDocument('1950-01-01', '2012-01-01T10:00:00Z');
    await w.docs.placeHold(w.director, { patientId: held.patientId, matter: 'SMITH-v-HOSP', reason: 'litigation' });
    expect((await listEligible(deps, w.director)).items.map((i) => i.documentId)).toEqual([a.documentId]);
    await expect(createBatch(deps, w.director, { documentIds: [a.documentId, held.documentId] })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining(held.documentId),
    });
  });

  it('destroys an approved batch, leaving tombstones and a certificate; a document put under hold since is skipped with the reason', async () => {
    const a = await patientWithDocument('1950-01-01', '2012-01-01T10:00:00Z');
    const b = await patientWithDocument('1951-02-02', '2013-05-05T10:00:00Z');
    const batch = await createBatch(deps, w.director, { documentIds: [a.documentId, b.documentId], note: 'Annual purge 2026' });
    expect(batch).toMatchObject({ status: 'draft', ruleSetId: 'rs-federal', itemCount: 2 });
    expect(batch.items.find((i) => i.documentId === a.documentId)).toMatchObject({ eligibleOn: '2017-01-01', outcome: 'pending' });
    await expect(executeBatch(deps, w.director, batch.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(createBatch(deps, w.director, { documentIds: [a.documentId] })).rejects.toMatchObject({ code: 'invalid' });
    const approved = await approveBatch(deps, w.director, batch.id);
    expect(approved).toMatchObject({ status: 'approved', approvedBy: w.director.userId });
    await w.docs.placeHold(w.director, { patientId: b.patientId, documentId: b.documentId, matter: 'AUDIT-7', reason: 'payer audit' });

    const done = await executeBatch(deps, w.director, batch.id, { method: 'Crypto-erase of the encrypted blob' });
    expect(done).toMatchObject({ status: 'completed', destroyedCount: 1, skippedCount: 1, performedBy: w.director.userId });
    expect(done.items.find((i) => i.documentId === a.documentId)).toMatchObject({ outcome: 'destroyed', outcomeReason: null });
    expect(done.items.find((i) => i.documentId === b.documentId)).toMatchObject({ outcome: 'skipped', outcomeReason: 'under legal hold' });
    const tomb = await w.docs.getDocument(w.director, a.documentId);
    expect(tomb).toMatchObject({ status: 'destroyed', destructionCertificateId: batch.id });
    expect(tomb.versions[0]!.sha256).toBeNull();
    expect((await w.docs.getDocument(w.director, b.documentId)).status).not.toBe('destroyed');
    await expect(executeBatch(deps, w.director, batch.id)).rejects.toMatchObject({ code: 'conflict' });
    expect((await listEligible(deps, w.director)).items.map((i) => i.documentId)).toEqual([]);

    const pdf = await destructionCertificatePdf(deps, w.director, batch.id);
    expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe('%PDF-');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(1);
    const destroyEvents = (await queryAuditEvents(t.db, { patientId: a.patientId })).filter((e) => e.action === 'destroy');
    expect(destroyEvents).toEqual([
      expect.objectContaining({ resourceId: a.documentId, detail: expect.objectContaining({ certificateId: batch.id }) }),
    ]);
  });

  it('keeps a restricted record out of the list and its documents out of a batch until the glass is broken', async () => {
    const vip = await patientWithDocument('1950-01-01', '2012-01-01T10:00:00Z', { restricted: true });
    expect((await listEligible(deps, w.director)).items).toEqual([]);
    await expect(createBatch(deps, w.director, { documentIds: [vip.documentId] })).rejects.toMatchObject({ code: 'break_glass_required' });
    await deps.records.breakGlass(w.director, vip.patientId, 'records retention review of this record');
    expect((await listEligible(deps, w.director)).items.map((i) => i.documentId)).toEqual([vip.documentId]);
    const batch = await createBatch(deps, w.director, { documentIds: [vip.documentId] });
    expect(batch.items[0]).toMatchObject({ details: true, mrn: vip.mrn });
  });

  it('lets the HIM director edit the rule sets and choose the one in force, and no one else', async () => {
    const sets = await listRuleSets(deps, w.director);
    expect(sets.map((s) => s.id)).toEqual(['rs-federal', 'rs-example-a', 'rs-example-b']);
    const changed = await updateRuleSet(deps, w.director, 'rs-example-a', {
      name: 'State A (12 years)',
      jurisdiction: 'example-state-a',
      ageOfMajority: 19,
      rules: [{ typeCode: null, adultYears: 12, anchor: 'last_encounter', minorYearsAfterMajority: 3 }],
    });
    expect(changed.rules[0]!.adultYears).toBe(12);
    expect((await activateRuleSet(deps, w.director, 'rs-example-a')).active).toBe(true);
    expect((await listRuleSets(deps, w.director)).filter((s) => s.active).map((s) => s.id)).toEqual(['rs-example-a']);
    await expect(listRuleSets(deps, w.clerk)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getBatch(deps, w.clerk, 'x')).rejects.toMatchObject({ code: 'forbidden' });
  });
});
