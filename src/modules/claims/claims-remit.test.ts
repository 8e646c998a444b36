import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor } from '../../../test/support/factories.js';
import { build835 } from '../../core/x12/remit-fixtures.test-support.js';
import { Role, systemActor } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { recordAcknowledgement } from './claims-ack.service.js';
import { makeClaimsWorld, type ClaimsWorld } from './claims-fixtures.test-support.js';
import { arAgeing, claimRemittance, denialsWorklist, resolveUnmatched, unmatchedQueue } from './claims-receivables.service.js';
import { postRemittance, reversePosting } from './claims-remit.service.js';
import { buildClaim, exportClaims, type ExportInput } from './claims.service.js';

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

/** Inpatient claim charge of the claims fixtures: 4 days of room at 2,510.00 and 10 pharmacy units at 12.50. */
const CHARGE = 4 * 251_000 + 10 * 1_250;
const money = (cents: number): string => (cents / 100).toFixed(2);

const ISA = 'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*GENHOSP        *260104*1200*^*00501*000000201*0*P*:';
function wrapAck(functionalId: string, version: string, body: string[]): string {
  const tx = [`ST*${body[0] ?? ''}*0001*${version}`, ...body.slice(1)];
  tx.push(`SE*${String(tx.length + 1)}*0001`);
  return [ISA, `GS*${functionalId}*CH*GENHOSP*20260104*1200*201*X*${version}`, ...tx, 'GE*1*201', 'IEA*1*000000201'].join('~\n') + '~\n';
}

describe.each(engines)('remittance posting on %s', (engine) => {
  let t: TestDatabase;
  let w: ClaimsWorld;
  /** Released 837I claims: id, patient control number, patient and the ST02 it went out in. */
  let claims: { id: string; pcn: string; patientId: string; st02: string; isa13: string }[];

  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeClaimsWorld(t);
    claims = [];
    for (let i = 0; i < 3; i++) {
      const { encounterId, patientId } = await w.codedEncounter();
      const c = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
      claims.push({ id: c.id, pcn: c.patientControlNumber, patientId, st02: '', isa13: '' });
    }
    await exportClaims(w.deps, w.biller, { ...envelope, kind: '837I' });
    for (const c of claims) {
      const r = await t.db
        .selectFrom('claims')
        .select(['transaction_control_number', 'interchange_control_number'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      c.st02 = r.transaction_control_number ?? '';
      c.isa13 = r.interchange_control_number ?? '';
    }
  });
  afterEach(async () => {
    await t.dispose();
  });

  const claim = (i: number) => claims[i] ?? { id: '', pcn: '', patientId: '', st02: '', isa13: '' };
  /** Claim 0 paid 8,000.00 with CO-45 and PR-1 1,000.00; claim 1 denied CO-50 with remark MA01; one unknown claim; PLB interest. */
  const firstRemit = () =>
    build835({
      trace: 'EFT1',
      body: [
        'LX*1',
        `CLP*${claim(0).pcn}*1*${money(CHARGE)}*8000*1000*MA*ICNA*11*1`,
        `CAS*CO*45*${money(CHARGE - 900_000)}`,
        'CAS*PR*1*1000',
        `CLP*${claim(1).pcn}*4*${money(CHARGE)}*0*0*MA*ICNB*11*1`,
        `CAS*CO*50*${money(CHARGE)}`,
        'MOA***MA01',
        'CLP*NOSUCHCLAIM1*1*100*50*0*MA*ICNX*11*1',
        'CAS*CO*45*50',
        'PLB*1234567893*20261231*L6:INT1*-5',
      ],
    });

  it('posts a balanced 835: payment, contractual, patient share and CARC/RARC per claim, the unknown claim to the queue, PLB apart', async () => {
    const r = await postRemittance(w.deps, w.biller, firstRemit());
    expect(r.status).toBe('posted');
    const pay = r.payments[0];
    expect(pay).toMatchObject({ balanced: true, posted: true, amountCents: 800_000 + 5_000 + 500, providerAdjustmentCents: -500 });
    expect(pay?.postings.map((p) => [p.claimId, p.kind, p.paidCents])).toEqual([
      [claim(0).id, 'payment', 800_000],
      [claim(1).id, 'denial', 0],
    ]);
    expect(pay?.unmatched).toEqual([
      { patientControlNumber: 'NOSUCHCLAIM1', paidCents: 5_000, reason: 'no claim with this patient control number' },
    ]);
    const stored = await t.db.selectFrom('remittance_postings').selectAll().where('claim_id', '=', claim(0).id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      paid_cents: 800_000,
      contractual_cents: CHARGE - 900_000,
      patient_responsibility_cents: 100_000,
      other_adjustment_cents: 0,
    });
    expect(JSON.parse(stored.adjustments)).toEqual([
      { group: 'CO', reason: '45', amountCents: CHARGE - 900_000 },
      { group: 'PR', reason: '1', amountCents: 100_000 },
    ]);
    expect(await t.db.selectFrom('remittance_provider_adjustments').select(['reason', 'amount_cents']).execute()).toEqual([
      { reason: 'L6', amount_cents: -500 },
    ]);
    expect(await t.db.selectFrom('remittances').select(['trace', 'payer_name', 'status', 'balanced']).execute()).toEqual([
      { trace: 'EFT1', payer_name: 'ACME HEALTH PLAN', status: 'posted', balanced: 1 },
    ]);
    const q = await unmatchedQueue(w.deps, w.biller);
    expect(q.map((u) => [u.patientControlNumber, u.paidCents, u.trace])).toEqual([['NOSUCHCLAIM1', 5_000, 'EFT1']]);
    const kept = await t.db.selectFrom('remittance_unmatched').select('remit_claim').executeTakeFirstOrThrow();
    expect(JSON.parse(kept.remit_claim)).toMatchObject({ patientControlNumber: 'NOSUCHCLAIM1', paid: 50 });
    await resolveUnmatched(w.deps, w.biller, q[0]?.id ?? '', 'refund requested from the payer');
    expect(await unmatchedQueue(w.deps, w.biller)).toEqual([]);
    await expect(resolveUnmatched(w.deps, w.biller, q[0]?.id ?? '', 'refund requested twice')).rejects.toMatchObject({ code: 'conflict' });
    const events = await queryAuditEvents(t.db, { patientId: claim(0).patientId });
    expect(events.some((e) => e.action === 'post' && e.resourceType === 'claim_posting' && e.resourceId === stored.id)).toBe(true);
    // The denials worklist shows the denied claim under CO with its CARC and remark; the paid claim is not there.
    const denials = await denialsWorklist(w.deps, w.biller);
    expect(denials.map((d) => [d.claimId, d.group, d.payerName, d.reasons, d.remarks])).toEqual([
      [claim(1).id, 'CO', 'Medicare Part A', [{ reason: '50', amountCents: CHARGE }], ['MA01']],
    ]);
  });

  it('refuses the same file twice and posts nothing of an unbalanced payment', async () => {
    const text = firstRemit();
    await postRemittance(w.deps, w.biller, text);
    await expect(postRemittance(w.deps, w.biller, text)).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.db.selectFrom('remittance_postings').select('id').execute()).toHaveLength(2);
    const unbalanced = build835({
      paymentAmount: 1,
      trace: 'EFT9',
      body: ['LX*1', `CLP*${claim(2).pcn}*1*${money(CHARGE)}*100*0*MA*ICNC*11*1`, `CAS*CO*45*${money(CHARGE - 10_000)}`],
    });
    const r = await postRemittance(w.deps, w.biller, unbalanced);
    expect(r.status).toBe('refused');
    expect(r.payments[0]).toMatchObject({ balanced: false, posted: false, postings: [] });
    expect(r.payments[0]?.reason).toMatch(/^unbalanced/);
    expect(await t.db.selectFrom('remittance_postings').select('id').where('claim_id', '=', claim(2).id).execute()).toEqual([]);
  });

  it('posts a reversal (CLP02 22) as negative amounts linked to the original, and the correction after it', async () => {
    await postRemittance(w.deps, w.biller, firstRemit());
    const second = build835({
      trace: 'EFT2',
      body: [
        'LX*1',
        `CLP*${claim(0).pcn}*22*-${money(CHARGE)}*-8000*-1000*MA*ICNA*11*8`,
        `CAS*CO*45*-${money(CHARGE - 900_000)}`,
        'CAS*PR*1*-1000',
        `CLP*${claim(0).pcn}*1*${money(CHARGE)}*9000*1000*MA*ICNA2*11*7`,
        `CAS*CO*45*${money(CHARGE - 1_000_000)}`,
        'CAS*PR*1*1000',
      ],
    });
    const r = await postRemittance(w.deps, w.biller, second);
    const [rev, corr] = r.payments[0]?.postings ?? [];
    const original = await t.db
      .selectFrom('remittance_postings')
      .selectAll()
      .where('claim_id', '=', claim(0).id)
      .where('payer_claim_control_number', '=', 'ICNA')
      .where('kind', '=', 'payment')
      .executeTakeFirstOrThrow();
    expect(rev).toMatchObject({ kind: 'reversal', paidCents: -800_000, reversesPostingId: original.id });
    expect(corr).toMatchObject({ kind: 'payment', paidCents: 900_000 });
    expect(original.reversed_by_posting_id).toBe(rev?.postingId);
    const history = await claimRemittance(w.deps, w.biller, claim(0).id);
    expect(history.postings.reduce((s, p) => s + p.paidCents, 0)).toBe(900_000);
    expect(history.postings.reduce((s, p) => s + p.patientResponsibilityCents, 0)).toBe(100_000);
  });

  it('reverses a posting with a reason, audited, and refuses to reverse it twice', async () => {
    const r = await postRemittance(w.deps, w.biller, firstRemit());
    const p = r.payments[0]?.postings[0];
    await expect(reversePosting(w.deps, w.biller, p?.postingId ?? '', 'short')).rejects.toMatchObject({ code: 'invalid' });
    const rev = await reversePosting(w.deps, w.biller, p?.postingId ?? '', 'posted to the wrong account by the lockbox');
    expect(rev).toMatchObject({
      kind: 'reversal',
      paidCents: -800_000,
      reversesPostingId: p?.postingId,
      patientControlNumber: claim(0).pcn,
    });
    const history = await claimRemittance(w.deps, w.biller, claim(0).id);
    expect(history.postings.map((x) => [x.kind, x.paidCents, x.contractualCents, x.reason])).toEqual([
      ['payment', 800_000, CHARGE - 900_000, null],
      ['reversal', -800_000, -(CHARGE - 900_000), 'posted to the wrong account by the lockbox'],
    ]);
    await expect(reversePosting(w.deps, w.biller, p?.postingId ?? '', 'posted to the wrong account again')).rejects.toMatchObject({
      code: 'conflict',
    });
    const events = await queryAuditEvents(t.db, { patientId: claim(0).patientId });
    expect(events.some((e) => e.action === 'reverse' && e.resourceId === p?.postingId)).toBe(true);
    await expect(
      reversePosting(w.deps, makeActor(Role.coder), p?.postingId ?? '', 'a coder has no claim permission'),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('shows a 277CA rejection and a 999 rejected transaction against the claims, with their errors', async () => {
    const ca = wrapAck('HN', '005010X214', [
      '277',
      'BHT*0085*08*1*20260104*1200*TH',
      'HL*1**20*1',
      'NM1*PR*2*ACME*****PI*ACME01',
      'TRN*1*1',
      'HL*2*1*21*1',
      'NM1*41*2*GENERAL HOSPITAL*****46*GENHOSP',
      'TRN*2*BATCH1',
      'STC*A1:19*20260104*WQ*300',
      'HL*3*2*19*1',
      'NM1*85*2*GENERAL HOSPITAL*****XX*1234567893',
      'HL*4*3*PT',
      'NM1*QC*1*DOE*JANE',
      `TRN*2*${claim(0).pcn}`,
      'STC*A2:20*20260104*WQ*200',
      'HL*5*3*PT',
      'NM1*QC*1*ROE*RICHARD',
      `TRN*2*${claim(1).pcn}`,
      'STC*A7:562:85*20260104*U*100',
    ]);
    const r = await recordAcknowledgement(w.deps, w.biller, ca);
    expect(r.claims.map((c) => [c.claimId, c.outcome])).toEqual([
      [claim(0).id, 'accepted'],
      [claim(1).id, 'rejected'],
    ]);
    const h = await claimRemittance(w.deps, w.biller, claim(1).id);
    expect(h.acknowledgements).toEqual([
      {
        kind: '277CA',
        outcome: 'rejected',
        errors: [{ code: 'A7:562:85', message: 'Acknowledgement/Rejected for Invalid Information' }],
        receivedAt: expect.any(String),
      },
    ]);
    await expect(recordAcknowledgement(w.deps, w.biller, ca)).rejects.toMatchObject({ code: 'conflict' });

    const c2 = claim(2);
    const nine = wrapAck('FA', '005010X231A1', [
      '999',
      `AK1*HC*${String(Number(c2.isa13))}*005010X223A2`,
      `AK2*837*${c2.st02}*005010X223A2`,
      'IK3*CLM*22*2300*8',
      `CTX*CLM01:${c2.pcn}`,
      'IK4*5:2*1331*7*X',
      'IK5*R*5',
      'AK9*R*1*1*0',
    ]);
    const r2 = await recordAcknowledgement(w.deps, w.biller, nine);
    expect(r2.claims).toEqual([
      {
        kind: '999',
        patientControlNumber: c2.pcn,
        claimId: c2.id,
        outcome: 'rejected',
        errors: [
          { code: 'IK5-5', message: `transaction set ${c2.st02} error 5` },
          { code: 'IK3-8', message: 'CLM at position 22 (loop 2300) error 8' },
          { code: 'IK4-7', message: 'element 5-2 (ref 1331) error 7' },
        ],
      },
    ]);
    expect((await claimRemittance(w.deps, w.biller, c2.id)).acknowledgements[0]).toMatchObject({ kind: '999', outcome: 'rejected' });
  });

  it('ages A/R by payer in days since release: balance = charge - paid - adjustments', async () => {
    // Released 10, 45 and 130 days before the as-of date 2026-06-30.
    const released = ['2026-06-20T09:00:00.000Z', '2026-05-16T09:00:00.000Z', '2026-02-20T09:00:00.000Z'];
    for (const [i, at] of released.entries())
      await t.db.updateTable('claims').set({ released_at: at }).where('id', '=', claim(i).id).execute();
    // Claim 1: paid 8,000.00, CO and PR take the rest: balance 0. Claim 2: paid 3,000.00, CO 1,000.00, OA the rest.
    await postRemittance(
      w.deps,
      w.biller,
      build835({
        body: [
          'LX*1',
          `CLP*${claim(1).pcn}*1*${money(CHARGE)}*8000*1000*MA*ICNB*11*1`,
          `CAS*CO*45*${money(CHARGE - 900_000)}`,
          'CAS*PR*1*1000',
          `CLP*${claim(2).pcn}*1*${money(CHARGE)}*3000*0*MA*ICNC*11*1`,
          'CAS*CO*45*1000',
          `CAS*OA*23*${money(CHARGE - 400_000)}`,
        ],
      }),
    );
    // Claim 2's posting is then reversed by hand (payment and adjustments): its whole charge is open again.
    const oa = await t.db.selectFrom('remittance_postings').select('id').where('claim_id', '=', claim(2).id).executeTakeFirstOrThrow();
    await reversePosting(w.deps, w.biller, oa.id, 'payer recouped; re-posting on the next remittance');
    const ar = await arAgeing(w.deps, w.biller, '2026-06-30');
    // Claim 0 (no posting, 10 days): 10,165.00 in 0-30; claim 1 (45 days): zero balance, not counted; claim 2 reversed whole (130 days): 10,165.00 in >120.
    expect(ar).toEqual([
      {
        payerId: w.payers.medicare,
        payerName: 'Medicare Part A',
        buckets: { '0-30': CHARGE, '31-60': 0, '61-90': 0, '91-120': 0, '>120': CHARGE },
        totalCents: 2 * CHARGE,
        claims: 2,
      },
    ]);
  });

  it("refuses a whole file that posts to a restricted record the user has no grant for, and hides that claim's details in the denials worklist", async () => {
    const vip = await w.codedEncounter();
    const vc = await buildClaim(w.deps, w.biller, vip.encounterId, { kind: '837I' });
    await exportClaims(w.deps, w.biller, { ...envelope, kind: '837I' });
    await t.db.updateTable('patients').set({ restricted: 1, restriction_reason: 'VIP' }).where('id', '=', vip.patientId).execute();
    const body = [
      'LX*1',
      `CLP*${claim(0).pcn}*1*${money(CHARGE)}*8000*1000*MA*ICNA*11*1`,
      `CAS*CO*45*${money(CHARGE - 900_000)}`,
      'CAS*PR*1*1000',
      `CLP*${vc.patientControlNumber}*4*${money(CHARGE)}*0*0*MA*ICNV*11*1`,
      `CAS*CO*50*${money(CHARGE)}`,
    ];
    await expect(postRemittance(w.deps, w.biller, build835({ trace: 'EFTV', body }))).rejects.toMatchObject({
      code: 'break_glass_required',
    });
    expect(await t.db.selectFrom('remittance_postings').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('remittance_files').select('id').execute()).toEqual([]);
    // The system (the CLI) posts it; a user without a grant then sees the denied VIP claim's id only, last.
    const system = systemActor('cli:test');
    await postRemittance(w.deps, system, build835({ trace: 'EFTV', body }));
    const denials = await denialsWorklist(w.deps, w.biller);
    expect(denials).toEqual([expect.objectContaining({ claimId: vc.id, restricted: true, group: null, payerName: null, reasons: [] })]);
  });
});
