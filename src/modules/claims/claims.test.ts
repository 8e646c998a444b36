import { X12Parser } from 'node-x12';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor } from '../../../test/support/factories.js';
import { Role } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { makeClaimsWorld, type ClaimsWorld } from './claims-fixtures.test-support.js';
import { buildClaim, exportClaims, getClaim, type ExportInput } from './claims.service.js';

const envelope: Omit<ExportInput, 'kind'> = {
  sender: { qualifier: 'ZZ', id: 'CGH0001' },
  receiver: { qualifier: 'ZZ', id: 'CLEARHOUSE1' },
  submission: {
    submitterName: 'Custodian General Hospital',
    submitterId: 'CGH0001',
    submitterContact: { name: 'Billing Office', phone: '5550102000' },
    receiverName: 'Example Clearinghouse',
    receiverId: 'CLEARHOUSE1',
  },
  usage: 'T',
};

/** Segments of every transaction, as node-x12 reads them. */
function segmentsOf(text: string): string[][] {
  const i = new X12Parser(true).parse(text);
  if (!('functionalGroups' in i)) throw new Error('not one interchange');
  return i.functionalGroups.flatMap((g) =>
    g.transactions.map((t) => t.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join('*'))),
  );
}

describe.each(engines)('claims on %s', (engine) => {
  let t: TestDatabase;
  let w: ClaimsWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeClaimsWorld(t);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('builds a ready 837I claim from a final-coded inpatient encounter, with the DRG, charges and audit', async () => {
    const { encounterId, patientId } = await w.codedEncounter();
    const c = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
    expect(c).toMatchObject({ kind: '837I', status: 'ready', drg: '292', totalCents: 4 * 251_000 + 10 * 1_250 });
    expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const stored = await t.db.selectFrom('claims').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ patient_id: patientId, encounter_id: encounterId, status: 'ready', coverage_id: expect.any(String) });
    const events = await queryAuditEvents(t.db, { patientId });
    expect(events.some((e) => e.action === 'create' && e.resourceType === 'claim' && e.resourceId === c.id)).toBe(true);
  });

  it('refuses an encounter that is not final-coded', async () => {
    const { encounterId } = await w.codedEncounter();
    await t.db.updateTable('coding_abstracts').set({ status: 'draft' }).where('encounter_id', '=', encounterId).execute();
    await expect(buildClaim(w.deps, w.biller, encounterId, { kind: '837I' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('keeps a claim with scrubber errors as a draft with its findings, and rebuilding replaces it', async () => {
    const { encounterId } = await w.codedEncounter();
    await t.db.updateTable('providers').set({ npi: '1987654321' }).execute();
    const draft = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
    expect(draft.status).toBe('draft');
    expect(draft.findings.map((f) => f.code)).toContain('npi_invalid');
    await t.db.updateTable('providers').set({ npi: '1987654328' }).execute();
    const again = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
    expect(again).toMatchObject({ id: draft.id, status: 'ready' });
    expect(await t.db.selectFrom('claims').select('id').execute()).toHaveLength(1);
  });

  it('builds a secondary claim with the primary payment in 2320 and an 837P from professional charges', async () => {
    const { encounterId } = await w.codedEncounter({ secondary: true });
    const s = await buildClaim(w.deps, w.biller, encounterId, {
      kind: '837I',
      benefitOrder: 2,
      priorPayments: [],
    });
    expect(s.findings.map((f) => f.code)).toContain('prior_payment_required');
    const primary = await t.db.selectFrom('patient_coverages').select('id').where('benefit_order', '=', 1).executeTakeFirstOrThrow();
    const s2 = await buildClaim(w.deps, w.biller, encounterId, {
      kind: '837I',
      benefitOrder: 2,
      priorPayments: [
        {
          coverageId: primary.id,
          paidCents: 800_000,
          adjustments: [{ group: 'CO', reason: '45', amountCents: 100_000 }],
          adjudicationDate: '2026-03-09',
        },
      ],
    });
    expect(s2.status).toBe('ready');
    const p = await buildClaim(w.deps, w.biller, encounterId, { kind: '837P' });
    expect(p).toMatchObject({ kind: '837P', status: 'ready', totalCents: 15_000 });
  });

  it('exports every ready claim of one kind in one interchange, marks them released, never repeats a control number', async () => {
    const a = await w.codedEncounter();
    const b = await w.codedEncounter();
    const ca = await buildClaim(w.deps, w.biller, a.encounterId, { kind: '837I' });
    const cb = await buildClaim(w.deps, w.biller, b.encounterId, { kind: '837I' });
    await buildClaim(w.deps, w.biller, a.encounterId, { kind: '837P' });
    const r = await exportClaims(w.deps, w.biller, { ...envelope, kind: '837I' });
    expect(r.claims.map((c) => c.ok)).toEqual([true, true]);
    expect(r.text).not.toBeNull();
    const sets = segmentsOf(r.text ?? '');
    expect(sets).toHaveLength(2);
    expect(
      sets
        .flat()
        .filter((s) => s.startsWith('CLM*'))
        .map((s) => s.split('*')[1]),
    ).toEqual([ca.patientControlNumber, cb.patientControlNumber]);
    expect(sets[0]).toContain('HI*DR:292');
    expect((await getClaim(w.deps, w.biller, ca.id)).status).toBe('released');
    // Nothing ready is left; the next interchange (of the other kind) gets the next control number.
    expect((await exportClaims(w.deps, w.biller, { ...envelope, kind: '837I' })).text).toBeNull();
    const p = await exportClaims(w.deps, w.biller, { ...envelope, kind: '837P' });
    expect(Number(p.interchangeControlNumber)).toBe(Number(r.interchangeControlNumber) + 1);
    await expect(buildClaim(w.deps, w.biller, a.encounterId, { kind: '837I' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('reports a claim of a restricted record it may not open and exports the others', async () => {
    const open = await w.codedEncounter();
    const vip = await w.codedEncounter({ restricted: true });
    await buildClaim(w.deps, w.biller, open.encounterId, { kind: '837I' });
    const grant = await w.deps.records.breakGlass(w.biller, vip.patientId, 'billing the stay of a VIP patient');
    expect(grant.grantId).toBeTruthy();
    const vipClaim = await buildClaim(w.deps, w.biller, vip.encounterId, { kind: '837I' });
    const other = makeActor(Role.himDirector);
    const r = await exportClaims(w.deps, other, { ...envelope, kind: '837I' });
    expect(r.claims).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ok: true }),
        expect.objectContaining({ claimId: vipClaim.id, ok: false, error: expect.objectContaining({ code: 'break_glass_required' }) }),
      ]),
    );
    expect(segmentsOf(r.text ?? '')).toHaveLength(1);
  });

  it('refuses a coder, who has no claim permission', async () => {
    const { encounterId } = await w.codedEncounter();
    await expect(buildClaim(w.deps, makeActor(Role.coder), encounterId, { kind: '837I' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
