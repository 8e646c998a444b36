/**
 * Builds small 835 texts for tests and the benchmark (`scripts/bench-remit.ts`): envelopes with correct counts
 * and control numbers around the body segments given, so a test states only what it is about.
 */

export interface Fixture835 {
  /** BPR02; when omitted, the balanced amount (sum of CLP04 less PLB). */
  readonly paymentAmount?: number;
  readonly method?: string;
  readonly trace?: string;
  /** Body segments after N1*PE, without terminators, e.g. `CLP*PCN1*1*100*80*20*MC*ICN1*11*1`. */
  readonly body: readonly string[];
  /** Separators: element, component, segment (default `*`, `:`, `~`) and a line break after each segment. */
  readonly element?: string;
  readonly component?: string;
  readonly segment?: string;
  readonly newline?: boolean;
}

/** The amount BPR02 must carry for `body` to balance (TR3 1.10.2.1.3). */
export function balancedPayment(body: readonly string[]): number {
  let cents = 0;
  for (const s of body) {
    const e = s.split('*');
    if (e[0] === 'CLP') cents += Math.round(Number(e[4]) * 100);
    if (e[0] === 'PLB') for (let k = 4; k < e.length; k += 2) cents -= Math.round(Number(e[k]) * 100);
  }
  return cents / 100;
}

/**
 * A balanced 835 body (BPR02 120.00): a paid claim with two lines, a reversal, its correction, a denial, and a PLB (interest and a recoupment). Claims paid 130.00, PLB 10.00.
 */
export const SAMPLE_835_BODY: readonly string[] = [
  'LX*1',
  'CLP*PCN001*1*200*120*40*MC*ICN001*11*1',
  'SVC*HC:99213:25*150*90**1',
  'DTM*472*20251201',
  'CAS*CO*45*40*1',
  'CAS*PR*2*20',
  'REF*6R*LINE1',
  'LQ*HE*N130',
  'SVC*HC:80053*50*30**1',
  'CAS*PR*1*20',
  'CLP*PCN002*22*-100*-80*-20*MC*ICN000*11*8',
  'CAS*PR*2*-20',
  'CLP*PCN002*1*100*90*10*MC*ICN002*11*7',
  'CAS*PR*2*10',
  'MOA***MA01',
  'CLP*PCN003*4*50*0*0*MC*ICN003*11*1',
  'CAS*CO*50*50',
  'PLB*1234567893*20261231*L6:INT1*-5*WO:ICN777*15',
];

/** An 835 interchange text (one ISA/GS/ST) around the given body. */
export function build835(f: Fixture835): string {
  const amount = f.paymentAmount ?? balancedPayment(f.body);
  const tx = [
    'ST*835*0001',
    `BPR*I*${amount.toFixed(2)}*C*${f.method ?? 'ACH'}*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20260105`,
    `TRN*1*${f.trace ?? 'EFT0001'}*1512345678`,
    'DTM*405*20260104',
    'N1*PR*ACME HEALTH PLAN*XV*ACME01',
    'N3*1 MAIN ST',
    'N4*SPRINGFIELD*IL*62701',
    'N1*PE*GENERAL HOSPITAL*XX*1234567893',
    ...f.body,
  ];
  tx.push(`SE*${tx.length + 1}*0001`);
  const segs = [
    'ISA*00*          *00*          *ZZ*ACME01         *ZZ*GENHOSP        *260104*1200*^*00501*000000101*0*P*:',
    'GS*HP*ACME01*GENHOSP*20260104*1200*101*X*005010X221A1',
    ...tx,
    'GE*1*101',
    'IEA*1*000000101',
  ];
  const el = f.element ?? '*';
  const comp = f.component ?? ':';
  const term = (f.segment ?? '~') + (f.newline ? '\n' : '');
  // Swap the separators in one pass (the ISA's component separator is its last element).
  return segs.map((s) => s.replace(/[*:]/g, (c) => (c === '*' ? el : comp))).join(term) + term;
}

/**
 * The body of a large balanced 835: `claims` claims of two service lines each, a mix of paid, patient share,
 * denied and reversed claims, with a PLB; patient control numbers `PCN<n>`.
 */
export function largeRemitBody(claims: number): string[] {
  const body: string[] = ['LX*1'];
  for (let i = 0; i < claims; i++) {
    const pcn = `PCN${i}`;
    switch (i % 4) {
      case 0:
        body.push(`CLP*${pcn}*1*300*200*40*MC*ICN${i}*11*1`, 'SVC*HC:99213*100*60**1', 'DTM*472*20251201', 'CAS*CO*45*30*1', 'CAS*PR*2*10');
        body.push('REF*6R*L1', 'SVC*HC:80053*200*140**1', 'DTM*472*20251201', 'CAS*CO*45*30', 'CAS*PR*1*30', 'REF*6R*L2');
        break;
      case 1:
        body.push(`CLP*${pcn}*4*150*0*0*MC*ICN${i}*11*1`, 'CAS*CO*50*150', 'MOA***N115');
        break;
      case 2:
        body.push(`CLP*${pcn}*22*-120*-100*-20*MC*ICN${i}*11*8`, 'CAS*PR*2*-20');
        break;
      default:
        body.push(`CLP*${pcn}*1*120*110*10*MC*ICN${i}*11*7`, 'CAS*PR*3*10');
    }
  }
  body.push('PLB*1234567893*20261231*L6:INT1*-5*WO:ICN77*15');
  return body;
}
