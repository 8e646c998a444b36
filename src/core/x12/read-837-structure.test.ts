import { describe, expect, it } from 'vitest';
import { check837Structure } from './read-837-structure.js';
import { readX12, transactionSets } from './read-x12.js';

/** A small 837P (005010X222A1): billing provider, subscriber who is the patient, one claim with one line. */
const GOOD = [
  'BHT*0019*00*0123*20260104*1200*CH',
  'NM1*41*2*GENERAL HOSPITAL*****46*GENHOSP',
  'PER*IC*BILLING*TE*5555550100',
  'NM1*40*2*ACME*****46*ACME01',
  'HL*1**20*1',
  'NM1*85*2*GENERAL HOSPITAL*****XX*1234567893',
  'N3*1 HOSPITAL WAY',
  'N4*SPRINGFIELD*IL*627010001',
  'REF*EI*123456789',
  'HL*2*1*22*0',
  'SBR*P*18*******MC',
  'NM1*IL*1*DOE*JANE****MI*M123',
  'NM1*PR*2*ACME*****PI*ACME01',
  'CLM*PCN001*100***11:B:1*Y*A*Y*Y',
  'HI*ABK:J189',
  'LX*1',
  'SV1*HC:99213*100*UN*1***1',
  'DTP*472*D8*20260102',
];

function check(body: readonly string[]): string[] {
  const seg = ['ST*837*0001*005010X222A1', ...body];
  seg.push(`SE*${seg.length + 1}*0001`);
  const text = [
    'ISA*00*          *00*          *ZZ*GENHOSP        *ZZ*ACME01         *260104*1200*^*00501*000000001*0*P*:',
    'GS*HC*GENHOSP*ACME01*20260104*1200*1*X*005010X222A1',
    ...seg,
    'GE*1*1',
    'IEA*1*000000001',
  ].join('~');
  const doc = readX12(`${text}~`);
  const tx = transactionSets(doc)[0];
  if (!tx || !doc.delimiters) throw new Error('not read');
  return [...doc.errors, ...check837Structure(tx, doc.delimiters)].map((e) => e.message);
}

const without = (id: string) => GOOD.filter((s) => !s.startsWith(id));
const swap = (a: string, b: string) =>
  GOOD.map((s) =>
    s.startsWith(a) ? (GOOD.find((x) => x.startsWith(b)) ?? s) : s.startsWith(b) ? (GOOD.find((x) => x.startsWith(a)) ?? s) : s,
  );

describe('837 structure', () => {
  it('finds nothing wrong in a well-formed 837P', () => expect(check(GOOD)).toEqual([]));

  it('reports a missing required loop on its HL', () => {
    expect(check(without('NM1*85').filter((s) => !/^(N3|N4|REF\*EI)/.test(s)))).toEqual([
      'segment 8 (HL): loop 2010AA billing provider (NM1*85) is missing under HL 1',
    ]);
  });

  it('reports a loop that repeats more than once', () => {
    const twice = [...GOOD.slice(0, 9), 'NM1*85*2*AGAIN*****XX*1234567893', 'N3*X', 'N4*Y*IL*62701', ...GOOD.slice(9)];
    expect(check(twice)).toEqual(['segment 13 (NM1): loop NM1*85 repeats under HL 1; it may occur once']);
  });

  it('reports segments out of order inside an entity loop', () => {
    expect(check(swap('N3', 'N4'))).toEqual([
      'segment 11 (N3): N3 is out of order in loop NM1*85 (segment 9): it must come before N4 (segment 10)',
    ]);
  });

  it('reports HL numbering, parents and child flags', () => {
    const bad = GOOD.map((s) => (s === 'HL*2*1*22*0' ? 'HL*3*5*22*1' : s));
    expect(check(bad)).toEqual([
      'segment 8 (HL): HL04 says HL 1 has children, none follows',
      'segment 13 (HL): HL01 3 is out of sequence (expected 2)',
      'segment 13 (HL): HL02 parent 5 is not an earlier HL',
      'segment 13 (HL): HL04 says HL 3 has children, none follows',
    ]);
  });

  it('reports a service line without LX and missing required elements', () => {
    const bad = without('LX').map((s) => (s.startsWith('CLM') ? 'CLM*PCN001*100***' : s.startsWith('NM1*40') ? 'NM1*40**ACME' : s));
    expect(check(bad)).toEqual([
      'segment 7 (NM1): NM102 entity type qualifier is required (1 person, 2 non-person)',
      'segment 17 (CLM): CLM05 place of service / type of bill is required',
      'segment 17 (CLM): the claim has no service line (loop 2400, LX)',
      'segment 19 (SV1): SV1 outside a service line: loop 2400 starts with LX',
    ]);
  });

  it('reports an entity code the 837 does not use', () => {
    expect(check(GOOD.map((s) => s.replace('NM1*40*', 'NM1*117*')))).toEqual([
      'segment 7 (NM1): NM101 "117" is not an entity identifier code of the 837',
    ]);
  });
});
