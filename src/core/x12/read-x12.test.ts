import { describe, expect, it } from 'vitest';
import { components, readX12, transactionSets } from './read-x12.js';
import { build835 } from './remit-fixtures.test-support.js';

const body = ['LX*1', 'CLP*PCN1*1*100*80*20*MC*ICN1*11*1', 'CAS*PR*2*20'];

describe('X12 reader: delimiters', () => {
  it('takes the element separator from ISA position 4, the component separator from ISA16 and the terminator after it', () => {
    const doc = readX12(build835({ body, element: '|', component: '>', segment: "'" }));
    expect(doc.errors).toEqual([]);
    expect(doc.delimiters).toEqual({ element: '|', component: '>', repetition: '^', segment: "'" });
    expect(transactionSets(doc)[0]?.type).toBe('835');
  });

  it('reads a file with a line break after each terminator, leading indentation and a byte-order mark', () => {
    const text = `\uFEFF${build835({ body, newline: true }).replace(/\n/g, '\r\n    ')}`;
    const doc = readX12(text);
    expect(doc.errors).toEqual([]);
    expect(transactionSets(doc)[0]?.segments.map((s) => s.id)).toContain('CLP');
  });

  it('reads a file whose segment terminator is the line break itself', () => {
    const doc = readX12(build835({ body, segment: '\n' }));
    expect(doc.errors).toEqual([]);
    expect(doc.delimiters?.segment).toBe('\n');
    expect(transactionSets(doc)[0]?.segments).toHaveLength(10);
  });

  it('has no repetition separator when ISA11 is a code (004010 U)', () => {
    const doc = readX12(build835({ body }).replace('*^*00501*', '*U*00401*'));
    expect(doc.delimiters?.repetition).toBeUndefined();
  });

  it('splits composites with the component separator', () => {
    const doc = readX12(build835({ body: [...body, 'SVC*HC:99213:25*100*80**1'] }));
    const svc = transactionSets(doc)[0]?.segments.find((s) => s.id === 'SVC');
    expect(svc && doc.delimiters ? components(svc, 1, doc.delimiters) : []).toEqual(['HC', '99213', '25']);
  });
});

describe('X12 reader: envelopes', () => {
  it('numbers segments from the ISA and checks SE01 against the real count', () => {
    const doc = readX12(build835({ body }).replace('SE*12*', 'SE*9*'));
    expect(doc.errors.map((e) => e.message)).toEqual(['segment 14 (SE): SE01 says 9 segments, the transaction set has 12']);
  });

  it('checks SE02, GE02 and IEA02 against ST02, GS06 and ISA13', () => {
    const text = build835({ body })
      .replace('SE*12*0001', 'SE*12*0002')
      .replace('GE*1*101', 'GE*1*102')
      .replace('IEA*1*000000101', 'IEA*1*000000102');
    expect(readX12(text).errors.map((e) => [e.segment, e.id])).toEqual([
      [14, 'SE'],
      [15, 'GE'],
      [16, 'IEA'],
    ]);
  });

  it('checks GE01 and IEA01 counts', () => {
    const doc = readX12(build835({ body }).replace('GE*1*', 'GE*2*').replace('IEA*1*', 'IEA*3*'));
    expect(doc.errors.map((e) => e.message)).toEqual([
      'segment 15 (GE): GE01 says 2 transaction sets, the group has 1',
      'segment 16 (IEA): IEA01 says 3 functional groups, the interchange has 1',
    ]);
  });

  it('reads several interchanges, groups and transaction sets in one file', () => {
    const one = build835({ body });
    const twoSets = one.replace('GE*1*101', `${one.slice(one.indexOf('ST*835'), one.indexOf('GE*'))}GE*2*101`);
    const doc = readX12(twoSets + one);
    expect(doc.errors).toEqual([]);
    expect(doc.interchanges).toHaveLength(2);
    expect(doc.interchanges[0]?.groups[0]?.transactions).toHaveLength(2);
    expect(transactionSets(doc)).toHaveLength(3);
  });

  it('reads concatenated interchanges that use different delimiters, each with its own', () => {
    const doc = readX12(build835({ body }) + build835({ body, element: '|', component: '>', segment: "'", newline: true }));
    expect(doc.errors).toEqual([]);
    expect(doc.interchanges.map((i) => i.delimiters.element + i.delimiters.component + i.delimiters.segment)).toEqual(['*:~', "|>'"]);
    expect(transactionSets(doc).map((t) => t.segments.length)).toEqual([10, 10]);
  });

  it('reports missing trailers at the end of the file, naming the envelope that is still open', () => {
    const text = build835({ body });
    const doc = readX12(text.slice(0, text.indexOf('SE*')));
    expect(doc.errors.map((e) => `${e.segment} ${e.id}`)).toEqual(['1 ISA', '2 GS', '3 ST']);
    expect(doc.errors[2]?.message).toMatch(/no SE/);
  });

  it('reports a file that does not begin with an ISA, naming the first segment', () => {
    const text = build835({ body });
    const doc = readX12(text.slice(text.indexOf('GS*')));
    expect(doc.errors).toEqual([{ segment: 1, id: 'GS', message: 'segment 1 (GS): the file must begin with an ISA interchange header' }]);
  });

  it('reports a short ISA element and goes on reading', () => {
    const doc = readX12(build835({ body }).replace('*00*          *00*', '*00*         *00*'));
    expect(doc.errors.map((e) => e.message)).toEqual(['segment 1 (ISA): ISA02 must be 10 characters, found 9']);
    expect(transactionSets(doc)).toHaveLength(1);
  });

  it('reports segment ids that are not X12 ids and counts them toward SE01', () => {
    const doc = readX12(build835({ body: ['LX*1', '*80*20', 'Cl9*x', 'CLPX*1'] }));
    expect(doc.errors.map((e) => [e.segment, e.id])).toEqual([
      [12, ''],
      [13, 'Cl9'],
      [14, 'CLPX'],
    ]);
  });

  it('reports an empty file and never throws on arbitrary text', () => {
    expect(readX12('').errors[0]?.message).toMatch(/empty/);
    for (const junk of ['ISA', 'ISA*', 'ISA*00*', '~~~~', 'hello world', `ISA${'*'.repeat(20)}`]) expect(() => readX12(junk)).not.toThrow();
  });
});
