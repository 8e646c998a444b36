import { describe, expect, it } from 'vitest';
import { parse835, type Remittance } from './parse-835.js';
import { SAMPLE_835_BODY, build835 } from './remit-fixtures.test-support.js';
import { planRemittancePosting, type ClaimLookup, type PostableClaim } from './remit-posting.js';

const claimsOnFile: PostableClaim[] = [
  { claimId: 'c1', patientControlNumber: 'PCN001', charge: 200 },
  { claimId: 'c2', patientControlNumber: 'PCN002', charge: 100 },
  { claimId: 'c3', patientControlNumber: 'PCN003', charge: 50 },
];
const byPcn: ClaimLookup = (pcn) => claimsOnFile.find((c) => c.patientControlNumber === pcn);

function remit(body: readonly string[], paymentAmount?: number): Remittance {
  const r = parse835(build835({ body, paymentAmount })).remittances[0];
  if (!r) throw new Error('no remittance');
  return r;
}

describe('835 posting plan', () => {
  it('posts payment, contractual adjustment and patient responsibility to the matched claim', () => {
    const plan = planRemittancePosting(remit(SAMPLE_835_BODY), byPcn);
    expect(plan.postable).toBe(true);
    expect(plan.postings[0]).toMatchObject({
      claimId: 'c1',
      kind: 'payment',
      payment: 120,
      contractual: 40,
      patientResponsibility: 40,
      otherAdjustments: 0,
      warnings: [],
    });
    expect(plan.postings[0]?.remarks).toEqual(['N130']);
  });

  it('posts a reversal (CLP02 22) as negative amounts and its correction as a new payment to the same claim', () => {
    const plan = planRemittancePosting(remit(SAMPLE_835_BODY), byPcn);
    const [reversal, correction] = plan.postings.filter((p) => p.claimId === 'c2');
    expect(reversal).toMatchObject({ kind: 'reversal', payment: -80, patientResponsibility: -20, warnings: [] });
    expect(correction).toMatchObject({ kind: 'payment', payment: 90, patientResponsibility: 10 });
    expect(plan.totals.reversals).toBe(-80);
  });

  it('marks a denial (CLP02 4) with its CARC for the denials worklist', () => {
    const denial = planRemittancePosting(remit(SAMPLE_835_BODY), byPcn).postings.find((p) => p.claimId === 'c3');
    expect(denial).toMatchObject({ kind: 'denial', payment: 0, contractual: 50, adjustments: [{ group: 'CO', reason: '50', amount: 50 }] });
  });

  it('puts a CLP with no claim of that patient control number on the unmatched queue', () => {
    const plan = planRemittancePosting(
      remit([...SAMPLE_835_BODY.slice(0, -1), 'CLP*PCN999*1*40*40*0*MC*ICN9*11*1', ...SAMPLE_835_BODY.slice(-1)]),
      byPcn,
    );
    expect(plan.postable).toBe(true);
    expect(plan.unmatched).toEqual([
      {
        patientControlNumber: 'PCN999',
        payerClaimControlNumber: 'ICN9',
        status: '1',
        charge: 40,
        paid: 40,
        reason: 'no claim with this patient control number',
        segment: 28,
      },
    ]);
    expect(plan.totals.unmatchedPaid).toBe(40);
  });

  it('keeps provider-level adjustments (PLB) apart from claims and totals them', () => {
    const plan = planRemittancePosting(remit(SAMPLE_835_BODY), byPcn);
    expect(plan.providerAdjustments.map((p) => `${p.reason} ${p.amount}`)).toEqual(['L6 -5', 'WO 15']);
    expect(plan.totals).toEqual({
      payments: 210,
      contractual: 90,
      patientResponsibility: 30,
      otherAdjustments: 0,
      reversals: -80,
      unmatchedPaid: 0,
      providerAdjustments: 10,
    });
  });

  it('does not post an unbalanced payment', () => {
    const plan = planRemittancePosting(remit(SAMPLE_835_BODY, 999), byPcn);
    expect(plan.postable).toBe(false);
    expect(plan.reason).toMatch(/^unbalanced: BPR02 999.00/);
    expect(plan.postings).toEqual([]);
    expect(plan.unmatched).toEqual([]);
  });

  it('warns when the payer charge differs from the billed charge or PR differs from CLP05', () => {
    const plan = planRemittancePosting(remit(['LX*1', 'CLP*PCN001*1*180*100*25*MC*I1*11*1', 'CAS*CO*45*60', 'CAS*PR*1*20']), byPcn);
    expect(plan.postings[0]?.warnings).toEqual([
      'CLP03 charge 180.00 differs from the billed charge 200.00',
      'PR adjustments 20.00 differ from CLP05 25.00',
    ]);
  });

  it('posts nothing for a claim the payer says is not theirs (CLP02 23)', () => {
    const plan = planRemittancePosting(remit(['LX*1', 'CLP*PCN003*23*50*0*0*MC*I1*11*1', 'CAS*OA*109*50']), byPcn);
    expect(plan.postings[0]).toMatchObject({ kind: 'not_our_claim', payment: 0 });
    expect(plan.totals.otherAdjustments).toBe(0);
  });
});
