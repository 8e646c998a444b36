import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { readX12 } from '../../core/x12/read-x12.js';
import { check837Structure } from '../../core/x12/read-837-structure.js';
import { build835 } from '../../core/x12/remit-fixtures.test-support.js';
import { buildCorrectedClaim, buildSecondaryClaim, postUnmatchedToClaim } from './claims-correct.service.js';
import { makeClaimsWorld, type ClaimsWorld } from './claims-fixtures.test-support.js';
import { postRemittance } from './claims-remit.service.js';
import { buildClaim, exportClaims, type PriorSubmission } from './claims.service.js';
import { x12PartiesOf } from './claims-x12-parties.js';

/** 4 days of room at 2,510.00 (revenue code 0120) and 10 pharmacy units at 12.50 (0250). */
const CHARGE = '10165.00';
/** Medicare pays 8,000.00 at line level: room 7,900.00 (CO-45 1,140.00, PR-1 1,000.00), pharmacy 100.00 (CO-45 25.00). */
const linePaid835 = (pcn: string, icn = 'ICNA') =>
  build835({
    trace: `EFT-${pcn}`,
    body: [
      'LX*1',
      `CLP*${pcn}*1*${CHARGE}*8000*1000*MA*${icn}*11*1`,
      'SVC*NU:0120*10040*7900**4',
      'CAS*CO*45*1140',
      'CAS*PR*1*1000',
      'SVC*NU:0250*125*100**10',
      'CAS*CO*45*25',
    ],
  });
const denial835 = (pcn: string) =>
  build835({ trace: `DEN-${pcn}`, body: ['LX*1', `CLP*${pcn}*4*${CHARGE}*0*0*MA*ICND*11*1`, `CAS*CO*50*${CHARGE}`] });

const segmentsOf = (text: string) =>
  text
    .split('~')
    .map((s) => s.replace(/^\s+/, ''))
    .filter((s) => s !== '');

describe.each(engines)('corrected and secondary claims, queued remittance on %s', (engine) => {
  let t: TestDatabase;
  let w: ClaimsWorld;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeClaimsWorld(t);
  });
  afterEach(async () => {
    await t.dispose();
  });

  const release = async () => (await exportClaims(w.deps, w.biller, { kind: '837I', ...x12PartiesOf(w.deps), usage: 'T' })).text ?? '';
  const released = async (secondary = false) => {
    const { encounterId } = await w.codedEncounter({ secondary });
    const c = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
    await release();
    return c;
  };

  it("builds a replacement (7) in the released claim's place with REF*F8 of the payer's claim number, keeping what was sent", async () => {
    const c = await released();
    await postRemittance(w.deps, w.biller, denial835(c.patientControlNumber));
    const r = await buildCorrectedClaim(w.deps, w.biller, c.id, '7');
    expect(r).toMatchObject({ id: c.id, status: 'ready', patientControlNumber: c.patientControlNumber });
    const row = await t.db.selectFrom('claims').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.released_at).toBeNull();
    const prior = JSON.parse(row.prior_submissions) as PriorSubmission[];
    expect(prior).toEqual([expect.objectContaining({ frequencyCode: '1', payerClaimControlNumber: 'ICND', totalCents: 1_016_500 })]);
    expect(prior[0]?.interchangeControlNumber).toBeTruthy();
    const text = await release();
    const segs = segmentsOf(text);
    expect(segs.find((s) => s.startsWith('CLM*'))).toContain('*11:A:7*');
    const clm = segs.findIndex((s) => s.startsWith('CLM*'));
    const f8 = segs.indexOf('REF*F8*ICND');
    expect(f8).toBeGreaterThan(clm);
    expect(f8).toBeLessThan(segs.findIndex((s) => s.startsWith('HI*')));
  });

  it('voids (8) the claim as sent, and refuses to correct a voided or unanswered claim', async () => {
    const c = await released();
    await expect(buildCorrectedClaim(w.deps, w.biller, c.id, '7')).rejects.toMatchObject({ code: 'invalid' });
    await postRemittance(w.deps, w.biller, linePaid835(c.patientControlNumber));
    await buildCorrectedClaim(w.deps, w.biller, c.id, '8');
    await expect(buildCorrectedClaim(w.deps, w.biller, c.id, '7')).rejects.toMatchObject({ code: 'conflict' });
    const text = await release();
    expect(segmentsOf(text).find((s) => s.startsWith('CLM*'))).toContain('*11:A:8*');
    expect(segmentsOf(text)).toContain('REF*F8*ICNA');
    await expect(buildCorrectedClaim(w.deps, w.biller, c.id, '7')).rejects.toMatchObject({ code: 'conflict' });
  });

  it("posts the payer's reversal of the original and payment of the replacement to the one claim", async () => {
    const c = await released();
    await postRemittance(w.deps, w.biller, linePaid835(c.patientControlNumber));
    await buildCorrectedClaim(w.deps, w.biller, c.id, '7');
    // Before the replacement goes out, a reversal of the original still finds the claim.
    const rev = build835({
      trace: 'REV1',
      body: ['LX*1', `CLP*${c.patientControlNumber}*22*-${CHARGE}*-8000*-1000*MA*ICNA*11*1`, 'CAS*CO*45*-1165', 'CAS*PR*1*-1000'],
    });
    const r = await postRemittance(w.deps, w.biller, rev);
    expect(r.payments[0]?.postings[0]).toMatchObject({ claimId: c.id, kind: 'reversal' });
    expect(r.payments[0]?.postings[0]?.reversesPostingId).toBeTruthy();
  });

  it("bills the secondary payer with the primary's payment (2320 AMT*D) and each line's adjudication (2430 SVD/CAS/DTP*573)", async () => {
    const primary = await released(true);
    await postRemittance(w.deps, w.biller, linePaid835(primary.patientControlNumber));
    const sec = await buildSecondaryClaim(w.deps, w.biller, primary.id);
    expect(sec.status).toBe('ready');
    expect(sec.patientControlNumber).not.toBe(primary.patientControlNumber);
    const segs = segmentsOf(await release());
    const st = segs.findIndex((s) => s.startsWith('ST*837'));
    const se = segs.findIndex((s) => s.startsWith('SE*'));
    expect(segs[se]).toBe(`SE*${String(se - st + 1)}*${segs[st]?.split('*')[2] ?? ''}`);
    expect(segs.find((s) => s.startsWith('SBR*S*'))).toBeTruthy();
    // 2320: SBR (primary), AMT*D, OI, then 2330A (NM1*IL) and 2330B (NM1*PR ... DTP*573).
    const sbr = segs.findIndex((s) => s.startsWith('SBR*P*'));
    expect(segs.slice(sbr, sbr + 6).map((s) => s.split('*')[0])).toEqual(['SBR', 'AMT', 'OI', 'NM1', 'N3', 'N4']);
    expect(segs[sbr + 3]).toMatch(/^NM1\*IL\*/);
    expect(segs[sbr + 1]).toBe('AMT*D*8000');
    expect(segs.slice(sbr).find((s) => s.startsWith('DTP*573'))).toBe('DTP*573*D8*20260105');
    // 2400 then 2430 per line.
    const lx1 = segs.indexOf('LX*1');
    expect(segs.slice(lx1, lx1 + 6)).toEqual([
      'LX*1',
      'SV2*0120**10040*DA*4',
      'SVD*00430*7900*NU:0120*0120*4',
      'CAS*CO*45*1140',
      'CAS*PR*1*1000',
      'DTP*573*D8*20260105',
    ]);
    const lx2 = segs.indexOf('LX*2');
    expect(segs.slice(lx2 + 2, lx2 + 5)).toEqual(['SVD*00430*100*NU:0250*0250*10', 'CAS*CO*45*25', 'DTP*573*D8*20260105']);
    // Loop counts (TR3: 2430 at most 15 per line, CAS at most 5 per 2430) and the hierarchy, read back by our reader.
    const svdPerLine = segs
      .slice(lx1, se)
      .reduce<number[]>(
        (acc, s) => (s.startsWith('LX*') ? [...acc, 0] : s.startsWith('SVD*') ? [...acc.slice(0, -1), (acc.at(-1) ?? 0) + 1] : acc),
        [],
      );
    expect(svdPerLine).toEqual([1, 1]);
    const read = readX12(segs.join('~\n') + '~');
    const tx = read.interchanges[0]?.groups[0]?.transactions[0];
    expect(tx).toBeDefined();
    if (tx && read.interchanges[0]) expect(check837Structure(tx, read.interchanges[0].delimiters)).toEqual([]);
  });

  it('posts a queued CLP to the claim once it is released, by its patient control number, and resolves the queue row', async () => {
    const { encounterId } = await w.codedEncounter();
    const c = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
    const early = await postRemittance(w.deps, w.biller, linePaid835(c.patientControlNumber));
    expect(early.payments[0]?.unmatched).toHaveLength(1);
    const u = await t.db.selectFrom('remittance_unmatched').select('id').executeTakeFirstOrThrow();
    await expect(postUnmatchedToClaim(w.deps, w.biller, u.id)).rejects.toMatchObject({ code: 'invalid' });
    await release();
    const p = await postUnmatchedToClaim(w.deps, w.biller, u.id);
    expect(p).toMatchObject({ claimId: c.id, kind: 'payment', paidCents: 800_000 });
    const row = await t.db.selectFrom('remittance_unmatched').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved');
    expect(row.resolution).toContain(p.postingId);
    const posting = await t.db.selectFrom('remittance_postings').selectAll().where('id', '=', p.postingId).executeTakeFirstOrThrow();
    expect(JSON.parse(posting.adjudication ?? 'null')).toMatchObject({ lines: [{ code: '0120', paidCents: 790_000 }, { code: '0250' }] });
    await expect(postUnmatchedToClaim(w.deps, w.biller, u.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses a clerk without claim:manage', async () => {
    const c = await released();
    await expect(buildCorrectedClaim(w.deps, w.clerk, c.id, '7')).rejects.toMatchObject({ code: 'forbidden' });
  });
});
