import { describe, expect, it } from 'vitest';
import { describeAdjustments, parse835 } from './parse-835.js';
import { SAMPLE_835_BODY, build835 } from './remit-fixtures.test-support.js';
import { reportRemitFile } from './remit-report.js';

const body = SAMPLE_835_BODY;

describe('835 remittance', () => {
  it('reads payer, payee, payment, method and trace', () => {
    const { remittances, errors } = parse835(build835({ body, method: 'CHK', trace: 'CHK000123' }));
    expect(errors).toEqual([]);
    const r = remittances[0];
    expect(r).toMatchObject({ payer: 'ACME HEALTH PLAN', payerId: 'ACME01', payee: 'GENERAL HOSPITAL', payeeId: '1234567893' });
    expect(r).toMatchObject({
      method: 'CHK',
      trace: 'CHK000123',
      paymentAmount: 120,
      creditDebit: 'C',
      handling: 'I',
      paymentDate: '20260105',
    });
  });

  it('balances BPR02 against the sum of CLP04 less the PLB amounts (TR3 1.10.2.1.3)', () => {
    // 120 - 80 + 90 + 0 = 130 paid on claims; PLB -5 + 15 = 10; BPR02 = 120.
    const r = parse835(build835({ body })).remittances[0];
    expect(r?.paymentAmount).toBe(120);
    expect(r?.balanced).toBe(true);
    expect(r?.imbalances).toEqual([]);
  });

  it('reports an unbalanced payment with the amounts', () => {
    const r = parse835(build835({ body, paymentAmount: 130 })).remittances[0];
    expect(r?.balanced).toBe(false);
    expect(r?.imbalances).toEqual(['BPR02 130.00 != sum of CLP04 130.00 less PLB 10.00']);
  });

  it('balances a debit (BPR03 D) as a negative payment', () => {
    const debit = ['LX*1', 'CLP*P1*22*-50*-50*0*MC*I1*11*8', 'CAS*CO*45*0'];
    const text = build835({ body: debit, paymentAmount: 50 }).replace('BPR*I*50.00*C*', 'BPR*H*50.00*D*');
    expect(parse835(text).remittances[0]?.balanced).toBe(true);
  });

  it('lists claim and service-line imbalances without failing the transaction rule', () => {
    const r = parse835(build835({ body: ['LX*1', 'CLP*P1*1*100*60*0*MC*I1*11*1', 'SVC*HC:99213*100*60**1', 'CAS*CO*45*30'] }))
      .remittances[0];
    expect(r?.balanced).toBe(true);
    expect(r?.imbalances).toEqual([
      'claim at segment 12: CLP03 100.00 less CLP04 60.00 != adjustments 30.00',
      'service line at segment 13: SVC02 100.00 less SVC03 60.00 != adjustments 30.00',
    ]);
  });

  it('reads claims with status, amounts, reversal flag, claim and line adjustments, and remarks', () => {
    const [paid, reversal, corrected, denied] = parse835(build835({ body })).remittances[0]?.claims ?? [];
    expect(paid).toMatchObject({
      patientControlNumber: 'PCN001',
      status: '1',
      charge: 200,
      paid: 120,
      patientResponsibility: 40,
      payerClaimControlNumber: 'ICN001',
    });
    expect(paid?.serviceLines[0]).toMatchObject({
      qualifier: 'HC',
      code: '99213',
      modifiers: ['25'],
      charge: 150,
      paid: 90,
      lineControlNumber: 'LINE1',
      serviceDate: '20251201',
      remarks: ['N130'],
    });
    expect(paid?.serviceLines[0]?.adjustments.map(({ group, reason, amount, quantity }) => ({ group, reason, amount, quantity }))).toEqual([
      { group: 'CO', reason: '45', amount: 40, quantity: 1 },
      { group: 'PR', reason: '2', amount: 20, quantity: undefined },
    ]);
    expect(reversal).toMatchObject({ status: '22', reversal: true, charge: -100, paid: -80, patientResponsibility: -20 });
    expect(corrected).toMatchObject({ patientControlNumber: 'PCN002', status: '1', reversal: false, remarks: ['MA01'] });
    expect(denied?.adjustments.map((a) => `${a.group}-${a.reason} ${a.amount}`)).toEqual(['CO-50 50']);
  });

  it('reads up to six reason/amount/quantity triplets in one CAS', () => {
    const cas = 'CAS*OA*1*1*1*2*2**3*3**4*4**5*5**6*6';
    const r = parse835(build835({ body: ['LX*1', 'CLP*P1*1*121*100*0*MC*I1*11*1', cas] })).remittances[0];
    expect(r?.claims[0]?.adjustments.map((a) => a.reason)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(r?.imbalances).toEqual([]);
  });

  it('reads PLB adjustment pairs with reason and reference', () => {
    const r = parse835(build835({ body })).remittances[0];
    expect(r?.providerAdjustments.map(({ reason, reference, amount }) => ({ reason, reference, amount }))).toEqual([
      { reason: 'L6', reference: 'INT1', amount: -5 },
      { reason: 'WO', reference: 'ICN777', amount: 15 },
    ]);
  });

  it('names the segment of bad amounts, unknown adjustment groups and a CAS outside a claim', () => {
    const { errors } = parse835(build835({ body: ['CAS*CO*45*1', 'LX*1', 'CLP*P1*1*abc*0*0*MC*I1*11*1', 'CAS*XX*45*1'] }));
    expect(errors.map((e) => e.message)).toEqual([
      'segment 11 (CAS): CAS outside a claim (no CLP before it)',
      'segment 13 (CLP): CLP03 "abc" is not an amount',
      'segment 14 (CAS): CAS01 "XX" is not a claim adjustment group code (CO, CR, OA, PI, PR)',
    ]);
  });

  it('reports claims after the provider adjustments (PLB) as out of order', () => {
    const { errors } = parse835(build835({ body: [...SAMPLE_835_BODY, 'CLP*P9*1*10*10*0*MC*I9*11*1'] }));
    expect(errors.map((e) => e.message)).toEqual([
      'segment 29 (CLP): CLP after the provider adjustments (PLB at segment 28) is out of order',
    ]);
  });

  it('says a transaction set other than 835 is not an 835, naming its ST', () => {
    const text = build835({ body }).replace('ST*835*', 'ST*837*');
    expect(parse835(text).errors.map((e) => e.message)).toEqual([
      'segment 3 (ST): transaction set 837 is not an 835 health care claim payment/advice',
    ]);
  });

  it('gives adjustment group names, and CARC descriptions only from a list the caller supplies', () => {
    const claim = parse835(build835({ body })).remittances[0]?.claims[3];
    const plain = describeAdjustments(claim?.adjustments ?? []);
    expect(plain.map((a) => [a.groupName, a.description])).toEqual([['Contractual Obligations', undefined]]);
    const withList = describeAdjustments(claim?.adjustments ?? [], (c) => (c === '50' ? 'from the licensed list' : undefined));
    expect(withList[0]?.description).toBe('from the licensed list');
  });
});

describe('remit parse report (the CLI JSON)', () => {
  it('has exactly the fields of issue 20, with claim and line adjustments together', () => {
    const report = reportRemitFile('a.835', build835({ body }));
    expect(Object.keys(report)).toEqual(['file', 'transactions', 'errors']);
    const t = report.transactions[0];
    expect(Object.keys(t ?? {})).toEqual([
      'payer',
      'payee',
      'paymentAmount',
      'method',
      'trace',
      'claims',
      'providerAdjustments',
      'balanced',
    ]);
    expect(t?.claims[0]).toEqual({
      patientControlNumber: 'PCN001',
      status: '1',
      charge: 200,
      paid: 120,
      patientResponsibility: 40,
      adjustments: [
        { group: 'CO', reason: '45', amount: 40 },
        { group: 'PR', reason: '2', amount: 20 },
        { group: 'PR', reason: '1', amount: 20 },
      ],
    });
    expect(t?.providerAdjustments).toEqual([
      { reason: 'L6', amount: -5 },
      { reason: 'WO', amount: 15 },
    ]);
  });
});
